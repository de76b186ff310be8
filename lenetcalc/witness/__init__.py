"""The independent NumPy witness (`engine`) and `verify`, which compares it with the report."""

# verify refuses a run whose estimated peak memory exceeds this (--max-memory).
DEFAULT_MAX_MEMORY = 4 * 2**30
