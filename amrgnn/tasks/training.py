"""What every amrgnn training task shares: HF ``Trainer`` with atomic checkpoints, JSON-lines and
CSV logs, learning curves, and per-epoch masking."""

from __future__ import annotations

import csv
import json
import math
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch
from transformers import Trainer, TrainerCallback, TrainingArguments
from transformers.trainer_utils import get_last_checkpoint

from ..data.graphs.attach import VOCAB_FILE
from ..errors import UsageError
from ..graph.vocab import AMRVocab
from ..viz.curves import ACCURACY, CurveScale, plot_curves, read_metrics

__all__ = [
    "AtomicCheckpointTrainer",
    "EpochSetter",
    "device_args",
    "MetricsLogger",
    "last_complete_checkpoint",
    "precision_flags",
]

STAGING = ".staging"


def last_complete_checkpoint(output_dir: str | os.PathLike) -> str | None:
    """The newest ``checkpoint-N`` of ``output_dir`` (checkpoints appear only when complete: a run
    killed while saving leaves its half-written one under ``.staging``, which is ignored). A missing
    or truncated file in it (config, weights, trainer state, optimizer, scheduler, RNG states) is
    an error naming the file."""
    if not os.path.isdir(output_dir):
        return None
    last = get_last_checkpoint(str(output_dir))
    if last is not None:  # complete, unless a disk or a person damaged it since: check
        from ..errors import InputError
        from ..models.modeling import check_checkpoint, check_file

        try:
            check_checkpoint(last)
            others = sorted(n for n in os.listdir(last) if n.endswith((".json", ".safetensors", ".pt", ".pth")))
            for name in ("trainer_state.json", "optimizer.pt", "scheduler.pt", *others):
                check_file(os.path.join(last, name))
        except InputError as exc:
            raise type(exc)(f"{exc}; training cannot resume from {last}: delete it to resume from the checkpoint before") from exc
    return last


