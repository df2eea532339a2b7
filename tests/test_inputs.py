"""Reading inputs: regular files only, named files only inside the root, bibliographies found beside."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import verifier
from verifier.config import Settings
from verifier.inputs import project_root
from verifier.pipeline import read_documents

BIB = "@book{a, title = {A Book}, publisher = {P}, year = 2000}\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def codes(report) -> list[tuple[str, str, int]]:
    return sorted((f.code, Path(f.document).name, f.location.line if f.location else 0) for f in report.findings)


# ----------------------------------------------------------------------------- the root


def test_the_root_is_the_repository_above_else_the_folder(tmp_path: Path):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "a" / "b").mkdir(parents=True)
    assert project_root(Settings(), tmp_path / "repo" / "a" / "b") == (tmp_path / "repo").resolve()
    assert project_root(Settings(), tmp_path) == tmp_path.resolve()
    assert project_root(Settings(root=str(tmp_path / "repo" / "a")), tmp_path) == (tmp_path / "repo" / "a").resolve()


@pytest.mark.parametrize(
    ("tex", "md"),
    [
        pytest.param("\\input{OUTSIDE/part}", None, id="input-absolute"),
        pytest.param("\\bibliography{OUTSIDE/refs}", None, id="bibliography-absolute"),
        pytest.param("\\addbibresource{../outside/refs.bib}", None, id="addbibresource-relative-up"),
        pytest.param(None, "bibliography: OUTSIDE/refs.bib", id="markdown-front-matter"),
    ],
)
def test_named_files_outside_the_root_are_not_read_and_the_message_does_not_tell_if_they_exist(tmp_path, tex, md):
    outside = tmp_path / "outside"
    write(outside / "refs.bib", "@book{secret, title = {Secret Title}, publisher = {P}, year = 2000}\n")
    write(outside / "part.tex", "Secret \\footnote{Secret note, https://secret.example/x.}\n")
    project = tmp_path / "project"
    messages = []
    for missing in (False, True):
        if tex:
            doc = write(project / "main.tex", "\\documentclass{article}\n\\begin{document}\nText \\cite{secret}.\n"
                        + tex.replace("OUTSIDE", str(outside if not missing else tmp_path / "nowhere")) + "\n"
                        "\\end{document}\n")
        else:
            doc = write(project / "doc.md", "---\n" + md.replace("OUTSIDE", str(outside if not missing else
                        tmp_path / "nowhere")) + "\n---\n\nText [@secret].\n")
        report = verifier.check([doc], offline=True, root=str(project))
        assert "Secret" not in str([c.raw for c in report.citations])
        assert not any("secret.example" in c.raw for c in report.citations)
        p002 = [f for f in report.findings if f.code == "P002"]
        assert len(p002) == 1 and "outside the project root" in p002[0].message
        messages.append(p002[0].message.replace(str(tmp_path / "nowhere"), str(outside)))
        assert [Path(d.path).name for d in report.documents] == [doc.name]
    assert messages[0] == messages[1]  # the same words whether or not the file is there


def test_allow_outside_root_reads_them(tmp_path: Path):
    write(tmp_path / "outside" / "refs.bib", BIB)
    doc = write(tmp_path / "project" / "main.tex",
                f"\\documentclass{{article}}\n\\cite{{a}}\n\\bibliography{{{tmp_path / 'outside' / 'refs'}}}\n")
    report = verifier.check([doc], offline=True, root=str(tmp_path / "project"), allow_outside_root=True)
    assert report.findings == ()


def test_the_documents_own_folder_is_inside_whatever_the_root(tmp_path: Path):
    write(tmp_path / "elsewhere" / "refs.bib", BIB)
    doc = write(tmp_path / "elsewhere" / "main.tex", "\\documentclass{article}\n\\cite{a}\n\\bibliography{refs}\n")
    report = verifier.check([doc], offline=True, root=str(tmp_path / "project"))
    assert report.findings == ()


# ----------------------------------------------------------------------------- regular files only


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_on_the_command_line_is_p002_not_a_hang(tmp_path: Path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    good = write(tmp_path / "good.txt", "A sentence.\n")
    report = verifier.check([fifo, good], offline=True)
    assert [(f.code, Path(f.document).name) for f in report.findings] == [("P002", "pipe.txt")]
    assert "not a regular file" in report.findings[0].message
    assert [Path(d.path).name for d in report.documents] == ["good.txt"]


@pytest.mark.skipif(not Path("/dev/zero").exists() or sys.platform == "win32", reason="no /dev/zero")
def test_a_device_behind_a_symlink_is_p002(tmp_path: Path):
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    report = verifier.check([tmp_path / "zero.txt"], offline=True)
    assert [f.code for f in report.findings] == ["P002"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_an_input_or_bibliography_naming_a_fifo_is_p002(tmp_path: Path):
    os.mkfifo(tmp_path / "part.tex")
    os.mkfifo(tmp_path / "refs.bib")
    doc = write(tmp_path / "main.tex", "\\documentclass{article}\n\\input{part}\n\\cite{a}\n\\bibliography{refs}\n")
    report = verifier.check([doc], offline=True, root=str(tmp_path))
    assert codes(report) == [("P002", "main.tex", 2), ("P002", "main.tex", 4)]
    assert all("not a regular file" in f.message for f in report.findings)


# ----------------------------------------------------------------------------- bibliographies found


def test_bibliography_option_answers_keys_of_documents_naming_none(tmp_path: Path):
    refs = write(tmp_path / "elsewhere" / "refs.bib", BIB)
    doc = write(tmp_path / "doc.md", "Text [@a] and [@z].\n")
    report = verifier.check([doc], offline=True, root=str(tmp_path / "doc-root"), bibliography=str(refs))
    assert codes(report) == [("M004", "doc.md", 1)]
    assert "“z”" in report.findings[0].message


@pytest.mark.parametrize("config", ["_quarto.yml", "_bookdown.yml", "metadata.yaml"])
def test_a_project_file_naming_the_bibliography_answers_the_keys(tmp_path: Path, config: str):
    write(tmp_path / "book" / "refs" / "main.bib", BIB)
    write(tmp_path / "book" / config, "title: A book\nbibliography: refs/main.bib\n")
    doc = write(tmp_path / "book" / "chapter.md", "Text [@a].\n")
    report = verifier.check([doc], offline=True, root=str(tmp_path))
    assert report.findings == ()


def test_the_only_bib_beside_the_document_answers_its_keys(tmp_path: Path):
    write(tmp_path / "refs.bib", BIB)
    doc = write(tmp_path / "chapter.md", "Text [@a] and [@z].\n")
    report = verifier.check([doc], offline=True, root=str(tmp_path))
    assert codes(report) == [("M004", "chapter.md", 1)]


def test_two_bibs_beside_the_document_are_no_answer(tmp_path: Path):
    write(tmp_path / "a.bib", BIB)
    write(tmp_path / "b.bib", BIB)
    doc = write(tmp_path / "chapter.md", "Text [@a].\n")
    report = verifier.check([doc], offline=True, root=str(tmp_path))
    assert "no bibliography was given" in report.findings[0].message


# ----------------------------------------------------------------------------- parts read whole


def test_a_main_file_reads_its_parts_whole(tmp_path: Path):
    write(tmp_path / "refs.bib", BIB)
    write(tmp_path / "chapters" / "one.tex",
          "\\chapter{One}\nA claim.\\footnote{Jane Roe, \\emph{Another Book} (Oxford, 1999), 3.}\n"
          "See \\url{https://example.org/one} and \\cite{a}.\n")
    write(tmp_path / "chapters" / "two.tex", "A second claim.\\footnote{See \\url{https://example.org/two}.}\n")
    main = write(tmp_path / "main.tex", "\\documentclass{book}\n\\begin{document}\n\\include{chapters/one}\n"
                 "\\input{chapters/two.tex}\n\\bibliography{refs}\n\\end{document}\n")
    report = verifier.check([main], offline=True, root=str(tmp_path))
    assert report.findings == ()
    by_name = {Path(d.path).name: d for d in report.documents}
    assert list(by_name) == ["main.tex", "one.tex", "two.tex", "refs.bib"]
    assert (by_name["one.tex"].notes, by_name["two.tex"].notes) == (1, 1)
    urls = {c.fields.url for c in report.citations if c.fields.url}
    assert {"https://example.org/one", "https://example.org/two"} <= urls
    note = next(c for c in report.citations if c.note == "1" and c.document.endswith("one.tex"))
    assert note.location.line == 2


def test_checking_the_folder_reports_each_part_once_with_the_main_file(tmp_path: Path):
    write(tmp_path / "refs.bib", BIB)
    write(tmp_path / "a-chapter.tex", "Text \\cite{a}.\\footnote{A note, 2001.}\n")
    write(tmp_path / "main.tex", "\\documentclass{book}\n\\input{a-chapter}\n\\bibliography{refs}\n")
    report = verifier.check([tmp_path], offline=True, root=str(tmp_path))
    assert report.findings == ()
    assert sorted(Path(d.path).name for d in report.documents) == ["a-chapter.tex", "main.tex", "refs.bib"]


def test_a_missing_part_is_p002_where_it_is_named(tmp_path: Path):
    main = write(tmp_path / "main.tex", "\\documentclass{book}\n\\input{nowhere}\n")
    report = verifier.check([main], offline=True, root=str(tmp_path))
    assert codes(report) == [("P002", "main.tex", 2)]
    assert "does not exist" in report.findings[0].message


def test_an_input_loop_is_read_once(tmp_path: Path):
    write(tmp_path / "a.tex", "A.\\footnote{Note a, 2001.}\n\\input{b}\n")
    write(tmp_path / "b.tex", "B.\\footnote{Note b, 2002.}\n\\input{a}\n")
    report = verifier.check([tmp_path / "a.tex"], offline=True, root=str(tmp_path))
    assert [Path(d.path).name for d in report.documents] == ["a.tex", "b.tex"]


def test_each_named_file_is_parsed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from verifier.readers import bibtex

    write(tmp_path / "refs.bib", BIB)
    write(tmp_path / "one.tex", "\\cite{a}\n\\bibliography{refs}\n")
    main = write(tmp_path / "main.tex", "\\documentclass{book}\n\\input{one}\n\\bibliography{refs}\n")
    calls = []
    real = bibtex.read
    monkeypatch.setattr(bibtex, "read", lambda data, path: calls.append(path) or real(data, path))
    read_documents([main, tmp_path / "refs.bib"], Settings(root=str(tmp_path)))
    assert len(calls) == 1


def test_the_command_line_options(tmp_path: Path):
    import subprocess

    refs = write(tmp_path / "elsewhere" / "refs.bib", BIB)
    doc = write(tmp_path / "project" / "doc.md", "Text [@a] and [@z].\n")
    outside = write(tmp_path / "project" / "main.tex",
                    f"\\documentclass{{article}}\n\\cite{{a}}\n\\bibliography{{{tmp_path / 'elsewhere' / 'refs'}}}\n")

    def check(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "verifier", "check", "--offline", "--no-progress", *args],
                              capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path / "project")

    answered = check(str(doc), "--bibliography", str(refs), "--root", str(tmp_path / "project"))
    assert "M004" in answered.stdout and "“z”" in answered.stdout and "no bibliography" not in answered.stdout
    refused = check(str(outside), "--root", str(tmp_path / "project"))
    assert "outside the project root" in refused.stdout and refused.returncode == 1
    allowed = check(str(outside), "--root", str(tmp_path / "project"), "--allow-outside-root")
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr


def test_a_bib_shared_by_chapters_answers_their_keys_without_m005_in_each(tmp_path: Path):
    write(tmp_path / "book.bib", BIB + "@book{b, title = {B Book}, publisher = {P}, year = 2001}\n")
    one = write(tmp_path / "one.md", "Text [@a].\n")
    two = write(tmp_path / "two.md", "Text [@b] and [@ghost].\n")
    report = verifier.check([one, two], offline=True, root=str(tmp_path))
    assert codes(report) == [("M004", "two.md", 1)]
    assert [Path(d.path).name for d in report.documents] == ["one.md", "book.bib", "two.md"]
