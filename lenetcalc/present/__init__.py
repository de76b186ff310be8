"""Presentation: figures to neutral tables, and the writers for every output format."""
