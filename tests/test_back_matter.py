"""The licences and the edition: LICENSE, CHANGELOG.md and the site's footer agree."""

import re
import tomllib

import yaml

import book
from conftest import ROOT


def _footer():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return config["html"]["extra_footer"]


def test_the_code_is_mit_and_the_text_cc_by():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License"), "LICENSE must start with the MIT licence"
    assert "CC BY 4.0" in text, "LICENSE must state the text's licence"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT", "pyproject.toml and LICENSE disagree on the code's licence"
    footer = _footer()
    assert "CC BY 4.0" in footer and "MIT" in footer, f"the footer must show both licences: {footer!r}"


def test_one_version_everywhere():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert book.__version__ == project["version"], "book.__version__ and pyproject.toml disagree"
    shown = re.search(r"Version (\d+\.\d+\.\d+)", _footer())
    assert shown and shown.group(1) == project["version"], (
        f"the footer shows {shown and shown.group(1)}, the project is {project['version']}")
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## {re.escape(project['version'])}\b", changelog, re.M), (
        f"CHANGELOG.md has no section for version {project['version']}")
