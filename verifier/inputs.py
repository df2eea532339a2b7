"""Reading input files: the I/O half of reading (the readers themselves are pure).

* Only **regular files** are opened — for command-line arguments too. A FIFO, a socket or a device such
  as ``/dev/zero`` (reached through a symlink a shell glob matched, say) is refused before it is opened,
  so it can never hang a run or fill the memory.
* The files a document **names** (its bibliographies, its ``\\input`` parts) are read only inside the
  document's folder or the project root: ``--root DIR``, by default the repository root above the
  current folder (the nearest folder with a ``.git``), else the current folder. A name outside is a P002
  that does not say whether the file exists there. ``--allow-outside-root`` opts out. A bibliography given
  with ``--bibliography FILE`` was chosen by the user and may be anywhere.
* Each named file is read **once** per run and parsed once (:class:`Loader` keeps what it read), then
  attached by ``verifier.readers.project``.
* A document that cites by key and names no bibliography is answered by ``--bibliography FILE``, else by
  one found beside it: the ``bibliography`` named in a ``_quarto.yml``, ``_bookdown.yml`` or
  ``metadata.yaml`` of its folder (or a folder above it, inside the root), else the only ``.bib`` file of
  its folder.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path, PurePosixPath

from verifier import readers
from verifier.config import Settings
from verifier.errors import InputError
from verifier.model import Document, Include, Location
from verifier.readers import csl, project

MAX_INPUT_BYTES = 200 * 1024 * 1024
"""Largest input file read."""
MAX_NAMED_BYTES = 50 * 2**20
"""Largest file a document may name (a bibliography, a part)."""
MAX_PROJECT_FILE_BYTES = 2**20
"""Largest ``_quarto.yml`` / ``_bookdown.yml`` / ``metadata.yaml`` looked into for a bibliography."""
PROJECT_FILES = ("_quarto.yml", "_quarto.yaml", "_bookdown.yml", "metadata.yaml", "metadata.yml")
"""Files that name the bibliography of a Quarto, bookdown or pandoc project."""
KEYED_FORMATS = frozenset({"latex", "markdown"})
"""Formats whose documents name their bibliography (and so can lack one)."""
_BIB_SUFFIXES = {".json": "csl", ".yaml": "csl", ".yml": "csl"}


def read_bytes(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file; ``InputError`` (with a reason for a message) for anything else."""
    try:
        info = os.stat(path)  # follows a symlink: what counts is what it points to
    except FileNotFoundError as exc:
        raise InputError(str(path), "no such file") from exc
    except OSError as exc:
        raise InputError(str(path), exc.strerror or str(exc)) from exc
    if stat.S_ISDIR(info.st_mode):
        raise InputError(str(path), "is a directory")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(str(path), "not a regular file (a device, FIFO or socket is never read)")
    if info.st_size > limit:
        raise InputError(str(path), f"larger than {limit // 2**20} MiB")
    try:
        with open(path, "rb") as fh:
            return fh.read(limit + 1)[: limit + 1]
    except OSError as exc:
        raise InputError(str(path), exc.strerror or str(exc)) from exc


def project_root(settings: Settings, cwd: Path | None = None) -> Path:
    """``--root``, else the nearest folder above ``cwd`` holding a ``.git``, else ``cwd``."""
    if settings.root:
        return Path(settings.root).resolve()
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


class Loader:
    """Loads the files documents name, each once, inside the root (``project.Load``)."""

    def __init__(self, settings: Settings, root: Path) -> None:
        self.root = root
        self.allow_outside = settings.allow_outside_root
        self.chosen = {Path(settings.bibliography).resolve()} if settings.bibliography else set()
        self.read: dict[Path, tuple[str, Document] | str] = {}
        self.main = Path(".")

    def for_main(self, main: Document) -> Loader:
        """Names resolve against ``main``'s folder (LaTeX reads a part's ``\\input`` from there too)."""
        self.main = Path(main.path).parent
        return self

    def allowed(self, path: Path) -> bool:
        resolved = path.resolve()
        return (self.allow_outside or resolved in self.chosen or _inside(resolved, self.root)
                or _inside(resolved, self.main.resolve()))

    def __call__(self, owner: Document, request: Include) -> project.Loaded:
        name = request.name
        folders = dict.fromkeys([self.main, Path(owner.path).parent])
        candidates = [folder / name for folder in folders]
        inside = [c for c in candidates if self.allowed(c)]
        if not inside:
            # the same words whether or not the file is there: a report must not tell what is on the runner
            return "it is outside the project root and was not read"
        path = next((c for c in inside if c.exists()), inside[0])
        key = path.resolve()
        if key not in self.read:
            self.read[key] = self._read(path, request)
        return self.read[key]

    def _read(self, path: Path, request: Include) -> project.Loaded:
        suffix = path.suffix.lower()
        if request.role == "bibliography":
            fmt = _BIB_SUFFIXES.get(suffix, "bibtex")
        else:
            fmt = readers.format_for(path) or "latex"
        try:
            data = read_bytes(path, MAX_NAMED_BYTES)
            doc = csl.read(data, str(path)) if fmt == "csl" else readers.read(data, str(path), fmt)
        except InputError as exc:
            return "it does not exist" if exc.reason == "no such file" else exc.reason
        except Exception as exc:  # one hostile file must not abort the run: it becomes the P002 of its include
            return readers.failure(fmt, exc)
        return str(path), doc


