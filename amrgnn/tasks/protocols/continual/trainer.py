"""The pieces continual-learning methods are made of: herding exemplar selection (iCaRL), logit
distillation from the previous model (LwF / iCaRL style), and a ``Trainer`` whose losses see only
the labels learnt so far.

Rebuffi et al., 2017, "iCaRL: Incremental Classifier and Representation Learning" (herding,
exemplar memory); Li & Hoiem, 2016, "Learning without Forgetting" (distillation with temperature).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch
from torch import Tensor
from torch.utils.data import DataLoader
from transformers import TrainerCallback

from ....data.ee import EECollator, EEDataset
from ....data.events import Sentence
from ....models import AMRDebertaForEventExtraction
from ....models.heads import mean_cross_entropy, span_mean
from ...training import AtomicCheckpointTrainer

__all__ = ["ContinualTrainer", "DevStopping", "distillation_loss", "herding_selection", "select_exemplars", "trigger_features"]


def herding_selection(features: Tensor, m: int) -> list[int]:
    r"""iCaRL herding: greedily pick the rows whose running mean stays closest to the mean of all.

    With :math:`\phi_i` the L2-normalised rows and :math:`\mu` their mean, step :math:`k` picks
    :math:`\arg\min_i \lVert \mu - \tfrac{1}{k}(\phi_i + \sum_{j<k} \phi_{p_j}) \rVert` among the
    rows not picked yet.

    Shapes:
        features: ``[N, D]``; output: ``min(m, N)`` row indices, in the order picked.
    """
    phi = torch.nn.functional.normalize(features.double(), dim=-1)
    mu = phi.mean(0)
    picked: list[int] = []
    running = torch.zeros_like(mu)
    free = torch.ones(phi.size(0), dtype=torch.bool)
    for k in range(1, min(m, phi.size(0)) + 1):
        dist = (mu - (running + phi) / k).norm(dim=-1)
        dist[~free] = float("inf")
        i = int(dist.argmin())
        picked.append(i)
        free[i] = False
        running += phi[i]
    return picked


def distillation_loss(student: Tensor, teacher: Tensor, classes: Tensor, temperature: float = 2.0,
                      valid: Tensor | None = None) -> Tensor:
    r"""Knowledge distillation on a subset of classes:
    :math:`T^2 \, \mathrm{KL}(\mathrm{softmax}(z^t_C / T) \,\Vert\, \mathrm{softmax}(z^s_C / T))`,
    averaged over the valid items (``0`` when none is valid).

    Shapes:
        student, teacher: ``[..., K]``; classes: ``[C]`` indices into ``K``; valid: ``[...]`` bool.
    """
    s = student.float().index_select(-1, classes) / temperature
    t = teacher.float().index_select(-1, classes) / temperature
    log_p_t = torch.log_softmax(t, -1)
    kl = (log_p_t.exp() * (log_p_t - torch.log_softmax(s, -1))).sum(-1)
    if valid is None:
        valid = torch.ones_like(kl, dtype=torch.bool)
    return temperature**2 * (kl * valid).sum() / valid.sum().clamp(min=1)


class DevStopping(TrainerCallback):
    """Trains a task to convergence: after every epoch ``score(model)`` (a dev score on the types
    the task teaches) is computed; training stops once it has not improved for ``patience`` epochs, and
    :meth:`restore` puts back the weights of the best epoch (kept on the CPU).

    ``history`` holds one score per epoch; ``best_epoch`` counts from 1.
    """

    def __init__(self, score: Callable[[Any], float], patience: int) -> None:
        self.score, self.patience = score, patience
        self.history: list[float] = []
        self.best: float | None = None
        self.best_epoch = 0
        self._best_state: dict[str, Tensor] | None = None
        self._bad = 0

    def on_epoch_end(self, args: Any, state: Any, control: Any, model: Any = None, **kwargs: Any) -> Any:
        value = float(self.score(model))
        model.train()
        self.history.append(value)
        if self.best is None or value > self.best:
            self.best, self.best_epoch, self._bad = value, len(self.history), 0
            self._best_state = {k: v.detach().to("cpu", copy=True) for k, v in model.state_dict().items()}
        else:
            self._bad += 1
            if self._bad >= self.patience:
                control.should_training_stop = True
        return control

    def restore(self, model: Any) -> None:
        """Load the best epoch's weights into ``model`` (nothing when no epoch was scored)."""
        if self._best_state is not None:
            model.load_state_dict(self._best_state)


