r"""A graph scaffold: predicting the sub-word token graph as an auxiliary training loss.

Swayamdipta et al. (2018, "Syntactic Scaffolds for Semantic Structures") train a task model with a
second objective that predicts syntax from the same encoder states; the structure shapes the encoder
during training and nothing is needed at test time. Here the structure is the AMR token graph: every
ordered pair of sub-word positions gets a biaffine arc logit (BCE, positives weighted by
:math:`\sqrt{n_{neg} / n_{pos}}` of the batch, as the token-graph predictor does for class imbalance)
and every gold edge a relation (cross-entropy over the AMR relation vocabulary).
"""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch_geometric.data import Data

from .biaffine import Biaffine
from .configuration import AMRDebertaConfig

__all__ = ["TokenGraphScaffold"]


class TokenGraphScaffold(nn.Module):
    """The scaffold's scorers and loss (``config.ee_scaffold_size`` wide MLPs over the encoder output).

    Shapes:
        sequence: ``[B, L, H]``; attention_mask: ``[B, L]``; graph: the batch's token graph over its
        ``B * L`` positions (:func:`~amrgnn.data.batch_token_graphs`); output: a scalar loss.
    """

    def __init__(self, config: AMRDebertaConfig) -> None:
        super().__init__()
        size = config.ee_scaffold_size
        act = nn.GELU()
        self.head = nn.Sequential(nn.Linear(config.hidden_size, size), act, nn.Dropout(config.hidden_dropout_prob))
        self.dep = nn.Sequential(nn.Linear(config.hidden_size, size), act, nn.Dropout(config.hidden_dropout_prob))
        self.arc = Biaffine(size)
        self.relation = nn.Linear(2 * size, config.graph_num_relations)

    def forward(self, sequence: Tensor, attention_mask: Tensor, graph: Data) -> Tensor:
        b, length = sequence.shape[:2]
        head, dep = self.head(sequence), self.dep(sequence)
        edge_index = graph.edge_index.to(sequence.device)
        src, dst = edge_index[0], edge_index[1]
        rows, i, j = src // length, src % length, dst % length
        target = torch.zeros(b, length, length, device=sequence.device)
        target[rows, i, j] = 1.0
        real = attention_mask.bool()
        has_graph = torch.bincount(rows, minlength=b) > 0  # sentences without edges teach nothing
        real = real & has_graph.unsqueeze(1)
        valid = real.unsqueeze(2) & real.unsqueeze(1) & ~torch.eye(length, dtype=torch.bool, device=sequence.device)
        if not bool(valid.any()):
            return sequence.sum() * 0.0
        logits = self.arc(head, dep).float()[valid]
        gold = target[valid]
        positives = gold.sum().clamp(min=1.0)
        pos_weight = ((gold.numel() - positives) / positives).clamp(min=1.0).sqrt()
        loss = nn.functional.binary_cross_entropy_with_logits(logits, gold, pos_weight=pos_weight)
        rel_logits = self.relation(torch.cat([head[rows, i], dep[rows, j]], dim=-1)).float()
        return loss + nn.functional.cross_entropy(rel_logits, graph.edge_type.to(sequence.device).long())
