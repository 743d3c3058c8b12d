"""Word tables of the biomedical domain (Bio AMR): figure and table references, cell lines,
protein sites, amino acids, oncogenes. Merged into the general tables of :mod:`.words`."""

from __future__ import annotations

__all__ = ["BIO_CONCEPT_WORDS", "BIO_STRING_WORDS"]

#: concept (sense stripped) -> biomedical words it may align to
BIO_CONCEPT_WORDS: dict[str, tuple[str, ...]] = {
    "figure": ("fig", "fig.", "figs", "figs.", "figure", "figures"),
    "table": ("table", "tab", "tab.", "tables"),
    "cell-line": ("cells", "cell"),
    "protein-segment": ("site", "sites"),
    "macro-molecular-complex": ("complex", "complexes"),
    "wild-type": ("wt", "wild-type", "wildtype"),
    "phosphorus": ("32p",),
    "cause": ("oncogenic", "oncogene", "oncogenes", "oncogenically", "tumorigenic"),
}

_AMINO_ACIDS = {
    "alanine": "ala", "arginine": "arg", "asparagine": "asn", "aspartate": "asp",
    "aspartic": "asp", "cysteine": "cys", "glutamate": "glu", "glutamine": "gln", "glycine": "gly",
    "isoleucine": "ile", "leucine": "leu", "lysine": "lys",
    "methionine": "met", "phenylalanine": "phe", "proline": "pro", "serine": "ser",
    "threonine": "thr", "tryptophan": "trp", "tyrosine": "tyr", "valine": "val",
}

#: quoted constants -> tokens they may align to, besides their own spelling.
BIO_STRING_WORDS: dict[str, tuple[str, ...]] = {
    "cancer": ("oncogenic", "oncogene", "oncogenes", "tumorigenic", "oncogenicity"),
    "mammalia": ("mammalian", "mammals", "mammal"),
    **{k: (v,) for k, v in _AMINO_ACIDS.items()},
}
