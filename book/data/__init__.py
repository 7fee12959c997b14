"""Seeded synthetic datasets, one generator per dataset, grouped by domain.

Every ``make_*`` function is deterministic for a given ``seed`` and returns
pandas objects. Each docstring tells the dataset's generative story: what the
columns mean, what signal and noise were put in, which drift or bias exists,
and what that builds in. Nothing is downloaded; the chapters also use
scikit-learn's bundled ``load_digits``, and the human-rated corpora that setup
fetches (:mod:`book.corpora`).

The notebooks call them as ``data.make_*`` (``from book import data``):

===========================  ===============================  =======
generator                    what it draws                    chapter
===========================  ===============================  =======
``make_shipping``            parcels and their tariff         1
``make_churn``               customers who leave              1
``make_spam_stream``         messages whose spam drifts       1
``make_ad_clicks``           ad impressions and clicks        2
``make_lending``             loans and biased records         2
``make_fraud``               card payments, ~1% fraud         3
``make_feed``                recommendations and plays        3
``make_housing``             homes, values and sellers        3
``make_gaussian_classes``    two classes of Gaussian points   4
``make_filings``             company profiles and officers    4
``make_marketplace``         users, items, logged sessions    6
===========================  ===============================  =======
"""

from book.data.advertising import AD_CATEGORIES, DEVICES, make_ad_clicks
from book.data.customers import make_churn, make_feed
from book.data.filings import NAME_FORMATS, PHRASINGS, make_filings
from book.data.finance import MERCHANTS, REGIONS, make_fraud, make_lending
from book.data.gaussians import make_gaussian_classes
from book.data.housing import NEIGHBOURHOODS, make_housing
from book.data.logistics import make_shipping
from book.data.marketplace import make_marketplace
from book.data.messages import make_spam_stream

__all__ = [
    "AD_CATEGORIES",
    "DEVICES",
    "MERCHANTS",
    "NAME_FORMATS",
    "NEIGHBOURHOODS",
    "PHRASINGS",
    "REGIONS",
    "make_ad_clicks",
    "make_churn",
    "make_feed",
    "make_filings",
    "make_fraud",
    "make_gaussian_classes",
    "make_housing",
    "make_lending",
    "make_marketplace",
    "make_shipping",
    "make_spam_stream",
]
