"""Pictures of a network: diagrams (SVG, PNG, PDF), connection-table grids, Mermaid, bars.

Importing this package is cheap: the drawing libraries load only with `draw`, which the
CLI imports inside the `diagram` command, so `summary` never pays for them.
"""
