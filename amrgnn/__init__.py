"""amrgnn: AMR graphs aligned to tokens, multi-scale graph layers and AMR-aware DeBERTa on PyTorch Geometric."""

__version__ = "0.1.0"

__all__ = ["EventExtractionPipeline", "__version__"]


def __getattr__(name: str):
    # lazy: `import amrgnn` stays light (no torch); the pipeline registers "amr-event-extraction" with
    # transformers' pipeline registry when first imported
    if name == "EventExtractionPipeline":
        from .tasks.ee.pipeline import EventExtractionPipeline

        return EventExtractionPipeline
    raise AttributeError(f"module 'amrgnn' has no attribute {name!r}")
