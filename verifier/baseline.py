"""Baselines: today's findings, recorded so that CI fails only on new ones.

A baseline file (``verifier baseline PATH... -o FILE``) holds one entry per
finding, keyed by what the finding is *about* rather than where it stands:

- the rule code and the document (a normalised relative path);
- a fingerprint of the message with its numbers blanked, the URL, and the raw
  text of the citations it concerns.

No line or column goes into a key, so a paragraph inserted above a finding
does not bring it back. Each key carries a count: a second identical defect
added later is still reported, because only as many findings are suppressed as
were recorded. Matching runs in two passes — first on the exact message, then
on the message with its numbers blanked — so that renumbered notes ("note 12"
becoming "note 13") still match while an exact match is always preferred.

A JSON report (``--output report.json``) works as a baseline too: its findings
and citations give the same keys.

Everything here is pure except ``load`` and ``dump``, which read and write one file.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verifier.errors import UsageError
from verifier.model import Citation, Finding, Report, Severity

SCHEMA = "verifier-baseline/1"

_NUMBER = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


def normalize_path(path: str | None) -> str:
    """A document path as a key: forward slashes, no ``./``, no doubled separators."""
    if not path:
        return ""
    return posixpath.normpath(path.replace("\\", "/"))


def _text(s: str | None) -> str:
    return _SPACE.sub(" ", s or "").strip()


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Key:
    """The identity of a finding in a baseline: exact and loose (numbers blanked) fingerprints."""

    code: str
    document: str
    exact: str
    loose: str


def finding_key(finding: Finding, raw_of: Mapping[str, str]) -> Key:
    """The baseline key of ``finding``; ``raw_of`` maps citation ids to their raw text."""
    cited = sorted(_text(raw_of.get(cid, "")) for cid in finding.citations)
    message = _text(finding.message)
    url = finding.url or ""
    exact = _digest(finding.code, message, url, *cited)
    loose = _digest(finding.code, _NUMBER.sub("#", message), url, *(_NUMBER.sub("#", c) for c in cited))
    return Key(finding.code, normalize_path(finding.document), exact, loose)


def fingerprint(finding: Finding, raw_of: Mapping[str, str]) -> str:
    """A stable identity for one finding (SARIF ``partialFingerprints``): code, document, loose fingerprint."""
    key = finding_key(finding, raw_of)
    return _digest(key.code, key.document, key.loose)


def raw_texts(citations: Iterable[Citation]) -> dict[str, str]:
    return {c.id: c.raw for c in citations}


@dataclass(frozen=True, slots=True)
class Baseline:
    """Recorded findings: how many of each exact key, and of each loose key."""

    exact: Mapping[tuple[str, str, str], int]
    loose: Mapping[tuple[str, str, str], int]

    @classmethod
    def of(cls, keys: Iterable[Key]) -> Baseline:
        keys = list(keys)
        return cls(
            Counter((k.code, k.document, k.exact) for k in keys),
            Counter((k.code, k.document, k.loose) for k in keys),
        )

    def __len__(self) -> int:
        return sum(self.exact.values())

    def new_findings(self, findings: Sequence[Finding], raw_of: Mapping[str, str]) -> list[Finding]:
        """``findings`` minus those the baseline records, in their order."""
        keys = [finding_key(f, raw_of) for f in findings]
        exact = Counter(self.exact)
        loose = Counter(self.loose)
        matched = [False] * len(findings)
        # Exact matches first, so a renumbered twin never takes an exact match's place.
        for i, k in enumerate(keys):
            e = (k.code, k.document, k.exact)
            if exact[e] > 0:
                exact[e] -= 1
                loose[(k.code, k.document, k.loose)] -= 1
                matched[i] = True
        for i, k in enumerate(keys):
            lk = (k.code, k.document, k.loose)
            if not matched[i] and loose[lk] > 0:
                loose[lk] -= 1
                matched[i] = True
        return [f for f, m in zip(findings, matched, strict=True) if not m]


def entries(report: Report) -> list[dict[str, Any]]:
    """One baseline entry per finding of ``report``: the keys plus what a person needs to recognise it."""
    raw_of = raw_texts(report.citations)
    out = []
    for f in report.findings:
        k = finding_key(f, raw_of)
        out.append({"code": k.code, "document": k.document, "exact": k.exact, "loose": k.loose,
                    "message": f.message})
    return out


def dump(report: Report) -> str:
    """The baseline file for ``report``'s findings (JSON, one entry per line, sorted)."""
    items = sorted(entries(report), key=lambda e: (e["document"], e["code"], e["message"], e["exact"]))
    tool = json.dumps({"name": "verifier", "version": report.version})
    lines = "".join(f"\n    {json.dumps(e, ensure_ascii=False, sort_keys=True)}," for e in items).rstrip(",")
    close = "\n  ]" if items else "]"
    return f'{{\n  "schema": "{SCHEMA}",\n  "tool": {tool},\n  "findings": [{lines}{close}\n}}'


def parse(data: Any) -> Baseline:
    """A baseline from a baseline file's or a JSON report's parsed content; ``ValueError`` when it is neither."""
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise ValueError("not a verifier baseline or JSON report (no \"findings\" list)")
    if data.get("schema") == SCHEMA:
        keys = [
            Key(str(e["code"]), normalize_path(e.get("document")), str(e["exact"]), str(e["loose"]))
            for e in data["findings"]
        ]
        return Baseline.of(keys)
    # A verifier-report/1 document: rebuild the keys from its findings and citations.
    raw_of = {str(c["id"]): str(c.get("raw") or "") for c in data.get("citations") or []}
    keys = []
    for f in data["findings"]:
        finding = Finding(
            code=str(f["code"]), rule=str(f.get("rule") or ""), severity=Severity.INFO,  # not part of a key
            message=str(f.get("message") or ""), document=f.get("document"), location=None,
            citations=tuple(str(c) for c in f.get("citations") or ()), url=f.get("url"),
        )
        keys.append(finding_key(finding, raw_of))
    return Baseline.of(keys)


def load(path: str | Path) -> Baseline:
    """Read a baseline file (or a JSON report); ``UsageError`` naming the file when it cannot be used."""
    try:
        return parse(json.loads(Path(path).read_text(encoding="utf-8")))
    except OSError as exc:
        raise UsageError(f"cannot use baseline {path}: {exc.strerror or exc}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UsageError(f"cannot use baseline {path}: {exc}") from None
    except RecursionError:
        raise UsageError(f"cannot use baseline {path}: its JSON is nested too deeply to be a report") from None
