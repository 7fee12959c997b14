"""The glossary (appendix/glossary.md) and its links from the chapters.

Every term of the glossary has a short definition and says, with a ``{ref}``, the section
where the book first uses it. In every chapter, the first time the prose uses a glossary
term, the word is a ``{term}`` link to its entry. Which words count as a use of a term is
:data:`TERM_PATTERNS`: one regular expression per term, searched in a chapter's prose only
(code cells, inline code, math, roles other than ``{term}``, headings, labels and directive
lines are masked out).
"""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

GLOSSARY = ROOT / "appendix" / "glossary.md"
CHAPTERS = sorted((ROOT / "chapters").glob("0*.md"))

#: What counts as a use of each glossary term in a chapter's prose. Case-insensitive, except
#: for the terms in CASE_SENSITIVE. A new glossary term needs its pattern here.
TERM_PATTERNS = {
    "A/A test": r"\bA/A\s+tests?\b",
    "A/B test": r"\bA/B\s+test",
    "activation checkpointing": r"\bactivation\s+checkpointing",
    "adverse selection": r"\badverse\s+selection",
    "AUC": r"\bAUC\b",
    "behavioural test": r"\bbehavioural\s+test",
    "benchmark": r"\bbenchmarks?\b",
    "bootstrap": r"\bbootstrap",
    "calibration": r"\bcalibrat",
    "click-through rate": r"\bclick-through\s+rate|\bCTR\b",
    "confidence interval": r"\b(?:confidence\s+)?intervals?\b",
    "coverage": r"\bcoverage\b",
    "CUPED": r"\bCUPED\b",
    "data leakage": r"\bleak",
    "deferral": r"\bdefer",
    "discriminative model": r"\bdiscriminative\b",
    "domain shift": r"\bdomain\s+shift",
    "drift": r"\bdrift",
    "exposure": r"\bexposure\b",
    "F1": r"\bF1\b",
    "false-negative rate": r"\bfalse[-\s]+negative",
    "fine-tuning": r"\bfine-tun",
    "foundation model": r"\bfoundation\s+models?\b",
    "fp16": r"\bfp16\b",
    "generative model": r"\bgenerative\s+models?\b",
    "Gini coefficient": r"\bGini(?:\s+coefficient)?\b",
    "hallucination": r"\bhallucinat",
    "key-value cache": r"\bkey-value\s+cache|\bKV\s+cache",
    "label noise": r"\bnoisy\s+labels|\blabel\s+noise",
    "language model": r"\b(?:large\s+)?language\s+models?\b|\bLLMs?\b",
    "latency": r"\blatency\b",
    "lexicon": r"\blexicon",
    "log-loss": r"\blog-loss\b",
    "logistic regression": r"\blogistic\s+regressions?\b",
    "LoRA": r"\bLoRA\b",
    "minimum detectable effect": r"\bminimum\s+detectable\s+effect",
    "MMR": r"\bMMR\b",
    "mixed precision": r"\bmixed[-\s]precision",
    "model registry": r"\bregistry\b",
    "naive Bayes": r"\bnaive\s+Bayes\b",
    "n-gram": r"\bn-gram",
    "NDCG": r"\bNDCG",
    "novelty effect": r"\bnovelty(?:\s+effect)?\b",
    "operating point": r"\boperating\s+point",
    "peeking": r"\bpeeking\b",
    "perplexity": r"\bperplexity\b",
    "permutation importance": r"\bpermutation\s+importance",
    "Platt scaling": r"\bPlatt(?:\s+scaling)?\b",
    "precision": r"(?<!-)\bprecision\b",
    "prefill": r"\bprefill",
    "proxy": r"\bprox(?:y|ies)\b",
    "p-value": r"\bp-values?\b",
    "quantisation": r"\bquantis",
    "recall": r"\brecall\b(?!@)",
    "recall@K": r"\brecall@(?:K|\d+)",
    "reliability diagram": r"\breliability\s+diagram",
    "retrieval": r"\bretrieval\b",
    "sample ratio mismatch": r"\bsample[-\s]+ratio(?:\s+mismatch)?",
    "significance level": r"\bsignificance\s+level|α",
    "split by time": r"\bsplit(?:\s+the\s+log)?\s+by\s+time\b",
    "statistical power": r"\b(?:statistical\s+)?power\b",
    "threshold": r"\bthreshold",
    "throughput": r"\bthroughput\b",
    "token": r"\btokens?\b",
    "validation set": r"(?<![-\w])validation\b",
    "winner's curse": r"\bwinner's\s+curse",
}
#: Abbreviations and names, matched as written: "auc" or "Mmr" in prose would not be the term.
CASE_SENSITIVE = {"AUC", "CUPED", "F1", "LoRA", "MMR", "NDCG", "Platt scaling"}
#: (chapter, term): the chapter uses the term's word only in another sense, so its first
#: use there is no use of the term, with the reason.
OTHER_SENSES = {
    ("02_research_vs_production", "precision"): (
        "the numeric precision of weights (fp16, int8), not the metric"),
    ("03_enterprise_vs_consumer", "exposure"): (
        "how many people see a model's outputs (an internal tool against a consumer app), "
        "not the attention a recommendation list gives an item"),
    ("06_recsys_case_study", "recall"): (
        "only the recall@K of a retriever (recall@50 by the model's age), not a classifier's "
        "recall: the recall@K entry"),
}

