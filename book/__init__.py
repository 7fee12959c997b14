"""Companion package of *Designing ML Systems, Chapter 1: the executable edition*.

The chapters and homework notebooks import it; it never reads a notebook.

Modules
-------
data
    Seeded synthetic datasets, one function per dataset.
rules
    Hand-written rules that the chapters pit against learned models.
checklist
    Chip Huyen's nine criteria for "does this problem need ML?", as data.
economics
    Cost of building and running a decision: break-even volumes and deferral.
plots
    The book's one figure style.
"""

__version__ = "0.1.0"