class ContinualTrainer(AtomicCheckpointTrainer):
    """One task's training: cross-entropy over the labels seen so far (the others' logits masked,
    so a task never pushes down the types it has not met), plus, with a ``teacher`` (the model after
    the previous task), distillation of its trigger and role logits on the old labels.

    Args:
        trigger_bias, role_bias: additive logit masks ``[T]``, ``[R]`` (``0`` seen, ``-inf`` not).
        teacher: frozen previous model, or ``None``.
        old_trigger_classes, old_role_classes: label indices the teacher knows (``O`` / ``<none>``
            included).
        arguments: train the argument head (``False``: event detection only).
    """

    def __init__(self, *args: Any, trigger_bias: Tensor, role_bias: Tensor, teacher: AMRDebertaForEventExtraction | None = None,
                 old_trigger_classes: Tensor | None = None, old_role_classes: Tensor | None = None,
                 kd_weight: float = 1.0, kd_temperature: float = 2.0, arguments: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.trigger_bias, self.role_bias = trigger_bias, role_bias
        self.teacher = teacher
        self.old_trigger_classes, self.old_role_classes = old_trigger_classes, old_role_classes
        self.kd_weight, self.kd_temperature = kd_weight, kd_temperature
        self.arguments = arguments
        if teacher is not None:
            teacher.eval().requires_grad_(False)

    def compute_loss(self, model: Any, inputs: dict[str, Any], return_outputs: bool = False,
                     num_items_in_batch: Any = None) -> Any:
        inputs = dict(inputs)
        trig_labels = inputs.pop("trigger_labels")
        arg_labels = inputs.pop("argument_labels")
        ent_labels = inputs.pop("entity_labels", None)
        pairs = inputs.pop("argument_pairs")
        inputs.pop("index", None)
        if not self.arguments or pairs.numel() == 0:
            pairs = None
        out = model(**inputs, argument_pairs=pairs)
        dev = out.trigger_logits.device
        trig = out.trigger_logits.float() + self.trigger_bias.to(dev)
        loss = mean_cross_entropy(trig, trig_labels)
        if pairs is not None:
            loss = loss + mean_cross_entropy(out.argument_logits.float() + self.role_bias.to(dev), arg_labels)
        if out.entity_logits is not None and ent_labels is not None:
            loss = loss + mean_cross_entropy(out.entity_logits, ent_labels)
        if self.teacher is not None:
            if next(self.teacher.parameters()).device != dev:
                self.teacher.to(dev)
            with torch.no_grad():
                ref = self.teacher(**inputs, argument_pairs=pairs)
            kd = distillation_loss(out.trigger_logits, ref.trigger_logits, self.old_trigger_classes.to(dev),
                                   self.kd_temperature, trig_labels != -100)
            if pairs is not None:
                kd = kd + distillation_loss(out.argument_logits, ref.argument_logits, self.old_role_classes.to(dev),
                                            self.kd_temperature)
            loss = loss + self.kd_weight * kd
        return (loss, out) if return_outputs else loss


@torch.no_grad()
def trigger_features(
    model: AMRDebertaForEventExtraction,
    sentences: Sequence[Sentence],
    dataset: EEDataset,
    collator: EECollator,
    types: Sequence[str],
    batch_size: int = 32,
) -> dict[str, tuple[list[int], Tensor]]:
    """Per event type: the sentences (positions in ``sentences``) that mention it and their feature,
    the mean over the type's triggers in the sentence of the trigger span's mean word state.

    Returns:
        ``{type: (positions, features [N, H])}``.
    """
    wanted = set(types)
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    rows: dict[str, tuple[list[int], list[Tensor]]] = {}
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=False, collate_fn=collator)
    for batch in loader:
        graph = batch.get("graph")
        words, _ = model.word_states(batch["input_ids"].to(device), batch["word_index"].to(device),
                                     attention_mask=batch["attention_mask"].to(device),
                                     graph=graph.to(device) if graph is not None else None)
        spans, owners = [], []
        for row, idx in enumerate(batch["index"].tolist()):
            visible = batch["word_index"][row] >= 0
            for ev in sentences[idx].events:
                if ev.type in wanted and bool(visible[ev.start : ev.end].all()):
                    spans.append((row, ev.start, ev.end))
                    owners.append((idx, ev.type))
        if not spans:
            continue
        s = torch.tensor(spans, dtype=torch.long, device=device)
        feats = span_mean(words, s[:, 0], s[:, 1], s[:, 2]).float().cpu()
        grouped: dict[tuple[int, str], list[Tensor]] = {}
        for key, f in zip(owners, feats, strict=True):
            grouped.setdefault(key, []).append(f)
        for (idx, t), fs in grouped.items():
            pos, vecs = rows.setdefault(t, ([], []))
            pos.append(idx)
            vecs.append(torch.stack(fs).mean(0))
    model.train(was_training)
    return {t: (pos, torch.stack(vecs)) for t, (pos, vecs) in rows.items()}


def select_exemplars(features: dict[str, tuple[list[int], Tensor]], per_type: int) -> dict[str, list[int]]:
    """Herding selection of at most ``per_type`` sentences per event type (positions, in pick order)."""
    return {t: [pos[i] for i in herding_selection(f, per_type)] for t, (pos, f) in sorted(features.items())}
