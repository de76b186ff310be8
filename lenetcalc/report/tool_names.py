"""The peer tools `--as` names, without loading their rule tables (report/peers.py)."""

from __future__ import annotations

# Keys of peers.TOOLS, in its order; peers.py checks the two agree when it loads.
TOOL_KEYS = (
    "torchinfo",
    "ptflops-aten",
    "ptflops",
    "thop",
    "fvcore",
    "torchscan",
    "torchscan-flops",
    "flopcounter",
)