_TERM_ROLE = re.compile(r"\{term\}`([^`]*)`")
_ROLE_TEXT = re.compile(r"(?P<text>.*?)\s*<(?P<target>[^<>]+)>", re.DOTALL)


def _pattern(term):
    return re.compile(TERM_PATTERNS[term], 0 if term in CASE_SENSITIVE else re.IGNORECASE)


def term_roles(text):
    """``[(start, end, target)]`` of the text each ``{term}`` role shows, with the term it
    links to: ``{term}`AUC``` shows and links "AUC"; ``{term}`leaks <data leakage>```
    shows "leaks" and links "data leakage"."""
    roles = []
    for match in _TERM_ROLE.finditer(text):
        content, start = match.group(1), match.start(1)
        explicit = _ROLE_TEXT.fullmatch(content)
        if explicit:
            roles.append((start, start + explicit.end("text"), explicit.group("target").strip()))
        else:
            roles.append((start, start + len(content), content.strip()))
    return roles


def _blank(chars, start, end):
    for index in range(start, end):
        if chars[index] != "\n":
            chars[index] = " "


def _without_code(text):
    """The text with its front matter and code cells blanked (offsets kept)."""
    chars = list(text)
    front = re.match(r"---\n.*?\n---\n", text, re.DOTALL)
    if front:
        _blank(chars, *front.span())
    for cell in re.finditer(r"^(`{3,})\{code-cell\}.*?^\1[ \t]*$", text, re.MULTILINE | re.DOTALL):
        _blank(chars, *cell.span())
    return "".join(chars)


def prose(text):
    """A chapter's prose: everything else replaced by spaces, so that offsets stay.

    Masked: front matter, code cells, directive fences and title lines, directive options,
    headings, labels, roles (a ``{term}`` role keeps the text it shows), inline code,
    link targets and math.
    """
    text = _without_code(text)
    chars = list(text)
    lines = (r"^\s*(`{3,}|:{3,}).*$", r"^\s*:[\w-]+:.*$", r"^#{1,6}\s.*$", r"^\([\w-]+\)=\s*$")
    for rule in lines:
        for match in re.finditer(rule, text, re.MULTILINE):
            _blank(chars, *match.span())
    # The {term} roles first: their text is in backticks, which the inline code below masks.
    shown = [(start, end) for start, end, _ in term_roles(text)]
    for match in _TERM_ROLE.finditer(text):
        _blank(chars, match.start(), match.end())
    for start, end in shown:
        chars[start:end] = text[start:end]
    outside = [span for span in ((m.start(), m.end()) for m in _TERM_ROLE.finditer(text))]
    for rule in (r"\{[\w:-]+\}`[^`]*`", r"`[^`\n]*`", r"\]\([^)\s]*\)", r"(?<!\\)\$[^$\n]*(?<!\\)\$"):
        for match in re.finditer(rule, text):
            if not any(start <= match.start() < end for start, end in outside):
                _blank(chars, *match.span())
    return "".join(chars)


def glossary():
    """``{term: definition}`` of the glossary directive of appendix/glossary.md."""
    text = GLOSSARY.read_text(encoding="utf-8")
    block = re.search(r"^(`{3,})\{glossary\}[^\n]*\n(.*?)^\1[ \t]*$", text, re.MULTILINE | re.DOTALL)
    assert block, "appendix/glossary.md holds a ```{glossary} directive"
    entries, term = {}, None
    for line in block.group(2).splitlines():
        if not line.strip() or (term is None and line.startswith(":")):
            continue
        if not line[0].isspace():
            term = line.strip()
            assert term not in entries, f"the glossary defines {term!r} twice"
            entries[term] = ""
        else:
            assert term is not None, f"a definition line before any term: {line!r}"
            entries[term] += " " + line.strip()
    return {term: definition.strip() for term, definition in entries.items()}