def _fsync_dir(path: str) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class AtomicCheckpointTrainer(Trainer):
    """:class:`~transformers.Trainer` whose checkpoints are written to ``OUTPUT/.staging/checkpoint-N``
    and renamed to ``OUTPUT/checkpoint-N`` once complete, so a crash while saving never leaves a
    corrupt "latest" checkpoint. Every rank writes its part (RNG states) before the rename."""

    _staging_dir: str | None = None
    #: learning rate of the parameters a stock backbone lacks (task heads, graph terms); ``None``:
    #: the same as the backbone's (``args.learning_rate``). Set by the subclasses' callers.
    head_learning_rate: float | None = None
    #: learning rate of the graph terms (graph states, graph projections, relation embeddings),
    #: new or pre-trained; ``None``: by the rule above (set by the subclasses' callers)
    graph_learning_rate: float | None = None
    #: relation vocabulary saved beside every checkpoint and the final model (``amr_vocab.json``)
    amr_vocab: AMRVocab | None = None

    def __init__(self, *args: Any, amr_vocab: AMRVocab | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.amr_vocab = amr_vocab

    def save_model(self, output_dir: str | None = None, _internal_call: bool = False) -> None:
        super().save_model(output_dir, _internal_call=_internal_call)
        if self.amr_vocab is not None and self.args.should_save:
            self.amr_vocab.save(Path(output_dir or self.args.output_dir) / VOCAB_FILE)

    def create_optimizer(self, model: torch.nn.Module | None = None) -> torch.optim.Optimizer:
        """AdamW with two learning rates when ``head_learning_rate`` is set: the backbone's for
        pre-trained parameters, ``head_learning_rate`` for what starts from scratch (the tensors
        ``from_pretrained`` initialised; as OneIE trains BERT at 5e-5 and its heads at 1e-3).
        ``graph_learning_rate``, when set, overrides both for the graph terms. Weight decay skips
        biases and norms."""
        if (self.head_learning_rate is None and self.graph_learning_rate is None) or self.optimizer is not None:
            return super().create_optimizer()
        import re

        from ..models.modeling import GRAPH_PARAMETER_PATTERN

        model = self.model
        initialised = getattr(model, "initialised_parameters", None)
        new = re.compile("|".join(getattr(model, "_new_parameter_patterns", ())) or "$^")
        graph = re.compile(GRAPH_PARAMETER_PATTERN)
        head_lr = self.head_learning_rate if self.head_learning_rate is not None else self.args.learning_rate
        groups: dict[tuple[float, bool], list] = {}
        for name, p in model.named_parameters():
            if not p.requires_grad:
                continue
            if initialised is not None:  # what from_pretrained had to initialise
                fresh = name in initialised
            else:
                fresh = bool(new.search(name)) or not name.startswith(f"{model.base_model_prefix}.")
            lr = head_lr if fresh else self.args.learning_rate
            if self.graph_learning_rate is not None and graph.search(name):
                lr = self.graph_learning_rate
            groups.setdefault((lr, p.ndim >= 2), []).append(p)
        params = [
            {"params": ps, "lr": lr, "weight_decay": self.args.weight_decay if decay else 0.0}
            for (lr, decay), ps in groups.items()
        ]
        self.optimizer = torch.optim.AdamW(params, lr=self.args.learning_rate, betas=(self.args.adam_beta1, self.args.adam_beta2), eps=self.args.adam_epsilon)
        return self.optimizer

    #: batch entries that are bookkeeping, not model inputs (the EE collator's sentence ``index``)
    non_model_inputs: tuple[str, ...] = ("index",)

    def compute_loss(self, model: torch.nn.Module, inputs: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        inputs = {k: v for k, v in inputs.items() if k not in self.non_model_inputs}
        return super().compute_loss(model, inputs, *args, **kwargs)

    def _get_output_dir(self, trial: Any) -> str:
        if self._staging_dir is not None:
            return self._staging_dir
        return super()._get_output_dir(trial)

    def _save_checkpoint(self, model: torch.nn.Module, trial: Any) -> None:
        run_dir = super()._get_output_dir(trial)
        staging = os.path.join(run_dir, STAGING)
        name = f"checkpoint-{self.state.global_step}"
        if self.args.should_save and os.path.isdir(staging):
            shutil.rmtree(staging)  # whatever is there was left by a crash (saves are sequential)
        self.accelerator.wait_for_everyone()
        self._staging_dir = staging
        try:
            super()._save_checkpoint(model, trial)
        except OSError as exc:  # a full disk, say: free the space, keep the last complete checkpoint
            shutil.rmtree(staging, ignore_errors=True)
            raise OSError(
                exc.errno,
                f"saving {name} failed ({exc.strerror or exc}); the last complete checkpoint, "
                f"{get_last_checkpoint(run_dir) or 'none'}, is intact: --resume continues from it",
                os.path.join(staging, name),
            ) from exc
        finally:
            self._staging_dir = None
        self.accelerator.wait_for_everyone()
        if self.args.should_save:
            final = os.path.join(run_dir, name)
            if os.path.isdir(final):
                shutil.rmtree(final)
            os.replace(os.path.join(staging, name), final)
            _fsync_dir(run_dir)
            best = self.state.best_model_checkpoint
            if best and best.startswith(staging):
                self.state.best_model_checkpoint = os.path.join(run_dir, os.path.relpath(best, staging))
            self._rotate(run_dir)
        self.accelerator.wait_for_everyone()

    def _rotate(self, run_dir: str) -> None:
        limit = self.args.save_total_limit
        if not limit:
            return
        ckpts = sorted(
            (p for p in Path(run_dir).glob("checkpoint-*") if p.name.split("-")[-1].isdigit()),
            key=lambda p: int(p.name.split("-")[-1]),
        )
        keep = {str(p) for p in ckpts[-limit:]}
        if self.state.best_model_checkpoint:
            keep.add(str(Path(self.state.best_model_checkpoint)))
        for p in ckpts:
            if str(p) not in keep:
                shutil.rmtree(p, ignore_errors=True)


class EpochSetter(TrainerCallback):
    """Tells a dataset with ``set_epoch`` which epoch starts (fresh, reproducible masks)."""

    def __init__(self, dataset: Any) -> None:
        self.dataset = dataset

    def on_epoch_begin(self, args: TrainingArguments, state: Any, control: Any, **kwargs: Any) -> None:
        self.dataset.set_epoch(math.floor((state.epoch or 0.0) + 1e-6))


class MetricsLogger(TrainerCallback):
    """Writes evaluation records to ``metrics.jsonl`` (``eval_`` prefix dropped, with ``step`` and
    ``epoch``), every log value to ``log.csv`` (``step, epoch, name, value``), and redraws
    ``curves.png`` after each evaluation. On resume, records past the resumed step are dropped, so
    the files describe one consistent run."""

    def __init__(
        self, output_dir: str | os.PathLike, curves: Sequence[str] = ("accuracy", "gm_accuracy"), scale: CurveScale = ACCURACY
    ) -> None:
        self.dir = Path(output_dir)
        self.curves = tuple(curves)
        self.scale = scale

    @property
    def jsonl(self) -> Path:
        return self.dir / "metrics.jsonl"

    @property
    def csv(self) -> Path:
        return self.dir / "log.csv"

    def on_train_begin(self, args: TrainingArguments, state: Any, control: Any, **kwargs: Any) -> None:
        if not state.is_world_process_zero:
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        step = state.global_step
        if self.jsonl.exists():
            kept = [r for r in read_metrics(self.jsonl) if r.get("step", 0) <= step]
            self.jsonl.write_text("".join(json.dumps(r) + "\n" for r in kept), encoding="utf-8")
        if self.csv.exists():
            with self.csv.open(encoding="utf-8", newline="") as f:
                rows = [r for r in csv.DictReader(f) if int(r["step"]) <= step]
            with self.csv.open("w", encoding="utf-8", newline="") as f:
                w = csv.DictWriter(f, fieldnames=["step", "epoch", "name", "value"])
                w.writeheader()
                w.writerows(rows)

    def on_log(self, args: TrainingArguments, state: Any, control: Any, logs: dict | None = None, **kwargs: Any) -> None:
        if not state.is_world_process_zero or not logs:
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        new = not self.csv.exists()
        with self.csv.open("a", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            if new:
                w.writerow(["step", "epoch", "name", "value"])
            for k, v in logs.items():
                if isinstance(v, (int, float)):
                    w.writerow([state.global_step, round(state.epoch or 0.0, 4), k, v])
        evals = {k[len("eval_") :]: v for k, v in logs.items() if k.startswith("eval_")}
        if evals:
            record = {"step": state.global_step, "epoch": round(state.epoch or 0.0, 4), **evals}
            with self.jsonl.open("a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")
            plot_curves(self.jsonl, self.dir / "curves.png", self.curves, self.scale)


def device_args(precision: str) -> dict[str, Any]:
    """The ``TrainingArguments`` every task shares for the device: mixed precision
    (:func:`precision_flags`), pinned memory only with a GPU, and on a CPU-only machine ``use_cpu``
    with gloo when launched by torchrun (accelerate would otherwise run the ranks as independent,
    non-distributed processes)."""
    cuda = torch.cuda.is_available()
    distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
    return {
        "dataloader_pin_memory": cuda,
        "use_cpu": not cuda,
        "ddp_backend": "gloo" if not cuda and distributed else None,
        **precision_flags(precision),
    }


def precision_flags(precision: str) -> dict[str, bool]:
    """``TrainingArguments`` flags for ``auto`` (bf16 where the GPU supports it, else fp32),
    ``fp32``, ``bf16`` or ``fp16``."""
    if precision == "auto":
        precision = "bf16" if torch.cuda.is_available() and torch.cuda.is_bf16_supported() else "fp32"
    if precision not in ("fp32", "bf16", "fp16"):
        raise UsageError(f"precision must be auto, fp32, bf16 or fp16, got {precision!r}")
    return {"bf16": precision == "bf16", "fp16": precision == "fp16"}
