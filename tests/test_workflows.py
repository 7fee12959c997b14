"""The GitHub workflows are valid YAML and do what the README says: CI runs .ci/run,
Deploy publishes _build/html to GitHub Pages after CI passed on main, and the weekly
canary tests the latest releases with jupyter-book kept below 2."""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def load(name):
    workflow = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def steps(workflow, job):
    return workflow["jobs"][job]["steps"]


def runs(workflow, job):
    return "\n".join(step.get("run", "") for step in steps(workflow, job))


def uses(workflow, job):
    return [step["uses"].split("@")[0] for step in steps(workflow, job) if "uses" in step]


def test_the_expected_workflows_exist():
    assert sorted(p.name for p in WORKFLOWS.glob("*.yml")) == ["canary.yml", "ci.yml", "deploy.yml"]


@pytest.mark.parametrize("name", ["canary.yml", "ci.yml", "deploy.yml"])
def test_every_job_is_well_formed(name):
    workflow = load(name)
    assert workflow["name"] and workflow["on"], f"{name}: a name and a trigger"
    for job_name, job in workflow["jobs"].items():
        assert job["runs-on"].startswith("ubuntu-"), f"{name}/{job_name}"
        assert job["steps"], f"{name}/{job_name} has no steps"
        for step in job["steps"]:
            assert ("run" in step) != ("uses" in step), f"{name}/{job_name}: a step either runs or uses"
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), f"pin {step['uses']} to a major version"


def test_ci_runs_what_the_ci_script_runs():
    ci = load("ci.yml")
    assert {"push", "pull_request"} <= set(ci["on"])
    assert ci["on"]["push"]["branches"] == ["main"]
    assert list(ci["jobs"]) == ["test"]
    assert uses(ci, "test")[:2] == ["actions/checkout", "actions/setup-python"]
    assert "bash .ci/run" in runs(ci, "test")
    python = next(s for s in steps(ci, "test") if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["python-version"] == "3.11"


def test_deploy_publishes_the_built_book_after_ci_passed_on_main():
    deploy = load("deploy.yml")
    trigger = deploy["on"]["workflow_run"]
    assert trigger["workflows"] == [load("ci.yml")["name"]] and trigger["branches"] == ["main"]
    assert "conclusion == 'success'" in deploy["jobs"]["build"]["if"]
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert "make html" in runs(deploy, "build")
    artifact = next(s for s in steps(deploy, "build") if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert artifact["with"]["path"] == "_build/html"
    assert deploy["jobs"]["deploy"]["needs"] == "build"
    assert uses(deploy, "deploy") == ["actions/deploy-pages"]
    assert deploy["jobs"]["deploy"]["environment"]["name"] == "github-pages"


def test_deploy_points_the_launch_buttons_at_its_own_repository(tmp_path):
    command = next(line for line in runs(load("deploy.yml"), "build").splitlines() if line.startswith("sed "))
    config = tmp_path / "_config.yml"
    config.write_text((ROOT / "_config.yml").read_text(encoding="utf-8"), encoding="utf-8")
    subprocess.run(["bash", "-c", command.replace("_config.yml", str(config))], check=True,
                   env={"GITHUB_REPOSITORY": "a-fork/its-book", "PATH": "/usr/bin:/bin"})
    assert yaml.safe_load(config.read_text())["repository"]["url"] == "https://github.com/a-fork/its-book"


def test_the_canary_installs_the_latest_releases_weekly_and_runs_everything(tmp_path):
    canary = load("canary.yml")
    assert re.fullmatch(r"[\d*]+ [\d*]+ \* \* [0-6]", canary["on"]["schedule"][0]["cron"]), "once a week"
    script = runs(canary, "latest")
    # Run its own recipe on requirements.txt: every package, unpinned, jupyter-book below 2.
    recipe = script.split("cat latest-requirements.txt")[0].replace("requirements.txt >", f"{ROOT}/requirements.txt >")
    subprocess.run(["bash", "-c", recipe], cwd=tmp_path, check=True)
    latest = (tmp_path / "latest-requirements.txt").read_text().split()
    pinned = [line.split("==")[0] for line in (ROOT / "requirements.txt").read_text().splitlines()
              if "==" in line and not line.startswith("#")]
    assert "jupyter-book<2" in latest
    assert sorted(p for p in latest if p != "jupyter-book<2") == sorted(p for p in pinned if p != "jupyter-book")
    assert "--upgrade -r latest-requirements.txt" in script
    assert "python -m pytest" in script and "jupyter-book build . -W -n --keep-going" in script
    assert "BOOK_FULL_TESTS=1 python -m pytest" in script, "the canary runs every check on every notebook"
    # The seed sweep: every claim at 20 or more seeds, even when an earlier step failed.
    sweep = next(s for s in steps(canary, "latest") if "tests/sweep.py" in s.get("run", ""))
    assert int(re.search(r"--seeds (\d+)", sweep["run"]).group(1)) >= 20 and sweep.get("if") == "always()"
