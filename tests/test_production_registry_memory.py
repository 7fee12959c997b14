"""book.production, book.registry and book.memory: the tools of chapter 2."""

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from book import memory, production, registry


def _frame():
    return pd.DataFrame({"device": ["mobile", "desktop", "tablet", "mobile"], "score": [0.1, 0.5, 0.9, 0.3]})


@pytest.mark.parametrize("kind", production.CORRUPTIONS)
def test_corrupt_makes_each_fault_and_leaves_the_input_alone(kind):
    frame = _frame()
    column = "score" if kind in ("missing values", "unit change") else "device"
    out = production.corrupt(frame, kind, column, seed=0, share=1.0)
    pd.testing.assert_frame_equal(frame, _frame())
    if kind == "clean":
        pd.testing.assert_frame_equal(out, frame)
    elif kind == "missing values":
        assert out.score.isna().all()
    elif kind == "unseen category":
        assert set(out.device) == {"never-seen-before"}
    elif kind == "extra column":
        assert list(out.columns) == ["device", "score", "campaign_id"]
    elif kind == "renamed column":
        assert list(out.columns) == ["device_v2", "score"]
    elif kind == "unit change":
        np.testing.assert_allclose(out.score, frame.score * 100)


def test_corrupt_rejects_unknown_kinds_and_columns():
    with pytest.raises(ValueError, match="unknown kind"):
        production.corrupt(_frame(), "gremlins", "score")
    with pytest.raises(ValueError, match="no column"):
        production.corrupt(_frame(), "clean", "nope")


def test_schema_repairs_what_it_safely_can():
    schema = production.Schema().fit(_frame())
    incoming = _frame().assign(score=[5.0, -1.0, 0.5, np.nan], extra=1)[["extra", "score", "device"]]
    out = schema.transform(incoming)
    assert list(out.columns) == ["device", "score"]  # training order, extra dropped
    assert out.score.tolist()[:3] == [0.9, 0.1, 0.5] and np.isnan(out.score.iloc[3])  # clipped, NaN kept


@pytest.mark.parametrize(
    "incoming, message",
    [
        (_frame().rename(columns={"device": "device_v2"}), r"missing column\(s\) \['device'\].*renamed upstream"),
        (_frame().drop(columns="device"), r"missing column\(s\) \['device'\]\.$"),
        (_frame().assign(score=["a", "0.5", "b", None]), "should be numeric; 2 value"),
        ([[1, 2]], "expected a pandas DataFrame"),
    ],
)
def test_schema_stops_with_a_clear_message(incoming, message):
    schema = production.Schema().fit(_frame())
    with pytest.raises(production.SchemaError, match=message):
        schema.transform(incoming)


def test_registry_identity_follows_code_data_and_params(tmp_path):
    X = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0]})
    y = pd.Series([0, 0, 1, 1])
    data_id = registry.data_fingerprint(X)
    assert data_id == registry.data_fingerprint(X.copy())
    assert data_id != registry.data_fingerprint(X.assign(x=X.x + 1))
    assert data_id != registry.data_fingerprint(X.rename(columns={"x": "z"}))

    def train():
        return 1

    code = registry.code_version(train)
    assert registry.model_id(code, data_id, {"C": 1}) == registry.model_id(code, data_id, {"C": 1})
    assert registry.model_id(code, data_id, {"C": 1}) != registry.model_id(code, data_id, {"C": 2})

    store = registry.Registry(tmp_path / "models")
    model = LogisticRegression().fit(X, y)
    first = store.register(model, code=code, data=data_id, params={"C": 1}, metrics={"acc": 1.0})
    again = store.register(model, code=code, data=data_id, params={"C": 1})
    assert first == again and len(store.entries()) == 1
    np.testing.assert_array_equal(store.load(first).predict_proba(X), model.predict_proba(X))
    assert store.entries()[0]["metrics"] == {"acc": 1.0}
    with pytest.raises(KeyError, match="no model"):
        store.load("nope")


def test_memory_estimates():
    # 1 billion fp16 parameters: 2e9 bytes
    assert memory.weights_gib(1e9, "fp16") == pytest.approx(2e9 / 2**30)
    # key and value, per layer and token: 2 * 32 * 4096 * 4096 * 2 bytes = 2 GiB
    assert memory.kv_cache_gib(32, 4096, 4096) == pytest.approx(2.0)
    assert memory.inference_gib(1e9, 32, 4096, 4096) == pytest.approx(2e9 / 2**30 + 2.0)
    assert memory.training_gib(1e9, "full") == pytest.approx(16e9 / 2**30)
    adapters = memory.lora_params(32, 4096, rank=8)
    assert adapters == 32 * 2 * 8 * 2 * 4096
    assert memory.training_gib(1e9, "lora", trainable=adapters) == pytest.approx(
        memory.weights_gib(1e9) + adapters * 16 / 2**30)
    assert math.isclose(memory.weights_gib(1e9, "int4"), memory.weights_gib(1e9, "fp16") / 4)
    with pytest.raises(ValueError, match="unknown precision"):
        memory.weights_gib(1e9, "fp8")
    with pytest.raises(ValueError, match="unknown method"):
        memory.training_gib(1e9, "qlora")


def test_false_negative_rates_by_group():
    from book.fairness import false_negative_rates

    y_true = [1, 1, 1, 1, 0, 1, 1]
    y_pred = [1, 0, 1, 1, 0, 0, 0]
    groups = ["A", "A", "B", "B", "B", "C", "C"]
    rates = false_negative_rates(y_true, y_pred, groups)
    assert rates.to_dict() == {"A": 0.5, "B": 0.0, "C": 1.0}
    assert np.isnan(false_negative_rates([0, 1], [0, 1], ["A", "B"])["A"])  # no positive in A
    with pytest.raises(ValueError, match="same length"):
        false_negative_rates([1, 0], [1], ["A", "B"])


def test_lending_pipeline_fits_the_lending_data():
    from book import data
    from book.fairness import LENDING_NUMERIC, lending_pipeline

    loans = data.make_lending(n=2000, seed=0)
    columns = LENDING_NUMERIC + ["region"]
    model = lending_pipeline(["region"]).fit(loans[columns], loans.repaid)
    assert 0.6 < model.score(loans[columns], loans.repaid) < 0.95


def test_cheapest_option():
    from book.economics import Option, cheapest

    cheap_to_build = Option("person", fixed_usd=0, run_usd=1.0, error_rate=0.0)
    cheap_to_run = Option("model", fixed_usd=1000, run_usd=0.0, error_rate=0.0)
    assert cheapest([cheap_to_build, cheap_to_run], 10, 0.0) is cheap_to_build
    assert cheapest([cheap_to_build, cheap_to_run], 10_000, 0.0) is cheap_to_run
    assert cheapest([cheap_to_build, cheap_to_run], 1000, 0.0) is cheap_to_build  # a tie: the first
    with pytest.raises(ValueError, match="at least one"):
        cheapest([], 10, 0.0)
