"""Accounting: `analyze(network) -> Report`, memory, and comparisons of reports."""
