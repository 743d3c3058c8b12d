"""``replay``: the task's data plus a memory of exemplar sentences per old type, chosen by iCaRL
herding on the mean trigger-span states (Rebuffi et al., 2017)."""

from .base import ContinualMethod


class Replay(ContinualMethod):
    name = "replay"
    replays = True
