"""``finetune``: each task's data alone; nothing protects the old types (the lower bound)."""

from .base import ContinualMethod


class Finetune(ContinualMethod):
    name = "finetune"
