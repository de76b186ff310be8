"""SVG -> PNG (resvg-py) and PDF (fpdf2): the same drawing, no system binary needed.

Both libraries are the optional extra `lenetcalc[diagram]`; they are imported here, on
use, so a missing one is a one-line error rather than a failed start-up.
"""

from __future__ import annotations

import logging

from ...errors import LenetcalcError

INSTALL = "pip install 'lenetcalc[diagram]'"


def to_png(svg: str) -> bytes:
    """Rasterise with resvg, at the SVG's own width and height."""
    try:
        import resvg_py
    except ImportError:
        raise LenetcalcError(f"PNG output needs resvg-py: {INSTALL}") from None
    return bytes(resvg_py.svg_to_bytes(svg_string=svg))


def to_pdf(svg: str, size: tuple[float, float]) -> bytes:
    """Convert with fpdf2: shapes stay vectors and text stays text (Courier for monospace)."""
    try:
        from fpdf import FPDF
        from fpdf.svg import SVGObject
    except ImportError:
        raise LenetcalcError(f"PDF output needs fpdf2: {INSTALL}") from None
    # fpdf2 logs each tag it skips (the <title>); the drawing itself is complete.
    logging.getLogger("fpdf.svg").setLevel(logging.ERROR)
    drawing = SVGObject(svg)
    pdf = FPDF(unit="pt", format=size)
    pdf.set_margin(0)
    pdf.add_page()
    drawing.draw_to_page(pdf, 0, 0)
    return bytes(pdf.output())
