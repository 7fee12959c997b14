"""Figures from primary sources that more than one page computes with.

A chapter and the back matter's fact-check of the club's deck both state these; defining
them once means the two pages cannot disagree. Each figure names its source.
"""

#: Zillow Offers' figures, in millions of US dollars. The third quarter's inventory
#: write-down and the fourth quarter's expected losses come from Zillow Group's
#: shareholder letter for Q3 2021 (2 November 2021); the inventory write-downs recorded
#: for the whole of 2021 from its annual report for 2021 (Form 10-K).
ZILLOW_MUSD = {
    "q3 write-down": 304,
    "q4 expected low": 240,
    "q4 expected high": 265,
    "2021 write-downs, annual report": 408,
}


def zillow_forecast_musd(figures=ZILLOW_MUSD):
    """The third quarter's write-down plus the losses expected in the fourth, as a
    (low, high) range in millions of dollars: what Zillow announced in November 2021.

    Examples
    --------
    >>> zillow_forecast_musd()
    (544, 569)
    """
    q3 = figures["q3 write-down"]
    return q3 + figures["q4 expected low"], q3 + figures["q4 expected high"]
