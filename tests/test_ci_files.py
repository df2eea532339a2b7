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
BOOK = "Sergei Volkov, *Rails against Rivers: Russian Transport, 1880-1914* (Moscow: Nauka, 2005)"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def load(path: str) -> Any:
    return yaml.safe_load((REPO / path).read_text(encoding="utf-8"))


def test_ci_runs_exactly_the_readme_test_command_after_installing_chromium() -> None:
    command = next(b for b in blocks("sh") if "pytest" in b).strip().splitlines()[-1]
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8").rstrip().splitlines()
    assert script[-1] == command
    text = "\n".join(script)
    assert text.index("apt-get install -y -qq chromium") < text.index(command)
    assert "export VERIFIER_REQUIRE_BROWSER=1" in text  # in CI the browser tests must run


def test_readme_workflow_checks_and_uploads_the_reports() -> None:
    workflow = yaml.safe_load(next(b for b in blocks("yaml") if "jobs:" in b))
    steps = workflow["jobs"]["verifier"]["steps"]
    runs = " ".join(s.get("run", "") for s in steps)
    assert "verifier check" in runs and "--output sarif" in runs and "--baseline" in runs
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("github/codeql-action/upload-sarif") for u in uses)
    assert workflow["permissions"]["security-events"] == "write"


def test_readme_pre_commit_config_uses_the_hook() -> None:
    config = yaml.safe_load(next(b for b in blocks("yaml") if "repos:" in b))
    hook_ids = [h["id"] for repo in config["repos"] for h in repo["hooks"]]
    assert hook_ids == ["verifier"]


def test_pre_commit_hook() -> None:
    (hook,) = load(".pre-commit-hooks.yaml")
    assert hook["id"] == "verifier"
    assert hook["entry"] == "verifier check --offline"
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
