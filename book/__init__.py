"""Companion package of *Designing ML Systems, Chapter 1: the executable edition*.

The chapters and homework notebooks import it; it never reads a notebook.

Modules
-------
data
    Seeded synthetic datasets, one function per dataset, one module per domain.
rules
    Hand-written rules that the chapters pit against learned models.
checklist
    Chip Huyen's nine criteria for "does this problem need ML?", as data.
economics
    Cost of building and running a decision: break-even volumes and deferral.
decisions
    Thresholds and operating points when the two kinds of mistake cost money.
ibuying
    An iBuyer's offers and what the homes it buys earn: the winner's curse.
generative
    Naive Bayes with shared variances, and learning curves against training size.
ngram
    A character (or word) n-gram language model: perplexity, samples, copying.
sentiment
    VADER against models trained on labels, on the human-rated sentences.
extraction
    Measuring a field extractor: per field, per list item, and with abstention.
evaluation
    Metrics beyond the loss: precision at a budget, calibration, rater agreement.
behaviour
    Behavioural tests of sentiment models (minimum functionality, invariance,
    direction), after CheckList.
recsys
    A small recommender, stage by stage: retrievers, recall@K and NDCG, ranking
    features, re-ranking for variety, sponsors and providers, offline metrics.
abtest
    Online evaluation: a lift's interval, sample sizes, the sample-ratio check,
    peeking, and a simulator of users under two rankers.
facts
    Figures from primary sources that more than one page computes with (Zillow's).
plots
    The book's one figure style.
"""

__version__ = "0.1.0"
