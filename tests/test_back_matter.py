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


#: Every figure of the club's deck that the fact-check page must give a row, as the deck
#: words it (the issue that asked for the page lists them).
DECK_FIGURES = [
    r"\$99MM on AWS compute in 2023",
    r"more than \$500 million",
    r"\$304 million in Q3",
    "25%",
    r"\$800M Studio Expansion",
    r"\$70 billion",
    "8~10GB VRAM",
    "min 24GB train",
    "min 16gb infer",
    "Majority use cases B2B, not B2C",
    "Most value add is in enterprise use",
]
#: Rows whose verdict rests on a number the page computes through book/.
COMPUTED = ["more than \\$500 million", "min 24GB train", "min 16gb infer"]
VERDICTS = {"holds", "holds with a qualifier", "corrected"}


def _list_table_rows(text, name):
    """The body rows of the list-table named ``name``, each a list of cell texts."""
    start = text.index(f":name: {name}")
    body = text[start:text.index("\n```", start)]
    rows = []
    for row in body.split("\n* - ")[1:]:
        cells = [re.sub(r"\s+", " ", cell).strip() for cell in row.split("\n  - ")]
        rows.append(cells)
    return rows


def test_every_figure_of_the_deck_has_a_row_with_a_verdict_a_source_and_a_link():
    text = (ROOT / "appendix" / "deck.md").read_text(encoding="utf-8")
    rows = _list_table_rows(text, "table-deck-figures")
    header, body = rows[0], rows[1:]
    assert header == ["The deck says", "Verdict", "What the sources say", "In the book"], header
    labels = {m for path in (ROOT / "chapters").glob("*.md")
              for m in re.findall(r"^\(([\w-]+)\)=$", path.read_text(encoding="utf-8"), re.M)}
    for figure in DECK_FIGURES:
        matching = [row for row in body if figure in row[0]]
        assert len(matching) == 1, f"the deck's {figure!r} needs exactly one row, found {len(matching)}"
    for claim, verdict, sources, link in body:
        verdict = verdict.strip("*")
        assert verdict in VERDICTS, f"{claim}: the verdict {verdict!r} is not one of {sorted(VERDICTS)}"
        assert "{cite:p}`" in sources, f"{claim}: the sources cell cites nothing"
        targets = re.findall(r"\{ref\}`([\w-]+)`", link)
        assert targets and set(targets) <= labels, (
            f"{claim}: 'In the book' must link a chapter section, found {link!r}")
    for figure in COMPUTED:
        (row,) = [row for row in body if figure in row[0]]
        assert "{eval}`" in row[2], (
            f"{figure!r}: its verdict rests on a computed number, shown with {{eval}} from this page's code")


def test_the_fact_check_computes_with_the_chapters_helpers():
    """Zillow's figures and the model's memory come from the book/ helpers the chapters
    use, so the two pages cannot disagree (a glue across pages would record no
    dependency, and a cached rebuild could show a stale number)."""
    page = (ROOT / "appendix" / "deck.md").read_text(encoding="utf-8")
    chapter3 = (ROOT / "chapters" / "03_enterprise_vs_consumer.md").read_text(encoding="utf-8")
    chapter2 = (ROOT / "chapters" / "02_research_vs_production.md").read_text(encoding="utf-8")
    for helper, chapter in [("facts.zillow_forecast_musd()", chapter3),
                            ("memory.longest_lora_context(", chapter2),
                            ("memory.fit_verdict(", chapter2)]:
        assert helper in page and helper in chapter, f"{helper} should serve both the chapter and the fact-check"
    assert "glue(" not in page, "no glue across pages: compute on this page"
    settings = "claims.published(CONTEXT=4096, BATCH=1, LORA_RANK=8)"
    assert settings in page and settings in chapter2, (
        "the fact-check computes Llama 2's memory at the settings chapter 2 was written for; "
        "if chapter 2's change, change the page's with them")
