"""amrgnn: AMR graphs aligned to tokens, multi-scale graph layers and AMR-aware DeBERTa on PyTorch Geometric."""

__version__ = "0.1.0"

__all__ = ["__version__"]
