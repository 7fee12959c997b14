"""book.data: deterministic generators with the properties the chapters rely on."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from book import data, rules

GENERATORS = [data.make_shipping, data.make_churn, data.make_spam_stream, data.make_ad_clicks, data.make_lending,
              data.make_fraud, data.make_feed, data.make_housing, data.make_gaussian_classes,
              data.make_filings]


@pytest.mark.parametrize("make", GENERATORS)
def test_same_seed_same_data_other_seed_other_data(make):
    pd.testing.assert_frame_equal(make(seed=3), make(seed=3))
    assert not make(seed=3).equals(make(seed=4))


@pytest.mark.parametrize("make", [data.make_shipping, data.make_churn, data.make_ad_clicks, data.make_lending,
                                  data.make_fraud, data.make_feed, data.make_housing,
                                  data.make_gaussian_classes, data.make_filings])
@pytest.mark.parametrize("bad_n", [0, -5, 2.5, "100", None, True])
def test_bad_sizes_get_a_clear_error(make, bad_n):
    with pytest.raises(ValueError, match="n must be an integer"):
        make(n=bad_n)


def test_shipping_fees_follow_the_tariff_exactly():
    parcels = data.make_shipping(n=500, seed=1)
    assert list(parcels.columns) == ["weight_kg", "zone", "fee_usd"]
    assert parcels.weight_kg.between(0.05, 30.0).all()
    assert set(parcels.zone) == {1, 2, 3, 4}
    np.testing.assert_array_equal(parcels.fee_usd, rules.shipping_fee(parcels.weight_kg, parcels.zone))


def test_churn_is_noisy_but_learnable():
    # Chapter 1 relies on a gap between memorising and learning: a smooth model
    # beats the base rate clearly, yet stays far from perfect because labels are coin flips.
    customers = data.make_churn(n=4000, seed=2)
    assert 0.2 < customers.churned.mean() < 0.4
    profile = [c for c in customers.columns if c != "churned"]
    train, test = train_test_split(customers, test_size=0.5, random_state=0)
    model = make_pipeline(StandardScaler(), LogisticRegression()).fit(train[profile], train.churned)
    accuracy = model.score(test[profile], test.churned)
    base_rate = max(test.churned.mean(), 1 - test.churned.mean())
    assert base_rate + 0.03 < accuracy < 0.88


def test_churn_risk_moves_the_way_the_story_says():
    customers = data.make_churn(n=20000, seed=0)
    by_calls = customers.groupby(customers.support_calls >= 3).churned.mean()
    assert by_calls[True] > by_calls[False] + 0.1
    by_contract = customers.groupby(customers.contract_months > 1).churned.mean()
    assert by_contract[False] > by_contract[True] + 0.1


def _month_zero_model_accuracy(stream):
    months = dict(tuple(stream.groupby("month")))
    model = LogisticRegression().fit(months[0][["x1", "x2"]], months[0].is_spam)
    return np.array([model.score(m[["x1", "x2"]], m.is_spam) for m in months.values()])


def test_spam_stream_drifts():
    stream = data.make_spam_stream(n_months=12, n_per_month=800, drift_deg=8.0, seed=5)
    assert stream.month.is_monotonic_increasing and stream.month.nunique() == 12
    assert 0.4 < stream.is_spam.mean() < 0.6
    accuracy = _month_zero_model_accuracy(stream)
    assert accuracy[0] > 0.9
    assert accuracy[0] - accuracy[-1] > 0.3, "a model fitted in month 0 must decay"
    assert np.corrcoef(np.arange(12), accuracy)[0, 1] < -0.9, "and decay steadily"


def test_spam_stream_without_drift_stays_put():
    stream = data.make_spam_stream(drift_deg=0.0, n_per_month=800, seed=5)
    accuracy = _month_zero_model_accuracy(stream)
    assert accuracy.max() - accuracy.min() < 0.04


def test_spam_stream_label_noise_is_the_share_flipped():
    clean = data.make_spam_stream(label_noise=0.0, seed=1)
    noisy = data.make_spam_stream(label_noise=0.2, seed=1)
    assert (clean.is_spam != noisy.is_spam).mean() == pytest.approx(0.2, abs=0.03)
    with pytest.raises(ValueError, match="label_noise"):
        data.make_spam_stream(label_noise=0.5)


def test_ad_clicks_have_step_interactions_that_trees_draw_best():
    # Chapter 2 relies on an order that the generator builds in: boosted trees rank clicks
    # clearly better than a tiny neural network, which ranks them clearly better than a
    # logistic regression on the raw columns (the stakeholders' picks follow from it).
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import OneHotEncoder

    ads = data.make_ad_clicks(n=20000, seed=1, with_probability=True)
    assert 0.1 < ads.clicked.mean() < 0.2
    assert set(ads.device) == set(data.DEVICES) and set(ads.ad_category) == set(data.AD_CATEGORIES)
    assert abs(ads.click_probability.mean() - ads.clicked.mean()) < 0.01  # clicks are drawn with it
    assert "click_probability" not in data.make_ad_clicks(n=10, seed=1).columns
    X, y = ads.drop(columns=["clicked", "click_probability"]), ads.clicked
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    categorical = ["device", "ad_category"]
    numeric = [c for c in X.columns if c not in categorical]
    encode = ColumnTransformer([("c", OneHotEncoder(), categorical), ("n", StandardScaler(), numeric)])
    candidates = {
        "linear": LogisticRegression(max_iter=1000),
        "tiny network": MLPClassifier(hidden_layer_sizes=(4,), alpha=1e-3, learning_rate_init=0.01,
                                      max_iter=400, random_state=0),
        "boosted": HistGradientBoostingClassifier(max_iter=150, max_leaf_nodes=15, early_stopping=False,
                                                  random_state=0),
    }
    auc = {name: roc_auc_score(y_test, make_pipeline(encode, model).fit(X_train, y_train)
                               .predict_proba(X_test)[:, 1]) for name, model in candidates.items()}
    assert 0.65 < auc["linear"] < auc["tiny network"] - 0.04 < auc["boosted"] - 0.05, auc
    # tech ads are clicked more by the young, finance ads by the old
    young, old = ads.user_age < 30, ads.user_age >= 50
    tech, finance = ads.ad_category == "tech", ads.ad_category == "finance"
    assert ads.clicked[tech & young].mean() > ads.clicked[tech & old].mean() + 0.1
    assert ads.clicked[finance & old].mean() > ads.clicked[finance & young].mean() + 0.1


def test_lending_records_are_biased_against_group_b_only():
    loans = data.make_lending(n=40000, seed=3)
    assert 0.25 < (loans.group == "B").mean() < 0.35
    by_group = loans.groupby("group")
    # the true outcome does not depend on the group beyond the features (similar rates)...
    assert abs(by_group.repaid.mean()["A"] - by_group.repaid.mean()["B"]) < 0.03
    # ...but the records understate group B's repayments, and only group B's
    misrecorded = (loans.repaid != loans.recorded_repaid).groupby(loans.group).mean()
    assert misrecorded["A"] == 0 and 0.15 < misrecorded["B"] < 0.3
    # region is a proxy for the group: 90% of each group live in its two home regions
    south_west = loans.region.isin(["south", "west"])
    assert abs(south_west[loans.group == "B"].mean() - 0.9) < 0.01
    assert abs(south_west[loans.group == "A"].mean() - 0.1) < 0.01
    with pytest.raises(ValueError, match="recording_bias"):
        data.make_lending(recording_bias=1.0)


def test_fraud_is_rare_and_its_scores_are_informative():
    # Chapter 3 relies on about 1% positives and on scores good enough that the
    # threshold matters: a simple model ranks fraud far above chance.
    payments = data.make_fraud(n=40_000, seed=3)
    assert 0.007 < payments.is_fraud.mean() < 0.015
    X = pd.get_dummies(payments.drop(columns="is_fraud"), columns=["merchant"], dtype=float)
    X["amount_usd"], X["km_from_home"] = np.log(X.amount_usd), np.log1p(X.km_from_home)
    X_train, X_test, y_train, y_test = train_test_split(X, payments.is_fraud, test_size=0.5,
                                                        random_state=0, stratify=payments.is_fraud)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X_train, y_train)
    from sklearn.metrics import roc_auc_score
    assert roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]) > 0.85


def test_fraud_risk_moves_the_way_the_story_says():
    payments = data.make_fraud(n=60_000, seed=4)
    rate = payments.groupby("new_device").is_fraud.mean()
    assert rate[1] > 5 * rate[0]
    night = payments.hour < 6
    assert payments.is_fraud[night].mean() > 2 * payments.is_fraud[~night].mean()
    assert set(payments.merchant) == set(data.MERCHANTS)


def test_feed_plays_about_one_in_ten_and_follow_genre_match():
    feed = data.make_feed(n=20_000, seed=2)
    assert 0.07 < feed.played.mean() < 0.13
    matched = feed.genre_match > feed.genre_match.median()
    assert feed.played[matched].mean() > 2 * feed.played[~matched].mean()
    assert feed.slot.between(1, 10).all()


def test_housing_sellers_take_less_than_the_value_within_the_discount():
    homes = data.make_housing(n=3000, seed=1, max_discount=0.12)
    share = 1 - homes.reservation_usd / homes.value_usd
    assert share.between(-0.001, 0.121).all()
    assert set(homes.neighbourhood) == set(data.NEIGHBOURHOODS)


def test_housing_condition_spreads_more_in_old_homes():
    # What the listing can't show grows with age: a model errs more on old homes,
    # which is what bidding with the model's uncertainty exploits in chapter 3.
    homes = data.make_housing(n=20_000, seed=2, max_discount=0.0)
    from sklearn.ensemble import HistGradientBoostingRegressor
    listing = homes[["neighbourhood", "sqft", "bedrooms", "age_years", "lot_sqft"]].astype(
        {"neighbourhood": "category"})
    model = HistGradientBoostingRegressor(categorical_features="from_dtype", random_state=0)
    model.fit(listing[:10_000], homes.value_usd[:10_000])
    error = np.log(model.predict(listing[10_000:]) / homes.value_usd[10_000:])
    old = homes.age_years[10_000:] >= 60
    young = homes.age_years[10_000:] < 20
    assert error[old].std() > 2 * error[young].std()


@pytest.mark.parametrize("kwargs, message", [({"condition_sd": -0.1}, "condition_sd"),
                                             ({"max_discount": 1.0}, "max_discount")])
def test_housing_rejects_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        data.make_housing(n=10, **kwargs)


# make_marketplace (chapter 6)

make_marketplace, examination = data.make_marketplace, data.marketplace.examination
CATEGORIES, LOG_SLATE, RISING_CATEGORY = data.marketplace.CATEGORIES, data.marketplace.LOG_SLATE, data.marketplace.RISING_CATEGORY


def test_marketplace_same_seed_same_data_other_seed_other_data():
    first, again = make_marketplace(n_users=300, n_items=60, seed=3), make_marketplace(n_users=300, n_items=60, seed=3)
    other = make_marketplace(n_users=300, n_items=60, seed=4)
    for table in ("users", "items", "impressions"):
        pd.testing.assert_frame_equal(getattr(first, table), getattr(again, table))
        assert not getattr(first, table).equals(getattr(other, table)), f"{table} must change with the seed"
    np.testing.assert_array_equal(first.world.item_vectors, again.world.item_vectors)


def test_marketplace_tables_have_the_documented_columns_and_ranges():
    market = make_marketplace(n_users=300, n_items=60, n_providers=5, days=20, seed=0)
    assert list(market.users.columns) == ["user_id", "favourite", "visits"]
    assert list(market.items.columns) == ["item_id", "category", "provider", "sponsored", "cost_per_click_usd"]
    assert list(market.impressions.columns) == ["day", "session", "user_id", "item_id", "slot", "clicked", "converted"]
    log = market.impressions
    assert log.day.min() == 0 and log.day.max() == 19
    assert set(market.items.category) <= set(CATEGORIES) and set(market.users.favourite) <= set(CATEGORIES)
    assert set(market.items.provider) <= {f"P{p:02d}" for p in range(1, 6)}
    np.testing.assert_array_equal(market.users.visits, log.groupby("user_id").session.nunique()
                                  .reindex(range(300), fill_value=0))
    sponsored = market.items.sponsored
    assert (market.items.cost_per_click_usd[~sponsored] == 0).all()
    assert market.items.cost_per_click_usd[sponsored].between(0.2, 1.0).all()
    assert 0.4 < log.groupby("day").session.nunique().mean() / 300 < 0.6, "about half the users visit a day"


@pytest.mark.parametrize("kwargs, minimum", [({"n_users": 49}, 50), ({"n_items": 39}, 40), ({"n_providers": 1}, 2),
                                             ({"days": 13}, 14), ({"n_users": 300.0}, 50), ({"n_items": "60"}, 40),
                                             ({"days": True}, 14), ({"n_providers": None}, 2)])
def test_marketplace_refuses_bad_sizes(kwargs, minimum):
    with pytest.raises(ValueError, match=f"make_marketplace: n must be an integer >= {minimum}"):
        make_marketplace(**kwargs)


@pytest.mark.parametrize("drift", [-0.1, float("nan"), float("inf")])
def test_marketplace_refuses_negative_or_missing_drift(drift):
    with pytest.raises(ValueError, match="make_marketplace: drift must be 0 or more"):
        make_marketplace(n_users=300, n_items=60, drift=drift)


def test_marketplace_converts_only_after_a_click():
    log = make_marketplace(n_users=300, n_items=60, seed=0).impressions
    assert set(log.clicked) == {0, 1} and set(log.converted) == {0, 1}
    assert (log.converted <= log.clicked).all()
    assert 0 < log.converted.sum() < log.clicked.sum()


def test_marketplace_sessions_fill_every_slot_once_with_distinct_items():
    log = make_marketplace(n_users=300, n_items=60, seed=0).impressions
    sessions = log.groupby("session")
    assert (sessions.size() == LOG_SLATE).all()
    assert (sessions.slot.min() == 0).all() and (sessions.slot.max() == LOG_SLATE - 1).all()
    assert (sessions.slot.nunique() == LOG_SLATE).all(), "a slot twice in one session"
    assert (sessions.item_id.nunique() == LOG_SLATE).all(), "an item twice in one session"
    assert (sessions.user_id.nunique() == 1).all() and (sessions.day.nunique() == 1).all()
    assert not log.duplicated(["day", "user_id", "slot"]).any(), "at most one session per user and day"


def test_marketplace_clicks_fall_with_the_slot_as_examination_says():
    np.testing.assert_allclose(examination([0, 1, 2, 6]), [1.0, 1 / np.log2(3), 0.5, 1 / 3])
    log = make_marketplace(n_users=1000, n_items=60, seed=0).impressions
    rate = log.groupby("slot").clicked.mean()
    assert rate[0] > 1.5 * rate[LOG_SLATE - 1]
    # the log's slates are random, so the click rate per slot follows examination
    ratio = rate / rate[0]
    np.testing.assert_allclose(ratio, examination(np.arange(LOG_SLATE)), atol=0.05)


def test_marketplace_has_popularity_bias():
    log = make_marketplace(n_users=1000, n_items=100, seed=0).impressions
    shown = log.groupby("item_id").size()
    assert shown.min() > 0.7 * shown.mean(), "the logged slates are random: every item is shown about as often"
    clicks = log.groupby("item_id").clicked.sum().sort_values(ascending=False)
    top_decile = clicks.iloc[:10].sum() / clicks.sum()
    assert top_decile > 0.15, f"the top tenth of items gets {top_decile:.3f} of the clicks"
    assert clicks.iloc[0] > 2 * clicks.median(), "the most clicked item gets over twice the median item's clicks"
    # the popular items are the ones every user likes: clicks follow the world's appeal
    from scipy import stats
    world = make_marketplace(n_users=1000, n_items=100, seed=0).world
    assert stats.spearmanr(clicks.sort_index(), world.appeal)[0] > 0.35


def _rising_share(market):
    log = market.impressions
    rising = (market.items.category == RISING_CATEGORY).to_numpy()[log.item_id]
    clicked = log.clicked.to_numpy() == 1
    first, last = log.day.to_numpy() < 14, log.day.to_numpy() >= log.day.max() - 13
    return rising[clicked & first].mean(), rising[clicked & last].mean()


def test_marketplace_tastes_drift_towards_the_rising_category():
    early, late = _rising_share(make_marketplace(n_users=2000, n_items=100, seed=0, drift=1.0))
    still_early, still_late = _rising_share(make_marketplace(n_users=2000, n_items=100, seed=0, drift=0.0))
    assert late > early + 0.008, f"{RISING_CATEGORY}'s share of clicks: {early:.4f} in the first two weeks, {late:.4f} in the last"
    assert late - early > still_late - still_early + 0.005, "the rise comes from the drift, not from noise"


def test_marketplace_world_makes_the_rising_category_more_clickable_over_time():
    market = make_marketplace(n_users=300, n_items=60, seed=0, drift=1.0)
    users, items = np.repeat(np.arange(300), 60), np.tile(np.arange(60), 300)
    rising = (market.items.category == RISING_CATEGORY).to_numpy()[items]
    start = market.world.click_probability(users, items, 0)
    end = market.world.click_probability(users, items, 41)
    assert end[rising].mean() > start[rising].mean() + 0.02
    assert end[rising].mean() - start[rising].mean() > end[~rising].mean() - start[~rising].mean() + 0.02


def test_marketplace_without_drift_keeps_tastes_still():
    users = np.arange(300)
    still = make_marketplace(n_users=300, n_items=60, seed=0, drift=0.0).world
    np.testing.assert_array_equal(still.taste(users, 0), still.taste(users, 41))
    moving = make_marketplace(n_users=300, n_items=60, seed=0, drift=1.0).world
    np.testing.assert_array_equal(moving.taste(users, 0), still.taste(users, 0))
    assert np.abs(moving.taste(users, 41) - moving.taste(users, 0)).max() > 0.5
    # one day per user works as well as one day for all
    np.testing.assert_allclose(moving.taste(users, np.full(300, 41)), moving.taste(users, 41))


def test_marketplace_click_probability_is_a_probability_and_favours_the_favourite_category():
    market = make_marketplace(n_users=300, n_items=60, seed=0)
    users, items = np.repeat(np.arange(300), 60), np.tile(np.arange(60), 300)
    for day in (0, 41):
        p = market.world.click_probability(users, items, day)
        assert ((p > 0) & (p < 1)).all()
        q = market.world.conversion_probability(users, items, day)
        assert ((q > 0) & (q < 1)).all()
    p = market.world.click_probability(users, items, 0).reshape(300, 60)
    favourite = market.items.category.to_numpy()[None, :] == market.users.favourite.to_numpy()[:, None]
    has_both = favourite.any(axis=1) & ~favourite.all(axis=1)
    on = np.array([row[mask].mean() for row, mask in zip(p[has_both], favourite[has_both])])
    off = np.array([row[~mask].mean() for row, mask in zip(p[has_both], favourite[has_both])])
    assert on.mean() > 1.5 * off.mean(), f"{on.mean():.3f} on the favourite category, {off.mean():.3f} off it"
    assert (on > off).mean() > 0.8
    # and list-shaped items give the same probabilities as aligned pairs
    lists = np.tile(np.arange(60), (300, 1))
    np.testing.assert_allclose(market.world.click_probability(np.arange(300), lists, 0), p)
