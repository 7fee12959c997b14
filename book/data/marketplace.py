"""A marketplace's users, items and six weeks of logged recommendations (chapter 6)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from book.data._common import bernoulli, check_size

CATEGORIES = (
    "books",
    "music",
    "games",
    "kitchen",
    "garden",
    "sports",
    "toys",
    "beauty",
)
#: The category whose appeal rises week by week: the drift everybody shares.
RISING_CATEGORY = "garden"
#: Items shown per logged session, in random order.
LOG_SLATE = 12


def examination(positions):
    """The chance that a user looks at the item in each 0-based slot of a list.

    People read a list from the top: the first slot is always seen, and the
    chance falls like the discount of NDCG, ``1 / log2(slot + 2)``.

    Examples
    --------
    >>> examination(np.arange(3)).round(2).tolist()
    [1.0, 0.63, 0.5]
    """
    return 1.0 / np.log2(np.asarray(positions, dtype=float) + 2.0)


@dataclass
class World:
    """The truth behind the marketplace, which a real team never sees.

    The chapter's simulator uses it to answer "what would this user have done
    if we had shown them that?": the online experiments and the expected
    clicks and conversions of a ranking.

    Attributes
    ----------
    user_vectors, user_drift : ndarray, shape (n_users, dim)
        Each user's taste at day 0, and how far it moves by the last logged
        day (``days``); it keeps moving at the same pace after.
    item_vectors : ndarray, shape (n_items, dim)
    appeal, bait, quality : ndarray, shape (n_items,)
        Every user's liking for an item whatever their taste (the source of
        popularity); how much an item draws clicks that do not convert; what
        makes a click convert.
    days : int
        Days of the logged history.
    """

    user_vectors: np.ndarray
    user_drift: np.ndarray
    item_vectors: np.ndarray
    appeal: np.ndarray
    bait: np.ndarray
    quality: np.ndarray
    days: int

    def taste(self, users, day):
        """Users' taste vectors on ``day`` (a number or one per user)."""
        users = np.asarray(users)
        age = np.asarray(day, dtype=float) / self.days
        return (
            self.user_vectors[users]
            + np.multiply.outer(age, np.ones(self.user_vectors.shape[1]))
            * self.user_drift[users]
        )

    def affinity(self, users, items, day):
        """How well each (user, item) pair fits on ``day``: taste times item."""
        users, items = np.asarray(users), np.asarray(items)
        taste = self.taste(users, day)
        if items.ndim == users.ndim:
            return np.einsum("...d,...d->...", taste, self.item_vectors[items])
        return np.einsum("ud,ukd->uk", taste, self.item_vectors[items])

    def click_probability(self, users, items, day):
        """P(click | the user looks at the item), for aligned ``users`` and
        ``items`` (or ``items`` of shape (n_users, k) for lists)."""
        items = np.asarray(items)
        logit = -2.6 + self.affinity(users, items, day) + self.appeal[items]
        return 1.0 / (1.0 + np.exp(-(logit + self.bait[items])))

    def conversion_probability(self, users, items, day):
        """P(a purchase | a click): fit and quality count, bait counts against."""
        items = np.asarray(items)
        logit = -1.2 + self.affinity(users, items, day) + self.quality[items]
        return 1.0 / (1.0 + np.exp(-(logit - 3.0 * self.bait[items])))


@dataclass
class Marketplace:
    """What :func:`make_marketplace` returns: three tables and the truth."""

    users: pd.DataFrame
    items: pd.DataFrame
    impressions: pd.DataFrame
    world: World


