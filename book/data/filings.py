"""Company profiles that name their officers and investors (chapter 4)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from book.data._common import check_size

#: Invented first and last names; any resemblance to real people is chance.
FIRST_NAMES = (
    "Alma", "Bruno", "Carla", "Dario", "Edith", "Felix", "Greta", "Hugo", "Ines",
    "Jonas", "Karin", "Lionel", "Marta", "Nils", "Olga", "Pavel", "Rosa", "Stefan",
    "Tilda", "Ulrich", "Vera", "Walter", "Yara", "Zeno", "Agnes", "Boris", "Clara",
    "Dmitri", "Elsa", "Frank", "Hilda", "Ivan", "Jana", "Kurt", "Lena", "Milo",
    "Nora", "Oscar", "Petra", "Rudi",
)  # fmt: skip
LAST_NAMES = (
    "Adler", "Baines", "Carver", "Dalton", "Ellery", "Fenwick", "Garland", "Hale",
    "Ingram", "Jarvis", "Keane", "Lowell", "Marsh", "Nolan", "Orton", "Pryce",
    "Quill", "Rowe", "Sutton", "Thorne", "Upton", "Vance", "Wilder", "Yates",
    "Ashby", "Brandt", "Crowe", "Dunmore", "Eastwick", "Foyle", "Gower", "Holt",
    "Ivers", "Jessop", "Kimber", "Lister", "Merrow", "Norcott", "Oakes", "Penrose",
    "Radley", "Sallow", "Tennant", "Varley", "Winslow",
)  # fmt: skip
#: Invented investment firms: a word from ``FIRM_WORDS`` and a kind.
FIRM_WORDS = (
    "Alderwick", "Birchway", "Cobaltine", "Dunhallow", "Elmstead", "Fernhollow",
    "Grantmoor", "Harrowgate", "Ironvale", "Juniperlane", "Kestrelton", "Larkmere",
    "Meadowcroft", "Northbeck", "Oakhurst", "Pinecrest", "Quarrybrook", "Ridgewell",
    "Stonemere", "Tidewell", "Upperfold", "Westmarch",
)  # fmt: skip
FIRM_KINDS = ("Investments", "Capital", "Partners", "Ventures", "Holdings", "Equity")
_COMPANY_WORDS = (
    "Bluefield", "Coldharbor", "Redmoor", "Silverbank", "Greyford", "Brightwater",
    "Ashcombe", "Highmere", "Lowfield", "Marshgate",
)  # fmt: skip
_COMPANY_KINDS = ("Robotics", "Foods", "Systems", "Logistics", "Labs", "Materials")
_INDUSTRIES = (
    "software", "freight", "medical device", "food packaging", "battery",
    "industrial sensor", "payroll services", "water treatment",
)  # fmt: skip
_CITIES = ("Port Ellis", "Northbridge", "Kelby", "Ardmouth", "Fallowby", "Steynton")
_LEGAL_FORMS = ("LLC", "LP", "Ltd")

#: How a document writes its people's names, and how often each is drawn.
NAME_FORMATS = {"plain": 0.5, "inverted": 0.15, "upper": 0.15, "middle": 0.2}

#: The sentences a profile may use, by what they say; ``{name}`` is written in the
#: document's name format. The last CEO and COO phrasings name no role.
PHRASINGS = {
    "ceo": {
        "is the": "{name} is the chief executive officer of {company}.",
        "label": "CEO: {name}.",
        "led by": "The company is led by chief executive officer {name}.",
        "serves": "{name} serves as CEO.",
        "appointed": "{name} was appointed chief executive in {year}.",
        "headed": "{name} has headed {company} since {year}.",
    },
    "coo": {
        "serves": "{name} serves as COO.",
        "label": "COO: {name}.",
        "is the": "{name} is the chief operating officer.",
        "overseen": "Operations are overseen by chief operating officer {name}.",
        "runs": "{name} runs the company's plants and supply chain.",
    },
    "investors": {
        "include": "Investors include {list}.",
        "backed by": "The company is backed by {list}.",
        "semicolons": "Shareholders: {list}.",
        "round": "Its latest funding round was led by {first}{rest}.",
    },
    "distractor": {
        "board chair": "The board is chaired by {name}.",
        "former CEO": "Former chief executive {name} stays on as an adviser.",
        "founder": "{company} was founded in {year} by {name}.",
        "former COO": "{name} stepped down as chief operating officer in {year}.",
    },
}
_N_INVESTORS_P = (0.1, 0.25, 0.25, 0.2, 0.12, 0.08)  # 0 to 5 investors


def _written(first, last, name_format, initial):
    if name_format == "inverted":
        return f"{last}, {first}"
    if name_format == "upper":
        return f"{first} {last}".upper()
    if name_format == "middle":
        return f"{first} {initial}. {last}"
    return f"{first} {last}"


def _listed(firms, separator):
    if separator == ";" or len(firms) == 1:
        return "; ".join(firms)
    return ", ".join(firms[:-1]) + " and " + firms[-1]


def _sentence(rng, company, role, phrasing, name):
    year = int(rng.integers(1995, 2024))
    return PHRASINGS[role][phrasing].format(name=name, company=company, year=year)


def _pick(rng, options):
    return options[int(rng.integers(len(options)))]


def _check_probability(name, value):
    if not (isinstance(value, (int, float, np.floating)) and 0.0 <= value <= 1.0):
        raise ValueError(f"make_filings: {name} must be in [0, 1], got {value!r}.")


def make_filings(n=300, seed=0, p_missing_coo=0.3, p_distractor=0.5):
    """Short company profiles, like a filing's first paragraph, with the truth of
    who runs each company and who invested in it.

    Story: each profile opens with what the company does and where, then says,
    in a shuffled order, who its chief executive is, who its chief operating
    officer is (a share ``p_missing_coo`` of the documents name no COO) and
    which firms invested in it (0 to 5, written with commas and "and", with
    semicolons, after "backed by" or as a funding round). Each role has several
    phrasings (``PHRASINGS``): "CEO: Alma Hale", "Alma Hale serves as CEO",
    passive forms ("Operations are overseen by chief operating officer ..."),
    and one per role that names no role word at all ("... has headed Bluefield
    Robotics since 2015", "... runs the company's plants and supply chain").
    A document writes all its names in one format (``NAME_FORMATS``): "Alma
    Hale", "Hale, Alma", "ALMA HALE" or, with a middle initial, "Alma R. Hale".
    Firms are sometimes written with a legal form ("Birchway Capital LLC").
    With probability ``p_distractor`` the text also names someone who holds
    no role we extract: a board chair, a founder, a former chief executive or
    a former chief operating officer, so that a naive reader can pick the
    wrong person (a former COO in a document with no COO is the trap for an
    extractor that must fill in a COO).

    The truth is canonical: a person is "First Last" in title case, without
    the middle initial the text may show, and a firm is its name without a
    legal form ("Birchway Capital"). A profile has 2 to 5 sentences. All
    names are invented from small pools, so a name can recur across
    documents, but never twice within one.

    What this builds in: every fact is stated once, in a phrasing drawn from a
    known list, so an extractor's misses can be traced to a phrasing or a name
    format (the ``*_phrasing`` and ``name_format`` columns).

    Parameters
    ----------
    n : int
        Number of documents.
    seed : int
        Seed of the random generator.
    p_missing_coo : float
        Share of documents that name no chief operating officer, in [0, 1].
    p_distractor : float
        Share of documents that also name a board chair, founder, former chief
        executive or former chief operating officer, in [0, 1].

    Returns
    -------
    pandas.DataFrame
        ``text``; the truth: ``ceo`` (str), ``coo`` (str, or None when the
        document names no COO) and ``investors`` (a tuple of 0 to 5 firm
        names, in the order written); and how it was written: ``company``,
        ``name_format``, ``ceo_phrasing``, ``coo_phrasing`` (None without a
        COO), ``investors_phrasing`` ("none" when no investor is named),
        ``distractor`` (the distractor's role, or None) and
        ``distractor_name`` (canonical, or None).

    Examples
    --------
    >>> filings = make_filings(n=300, seed=0)
    >>> filings.shape, round(float(filings.coo.isna().mean()), 2)
    ((300, 11), 0.3)
    >>> print(filings.text[0])  # doctest: +NORMALIZE_WHITESPACE
    Lowfield Logistics is a software company based in Port Ellis. Ivan Wilder serves
    as CEO. Investors include Stonemere Holdings, Alderwick Equity, Meadowcroft
    Capital and Ironvale Investments Ltd. The board is chaired by Boris Dunmore.
    >>> filings.loc[0, ["ceo", "coo", "investors"]].tolist()  # doctest: +ELLIPSIS
    ['Ivan Wilder', None, ('Stonemere Holdings', 'Alderwick Equity', ...)]
    """
    check_size("make_filings", n)
    _check_probability("p_missing_coo", p_missing_coo)
    _check_probability("p_distractor", p_distractor)
    rng = np.random.default_rng(seed)
    formats, format_p = list(NAME_FORMATS), list(NAME_FORMATS.values())
    rows = []
    for _ in range(n):
        company = f"{_pick(rng, _COMPANY_WORDS)} {_pick(rng, _COMPANY_KINDS)}"
        name_format = formats[int(rng.choice(len(formats), p=format_p))]
        has_coo = bool(rng.uniform() >= p_missing_coo)
        distractor = (
            _pick(rng, list(PHRASINGS["distractor"]))
            if rng.uniform() < p_distractor
            else None
        )
        n_people = 1 + has_coo + (distractor is not None)
        firsts = rng.choice(len(FIRST_NAMES), size=n_people, replace=False)
        lasts = rng.choice(len(LAST_NAMES), size=n_people, replace=False)
        initials = rng.choice(list("ABCDEFGHJKLMNPRSTW"), size=n_people)
        people = [(FIRST_NAMES[f], LAST_NAMES[s]) for f, s in zip(firsts, lasts)]
        written = [
            _written(first, last, name_format, initial)
            for (first, last), initial in zip(people, initials)
        ]
        canonical = [f"{first} {last}" for first, last in people]

        ceo_phrasing = _pick(rng, list(PHRASINGS["ceo"]))
        sentences = [_sentence(rng, company, "ceo", ceo_phrasing, written[0])]
        coo_phrasing = None
        if has_coo:
            coo_phrasing = _pick(rng, list(PHRASINGS["coo"]))
            sentences.append(_sentence(rng, company, "coo", coo_phrasing, written[1]))
        if distractor is not None:
            sentences.append(
                _sentence(rng, company, "distractor", distractor, written[-1])
            )

        n_investors = int(rng.choice(len(_N_INVESTORS_P), p=_N_INVESTORS_P))
        words = rng.choice(len(FIRM_WORDS), size=n_investors, replace=False)
        investors = tuple(f"{FIRM_WORDS[w]} {_pick(rng, FIRM_KINDS)}" for w in words)
        as_written = [
            f"{firm} {_pick(rng, _LEGAL_FORMS)}" if rng.uniform() < 0.2 else firm
            for firm in investors
        ]
        investors_phrasing = "none"
        if n_investors:
            investors_phrasing = _pick(rng, list(PHRASINGS["investors"]))
            template = PHRASINGS["investors"][investors_phrasing]
            if investors_phrasing == "round":
                rest = as_written[1:]
                joined = f", joined by {_listed(rest, 'and')}" if rest else ""
                sentences.append(template.format(first=as_written[0], rest=joined))
            else:
                separator = ";" if investors_phrasing == "semicolons" else "and"
                sentences.append(template.format(list=_listed(as_written, separator)))
        elif rng.uniform() < 0.5:
            sentences.append("It has taken no outside investment.")

        industry = _pick(rng, _INDUSTRIES)
        article = "an" if industry[0] in "aeiou" else "a"
        intro = (
            f"{company} is {article} {industry} company based in {_pick(rng, _CITIES)}."
        )
        order = rng.permutation(len(sentences))
        rows.append(
            {
                "text": " ".join([intro] + [sentences[i] for i in order]),
                "ceo": canonical[0],
                "coo": canonical[1] if has_coo else None,
                "investors": investors,
                "company": company,
                "name_format": name_format,
                "ceo_phrasing": ceo_phrasing,
                "coo_phrasing": coo_phrasing,
                "investors_phrasing": investors_phrasing,
                "distractor": distractor,
                "distractor_name": canonical[-1] if distractor else None,
            }
        )
    filings = pd.DataFrame(rows)
    for column in ("coo", "coo_phrasing", "distractor", "distractor_name"):
        # object columns keep None (a JSON null), where str columns would hold NaN
        filings[column] = pd.Series(
            [row[column] for row in rows], dtype=object, index=filings.index
        )
    return filings
