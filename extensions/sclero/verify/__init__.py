"""Identifiers against their registries: PubMed and PMC (E-utilities), Crossref, doi.org."""
