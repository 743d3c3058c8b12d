"""AMR graphs for event-extraction sentences, from a pluggable source (:data:`GRAPH_SOURCES`).

``--graphs none``: the text-only baseline. ``--graphs penman:PATH``: any parser's PENMAN output,
matched by sentence id. ``--graphs amrlib``: parse on the fly with amrlib. ``--graphs predicted:DIR``: token graphs
predicted by a ``train-parser`` model (cached). ``--graphs tokengraph:PATH``: an ``amrgnn parse``
output, matched by id. :func:`attach_graphs`
(which needs torch; imported on first use) turns any source's graphs into sub-word token graphs.
"""

from ...registry import lazy_exports
from .base import GRAPH_SOURCES, GraphSource, NoGraphs, graph_label, parse_graph_source

GRAPH_SOURCES.register("none", NoGraphs)
GRAPH_SOURCES.register("penman", lazy="amrgnn.data.graphs.penman:PenmanGraphs")
GRAPH_SOURCES.register("amrlib", lazy="amrgnn.data.graphs.amrlib:AmrlibGraphs")
GRAPH_SOURCES.register("predicted", lazy="amrgnn.data.graphs.predicted:PredictedGraphs")
GRAPH_SOURCES.register("tokengraph", lazy="amrgnn.data.graphs.tokengraph:TokenGraphFile")

__getattr__, __dir__ = lazy_exports(__name__, {"attach_graphs": ".attach", "VOCAB_FILE": ".attach"})

__all__ = ["GRAPH_SOURCES", "VOCAB_FILE", "GraphSource", "NoGraphs", "attach_graphs", "graph_label", "parse_graph_source"]
