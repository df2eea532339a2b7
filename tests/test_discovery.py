"""File discovery like ruff's: folders skip hidden, vendored and gitignored files; globs; standard input."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.discovery import expand

MD = frozenset({".md", ".txt"})


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    files = [
        "docs/a.md", "docs/sub/b.md", "docs/notes.txt", "docs/image.png",
        "node_modules/pkg/readme.md", "pkg.egg-info/PKG-INFO.md", "build/out.md", ".hidden/c.md", "docs/.d.md",
        "gen/generated.md", "docs/draft.md", "docs/keep/x.md", "docs/keep/y.md", "local.md",
    ]
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("text\n", encoding="utf-8")
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("local.md\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("gen/\ndocs/keep/*\n!docs/keep/y.md\n", encoding="utf-8")
    (tmp_path / "docs" / ".ignore").write_text("draft.md\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def names(found: object) -> list[str]:
    return [f.path.as_posix() for f in found]  # type: ignore[attr-defined]


def test_a_folder_skips_hidden_vendored_and_ignored_files(tree: Path) -> None:
    assert names(expand(["."], supported=MD)) == ["docs/a.md", "docs/keep/y.md", "docs/notes.txt", "docs/sub/b.md"]


def test_no_respect_gitignore_reads_ignored_files_but_still_skips_vendored_ones(tree: Path) -> None:
    assert names(expand(["."], supported=MD, respect_gitignore=False)) == [
        "docs/a.md", "docs/draft.md", "docs/keep/x.md", "docs/keep/y.md", "docs/notes.txt", "docs/sub/b.md",
        "gen/generated.md", "local.md",
    ]


def test_exclude_replaces_the_defaults_and_extend_exclude_adds_to_them(tree: Path) -> None:
    replaced = names(expand(["."], supported=MD, exclude=["docs/sub"]))
    assert "docs/sub/b.md" not in replaced and "node_modules/pkg/readme.md" in replaced
    extended = names(expand(["."], supported=MD, extend_exclude=["*.txt", "docs/sub/"]))
    assert extended == ["docs/a.md", "docs/keep/y.md"]


def test_a_named_file_is_read_even_when_ignored(tree: Path) -> None:
    assert names(expand(["gen/generated.md", "node_modules/pkg/readme.md"], supported=MD)) == [
        "gen/generated.md", "node_modules/pkg/readme.md"]


def test_a_glob_the_shell_did_not_expand_is_expanded(tree: Path) -> None:
    assert names(expand(["docs/*.md"], supported=MD)) == ["docs/a.md", "docs/draft.md"]
    assert names(expand(["docs/**/b.md"], supported=MD)) == ["docs/sub/b.md"]


def test_a_glob_matching_nothing_is_passed_on_to_be_reported(tree: Path) -> None:
    assert names(expand(["nothing/*.md"], supported=MD)) == ["nothing/*.md"]


def test_dash_is_standard_input_named_by_stdin_filename(tree: Path) -> None:
    (found,) = expand(["-"], stdin_filename="chapter.md")
    assert found.stdin and found.path == Path("chapter.md")


def test_a_nested_ignore_file_overrides_a_shallower_one(tree: Path) -> None:
    (tree / "docs" / "sub" / ".gitignore").write_text("!*.md\n", encoding="utf-8")
    (tree / ".gitignore").write_text("*.md\n", encoding="utf-8")
    assert names(expand(["."], supported=MD)) == ["docs/notes.txt", "docs/sub/b.md"]


def test_force_exclude_applies_exclusions_to_named_files_as_pre_commit_names_them(tree: Path) -> None:
    named = ["docs/a.md", "node_modules/pkg/readme.md", "docs/sub/b.md"]
    assert names(expand(named, supported=MD, extend_exclude=["docs/sub/"], force_exclude=True)) == ["docs/a.md"]
    assert names(expand(named, supported=MD, extend_exclude=["docs/sub/"])) == named


def test_files_named_one_by_one_need_no_pattern_matcher(tree: Path) -> None:
    """pathspec is loaded (13 ms of a run's start-up) only where a folder is walked or an exclusion forced."""
    import subprocess
    import sys

    code = ("import sys; from verifier.discovery import expand; from pathlib import Path; "
            "found = list(expand([sys.argv[1]])); print(len(found), 'pathspec' in sys.modules); "
            "list(expand([str(Path(sys.argv[1]).parent)])); print('pathspec' in sys.modules)")
    named = next(p for p in tree.rglob("*") if p.is_file())
    out = subprocess.run([sys.executable, "-c", code, str(named)], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1]).stdout  # (the checkout's verifier)
    assert out.split() == ["1", "False", "True"]
