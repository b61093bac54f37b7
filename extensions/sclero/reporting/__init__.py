"""Findings out: the JSON report, warnings as data, terminal text, CI formats, summaries."""
