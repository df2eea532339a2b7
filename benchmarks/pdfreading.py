"""Reading real PDFs: this checkout's PDF reader beside another revision's, file by file.

pandoc has no PDF reader, so no independent reader can check verifier's footnotes in a PDF. What this
script can show is how a change to the reader moves its reading of real PDFs we did not write. It reads
the same files with this checkout and with another checkout of verifier (a ``git worktree`` of ``main``,
say). For each file it prints the notes, reference-list entries, markers, citation keys and findings
(offline) of both. By default it prints only the files whose reading changed; ``--all`` prints every
file::

    git worktree add /tmp/verifier-main main
    .venv/bin/python benchmarks/pdfreading.py /usr/share/doc --against /tmp/verifier-main

The PDFs under ``/usr/share/doc`` on a Debian machine with texlive-base (TeX, LaTeX and BibTeX manuals)
are one such set. It prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAX_BYTES = 3 * 2**20

_READ = r"""
import json, sys
from collections import Counter
sys.path.insert(0, sys.argv[1])
import verifier
from verifier.errors import InputError
from verifier.readers import pdf
out = {}
for path in sys.argv[2:]:
    try:
        doc = pdf.read(open(path, "rb").read(), path)
    except InputError as exc:
        out[path] = {"error": str(exc)[:100]}
        continue
    report = verifier.check([path], offline=True)
    out[path] = {"notes": len(doc.notes), "entries": len(doc.entries), "markers": len(doc.markers),
                 "keys": len(doc.keys), "findings": dict(Counter(f.code for f in report.findings))}
json.dump(out, sys.stdout)
"""


def reading(checkout: Path, files: list[Path]) -> dict[str, dict]:
    proc = subprocess.run([sys.executable, "-c", _READ, str(checkout), *map(str, files)], capture_output=True,
                          text=True, timeout=3600, check=True, cwd=checkout)
    return json.loads(proc.stdout)


def _cell(row: dict) -> str:
    if "error" in row:
        return f"P002 ({row['error'][:40]})"
    found = " ".join(f"{code}:{n}" for code, n in sorted(row["findings"].items()))
    return f"{row['notes']:>4} {row['entries']:>4} {row['markers']:>4} {row['keys']:>4}  {found}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path, help="PDF files or folders holding them")
    parser.add_argument("--against", type=Path, required=True, help="another checkout of verifier")
    parser.add_argument("--all", action="store_true", help="print every file, not only those that changed")
    args = parser.parse_args()
    files = sorted({f for p in args.paths for f in ([p] if p.is_file() else p.rglob("*.pdf"))
                    if f.is_file() and f.stat().st_size <= MAX_BYTES})
    ours, theirs = reading(REPO, files), reading(args.against.resolve(), files)
    print(f"{len(files)} PDFs of at most {MAX_BYTES // 2**20} MiB; columns: notes entries markers keys  findings")
    print(f"{'file':<32} {'other checkout':<44} this checkout")
    totals: dict[str, Counter[str]] = {"other": Counter(), "this": Counter()}
    changed = 0
    for f in files:
        a, b = theirs[str(f)], ours[str(f)]
        for name, row in (("other", a), ("this", b)):
            if "error" not in row:
                totals[name].update({k: row[k] for k in ("notes", "entries", "markers", "keys")})
                totals[name].update({f"findings {code}": n for code, n in row["findings"].items()})
        changed += a != b
        if a != b or args.all:
            print(f"{f.name[:32]:<32} {_cell(a):<44} {_cell(b)}")
    print(f"\n{changed} of {len(files)} files read differently")
    for key in sorted(totals["other"].keys() | totals["this"].keys()):
        print(f"  {key:<14} {totals['other'][key]:>6} -> {totals['this'][key]:>6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
