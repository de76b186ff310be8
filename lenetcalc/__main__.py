"""`python -m lenetcalc`."""

from .cli import main

main(prog_name="lenetcalc")