def _headings(text):
    """``[(offset, level, label or None)]`` of the headings outside code cells."""
    found = []
    for match in re.finditer(r"^(#{1,6})\s", _without_code(text), re.MULTILINE):
        before = text[:match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        label = re.fullmatch(r"\(([\w-]+)\)=\s*", before)
        found.append((match.start(), len(match.group(1)), label.group(1) if label else None))
    return found


def section_label(text, offset):
    """The label of the innermost labelled section around ``offset``: the section's own, or
    that of the nearest enclosing section that has one (the chapter's, at worst)."""
    level = 7
    for start, depth, label in reversed([h for h in _headings(text) if h[0] < offset]):
        if depth < level:
            if label:
                return label
            level = depth
    return None


def first_uses():
    """``{term: (chapter, offset of its first use)}``, reading the chapters in order."""
    found = {}
    for chapter in CHAPTERS:
        text = prose(chapter.read_text(encoding="utf-8"))
        for term in TERM_PATTERNS:
            if term in found or (chapter.stem, term) in OTHER_SENSES:
                continue
            match = _pattern(term).search(text)
            if match:
                found[term] = (chapter, match.start())
    return found


def test_every_glossary_term_has_a_pattern_and_every_pattern_a_term():
    terms = set(glossary())
    assert terms == set(TERM_PATTERNS), (
        f"glossary terms without a pattern in TERM_PATTERNS: {sorted(terms - set(TERM_PATTERNS))}; "
        f"patterns of no glossary term: {sorted(set(TERM_PATTERNS) - terms)}")


def test_every_term_is_defined_and_links_the_section_of_its_first_use():
    uses = first_uses()
    problems = []
    for term, definition in glossary().items():
        first = re.search(r"First used in \{ref\}`([\w-]+)`", definition)
        if len(re.sub(r"\{\w+(?::\w+)?\}`[^`]*`", "", definition).split()) < 8:
            problems.append(f"{term}: define it in a sentence or more")
        if not first:
            problems.append(f"{term}: end its definition with 'First used in {{ref}}`label`.'")
            continue
        if term not in uses:
            problems.append(f"{term}: no chapter's prose uses it (TERM_PATTERNS finds nothing)")
            continue
        chapter, offset = uses[term]
        label = section_label(chapter.read_text(encoding="utf-8"), offset)
        if first.group(1) != label:
            problems.append(f"{term}: first used in {chapter.name}, section `{label}`, but the "
                            f"glossary says `{first.group(1)}`")
    assert not problems, "glossary entries to fix:\n" + "\n".join(problems)


def test_every_term_link_of_a_chapter_names_a_glossary_term():
    terms = {term.lower(): term for term in glossary()}  # Sphinx matches terms case-blind
    unknown, unmatched = [], []
    for chapter in CHAPTERS:
        text = chapter.read_text(encoding="utf-8")
        for start, end, target in term_roles(text):
            line = text.count("\n", 0, start) + 1
            term = terms.get(target.lower())
            if term is None:
                unknown.append(f"{chapter.name}:{line}: {target!r}")
            elif not _pattern(term).search(text[start:end]):
                unmatched.append(f"{chapter.name}:{line}: {text[start:end]!r} (term {term!r})")
    assert not unknown, f"{{term}} links to terms the glossary does not define: {unknown}"
    assert not unmatched, ("{term} links whose text TERM_PATTERNS does not recognise as the term: "
                           f"widen the pattern or link other words: {unmatched}")


def test_every_glossary_term_is_linked_from_a_chapter():
    linked = {target.lower() for chapter in CHAPTERS
              for _, _, target in term_roles(chapter.read_text(encoding="utf-8"))}
    orphans = [term for term in glossary() if term.lower() not in linked]
    assert not orphans, f"glossary terms that no chapter links with {{term}}: {orphans}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_each_term_is_linked_at_its_first_use_in_the_chapter(chapter):
    text = chapter.read_text(encoding="utf-8")
    masked = prose(text)
    roles = term_roles(text)
    unlinked = []
    for term in TERM_PATTERNS:
        if (chapter.stem, term) in OTHER_SENSES:
            continue
        match = _pattern(term).search(masked)
        if match is None:
            continue
        if not any(start <= match.start() < end and target.lower() == term.lower()
                   for start, end, target in roles):
            line = text.count("\n", 0, match.start()) + 1
            unlinked.append(f"line {line}: {match.group()!r} ({term})")
    assert not unlinked, ("link the first use of each glossary term in the chapter's prose with "
                          "{term}`word` or {term}`words <glossary term>`: " + "; ".join(unlinked))


def test_prose_masks_what_is_not_prose():
    text = ("---\nkernelspec: {}\n---\n(ch-x)=\n# AUC\n\nThe {term}`AUC` and {eval}`auc_text`,"
            " `AUC` and $AUC$.\n```{note}\n:class: AUC\nAUC here\n```\n"
            "```{code-cell} ipython3\nAUC = 1\n```\nand {term}`leaks <data leakage>`.\n")
    masked = prose(text)
    found = [text[m.start():m.end()] for m in re.finditer(r"AUC|leaks", masked)]
    assert found == ["AUC", "AUC", "leaks"], f"only prose is searched, and a role's shown text: {found}"
    assert len(masked) == len(text), "masking keeps every offset"
    assert section_label(text, text.index("leaks")) == "ch-x", "a use finds its labelled section"
