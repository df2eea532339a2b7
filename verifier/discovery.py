"""Which files a run reads: the command line's paths, expanded the way ruff expands them.

- A file named on the command line is read even when excluded (as ruff
  does): whoever names a file means it; ``force_exclude`` applies the
  exclude patterns to named files too (pre-commit names every changed file).
- A folder means every supported file below it, except:
  hidden files and folders (``.git``, ``.venv``…); files and folders matching
  ``exclude`` (by default vendored and build folders: ``node_modules``,
  ``*.egg-info``, ``build``…) or ``extend-exclude``; and, unless
  ``respect-gitignore = false``, whatever ``.gitignore``, ``.ignore`` and
  ``.git/info/exclude`` ignore.
- A path that does not exist but holds ``*``, ``?`` or ``[`` is a glob the
  shell did not expand (quoted, or on Windows): it is expanded here
  (``**`` crosses folders). A glob that matches nothing is passed on as it
  is, so reading it reports it (P002) instead of dropping it silently.
- ``-`` is standard input, read as ``stdin_filename`` (its extension gives
  the format; the report names it).

Exclude patterns and ignore files use gitignore syntax, matched by
``pathspec`` (the library black, mypy and yamllint use for the same job): a
pattern without a slash matches a name at any depth, one with a slash is
anchored where it is written (the current folder for ``exclude``, the ignore
file's folder for ignore files), ``!`` re-includes, and a deeper ignore file
overrides a shallower one.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec

DEFAULT_EXCLUDE = (
    "node_modules", "bower_components", "*.egg-info", ".eggs", "__pypackages__", "site-packages", "venv",
    "build", "dist", "_build", "buck-out",
)
"""Vendored, installed and built folders (ruff's list, with ``*.egg-info`` and ``bower_components``)."""

IGNORE_FILES = (".gitignore", ".ignore")
STDIN = "-"
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class Found:
    """One input: its path, and whether the command line named it (then no exclusion applies)."""

    path: Path
    named: bool = True
    stdin: bool = False


class _Ignores:
    """The ignore files that apply below one folder, shallowest first, read once each."""

    def __init__(self, respect: bool) -> None:
        self.respect = respect
        self._specs: dict[Path, pathspec.GitIgnoreSpec | None] = {}

    def _spec(self, folder: Path) -> pathspec.GitIgnoreSpec | None:
        if folder not in self._specs:
            lines: list[str] = []
            files = [folder / name for name in IGNORE_FILES]
            if (folder / ".git").is_dir():
                files.insert(0, folder / ".git" / "info" / "exclude")
            for file in files:
                try:
                    lines += file.read_text(encoding="utf-8", errors="replace").splitlines()
                except OSError:
                    continue
            self._specs[folder] = _spec(lines) if lines else None
        return self._specs[folder]

    def ignored(self, path: Path, is_dir: bool, top: Path) -> bool:
        """Whether the ignore files of ``path``'s folders (from the repository root down) ignore it."""
        if not self.respect:
            return False
        verdict: bool | None = None
        for folder in _folders_down_to(path.parent, top):
            spec = self._spec(folder)
            if spec is None:
                continue
            rel = path.relative_to(folder).as_posix() + ("/" if is_dir else "")
            result = spec.check_file(rel).include
            if result is not None:
                verdict = result
        return bool(verdict)


def _repository_root(folder: Path) -> Path:
    """The nearest folder at or above ``folder`` holding ``.git``, else ``folder`` itself."""
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def _spec(lines: Sequence[str]) -> pathspec.GitIgnoreSpec:
    import pathspec  # (only where a folder is walked or an exclusion is forced: 13 ms of every start-up)

    return pathspec.GitIgnoreSpec.from_lines(lines)


class _LazySpec:
    """The exclude patterns' spec, compiled when first matched against (never, for files named one by one)."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self._patterns = patterns
        self._spec: pathspec.GitIgnoreSpec | None = None

    def match_file(self, path: str) -> bool:
        if self._spec is None:
            self._spec = _spec(self._patterns)
        return bool(self._spec.match_file(path))


def _folders_down_to(folder: Path, top: Path) -> list[Path]:
    """``top``, then each folder below it down to ``folder``."""
    chain = [folder]
    while chain[-1] != top and top in chain[-1].parents:
        chain.append(chain[-1].parent)
    return list(reversed(chain))


def expand(paths: Sequence[str | Path], *, exclude: Sequence[str] | None = None, extend_exclude: Sequence[str] = (),
           respect_gitignore: bool = True, stdin_filename: str | None = None, force_exclude: bool = False,
           supported: frozenset[str] | None = None, cwd: Path | None = None) -> Iterator[Found]:
    """Every input the ``paths`` name, in order: named files, glob matches, files found in folders
    (sorted, filtered) and standard input. ``supported`` (lower-case extensions) limits what a folder
    contributes; ``None`` takes every file."""
    here = (cwd or Path.cwd()).absolute()
    patterns = [*(DEFAULT_EXCLUDE if exclude is None else exclude), *extend_exclude]
    excluded = _LazySpec(patterns)
    ignores = _Ignores(respect_gitignore)
    for raw in paths:
        text = str(raw)
        if text == STDIN:
            yield Found(Path(stdin_filename or STDIN), stdin=True)
            continue
        path = Path(text)
        if not path.exists() and _GLOB_CHARS & set(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                yield Found(path)  # reading it says that nothing is there
            for match in matches:
                if Path(match).is_dir():
                    yield from _walk(Path(match), here, excluded, ignores, supported)
                else:
                    yield Found(Path(match))
            continue
        if force_exclude and _excluded_by_name(path, here, excluded):
            continue
        if path.is_dir():
            yield from _walk(path, here, excluded, ignores, supported)
        else:
            yield Found(path)


def _excluded_by_name(path: Path, here: Path, excluded: _LazySpec) -> bool:
    """Whether a path named on the command line matches the exclude patterns (``force_exclude``)."""
    absolute = path.absolute()
    try:
        rel = absolute.relative_to(here).as_posix()
    except ValueError:
        rel = absolute.as_posix().lstrip("/")
    return excluded.match_file(rel + ("/" if path.is_dir() else ""))


def _walk(root: Path, here: Path, excluded: _LazySpec, ignores: _Ignores,
          supported: frozenset[str] | None) -> Iterator[Found]:
    top = _repository_root(root.absolute())

    def skipped(entry: Path, is_dir: bool) -> bool:
        if entry.name.startswith("."):
            return True
        absolute = entry.absolute()
        try:
            rel = absolute.relative_to(here).as_posix()
        except ValueError:
            rel = absolute.relative_to(root.absolute()).as_posix()
        if excluded.match_file(rel + ("/" if is_dir else "")):
            return True
        return ignores.ignored(absolute, is_dir, top)

    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        base = Path(folder)
        dirs[:] = sorted(d for d in dirs if not skipped(base / d, True))
        for name in files:
            child = base / name
            if supported is not None and child.suffix.lower() not in supported:
                continue
            if not skipped(child, False):
                found.append(child)
    for child in sorted(found):
        yield Found(child, named=False)
