"""The independent NumPy witness (`engine`) and `verify`, which compares it with the report."""

# The figures the engine measures, in display order. Here, beside the package's name, so
# that the tables can name them without loading verify.
CHECKED = (
    "output_shape",
    "trainable_params",
    "non_trainable_params",
    "connections",
    "macs",
    "product_macs",
)
# verify refuses a run whose estimated peak memory exceeds this (--max-memory).
DEFAULT_MAX_MEMORY = 4 * 2**30