def discovered_bibliographies(doc: Document, settings: Settings, root: Path) -> list[Include]:
    """The bibliography that answers a document naming none: ``--bibliography``, a project file's, or the
    only ``.bib`` beside it (absolute names; see the module docstring)."""
    where = Location(1)
    if settings.bibliography:
        return [Include(str(Path(settings.bibliography).resolve()), "bibliography", where)]
    folder = Path(doc.path).parent
    for config in _project_files(folder, root):
        names = _named_in(config)
        if names:
            return [Include(str((config.parent / n).resolve()), "bibliography", where) for n in names]
    try:
        bibs = sorted(p for p in folder.glob("*.bib") if p.is_file())
    except OSError:
        return []
    return [Include(str(bibs[0].resolve()), "bibliography", where)] if len(bibs) == 1 else []


def _project_files(folder: Path, root: Path) -> Iterator[Path]:
    resolved = folder.resolve()
    for here in (resolved, *resolved.parents):
        for name in PROJECT_FILES:
            if (here / name).is_file():
                yield here / name
        if here == root or not _inside(here, root):
            return


def _named_in(config: Path) -> list[str]:
    """The bibliography files a project file names (``bibliography:`` at its top or under a format)."""
    import yaml  # type: ignore[import-untyped]  # loaded only when a project file is read (15 ms at start-up)

    try:
        meta = yaml.safe_load(read_bytes(config, MAX_PROJECT_FILE_BYTES).decode("utf-8", "replace"))
    except (InputError, yaml.YAMLError, RecursionError):
        return []
    if not isinstance(meta, dict):
        return []
    found = meta.get("bibliography")
    if found is None:  # quarto: format: {html: {bibliography: …}}, bookdown: output settings
        for value in meta.values():
            if isinstance(value, dict):
                for inner in value.values():
                    if isinstance(inner, dict) and inner.get("bibliography"):
                        found = inner["bibliography"]
                        break
    names = [found] if isinstance(found, str) else found if isinstance(found, list) else []
    return [n for n in names if isinstance(n, str) and n.strip() and PurePosixPath(n).suffix]


def read_project(docs: list[Document], settings: Settings, cwd: Path | None = None) -> list[Document]:
    """The documents read from the inputs with the files they name attached (see the module docstring).

    A document that another input pulls in as a part is reported as that part (its keys checked against
    the main file's bibliography), not as a document of its own; each file appears once.
    """
    root = project_root(settings, cwd)
    loader = Loader(settings, root)
    for doc in docs:  # the inputs are read already: a main file naming one of them gets that reading
        loader.read.setdefault(Path(doc.path).resolve(), (doc.path, doc))
    done: dict[Path, project.Completed] = {}
    for doc in docs:
        if doc.format in KEYED_FORMATS:
            done[Path(doc.path).resolve()] = _complete(doc, loader.for_main(doc), settings, root)
    parts = {Path(p.path).resolve() for c in done.values() for p in c.parts}
    covered = {Path(p.path).resolve() for k, c in done.items() if k not in parts for p in c.parts}
    out: list[Document] = []
    emitted: set[Path] = set()

    def emit(doc: Document) -> None:
        key = Path(doc.path).resolve()
        if key not in emitted:
            emitted.add(key)
            out.append(doc)

    for doc in docs:
        key = Path(doc.path).resolve()
        if key in covered:
            continue  # a part: reported with (after) the main file that pulls it in
        completed = done.get(key)
        if completed is None:
            emit(doc)
            continue
        emit(project.settle(completed.document, completed.unchecked))
        for part in completed.parts:
            emit(part)
        for bib in completed.bibliographies:
            emit(bib)
    return out


def _complete(doc: Document, loader: Loader, settings: Settings, root: Path) -> project.Completed:
    completed = project.complete(doc, loader)
    main = completed.document
    if main.keys and not main.bibliography and not completed.unchecked:
        fallback = discovered_bibliographies(main, settings, root)
        if fallback:
            more = project.complete(replace(main, requests=tuple(fallback)), loader,
                                    seen={main.path, *(p.path for p in completed.parts)})
            completed.document = project.answer_keys(main, more)
            completed.bibliographies += more.bibliographies
    return completed
