"""Runs ``amrgnn pretrain`` in a subprocess for the fault and DDP tests, with two test hooks:
``AMRGNN_TEST_STEP_SLEEP`` (seconds slept per training step, to give a kill a window) and
``AMRGNN_TEST_TRACE`` (a directory where each rank writes the training ids it saw and a hash of
its final weights)."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time

from amrgnn.cli import main
from amrgnn.data import mlgm as data_mlgm
from amrgnn.tasks import mlgm as task_mlgm

sleep = float(os.environ.get("AMRGNN_TEST_STEP_SLEEP", "0"))
trace = os.environ.get("AMRGNN_TEST_TRACE")
rank = int(os.environ.get("RANK", "0"))
seen: list[str] = []

if sleep:
    _step = task_mlgm.MLGMTrainer.training_step

    def training_step(self, *args, **kwargs):
        time.sleep(sleep)
        return _step(self, *args, **kwargs)

    task_mlgm.MLGMTrainer.training_step = training_step

if trace:
    _get = data_mlgm.MLGMDataset.__getitem__

    def getitem(self, index):
        item = _get(self, index)
        if getattr(self, "_is_train", False):
            seen.append(item["id"])
        return item

    data_mlgm.MLGMDataset.__getitem__ = getitem
    _train = task_mlgm.MLGMTrainer.train

    def train(self, *args, **kwargs):
        self.train_dataset._is_train = True
        out = _train(self, *args, **kwargs)
        h = hashlib.sha256()
        for _, p in sorted(self.model.state_dict().items()):
            h.update(p.detach().cpu().contiguous().numpy().tobytes())
        with open(os.path.join(trace, f"rank{rank}.json"), "w") as f:
            json.dump({"rank": rank, "world": int(os.environ.get("WORLD_SIZE", "1")), "ids": seen, "hash": h.hexdigest()}, f)
        return out

    task_mlgm.MLGMTrainer.train = train

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
