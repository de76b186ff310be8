"""Built-in specs, shipped in the installed package as `lenetcalc.specs`."""
