"""Does this problem need ML? Chip Huyen's nine criteria, as data.

Huyen defines ML as an approach to (1) learn (2) complex patterns from
(3) existing data and use these patterns to make (4) predictions on
(5) unseen data. ML solutions also do better when (6) the problem is
repetitive, (7) wrong predictions are cheap, (8) it is at scale, and
(9) the patterns keep changing.

The first five are what ML *is*: a problem that misses one of them is not an
ML problem. The last four make ML *pay*. The judgements in
:func:`deck_use_cases` are the book's own, written down so that they can be
argued with: a starting point for discussion, not an oracle.
"""

from __future__ import annotations

from collections import namedtuple

import pandas as pd

Criterion = namedtuple("Criterion", "key label question core")

#: The nine criteria, in the order of the definition.
CRITERIA = (
    Criterion(
        "learn", "learn", "Is there something a system could learn from examples?", True
    ),
    Criterion(
        "complex",
        "complex patterns",
        "Is the pattern too complex to write down as rules?",
        True,
    ),
    Criterion(
        "data", "existing data", "Is data available, or can it be collected?", True
    ),
    Criterion(
        "predictive",
        "predictions",
        "Is the answer a prediction (an estimate), not a computation?",
        True,
    ),
    Criterion(
        "unseen",
        "unseen data",
        "Will new cases look like the data we learn from?",
        True,
    ),
    Criterion(
        "repetitive", "repetitive", "Is the same decision made over and over?", False
    ),
    Criterion("cheap_errors", "cheap mistakes", "Is a wrong prediction cheap?", False),
    Criterion("scale", "at scale", "Are there many decisions to make?", False),
    Criterion("changing", "changing patterns", "Do the patterns keep changing?", False),
)

CORE = tuple(c.key for c in CRITERIA if c.core)
HELPFUL = tuple(c.key for c in CRITERIA if not c.core)

_T, _F = True, False
# One row per use case: the nine judgements in CRITERIA order, then a note saying why.
# fmt: off
_DECK_USE_CASES = {
    "recommender system": (_T, _T, _T, _T, _T, _T, _T, _T, _T,
                           "a poor suggestion costs a scroll"),
    "predictive text": (_T, _T, _T, _T, _T, _T, _T, _T, _T,
                        "a wrong completion is ignored"),
    "machine translation": (_T, _T, _T, _T, _T, _T, _T, _T, _F,
                            "language changes slowly"),
    "personal assistant": (_T, _T, _T, _T, _T, _T, _T, _T, _T,
                           "a misheard request is repeated"),
    "fraud detection": (_T, _T, _T, _T, _T, _T, _F, _T, _T,
                        "a missed fraud costs real money"),
    "churn prediction": (_T, _T, _T, _T, _T, _T, _T, _T, _T,
                         "a wasted offer is a small discount"),
    "brand monitoring": (_T, _T, _T, _T, _T, _T, _T, _T, _T,
                         "slang and topics shift weekly"),
    "review sentiment": (_T, _T, _T, _T, _T, _T, _T, _T, _T,
                         "one misread review barely matters"),
    "home-price valuation": (_T, _T, _T, _T, _T, _T, _F, _T, _T,
                             "each mistake is a house (chapter 3)"),
    "computing sales tax": (_F, _F, _T, _F, _T, _T, _F, _T, _F,
                            "the law states the rule exactly"),
    "one-off analysis": (_F, _F, _T, _F, _F, _F, _T, _F, _F,
                         "asked once, about the past"),
}
# fmt: on

#: The two use cases where ML is the wrong tool.
COUNTEREXAMPLES = ("computing sales tax", "one-off analysis")


def criteria_table():
    """The nine criteria as a table: key, short label, question, and whether it is
    core.

    Examples
    --------
    >>> criteria = criteria_table()
    >>> criteria.columns.tolist(), int(criteria.core.sum())
    (['label', 'question', 'core'], 5)
    >>> criteria.loc["cheap_errors", "question"]
    'Is a wrong prediction cheap?'
    """
    return pd.DataFrame(CRITERIA, columns=Criterion._fields).set_index("key")


