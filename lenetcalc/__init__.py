"""lenetcalc: exact layer-by-layer accounting of neural-network architectures.

    >>> import lenetcalc
    >>> report = lenetcalc.analyze("lenet5")
    >>> report.totals.trainable_params, report.totals.connections
    (60000, 340908)

The API (`load`, `analyze`, `memory`, `verify`, `compare`) is imported on first use, so
`import lenetcalc` stays cheap: neither NumPy nor Rich is loaded until needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .api import analyze, compare, load, memory, verify
    from .report.analysis import LayerRecord, Report
    from .report.compare import Comparison
    from .spec.network import Network
    from .witness.verify import Verification

_LAZY = {
    "load": "api",
    "analyze": "api",
    "memory": "api",
    "verify": "api",
    "compare": "api",
    "Report": "report.analysis",
    "LayerRecord": "report.analysis",
    "Comparison": "report.compare",
    "Network": "spec.network",
    "Verification": "witness.verify",
}

__all__ = [
    "Comparison",
    "LayerRecord",
    "Network",
    "Report",
    "Verification",
    "__version__",
    "analyze",
    "compare",
    "load",
    "memory",
    "verify",
]


def __getattr__(name: str) -> Any:
    """The API's names, imported when first used."""
    if name not in _LAZY:
        raise AttributeError(f"module 'lenetcalc' has no attribute '{name}'")
    from importlib import import_module

    value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value
