"""AMR graphs: reading PENMAN, aligning, vocabularies, PyG conversion, token graphs and k-hop structure."""

from .align import align
from .columns import EncodeOptions, GraphColumns, encode_amrs, to_hetero
from .convert import INSTANCE_ID, extract_arrays, node_token_sets, token_graph
from .hetero import AMRGraphData, to_penman
from .io import AMR, AMRFormatError, ReadStats, expand_paths, parse_amr, read_amr
from .khop import KHop, exact_k_hop, exact_k_hop_typed
from .subword import project_to_subwords, word_ids_tensor
from .vocab import AMRVocab, split_sense

__all__ = [
    "AMR",
    "align",
    "AMRFormatError",
    "AMRGraphData",
    "AMRVocab",
    "EncodeOptions",
    "GraphColumns",
    "INSTANCE_ID",
    "KHop",
    "ReadStats",
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
