"""Task data: event corpora and their formats, graph sources, batching of token graphs, event and
MLGM features, and the protocol data (streams, subsets, domains).

Names are imported on first use, so that ``amrgnn.data.events`` (pure Python) does not pull in torch.
"""

from ..registry import lazy_exports

_EXPORTS = {
    **dict.fromkeys(["batch_token_graphs", "subword_token_graph", "token_graph_data"], ".batching"),
    **dict.fromkeys(
        ["MLGMCollator", "MLGMDataset", "MLGMExample", "MLGMPrepStats", "MaskingConfig", "mask_example",
         "prepare_mlgm_examples", "split_by_id"],
        ".mlgm",
    ),
    **dict.fromkeys(["EVENT_FORMATS", "Sentence", "read_events"], ".events"),
    **dict.fromkeys(["GRAPH_SOURCES", "attach_graphs", "parse_graph_source"], ".graphs"),
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = [
    "EVENT_FORMATS",
    "GRAPH_SOURCES",
    "MLGMCollator",
    "MLGMDataset",
    "MLGMExample",
    "MLGMPrepStats",
    "MaskingConfig",
    "Sentence",
    "attach_graphs",
    "batch_token_graphs",
    "mask_example",
    "parse_graph_source",
    "prepare_mlgm_examples",
    "read_events",
    "split_by_id",
    "subword_token_graph",
    "token_graph_data",
]
