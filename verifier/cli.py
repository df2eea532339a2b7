"""The ``verifier`` command: arguments, terminals, progress and exit codes.

This is the only module that knows about any of those. It turns options into
``Settings``, calls the same public functions a Python user would
(``pipeline.check``, ``pipeline.parse``, ``report.render``) and turns the
result into output and an exit status:

- ``0`` no finding at or above ``--fail-on``;
- ``1`` findings at or above ``--fail-on``;
- ``2`` a usage or configuration error, or an input that could not be read at
  all (the report of the other inputs is still printed).

No traceback reaches a user: errors verifier raises on purpose print one
``verifier: error: …`` line; anything else prints one line asking for a bug
report (``VERIFIER_DEBUG=1`` re-raises it instead).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import dataclasses
import datetime as dt
import gc
import json
import os
import sys
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from verifier import __version__, config
from verifier.errors import UsageError, VerifierError
from verifier.model import Report, Severity

if TYPE_CHECKING:
    from verifier.rules.catalog import Rule

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2

REGISTRIES = ("crossref", "openalex")

_EPILOG = """\
exit status:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage or configuration error, or an input that could not be read at all
"""


# ---------------------------------------------------------------- entry point


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (the console script exits with it)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error argparse already printed
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    command: Callable[[argparse.Namespace], int] = args.command
    # Link-checking helper processes are the program's own (``net.checkers``): a caller running main([...])
    # inside its own process (a test, an application) keeps the network stage in that process.
    args.helpers = argv is None
    if argv is None:
        # httpx imports its own command line (click, pygments, rich's syntax highlighting: 40 ms) whenever
        # click is installed; the program never runs it. (None in sys.modules: that import fails, and httpx
        # falls back to its stub, as where click is absent.)
        sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    try:
        return command(args)
    except VerifierError as exc:
        print(f"verifier: error: {_printable(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("verifier: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of stdout went away (`verifier rules | head -3`). Point stdout
        # at devnull so the interpreter's final flush does not fail a second time.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 141  # what a shell reports for a process ended by SIGPIPE
    except Exception as exc:
        if os.environ.get("VERIFIER_DEBUG"):
            raise
        detail = f"{type(exc).__name__}: {_printable(str(exc))}" if str(exc) else type(exc).__name__
        print(
            f"verifier: internal error: {detail} (this is a bug, please report this; "
            "set VERIFIER_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        return EXIT_ERROR


def run() -> NoReturn:
    """The console script (and ``python -m verifier``): :func:`main`, then exit at once.

    The interpreter's own exit tears down every object and module one by one (about 35 ms after a run of
    2,000 links: a twentieth of lychee's whole run) to free memory the operating system reclaims anyway.
    Nothing is lost by skipping it: the exit handlers run first (logging's flush, multiprocessing's), then
    the standard streams are flushed; with a thread still running, the interpreter's exit waits for it as
    usual.
    """
    code = main()
    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # the reader is gone: what the interpreter's exit would report
            code = code or 120
    os._exit(code)


# ---------------------------------------------------------------- arguments


class _Parser(argparse.ArgumentParser):
    """argparse with a "did you mean" for an unknown option (the subcommands' parsers are of this class too)."""

    known_options: Sequence[str] = ()

    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments:"):
            for word in message.split(":", 1)[1].split():
                if word.startswith("--"):
                    message += config.did_you_mean(word.split("=")[0], self.known_options)
                    break
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="verifier",
        description="Find, parse and verify every citation of a document.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"verifier {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    check = commands.add_parser(
        "check",
        usage="verifier check [options] PATH...",
        help="parse, check links and archives, run all rules, report",
        description="Parse the documents, check their links and archives, run the rules and report.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.set_defaults(command=cmd_check)
    check.add_argument("paths", nargs="+", metavar="PATH",
                       help="a document, a folder of documents, a glob ('docs/*.md'), or - for standard input")
    check.add_argument("--show-settings", action="store_true",
                       help="print the resolved settings and where each came from, then exit")
    add_settings_options(check, "check")

    parse = commands.add_parser(
        "parse",
        usage="verifier parse [options] PATH...\n       verifier parse --lines FILE",
        help="print the structured citations (JSON), no network",
        description="Print the structured citations of the documents as a JSON report (no network, no rules). "
        "With --lines, each non-empty line of FILE is one citation.",
    )
    parse.set_defaults(command=cmd_parse)
    parse.add_argument("paths", nargs="*", metavar="PATH", help="a document, or a folder of documents")
    parse.add_argument(
        "--lines",
        metavar="FILE",
        help="parse each non-empty line of FILE (- for standard input) as one citation; print a JSON array",
    )
    add_settings_options(parse, "parse")

    export = commands.add_parser(
        "export",
        usage="verifier export PATH... [--bibtex OUT.bib|-] [--csl-json OUT.json|-] [options]",
        help="write the sources as BibTeX or CSL-JSON",
        description="Write the sources cited in the documents, one entry per work, as BibTeX and/or CSL-JSON "
        "(- for standard output). No network unless --check-links.",
    )
    export.set_defaults(command=cmd_export)
    export.add_argument("paths", nargs="+", metavar="PATH", help="a document, or a folder of documents")
    _add_export_options(export)
    add_settings_options(export, "export")

    archive = commands.add_parser(
        "archive",
        usage="verifier archive [options] PATH...",
        help="submit live cited URLs no archive holds to the Wayback Machine's Save Page Now",
        description="Check the documents' URLs, then submit each live URL that no archive holds to the Wayback "
        "Machine's Save Page Now, wait for the captures and print them. Needs IA_ACCESS_KEY and IA_SECRET_KEY "
        "in the environment (https://archive.org/account/s3.php) unless --dry-run. `check` never writes to an "
        "archive; this command is the opt-in.",
        epilog="exit status:\n  0  every submitted URL was captured (or nothing needed it)\n"
        "  1  some URL could not be captured\n  2  usage error, missing keys, or an unreadable input\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    archive.set_defaults(command=cmd_archive)
    archive.add_argument("paths", nargs="+", metavar="PATH", help="a document, or a folder of documents")
    _add_archive_options(archive)
    add_settings_options(archive, "archive")

    baseline = commands.add_parser(
        "baseline",
        usage="verifier baseline [options] PATH... -o FILE",
        help="record today's findings, so that check --baseline FILE reports only new ones",
        description="Run the same checks as 'check' and record every finding in FILE. A later "
        "'verifier check --baseline FILE' reports only findings not recorded there; entries hold no line "
        "numbers, so edits elsewhere in a document do not bring them back.",
    )
    baseline.set_defaults(command=cmd_baseline)
    baseline.add_argument("paths", nargs="+", metavar="PATH", help="a document, or a folder of documents")
    baseline.add_argument(
        "-o", "--output", dest="baseline_file", metavar="FILE", required=True, help="the baseline file to write"
    )
    add_settings_options(baseline, "baseline")

    rules = commands.add_parser(
        "rules",
        help="list every rule: code, name, default severity, one line",
        description="List every rule, or print the documentation of one (by code or name).",
    )
    rules.set_defaults(command=cmd_rules)
    rules.add_argument("code", nargs="?", metavar="CODE", help="a rule code (L001) or name (link-dead)")
    parser.known_options = sorted({o for sub in commands.choices.values() for o in sub._option_string_actions})
    rules.add_argument("--markdown", action="store_true", help="print every rule's documentation as Markdown "
                       "(docs/rules.md is this output)")
    return parser


_KINDS: dict[str, dict[str, Any]] = {
    "flag": {"action": "store_true"},
    "switch": {"action": argparse.BooleanOptionalAction},
    "seconds": {"type": lambda text: _positive_float(text), "metavar": "SECONDS"},
    "count": {"type": lambda text: _positive_int(text), "metavar": "N"},
    "url": {"type": lambda text: _http_url(text), "metavar": "URL"},
    "registries": {"type": lambda text: _registries(text)},
    "list": {"action": "append"},
}
"""How each ``kind`` of ``config.option`` reads on the command line."""


def add_settings_options(parser: argparse.ArgumentParser, command: str) -> None:
    """The options of ``command``, built from the ``Settings`` fields' metadata (``config.option``): each
    ``dest`` is the field, each default ``None``, so only the options actually given override the config."""
    from dataclasses import fields

    groups: dict[str, Any] = {}
    for f in fields(config.Settings):
        meta = f.metadata
        if not meta or command not in meta["commands"].split():
            continue
        group = groups.get(meta["group"]) or groups.setdefault(meta["group"], parser.add_argument_group(meta["group"]))
        if f.name in ("cache", "no_cache"):  # one or the other
            group = groups.get("cache") or groups.setdefault("cache", group.add_mutually_exclusive_group())
        spec: dict[str, Any] = {"dest": f.name, "default": None, "help": meta["help"], **_KINDS.get(meta["kind"], {})}
        if meta["kind"] == "readers":
            spec["choices"] = _input_formats()
        elif meta["choices"]:
            spec["choices"] = meta["choices"]
        if meta["metavar"]:
            spec["metavar"] = meta["metavar"]
        group.add_argument("--" + f.name.replace("_", "-"), **spec)
        if f.name == "input_format":
            group.add_argument("--config", metavar="FILE", help="read settings from FILE instead of the nearest config")


BIBTEX_STYLES = ("biblatex", "bibtex")
"""``export.STYLES``, written here: importing ``verifier.export`` loads its records (17 ms of every start-up)."""


def _add_export_options(export: argparse.ArgumentParser) -> None:
    out = export.add_argument_group("output")
    out.add_argument("--bibtex", metavar="OUT.bib", help="write the sources as BibTeX to OUT.bib (- for stdout)")
    out.add_argument("--csl-json", metavar="OUT.json", help="write the sources as CSL-JSON to OUT.json (- for stdout)")
    out.add_argument("--ascii", action="store_true", help="BibTeX in ASCII, with LaTeX escapes ({\\\"u}) for accents")
    out.add_argument(
        "--bibtex-style",
        choices=BIBTEX_STYLES,
        default="biblatex",
        help="entry types for web and news sources: @online with url/urldate (biblatex, the default) or "
        "@misc with howpublished={\\url{...}} (classic bibtex styles)",
    )
    export.add_argument(
        "--check-links",
        action="store_true",
        help="check every cited URL and look up archived copies (network); dead URLs and archive snapshots "
        "go into the export (the network options below apply only with it, or with --registry)",
    )


SAVE_API = "https://web.archive.org/save"
POLL_INTERVAL, MAX_POLLS, JOB_TIMEOUT = 5.0, 40, 300.0


def _add_archive_options(archive: argparse.ArgumentParser) -> None:
    # The defaults are savepagenow.DEFAULT_SAVE_API and savepagenow.Polling's, written out so that building
    # the parser does not load the HTTP stack (tests/test_cli.py checks they agree).
    spn = archive.add_argument_group("Save Page Now")
    spn.add_argument("--dry-run", action="store_true", help="list the URLs that would be submitted; submit nothing")
    spn.add_argument("--save-api", type=_http_url, metavar="URL", default=SAVE_API,
                     help=f"Save Page Now endpoint (default: {SAVE_API})")
    spn.add_argument("--poll-interval", type=_positive_float, metavar="SECONDS", default=POLL_INTERVAL,
                     help=f"seconds between polls of a capture job (default: {POLL_INTERVAL:g})")
    spn.add_argument("--max-polls", type=_positive_int, metavar="N", default=MAX_POLLS,
                     help=f"polls of one job before giving up on it (default: {MAX_POLLS})")
    spn.add_argument("--job-timeout", type=_positive_float, metavar="SECONDS", default=JOB_TIMEOUT,
                     help=f"seconds to wait for one capture in all (default: {JOB_TIMEOUT:g})")


def _input_formats() -> list[str]:
    """The formats there is a reader for: the reader registry is the one list."""
    from verifier.readers import READERS

    return sorted(READERS)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1 (got '{text}')")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds (got '{text}')")
    return value


def _http_url(text: str) -> str:
    if not text.startswith(("http://", "https://")) or len(text) <= len("https://"):
        raise argparse.ArgumentTypeError(f"must be an http:// or https:// URL (got '{text}')")
    return text


def _registries(text: str) -> tuple[str, ...]:
    names = tuple(n.strip().lower() for n in text.split(",") if n.strip())
    unknown = [n for n in names if n not in REGISTRIES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"choose from {','.join(REGISTRIES)} (got '{text}')")
    return names


def settings_from(args: argparse.Namespace, origins: dict[str, str] | None = None) -> config.Settings:
    """Config file (``--config`` or the nearest one), then the options given, then today's date."""
    with warnings.catch_warnings(record=True) as caught:  # a deprecated spelling: say so, then go on
        warnings.simplefilter("always", DeprecationWarning)
        settings = _resolve(args, origins)
    for warning in caught:
        print(f"verifier: warning: {warning.message}", file=sys.stderr)
    return settings


def _resolve(args: argparse.Namespace, origins: dict[str, str] | None) -> config.Settings:
    settings = config.load(Path(args.config) if getattr(args, "config", None) else None, origins=origins)
    overrides: dict[str, Any] = {f.name: getattr(args, f.name, None) for f in dataclasses.fields(config.Settings)}
    for name in ("select", "ignore"):
        given = getattr(args, name, None)
        if given is not None:  # repeatable: --select M --select I001 is --select M,I001
            overrides[name] = ",".join(given)
    if origins is not None:
        origins.update({name: "command line" for name, value in overrides.items() if value is not None})
    if getattr(args, "cache", None) is not None:
        overrides.update(cache=args.cache, no_cache=False)
    if getattr(args, "no_cache", None):
        overrides["no_cache"] = True
    # The core never reads a clock; "today" for date checks (F003) is decided here.
    overrides["today"] = dt.date.today()
    resolved = settings.with_overrides(overrides)
    if origins is not None and resolved.exclude_url != settings.exclude_url and "exclude_url" not in origins:
        origins["exclude_url"] = "command line (--exclude)"
    return resolved


# ---------------------------------------------------------------- commands


def cmd_check(args: argparse.Namespace) -> int:
    origins: dict[str, str] = {}
    settings = settings_from(args, origins)
    if args.show_settings:
        _emit(show_settings(settings, origins))
        return EXIT_OK
    with _no_collector():  # the imports make thousands of objects and no cycle (measured: 9 ms of them)
        helpers = getattr(args, "helpers", False) and _start_helpers(settings)  # (they inherit it off)
        from verifier import pipeline, report  # noqa: F401
    try:
        return _check(args, settings, helpers=bool(helpers))
    finally:
        if helpers:
            from verifier.net import checkers

            checkers.stop()


@contextlib.contextmanager
def _no_collector() -> Iterator[None]:
    """The cyclic garbage collector paused (as ``pipeline._bulk_allocation`` pauses it for the pure stages)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _start_helpers(settings: config.Settings) -> bool:
    """Fork the link checks' helper processes now, before the pipeline is imported (``net.checkers``): they
    load the network stack on another core while this process reads and parses. One fewer than the
    processes ``--jobs`` allows (default: the cores), since this one is the other: none with one core or
    --jobs 1, none offline or with --scheduler (the cluster checks the links)."""
    if settings.offline or settings.scheduler:
        return False
    try:
        processes = settings.jobs or len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        processes = os.cpu_count() or 1
    if processes < 2:
        return False
    from verifier.net import checkers

    return checkers.start(processes - 1) is not None


def _check(args: argparse.Namespace, settings: config.Settings, *, helpers: bool = False) -> int:
    from verifier import pipeline, report

    if settings.select or settings.ignore:  # unknown codes: UsageError before any work
        from verifier.rules import select_rules  # (the catalog: every rule family imported, 17 ms)

        select_rules(settings.select, settings.ignore)
    # Refuse a report nobody can write before a long run, not after it.
    report.check_format(settings.format)
    pipeline.per_file_ignores(settings)  # unknown codes there too
    outputs = [report.output_path(value) for value in settings.output]
    for value, path in zip(settings.output, outputs, strict=True):
        try:
            report.check_format(report.format_for_path(path))
        except UsageError as exc:
            raise UsageError(f"--output {value}: {exc}") from None

    result = _checked(args.paths, settings)
    if helpers:  # the links are checked: the helper processes exit while the report is rendered
        from verifier.net import checkers

        checkers.hang_up()

    root = os.getcwd()
    options = {"fail_on": settings.fail_on, "root": root, "junit_dialect": settings.junit_dialect}
    color = _wants_color(sys.stdout, settings.color)
    plain: dict[str, str] = {}
    if settings.statistics:
        rendered = statistics(result, settings.format)
    else:
        rendered = report.render(result, settings.format, color=color, quiet=settings.quiet, **options)
        # Rendered once: an --output of the format printed (and not coloured, not cut by --quiet) reuses the text.
        if settings.format != "text" or not (color or settings.quiet):
            plain = {settings.format: rendered}
    if settings.format != "text" and not settings.statistics:
        # (the text report escapes its own: its colours are wanted escape codes)
        from verifier.report.common import printable_block

        rendered = printable_block(rendered, markup=settings.format in ("markdown", "html", "junit"))
    if rendered:
        _emit(rendered)
    for path in outputs:
        try:
            done = plain.get(report.format_for_path(path))
            if done is None:
                report.write(result, path, **options)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                report.write_atomically(path, done + "\n")
        except OSError as exc:
            raise UsageError(f"cannot write report to '{path}': {exc.strerror or exc}") from None
        if not settings.quiet:
            print(f"verifier: wrote {report.format_for_path(path)} report to {path}", file=sys.stderr)
    if os.environ.get("GITHUB_ACTIONS") == "true" and result.findings:
        _annotate(result, machine_stdout=settings.format != "text")
    if settings.exit_zero and not result.unreadable:
        return EXIT_OK
    return exit_status(result, settings.fail_on)


def statistics(result: Report, fmt: str = "text") -> str:
    """``--statistics``: one line per rule code, most frequent first: count, code, name (as ruff prints it);
    with ``--format json``, a JSON array of ``{"code", "name", "severity", "count"}`` in the same order."""
    from collections import Counter

    counts = Counter((f.code, f.rule, f.severity.value) for f in result.findings)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if fmt == "json":
        return json.dumps([{"code": c, "name": name, "severity": sev, "count": n} for (c, name, sev), n in ordered],
                          indent=2)
    if not counts:
        return ""
    width = len(str(max(counts.values())))
    return "\n".join(f"{n:>{width}}  {code}  {name}" for (code, name, _), n in ordered)


def show_settings(settings: config.Settings, origins: dict[str, str]) -> str:
    """``--show-settings``: every setting as TOML, each with where it came from (default, a file, the command line)."""
    lines = ["# resolved settings of `verifier check` ([tool.verifier] keys)"]
    for f in dataclasses.fields(settings):
        value = getattr(settings, f.name)
        origin = origins.get(f.name, "default")
        if f.name == "today":
            origin = "the clock"
        key = f.name.replace("_", "-")
        lines.append(f"# {key} is not set  ({origin})" if value is None else f"{key} = {_toml(value)}  # {origin}")
    return "\n".join(lines)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def _annotate(result: Report, *, machine_stdout: bool) -> None:
    """GitHub Actions annotations (workflow commands), one per finding. The runner reads them from
    stdout and stderr alike; they go to stderr when stdout carries a JSON, SARIF, ... report."""
    from verifier.report import github

    stream = sys.stderr if machine_stdout else sys.stdout
    stream.write(github.render(result) + "\n")
    stream.flush()


def cmd_baseline(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from verifier import baseline, pipeline, report
    from verifier.rules import select_rules

    # The baseline records everything a check with these options finds: an older baseline filters nothing.
    settings = replace(settings_from(args), baseline=None, output=())
    select_rules(settings.select, settings.ignore)
    pipeline.per_file_ignores(settings)
    result = _checked(args.paths, settings)
    target = Path(args.baseline_file)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        report.write_atomically(target, baseline.dump(result) + "\n")
    except OSError as exc:
        raise UsageError(f"cannot write baseline to '{target}': {exc.strerror or exc}") from None
    n = len(result.findings)
    print(f"verifier: recorded {n} finding{'' if n == 1 else 's'} in {target}", file=sys.stderr)
    if result.unreadable:
        print("verifier: error: some inputs could not be read; their findings are not in the baseline",
              file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


class _Bars:
    """Transient rich progress bars on stderr: one for the links, one for the registry look-ups.

    Each bar appears when its stage starts; the registry stage runs in a thread of its own, and rich's
    Progress takes its own lock on every update.
    """

    def __init__(self, bar: Any) -> None:
        self._bar = bar
        self._tasks: dict[str, Any] = {}

    def _update(self, label: str, done: int, total: int) -> None:
        task = self._tasks.get(label)
        if task is None:
            task = self._tasks[label] = self._bar.add_task(label, total=total)
        self._bar.update(task, completed=done, total=total)

    def links(self, done: int, total: int) -> None:
        self._update("checking links", done, total)

    def registries(self, done: int, total: int) -> None:
        self._update("asking registries", done, total)


@contextlib.contextmanager
def _progress_bars() -> Iterator[_Bars | None]:
    """The progress bars, only when stderr is a terminal."""
    if not _is_terminal(sys.stderr):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        yield _Bars(bar)


def _checked(paths: Sequence[str], settings: Any, *, links: bool = True, submit: Any = None) -> Report:
    """``pipeline.check`` with progress bars on a terminal (unless ``--no-progress``)."""
    from verifier import pipeline

    with contextlib.nullcontext() if settings.no_progress else _progress_bars() as bars:
        return pipeline.check(paths, settings, progress=bars.links if bars else None,
                              registry_progress=bars.registries if bars else None, links=links, submit=submit)


def exit_status(result: Report, fail_on: str) -> int:
    """2 when an input could not be read; else 1 when a finding is at or above ``fail_on``; else 0."""
    if result.unreadable:
        return EXIT_ERROR
    if fail_on == "never":
        return EXIT_OK
    threshold = Severity(fail_on).rank
    return EXIT_FINDINGS if any(f.severity.rank >= threshold for f in result.findings) else EXIT_OK


def cmd_parse(args: argparse.Namespace) -> int:
    from verifier import pipeline
    from verifier.report import json as json_report

    if args.lines is not None:
        if args.paths:
            raise UsageError("parse takes either PATH... or --lines FILE, not both")
        items = pipeline.parse_lines(_read_lines(args.lines))
        _emit(json.dumps(items, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not args.paths:
        raise UsageError("parse needs PATH... or --lines FILE")
    settings = settings_from(args).with_overrides({"offline": True})
    result = pipeline.parse(args.paths, settings)
    _emit(json_report.render(result))
    return EXIT_ERROR if result.unreadable else EXIT_OK


def _read_lines(source: str) -> list[str]:
    """The lines of FILE, or of standard input for ``-``, as UTF-8 without line endings."""
    try:
        if source == "-":
            stdin = sys.stdin
            buffer = getattr(stdin, "buffer", None)
            text = buffer.read().decode("utf-8-sig") if buffer is not None else stdin.read()
        else:
            text = Path(source).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"--lines {source}: not UTF-8 text") from None
    except OSError as exc:
        raise UsageError(f"--lines {source}: cannot read: {exc.strerror or exc}") from None
    return text.splitlines()


def cmd_export(args: argparse.Namespace) -> int:
    """``verifier export``: the report's sources as BibTeX and/or CSL-JSON; exit 2 if an input was unreadable."""
    from verifier import pipeline, report
    from verifier.export import to_bibtex, to_csl_json

    targets = [t for t in (args.bibtex, args.csl_json) if t is not None]
    if not targets:
        raise UsageError("export needs --bibtex OUT.bib or --csl-json OUT.json (- for standard output)")
    if targets.count("-") > 1:
        raise UsageError("only one of --bibtex and --csl-json can write to standard output")
    settings = settings_from(args)
    asks_registries = bool(args.registry)  # given here: a configured registry alone does not make export go online
    settings = settings.with_overrides({"offline": not (args.check_links or asks_registries)})
    if args.check_links or asks_registries:
        result = _checked(args.paths, settings, links=args.check_links)
    else:
        result = pipeline.check(args.paths, settings)
    for unreadable in result.unreadable:
        reason = next((f.message for f in result.findings if f.code == "P002" and f.document == unreadable), "")
        print(f"verifier: error: {_printable(reason or f'cannot read {unreadable}')}", file=sys.stderr)
    outputs = []
    if args.bibtex is not None:
        outputs.append((args.bibtex, to_bibtex(result, style=args.bibtex_style, ascii_only=args.ascii)))
    if args.csl_json is not None:
        outputs.append((args.csl_json, to_csl_json(result)))
    for target, text in outputs:
        if target == "-":
            sys.stdout.write(text)
            sys.stdout.flush()
            continue
        try:
            report.write_atomically(Path(target), text)
        except OSError as exc:
            raise UsageError(f"cannot write '{target}': {exc.strerror or exc}") from None
    return EXIT_ERROR if result.unreadable else EXIT_OK


def cmd_archive(args: argparse.Namespace) -> int:
    """``verifier archive``: check the links and submit the live URLs no archive holds to Save Page Now (each
    as soon as the check knows it, in the same network stage)."""
    from verifier import pipeline
    from verifier.model import LinkStatus
    from verifier.net import archives, savepagenow

    settings = settings_from(args).with_overrides({"offline": False, "no_archive": False})
    submitter = None
    if not args.dry_run:  # refuse before any work
        credentials = savepagenow.Credentials.from_env(os.environ)
        polling = savepagenow.Polling(args.poll_interval, args.max_polls, args.job_timeout)
        submitter = savepagenow.Submitter(savepagenow.Submission(credentials, args.save_api, polling), settings)
    result = _checked(args.paths, settings, submit=submitter)
    for unreadable in result.unreadable:
        print(f"verifier: error: cannot read {_printable(unreadable)}", file=sys.stderr)
    live = [link for link in result.links if link.status in (LinkStatus.ALIVE, LinkStatus.REDIRECTED)]
    todo = [link.url for link in live
            if savepagenow.to_submit(link.status, link.archive, link.archive_checked, link.archive_error)]
    submitted = set(todo)
    unknown = [link for link in live if link.archive is None and link.url not in submitted]
    lines = [f"unknown   {link.url}  not submitted: {link.archive_error or 'not looked up'}" for link in unknown]
    summary = (f"{len(live)} live URL{'s' if len(live) != 1 else ''}: {len(live) - len(todo) - len(unknown)} "
               f"already archived, {len(todo)} without a copy")
    if args.dry_run or not todo:
        lines += [f"{'would submit' if args.dry_run else 'submit'}  {url}" for url in todo]
        _emit("\n".join([*map(_printable, lines), summary + (" (dry run: nothing submitted)" if args.dry_run else "")]))
        return EXIT_ERROR if result.unreadable else (EXIT_FINDINGS if unknown and not args.dry_run else EXIT_OK)
    assert submitter is not None
    saved = [submitter.saved.get(url) or savepagenow.Saved(url, error="not submitted") for url in todo]
    for item in saved:
        if item.capture is not None:
            lines.append(f"captured  {item.url}  {item.capture.url}")
        else:
            lines.append(f"failed    {item.url}  {item.error}")
    captured = {item.url: item.capture for item in saved if item.capture is not None}
    urls_of = {c.id: pipeline.citation_urls(c) for c in result.citations}
    warning = archives.remember(captured, pipeline.url_dates(result.citations, urls_of), settings)
    if warning:
        print(f"verifier: warning: {_printable(warning)}", file=sys.stderr)
    tally = f"{summary}; {len(captured)} captured, {len(saved) - len(captured)} failed"
    _emit("\n".join([*map(_printable, lines), tally]))
    if result.unreadable:
        return EXIT_ERROR
    return EXIT_OK if len(captured) == len(saved) and not unknown else EXIT_FINDINGS


def cmd_rules(args: argparse.Namespace) -> int:
    from verifier.rules import RULES, catalog

    if args.markdown:
        sys.stdout.write(catalog.markdown())
        return EXIT_OK
    if args.code is None:
        _print_rule_list(list(RULES.values()))
        return EXIT_OK
    wanted = args.code.strip()
    rule: Rule | None = RULES.get(wanted.upper()) or next((r for r in RULES.values() if r.name == wanted.lower()), None)
    if rule is None:
        raise UsageError(f"unknown rule '{args.code}' (run 'verifier rules' for the list)")
    lines = [f"{rule.code} {rule.name} ({rule.severity.value})", "", rule.summary]
    if rule.doc.strip():
        lines += ["", rule.doc.strip("\n")]
    if not rule.offline:
        lines += ["", "Needs the network: not run with --offline."]
    _emit("\n".join(lines))
    return EXIT_OK


def _print_rule_list(rules: list[Rule]) -> None:
    if _is_terminal(sys.stdout):
        from rich.console import Console
        from rich.table import Table

        table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
        for column in ("Code", "Name", "Severity", "Fires when"):
            table.add_column(column, no_wrap=column != "Fires when")
        for rule in rules:
            table.add_row(rule.code, rule.name, rule.severity.value, rule.summary)
        Console(file=sys.stdout, no_color=not _wants_color(sys.stdout), highlight=False).print(table)
        return
    width = max(len(r.name) for r in rules)
    _emit("\n".join(f"{r.code}  {r.name:<{width}}  {r.severity.value:<7}  {r.summary}" for r in rules))


# ---------------------------------------------------------------- terminal manners


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _wants_color(stream: TextIO, choice: str = "auto") -> bool:
    """``--color always|never``; ``auto``: colour only on a terminal, and never when NO_COLOR is set
    (https://no-color.org)."""
    if choice != "auto":
        return choice == "always"
    return _is_terminal(stream) and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def _printable(text: str) -> str:
    """One line of document text, a URL or a file name with its control characters shown as escapes."""
    from verifier.report.common import printable

    return printable(text)


def _emit(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