def deck_use_cases():
    """The deck's use cases and two counterexamples, judged on the nine criteria.

    Returns
    -------
    pandas.DataFrame
        Index: use case. One boolean column per criterion key, then ``note``.

    Examples
    --------
    >>> use_cases = deck_use_cases()
    >>> use_cases.shape
    (11, 10)
    >>> bool(use_cases.loc["fraud detection", "cheap_errors"])
    False
    >>> use_cases.loc["fraud detection", "note"]
    'a missed fraud costs real money'
    """
    columns = [c.key for c in CRITERIA] + ["note"]
    table = pd.DataFrame.from_dict(_DECK_USE_CASES, orient="index", columns=columns)
    table.index.name = "use case"
    return table


def assess(table):
    """Score use cases against the criteria.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per use case and one boolean column per criterion key
        (other columns are ignored).

    Returns
    -------
    pandas.DataFrame
        ``core_met`` (how many of the five core criteria hold),
        ``helpful_met`` (how many of the four helpful ones hold),
        ``failed`` (the labels of the criteria that do not hold) and
        ``verdict``: "wrong tool" when a core criterion fails, "good fit"
        when all nine hold, "fits, with caveats" when the core holds but a
        helpful criterion does not (``failed`` says which).

    Examples
    --------
    >>> verdicts = assess(deck_use_cases())
    >>> verdicts.verdict.value_counts().to_dict()
    {'good fit': 6, 'fits, with caveats': 3, 'wrong tool': 2}
    >>> verdicts.loc["machine translation", ["failed", "verdict"]].tolist()
    ['changing patterns', 'fits, with caveats']
    """
    keys = CORE + HELPFUL
    missing = [k for k in keys if k not in table.columns]
    if missing:
        raise ValueError(f"assess: the table lacks the criteria columns {missing}.")
    judged = table[list(keys)]
    if not all(judged[k].map(lambda v: isinstance(v, bool)).all() for k in keys):
        raise ValueError("assess: every criterion column must hold True or False.")
    labels = {c.key: c.label for c in CRITERIA}
    core_met = judged[list(CORE)].sum(axis=1).astype(int)
    helpful_met = judged[list(HELPFUL)].sum(axis=1).astype(int)
    failed = judged.apply(
        lambda row: ", ".join(labels[k] for k in keys if not row[k]), axis=1
    )
    verdict = pd.Series("fits, with caveats", index=table.index)
    verdict[helpful_met == len(HELPFUL)] = "good fit"
    verdict[core_met < len(CORE)] = "wrong tool"
    return pd.DataFrame(
        {
            "core_met": core_met,
            "helpful_met": helpful_met,
            "failed": failed,
            "verdict": verdict,
        }
    )


def retick(table, ticks):
    """A copy of ``table`` with some judgements changed: how a reader disagrees with
    ours.

    Parameters
    ----------
    table : pandas.DataFrame
        Use cases judged on the criteria, as :func:`deck_use_cases` returns.
    ticks : dict
        ``{(use case, criterion key): True or False}``, e.g.
        ``{("fraud detection", "cheap_errors"): True}``.

    Returns
    -------
    pandas.DataFrame
        The table with those judgements replaced; the ``note`` of a changed
        row says so.

    Examples
    --------
    >>> mine = retick(deck_use_cases(), {("fraud detection", "cheap_errors"): True})
    >>> mine.loc["fraud detection", "note"]
    '(your tick) a missed fraud costs real money'
    >>> assess(mine).verdict["fraud detection"]
    'good fit'
    """
    out = table.copy()
    keys = [c.key for c in CRITERIA]
    for where, tick in dict(ticks).items():
        if not (isinstance(where, tuple) and len(where) == 2):
            raise ValueError(
                f"retick: each key must be a pair (use case, criterion), got {where!r}."
            )
        case, key = where
        if case not in out.index:
            raise ValueError(
                f"retick: no use case {case!r}; choose one of {list(out.index)}."
            )
        if key not in keys:
            raise ValueError(f"retick: no criterion {key!r}; choose one of {keys}.")
        if not isinstance(tick, bool):
            raise ValueError(
                f"retick: a judgement is True or False, got {tick!r} for {where}."
            )
        out.loc[case, key] = tick
        if "note" in out.columns and not str(out.loc[case, "note"]).startswith(
            "(your tick)"
        ):
            out.loc[case, "note"] = f"(your tick) {out.loc[case, 'note']}"
    return out
