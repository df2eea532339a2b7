"""What CI users copy: the composite action, the pre-commit hook, the README's workflow, and .ci/run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
CI_DOC = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
BOOK = "Sergei Volkov, *Rails against Rivers: Russian Transport, 1880-1914* (Moscow: Nauka, 2005)"


def blocks(language: str, text: str = README) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def load(path: str) -> Any:
    return yaml.safe_load((REPO / path).read_text(encoding="utf-8"))


def test_ci_runs_exactly_the_readme_test_command_after_installing_chromium() -> None:
    command = next(b for b in blocks("sh") if "pytest" in b).strip().splitlines()[-1]
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8").rstrip().splitlines()
    assert script[-1] == command
    text = "\n".join(script)
    assert text.index("apt-get install -y -qq chromium") < text.index(command)
    assert "export VERIFIER_REQUIRE_BROWSER=1" in text  # in CI the browser tests must run


def test_docs_workflow_installs_verifier_cite_checks_and_uploads_the_reports() -> None:
    workflow = yaml.safe_load(next(b for b in blocks("yaml", CI_DOC) if "jobs:" in b))
    steps = workflow["jobs"]["verifier"]["steps"]
    runs = " ".join(s.get("run", "") for s in steps)
    assert "verifier check" in runs and "--output sarif" in runs and "--baseline" in runs
    uses = [s.get("uses", "") for s in steps]
    # no release is on PyPI yet: verifier is installed from its own checkout, the way a user can today
    [own] = [s for s in steps if s.get("with", {}).get("path") == ".verifier"]
    assert own["uses"].startswith("actions/checkout@") and "pip install ./.verifier" in runs
    assert any(u.startswith("github/codeql-action/upload-sarif") for u in uses)
    assert workflow["permissions"]["security-events"] == "write"


def test_docs_pre_commit_config_uses_the_hook() -> None:
    config = yaml.safe_load(next(b for b in blocks("yaml", CI_DOC) if "repos:" in b))
    hook_ids = [h["id"] for repo in config["repos"] for h in repo["hooks"]]
    assert hook_ids == ["verifier"]


def test_readme_is_short_with_the_two_commands_first() -> None:
    assert len(README.splitlines()) <= 250
    first, second = blocks("sh")[:2]
    assert "pip install ." in first and "verifier check references/" in first
    assert "pytest" in second
    for link in re.findall(r"\]\(((?:docs/)?[\w.-]+\.md)\)", README):
        assert (REPO / link).is_file(), link


def test_gitlab_recipe_reads_the_junit_report() -> None:
    (job,) = [yaml.safe_load(b) for b in blocks("yaml", CI_DOC) if "artifacts:" in b]
    assert job["citations"]["artifacts"]["reports"]["junit"] == "reports/junit.xml"
    assert any("--output junit" in line for line in job["citations"]["script"])


def test_pre_commit_hook() -> None:
    (hook,) = load(".pre-commit-hooks.yaml")
    assert hook["id"] == "verifier"
    assert hook["entry"] == "verifier check --offline --force-exclude"
    assert hook["language"] == "python"
    assert set(hook["types_or"]) == {"plain-text", "markdown", "html", "tex", "bib", "pdf"}


def test_action_is_composite_with_paths_args_and_version() -> None:
    action = load("action.yml")
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) >= {"paths", "args", "version"}
    for step in action["runs"]["steps"]:
        # inputs reach the shell through env, never spliced into the script (no injection)
        assert "${{ inputs." not in step.get("run", "")


def test_the_actions_check_step_runs_verifier_and_reports_its_exit_code(tmp_path: Path) -> None:
    if not shutil.which("bash"):
        pytest.skip("no bash")
    step = next(s for s in load("action.yml")["runs"]["steps"] if s.get("id") == "check")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "ch1.txt").write_text(f"Grain.¹ Barges.²\n\nNotes\n\n1. {BOOK}, p. 1.\n", encoding="utf-8")
    output = tmp_path / "github_output"
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}/usr/bin:/bin",
        "VERIFIER_PATHS": "docs",
        "VERIFIER_ARGS": "--offline --output html",
        "GITHUB_OUTPUT": str(output),
        "GITHUB_ACTIONS": "true",
        "NO_COLOR": "1",
    }
    if not shutil.which("verifier", path=env["PATH"]):
        pytest.skip("the verifier console script is not installed beside this Python")
    done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1, done.stderr
    assert output.read_text(encoding="utf-8").strip() == "exit-code=1"
    assert "::error file=docs/ch1.txt,line=1," in done.stdout
    assert (tmp_path / "reports" / "report.html").is_file()


def _offline_python(tmp_path: Path) -> Path:
    """A fresh virtual environment, as setup-python gives the Action, that can install without a network:
    this Python's site-packages (pip, the build backend, the dependencies) are on its path, after its own,
    and pip may not use an index."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True,
                   timeout=300)
    here = subprocess.run([sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    there = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                           check=True, capture_output=True, text=True).stdout.strip()
    # appended after the venv's own site-packages: what pip installs there comes first
    (Path(there) / "zz_dependencies.pth").write_text(here + "\n", encoding="utf-8")
    return venv / "bin"


def test_the_actions_install_and_check_steps_install_verifier_cite_from_the_actions_checkout(tmp_path: Path) -> None:
    """The Action as CI runs it: its install step (no version: the action's own checkout, a clean copy of
    this repository) and its check step, in a fresh environment, with no package index."""
    if not shutil.which("bash") or not shutil.which("git"):
        pytest.skip("no bash or git")
    checkout = tmp_path / "action"
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                           check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        if (REPO / name).is_file():
            (checkout / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, checkout / name)
    bin_dir = _offline_python(tmp_path)
    work = tmp_path / "work"
    (work / "docs").mkdir(parents=True)
    (work / "docs" / "ch1.md").write_text(f"Grain.[^1] Barges.[^2]\n\n[^1]: {BOOK}, p. 1.\n", encoding="utf-8")
    (work / "node_modules" / "x").mkdir(parents=True)
    (work / "node_modules" / "x" / "readme.md").write_text("Vendored.[^9]\n", encoding="utf-8")
    output = tmp_path / "github_output"
    env = {
        "PATH": f"{bin_dir}{os.pathsep}/usr/bin:/bin", "HOME": str(tmp_path), "GITHUB_OUTPUT": str(output),
        "PIP_NO_INDEX": "1", "PIP_NO_BUILD_ISOLATION": "0", "NO_COLOR": "1",
        "ACTION_PATH": str(checkout), "VERIFIER_VERSION": "", "VERIFIER_PATHS": ".", "VERIFIER_ARGS": "--offline",
    }
    steps = {s.get("name"): s for s in load("action.yml")["runs"]["steps"]}
    installed = subprocess.run(["bash", "-e", "-c", steps["Install verifier"]["run"]], cwd=work, env=env,
                               capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stderr
    done = subprocess.run(["bash", "-e", "-c", steps["Check citations"]["run"]], cwd=work, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr
    assert output.read_text(encoding="utf-8").strip() == "exit-code=1"  # M001 for note 2, nothing vendored
    assert "docs/ch1.md:1:" in done.stdout and "M001" in done.stdout and "node_modules" not in done.stdout
    shown = subprocess.run([str(bin_dir / "python"), "-m", "pip", "show", "verifier-cite"], env=env,
                           capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0 and "Name: verifier-cite" in shown.stdout
    where = subprocess.run([str(bin_dir / "python"), "-c", "import verifier, pathlib; "
                            "print(pathlib.Path(verifier.__file__).parent)"], env=env, cwd=work, capture_output=True,
                           text=True).stdout.strip()
    assert where.startswith(str(tmp_path / "venv")) and (Path(where) / "py.typed").is_file()
