"""Spec reading: YAML text to a validated, located `Network`."""
