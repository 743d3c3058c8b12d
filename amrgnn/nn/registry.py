"""The graph-layer registry: every layer kind behind one signature, for ablations and for the
encoder's graph states. A new layer is one :class:`~amrgnn.nn.zoo.GraphLayer` subclass plus one
line here (or ``LAYERS.register("name", MyLayer)`` in your own code).

Pure Python: the names are known without importing torch (``amrgnn ablate-gnn --help``).
"""

from __future__ import annotations

from ..registry import Registry

__all__ = ["LAYERS"]

#: Graph layer classes by kind; each is built as ``cls(in_channels, out_channels, *, num_scales,
#: num_relations)`` and called as ``layer(x, edge_index, edge_type=None, hops=None)``.
LAYERS: Registry = Registry("graph layer")
LAYERS.register("multiscale", lazy="amrgnn.nn.zoo:MultiScaleLayer")
LAYERS.register("powers", lazy="amrgnn.nn.zoo:PowersLayer")
LAYERS.register("gcn", lazy="amrgnn.nn.zoo:GCNLayer")
LAYERS.register("rgcn", lazy="amrgnn.nn.zoo:RGCNLayer")
LAYERS.register("gat", lazy="amrgnn.nn.zoo:GATLayer")
