"""lenetcalc: exact layer-by-layer accounting of neural-network architectures."""

from __future__ import annotations

__version__ = "0.1.0"
