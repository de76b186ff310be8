"""The independent NumPy witness (`engine`) and `verify`, which compares it with the report."""