def make_marketplace(
    n_users=2000, n_items=300, n_providers=12, days=42, seed=0, drift=1.0
):
    """A marketplace's catalogue, its users, and six weeks of logged sessions.

    Story: items belong to one of eight ``CATEGORIES`` and to a provider
    (providers differ in size: a few sell most of the catalogue); one item in
    ten is sponsored, its provider paying for clicks. Each item has a position
    in a small taste space near its category's centre (the eight centres are
    orthogonal: no two categories please the same taste), an *appeal* that
    every user feels whatever their taste (normal on the logit scale: a few
    items are liked by everyone, the source of popularity bias), for about
    one item in seven a *bait* that draws clicks that rarely become
    purchases, and a *quality* that makes a click convert. Each user's taste
    mixes a few categories, most often one to three.

    Every day about half the users open the homepage, and the old
    homepage showed ``LOG_SLATE`` items drawn at random from the whole
    catalogue, in random order (an exploration log: rare in practice, where
    logs come from the previous recommender and carry its biases; here
    offline metrics are fair to every item). A user looks at slot ``k`` with
    chance :func:`examination`, clicks with :meth:`World.click_probability`
    (taste times item, plus appeal and bait), and buys after a click with
    :meth:`World.conversion_probability`.

    Tastes drift: every user's taste moves in a direction of their own and,
    for all users, towards ``RISING_CATEGORY``, reaching ``drift`` times that
    move on the last day. A model trained on old weeks therefore ages, and
    the garden items gain clicks week by week. With ``drift=0`` nothing moves.

    What this builds in: clicks follow the taste space, so a retriever that
    recovers it from the clicks (matrix factorisation) can beat popularity;
    appeal makes popular items popular with everyone; bait makes the items
    that win clicks differ from those that win purchases; the drift makes
    models age.

    Parameters
    ----------
    n_users, n_items, n_providers : int
        Sizes (at least 50 users, 40 items and 2 providers).
    days : int
        Days of history (at least 14).
    seed : int
        Seed of the random generator.
    drift : float
        How far tastes move over the history, 0 for none (at least 0).

    Returns
    -------
    Marketplace
        ``users``: ``user_id``, ``favourite`` (the category they like most),
        ``visits`` (logged sessions). ``items``: ``item_id``, ``category``,
        ``provider`` (``"P01"``...), ``sponsored`` (bool), ``cost_per_click_usd``
        (what a sponsor pays per click, 0 if not sponsored). ``impressions``: one
        row per item shown: ``day`` (0 to ``days - 1``), ``session``,
        ``user_id``, ``item_id``, ``slot`` (0 = top), ``clicked`` and
        ``converted`` (0 or 1; a conversion needs a click). ``world``: the
        :class:`World` they were drawn from.

    Examples
    --------
    >>> market = make_marketplace(n_users=300, n_items=100, seed=0)
    >>> market.users.shape, market.items.shape
    ((300, 3), (100, 5))
    >>> log = market.impressions
    >>> int(log.day.max()), bool((log.converted <= log.clicked).all())
    (41, True)
    """
    check_size("make_marketplace", n_users, minimum=50)
    check_size("make_marketplace", n_items, minimum=40)
    check_size("make_marketplace", n_providers, minimum=2)
    check_size("make_marketplace", days, minimum=14)
    if (
        not isinstance(drift, (int, float, np.number))
        or not np.isfinite(drift)
        or drift < 0
    ):
        raise ValueError(f"make_marketplace: drift must be 0 or more, got {drift!r}.")
    rng = np.random.default_rng(seed)
    dim, n_cat = 8, len(CATEGORIES)

    # orthonormal centres: no two categories appeal to the same taste
    centres = np.linalg.qr(rng.normal(size=(dim, n_cat)))[0].T
    category = rng.integers(0, n_cat, size=n_items)
    item_vectors = centres[category] + 0.45 * rng.normal(size=(n_items, dim))
    size = 1.0 / np.arange(1, n_providers + 1) ** 0.8  # a few big providers
    provider = rng.choice(n_providers, size=n_items, p=size / size.sum())
    sponsored = rng.uniform(size=n_items) < 0.1
    appeal = 0.6 * rng.normal(size=n_items)
    bait = np.where(
        rng.uniform(size=n_items) < 0.1, rng.uniform(0.5, 1.0, n_items), 0.0
    )
    quality = 0.8 * rng.normal(size=n_items)

    likes = rng.dirichlet(np.full(n_cat, 0.25), size=n_users)
    user_vectors = 3.0 * likes @ centres + 0.3 * rng.normal(size=(n_users, dim))
    rising = centres[CATEGORIES.index(RISING_CATEGORY)]
    own = rng.normal(size=(n_users, dim))
    own *= 3.0 / np.linalg.norm(own, axis=1, keepdims=True)
    user_drift = drift * (own + 0.8 * rising)
    world = World(user_vectors, user_drift, item_vectors, appeal, bait, quality, days)

    visits = rng.uniform(size=(days, n_users)) < 0.5
    day, user = np.nonzero(visits)
    n_sessions = len(day)
    keys = rng.uniform(
        size=(n_sessions, n_items)
    )  # the smallest LOG_SLATE keys are shown
    shown = np.argpartition(keys, LOG_SLATE, axis=1)[:, :LOG_SLATE]
    order = np.argsort(np.take_along_axis(keys, shown, axis=1), axis=1)
    shown = np.take_along_axis(shown, order, axis=1)
    day_rows = np.repeat(day, LOG_SLATE)
    user_rows = np.repeat(user, LOG_SLATE)
    item_rows = shown.ravel()
    slot = np.tile(np.arange(LOG_SLATE), n_sessions)
    p_click = examination(slot) * world.click_probability(
        user_rows, item_rows, day_rows
    )
    clicked = bernoulli(rng, p_click)
    p_buy = world.conversion_probability(user_rows, item_rows, day_rows)
    converted = clicked * bernoulli(rng, p_buy)

    items = pd.DataFrame(
        {
            "item_id": np.arange(n_items),
            "category": np.asarray(CATEGORIES)[category],
            "provider": [f"P{p + 1:02d}" for p in provider],
            "sponsored": sponsored,
            "cost_per_click_usd": np.where(
                sponsored, np.round(rng.uniform(0.2, 1.0, n_items), 2), 0.0
            ),
        }
    )
    users = pd.DataFrame(
        {
            "user_id": np.arange(n_users),
            "favourite": np.asarray(CATEGORIES)[likes.argmax(axis=1)],
            "visits": visits.sum(axis=0),
        }
    )
    impressions = pd.DataFrame(
        {
            "day": day_rows,
            "session": np.repeat(np.arange(n_sessions), LOG_SLATE),
            "user_id": user_rows,
            "item_id": item_rows,
            "slot": slot,
            "clicked": clicked,
            "converted": converted,
        }
    )
    return Marketplace(users, items, impressions, world)
