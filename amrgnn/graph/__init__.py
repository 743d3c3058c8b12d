"""AMR graphs: reading PENMAN, aligning, vocabularies, PyG conversion, token graphs and k-hop structure.

Names are imported on first use (``amrgnn.graph.io`` and ``amrgnn.graph.vocab`` need no torch).
"""

from ..registry import lazy_exports

_EXPORTS = {
    "align": ".aligner",
    **dict.fromkeys(["EncodeOptions", "GraphColumns", "encode_amrs", "to_hetero"], ".columns"),
    **dict.fromkeys(["extract_arrays", "node_token_sets", "token_graph"], ".convert"),
    **dict.fromkeys(["AMRGraphData", "to_penman"], ".hetero"),
    **dict.fromkeys(["AMR", "AMRFormatError", "ReadStats", "expand_paths", "parse_amr", "read_amr"], ".io"),
    **dict.fromkeys(["KHop", "exact_k_hop", "exact_k_hop_typed"], ".khop"),
    **dict.fromkeys(["project_to_subwords", "word_ids_tensor"], ".subword"),
    **dict.fromkeys(["AMRVocab", "INSTANCE_ID", "split_sense"], ".vocab"),
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = [
    "AMR",
    "AMRFormatError",
    "AMRGraphData",
    "AMRVocab",
    "EncodeOptions",
    "GraphColumns",
    "INSTANCE_ID",
    "KHop",
    "ReadStats",
    "align",
    "encode_amrs",
    "exact_k_hop",
    "exact_k_hop_typed",
    "expand_paths",
    "extract_arrays",
    "node_token_sets",
    "parse_amr",
    "project_to_subwords",
    "read_amr",
    "split_sense",
    "to_hetero",
    "to_penman",
    "token_graph",
    "word_ids_tensor",
]
