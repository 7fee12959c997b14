"""book.tables: DataFrames shown to readers read like the prose."""

import re

import numpy as np
import pandas as pd
import pytest

from book import tables


def _html(styler):
    return styler.to_html()


def _cells(html):
    return re.findall(r"<t[dh][^>]*>([^<]*)</t[dh]>", html)


@pytest.fixture
def frame():
    return pd.DataFrame(
        {"to build (USD)": [150_000, 2_000], "error rate": [0.08, 0.25],
         "core": [True, False], "note": ["a model", "a rule"]},
        index=pd.Index(["ML model", "keyword rule"], name="option"),
    )


def test_cells_read_as_the_prose_writes_them():
    assert tables.cell_text(True) == "✓"
    assert tables.cell_text(np.bool_(False)) == "✗"
    assert tables.cell_text(150000) == "150,000"
    assert tables.cell_text(np.int64(2_000)) == "2,000"
    assert tables.cell_text(480915.4712) == "480,915.47"
    assert tables.cell_text("fails: ValueError") == "fails: ValueError"


def test_a_table_formats_numbers_and_ticks(frame):
    cells = _cells(_html(tables.table(frame, {"error rate": "{:.0%}"})))
    assert "150,000" in cells and "8%" in cells and "25%" in cells
    assert "✓" in cells and "✗" in cells
    assert not {"True", "False", "150000", "0.08"} & set(cells)


def test_a_format_may_be_a_bare_spec_or_a_callable(frame):
    bare = _cells(_html(tables.table(frame, {"error rate": ".1%"})))
    in_100 = {"error rate": lambda v: f"{100 * v:g} in 100"}
    called = _cells(_html(tables.table(frame, in_100)))
    assert "8.0%" in bare and "8 in 100" in called


def test_text_in_a_numeric_column_is_shown_as_it_is():
    mixed = pd.DataFrame({"AUC": [0.8123, "fails: ValueError"]},
                         index=["clean", "renamed"])
    assert _cells(_html(tables.table(mixed, {"AUC": "{:.3f}"})))[-3:] == [
        "0.812", "renamed", "fails: ValueError"]


def test_no_header_row_for_the_index_name(frame):
    html = _html(tables.table(frame))
    assert "option" not in _cells(html)
    assert html.count("<tr>") == 1 + len(frame)  # one header row, one row per option


def test_the_index_can_become_a_named_first_column(frame):
    html = _html(tables.table(frame, index="option (what we pay for)"))
    header = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    assert _cells(header)[0] == "option (what we pay for)"
    assert "row_heading" not in html  # no separate column of row labels
    with pytest.raises(ValueError, match="already a column"):
        tables.table(frame, index="note")


def test_a_meaningless_index_can_be_hidden():
    entries = pd.DataFrame({"id": ["77230385c84c", "8d68656bd21c"],
                            "params": ["C=1", "C=1"]})
    html = _html(tables.table(entries, index=False))
    assert "row_heading" not in html and ">0<" not in html
    assert _cells(html)[:2] == ["id", "params"]


def test_integer_index_values_get_thousands_separators():
    curve = pd.Series([0.3, 0.97], index=pd.Index([6, 1257], name="images"),
                      name="accuracy")
    assert "1,257" in _cells(_html(tables.table(curve)))
    assert "1,257" in _cells(_html(tables.table(curve, index="training images")))


def test_a_series_becomes_one_column_headed_by_its_name():
    series = pd.Series({"random split": 0.9, "split by time": 0.7},
                       name="estimated accuracy")
    cells = _cells(_html(tables.table(series, {"estimated accuracy": "{:.0%}"})))
    assert cells[:2] == ["&nbsp;", "estimated accuracy"] and "90%" in cells


def test_numbers_are_right_aligned_and_ticks_centred(frame):
    html = _html(tables.table(frame))
    assert re.search(r"td\.col0 \{\s*text-align: right", html)  # to build (USD)
    assert re.search(r"td\.col2 \{\s*text-align: center", html)  # core
    assert not re.search(r"td\.col3 \{\s*text-align", html)  # note: text


def test_the_same_table_gives_the_same_html_every_time(frame):
    # The notebook tests run each notebook twice and compare its HTML outputs.
    first, second = _html(tables.table(frame)), _html(tables.table(frame.copy()))
    assert first == second
    other = frame.assign(**{"error rate": [0.09, 0.25]})
    assert re.search(r'id="([^"]+)"', first).group(1) != re.search(
        r'id="([^"]+)"', _html(tables.table(other))).group(1)
    assert 'id="T_costs"' in _html(tables.table(frame, name="costs"))


def test_no_cell_ids_and_the_dataframe_class(frame):
    html = _html(tables.table(frame))
    assert 'class="dataframe"' in html
    assert "<td id=" not in html


def test_bad_input_is_refused_clearly(frame):
    with pytest.raises(ValueError, match="columns the table doesn't have"):
        tables.table(frame, {"error_rate": "{:.0%}"})
    with pytest.raises(ValueError, match="a format is a string"):
        tables.table(frame, {"error rate": 3})
    with pytest.raises(ValueError, match="DataFrame or a Series"):
        tables.table([1, 2, 3])
