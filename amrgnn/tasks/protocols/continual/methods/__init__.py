"""Continual-learning methods by name (``amrgnn continual --method``). A new method is one module
with a :class:`ContinualMethod` subclass plus one line below."""

from .....registry import Registry
from .base import ContinualMethod

#: Method classes by name.
CONTINUAL_METHODS: Registry[type[ContinualMethod]] = Registry("continual method")
CONTINUAL_METHODS.register("finetune", lazy=f"{__name__}.finetune:Finetune")
CONTINUAL_METHODS.register("replay", lazy=f"{__name__}.replay:Replay")
CONTINUAL_METHODS.register("replay-kd", lazy=f"{__name__}.replay_kd:ReplayKD")
CONTINUAL_METHODS.register("joint", lazy=f"{__name__}.joint:Joint")

__all__ = ["CONTINUAL_METHODS", "ContinualMethod"]
