"""The MLGM and event-extraction heads against transformers' own DeBERTa MLM and by-hand losses."""

from __future__ import annotations

import pytest
import torch
from torch.nn.functional import cross_entropy
from transformers import AutoModel, AutoModelForPreTraining, DebertaV2Config, DebertaV2ForMaskedLM

from amrgnn.models import (
    AMRDebertaConfig,
    AMRDebertaForEventExtraction,
    AMRDebertaForMaskedGraphModeling,
)
from amrgnn.models.heads import span_mean

from .conftest import variant


def _labels(ids):
    labels = torch.full_like(ids, -100)
    labels[0, 2], labels[0, 5], labels[1, 1] = 7, 11, 13
    return labels


@pytest.mark.parametrize("legacy", [True, False])
def test_mgm_token_head_is_stock_mlm_without_emd(legacy, tmp_path, batch):
    ids, mask, _, _ = batch
    torch.manual_seed(0)
    stock = DebertaV2ForMaskedLM(DebertaV2Config(**variant("v2-separate-proj-conv"), legacy=legacy)).eval()
    stock.save_pretrained(tmp_path)
    model = AMRDebertaForMaskedGraphModeling.from_pretrained(tmp_path, graph_num_relations=12).eval()
    assert not model.use_emd  # absolute positions are added at the input: no EMD
    labels = _labels(ids)
    with torch.no_grad():
        ref = stock(ids, attention_mask=mask).logits
        full = model(ids, attention_mask=mask).logits
        out = model(ids, attention_mask=mask, labels=labels)
    assert (full - ref).abs().max() <= 1e-5
    sel = labels != -100
    assert (out.logits - ref[sel]).abs().max() <= 1e-5
    assert torch.allclose(out.mlm_loss, cross_entropy(ref[sel], labels[sel]), atol=1e-5)
    assert torch.equal(out.loss, out.mlm_loss)


def test_mgm_enhanced_mask_decoder_matches_stock_layers(batch):
    """EMD: the stock last layer run twice on h[-2], queries = absolute positions + h[-2]."""
    ids, mask, _, graph = batch
    config = AMRDebertaConfig(**variant("v3-shared-key-buckets-ln"), legacy=False, graph_num_relations=12, graph_hidden_size=8)
    torch.manual_seed(0)
    model = AMRDebertaForMaskedGraphModeling(config).eval()
    assert model.use_emd
    stock = DebertaV2ForMaskedLM(DebertaV2Config(**variant("v3-shared-key-buckets-ln"), legacy=False)).eval()
    missing, unexpected = stock.load_state_dict(model.state_dict(), strict=False)
    assert missing == [] and all("graph" in k or "relation_head" in k or "position_embeddings" in k for k in unexpected)
    with torch.no_grad():
        hs = stock.deberta(ids, attention_mask=mask, output_hidden_states=True).hidden_states
        enc = stock.deberta.encoder
        query = model.deberta.embeddings.position_embeddings(torch.arange(9)).unsqueeze(0) + hs[-2]
        for _ in range(2):
            query = enc.layer[-1](
                hs[-2], enc.get_attention_mask(mask), query_states=query,
                relative_pos=enc.get_rel_pos(hs[-2]), rel_embeddings=enc.get_rel_embedding(),
            )[0]
        ref = stock.lm_predictions(query, stock.deberta.embeddings.word_embeddings)
        out = model(ids, attention_mask=mask).logits
        with_graph = model(ids, attention_mask=mask, graph=graph).logits  # zero graph projections
    assert (out - ref).abs().max() <= 1e-5
    assert (with_graph - ref).abs().max() <= 1e-5


def test_mgm_relation_head_and_loss(batch):
    ids, mask, _, graph = batch
    config = AMRDebertaConfig(**variant("bert-like"), graph_num_relations=12, graph_hidden_size=8)
    torch.manual_seed(0)
    model = AMRDebertaForMaskedGraphModeling(config).eval()
    pairs = torch.tensor([[0, 1, 2], [0, 2, 1], [1, 3, 4], [1, 0, 5]])
    rel_labels = torch.tensor([3, 3, 6, 0])
    labels = _labels(ids)
    with torch.no_grad():
        out = model(ids, attention_mask=mask, graph=graph, labels=labels, relation_pairs=pairs, relation_labels=rel_labels)
        h = model.deberta(ids, attention_mask=mask, graph=graph).last_hidden_state
        a, b = h[pairs[:, 0], pairs[:, 1]], h[pairs[:, 0], pairs[:, 2]]
        ref = model.relation_head.classifier(model.relation_head.act(model.relation_head.dense(torch.cat([a, b, a * b], -1))))
    assert out.relation_logits.shape == (4, 12)
    assert (out.relation_logits - ref).abs().max() <= 1e-5
    assert torch.allclose(out.relation_loss, cross_entropy(ref, rel_labels), atol=1e-5)
    assert torch.allclose(out.loss, out.mlm_loss + out.relation_loss)
    empty = model(ids, attention_mask=mask, relation_pairs=pairs[:0], relation_labels=rel_labels[:0])
    assert empty.loss.item() == 0.0  # no masked pair: a zero loss, not NaN


def test_mgm_round_trip_and_auto_classes(tmp_path, batch):
    ids, mask, _, graph = batch
    config = AMRDebertaConfig(**variant("v3-shared-key-buckets-ln"), graph_num_relations=12, graph_hidden_size=8)
    torch.manual_seed(0)
    model = AMRDebertaForMaskedGraphModeling(config).eval()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.01)  # graph projections non-zero too
    model.save_pretrained(tmp_path)
    assert (tmp_path / "model.safetensors").is_file()
    again = AMRDebertaForMaskedGraphModeling.from_pretrained(tmp_path).eval()
    auto = AutoModelForPreTraining.from_pretrained(tmp_path).eval()
    assert type(auto) is AMRDebertaForMaskedGraphModeling
    assert type(AutoModel.from_pretrained(tmp_path)).__name__ == "AMRDebertaModel"
    with torch.no_grad():
        a = model(ids, attention_mask=mask, graph=graph).logits
        b = again(ids, attention_mask=mask, graph=graph).logits
        c = auto(ids, attention_mask=mask, graph=graph).logits
    assert torch.equal(a, b) and torch.equal(a, c)


def test_span_mean_by_hand():
    torch.manual_seed(0)
    words = torch.randn(2, 6, 4)
    b, s, e = torch.tensor([0, 1, 1]), torch.tensor([0, 2, 5]), torch.tensor([3, 3, 6])
    want = torch.stack([words[0, 0:3].mean(0), words[1, 2:3].mean(0), words[1, 5:6].mean(0)])
    assert torch.allclose(span_mean(words, b, s, e), want, atol=1e-6)


def _ee_model(**extra):
    config = AMRDebertaConfig(
        **variant("v3-shared-key-buckets-ln"),
        graph_num_relations=12,
        graph_hidden_size=8,
        ee_trigger_labels=["O", "B-Attack", "I-Attack", "B-Die", "I-Die"],
        ee_role_labels=["<none>", "Attacker", "Victim"],
        **extra,
    )
    torch.manual_seed(0)
    return AMRDebertaForEventExtraction(config).eval()


def test_event_extraction_logits_and_loss(batch):
    ids, mask, _, graph = batch
    model = _ee_model(ee_entity_labels=["O", "B-ENT", "I-ENT"])
    word_index = torch.tensor([[1, 2, 4, 5, 7], [1, 2, 3, 4, -1]])
    trig = torch.tensor([[0, 1, 2, 0, 0], [3, 0, 0, 0, -100]])
    ents = torch.tensor([[1, 0, 0, 1, 2], [0, 1, 2, 0, -100]])
    pairs = torch.tensor([[0, 1, 3, 3, 5], [1, 0, 1, 1, 3], [0, 1, 3, 0, 1]])
    roles = torch.tensor([1, 2, 0])
    with torch.no_grad():
        out = model(ids, attention_mask=mask, graph=graph, word_index=word_index, trigger_labels=trig,
                    argument_pairs=pairs, argument_labels=roles, entity_labels=ents)
        h = model.deberta(ids, attention_mask=mask, graph=graph).last_hidden_state
        words = torch.stack([h[b, word_index[b].clamp(min=0)] for b in range(2)]) * (word_index >= 0).unsqueeze(-1)
        t_logits = model.trigger_classifier(words)
        e_logits = model.entity_classifier(words)
        spans = [(words[b, s:e].mean(0), words[b, cs:ce].mean(0)) for b, s, e, cs, ce in pairs.tolist()]
        a = torch.stack([x for x, _ in spans])
        c = torch.stack([y for _, y in spans])
        head = model.argument_head
        a_logits = head.classifier(head.act(head.dense(torch.cat([a, c, a * c], -1))))
    assert (out.trigger_logits - t_logits).abs().max() <= 1e-5
    assert (out.argument_logits - a_logits).abs().max() <= 1e-5
    valid = trig != -100
    want = (
        cross_entropy(t_logits[valid], trig[valid])
        + cross_entropy(e_logits[ents != -100], ents[ents != -100])
        + cross_entropy(a_logits, roles)
    )
    assert torch.allclose(out.loss, want, atol=1e-5)


def test_event_extraction_needs_labels_in_config():
    with pytest.raises(ValueError, match="ee_trigger_labels"):
        AMRDebertaForEventExtraction(AMRDebertaConfig(**variant("bert-like")))


def test_event_extraction_loads_an_mgm_checkpoint(tmp_path, batch):
    ids, mask, _, graph = batch
    config = AMRDebertaConfig(**variant("v3-shared-key-buckets-ln"), graph_num_relations=12, graph_hidden_size=8)
    torch.manual_seed(0)
    mgm = AMRDebertaForMaskedGraphModeling(config)
    mgm.save_pretrained(tmp_path)
    ee = AMRDebertaForEventExtraction.from_pretrained(
        tmp_path, ee_trigger_labels=["O", "B-X", "I-X"], ee_role_labels=["<none>", "A"]
    ).eval()
    for name, p in mgm.deberta.named_parameters():
        if "position_embeddings" not in name:
            assert torch.equal(p, ee.deberta.get_parameter(name)), name
    out = ee(ids, attention_mask=mask, graph=graph, word_index=torch.tensor([[1, 2], [1, 2]]))
    assert out.trigger_logits.shape == (2, 2, 3) and out.loss is None


def _scaffold_by_hand(scaffold, h, mask, edges):
    """The scaffold loss by explicit loops over positions: BCE of every ordered pair of real,
    distinct positions of sentences with edges (positives weighted by sqrt(negatives / positives)),
    plus the cross-entropy of each edge's relation."""
    b, length, _ = h.shape
    head, dep = scaffold.head(h), scaffold.dep(h)
    w = scaffold.arc.weight
    logits, gold = [], []
    for s in range(b):
        if not any(e[0] == s for e in edges):
            continue
        for i in range(length):
            for j in range(length):
                if i != j and mask[s, i] and mask[s, j]:
                    hi, dj = torch.cat([head[s, i], torch.ones(1)]), torch.cat([dep[s, j], torch.ones(1)])
                    logits.append(hi @ w @ dj)
                    gold.append(float(any(e[:3] == (s, i, j) for e in edges)))
    logits, gold = torch.stack(logits), torch.tensor(gold)
    pos = gold.sum()
    weight = ((len(gold) - pos) / pos).sqrt()
    bce = -(weight * gold * torch.nn.functional.logsigmoid(logits) + (1 - gold) * torch.nn.functional.logsigmoid(-logits)).mean()
    rel = torch.stack([scaffold.relation(torch.cat([head[s, i], dep[s, j]])) for s, i, j, _ in edges])
    return bce + cross_entropy(rel, torch.tensor([r for *_, r in edges]))


def test_scaffold_loss_matches_a_loop_and_the_encoder_reads_no_graph(batch):
    """The EE loss with a scaffold is the plain loss plus weight x the scaffold loss (checked
    against explicit loops); the logits are those of the same model without a graph."""
    ids, mask, graphs, graph = batch
    model = _ee_model(ee_scaffold_weight=0.5, graph_attention="none")
    with torch.no_grad():
        torch.nn.init.normal_(model.scaffold.arc.weight, std=0.3)  # starts at zero: make it matter
    word_index = torch.tensor([[1, 2, 4, 5, 7], [1, 2, 3, 4, -1]])
    trig = torch.tensor([[0, 1, 2, 0, 0], [3, 0, 0, 0, -100]])
    with torch.no_grad():
        out = model(ids, attention_mask=mask, graph=graph, word_index=word_index, trigger_labels=trig)
        plain = model(ids, attention_mask=mask, word_index=word_index, trigger_labels=trig)
        h = model.deberta(ids, attention_mask=mask).last_hidden_state
        edges = [(s, int(a), int(b), int(r)) for s, g in enumerate(graphs)
                 for (a, b), r in zip(g.edge_index.t().tolist(), g.edge_type.tolist(), strict=True)]
        want = _scaffold_by_hand(model.scaffold, h, mask, edges)
        predicted = model(ids, attention_mask=mask, graph=graph, word_index=word_index)
    assert torch.equal(out.trigger_logits, plain.trigger_logits)
    assert torch.allclose(out.loss, plain.loss + 0.5 * want, atol=1e-5)
    assert predicted.loss is None  # no labels, no scaffold: nothing is needed at prediction
    # a sentence without edges adds no pairs: dropping sentence 1's edges = the loop over sentence 0 only
    from amrgnn.data import batch_token_graphs, token_graph_data

    only0 = batch_token_graphs([graphs[0], token_graph_data(torch.zeros(2, 0, dtype=torch.long), torch.zeros(0, dtype=torch.long))], 9)
    with torch.no_grad():
        got = model.scaffold(h, mask, only0)
        want0 = _scaffold_by_hand(model.scaffold, h, mask, [e for e in edges if e[0] == 0])
    assert torch.allclose(got, want0, atol=1e-5)


def test_scaffold_starts_at_zero_when_loaded_from_a_checkpoint(tmp_path, batch):
    """from_pretrained initialises what the checkpoint lacks: the scaffold's biaffine starts at zero
    (every pair at probability 0.5) and the first loss is finite."""
    ids, mask, _, graph = batch
    _ee_model().save_pretrained(tmp_path)
    model = AMRDebertaForEventExtraction.from_pretrained(tmp_path, ee_scaffold_weight=1.0, graph_attention="none")
    assert torch.equal(model.scaffold.arc.weight, torch.zeros_like(model.scaffold.arc.weight))
    out = model(ids, attention_mask=mask, graph=graph, word_index=torch.tensor([[1, 2], [1, 2]]),
                trigger_labels=torch.tensor([[0, 1], [0, 0]]))
    assert torch.isfinite(out.loss)


def _scripted(model, trigger_logits, entity_logits=None, role_logits=None):
    """Make the heads return fixed logits: words are one-hot word positions, the classifiers read
    them through weights that are the wanted logits."""
    b, w, _ = trigger_logits.shape
    model.word_states = lambda input_ids, word_index, **kw: (torch.eye(w).expand(b, w, w).contiguous(), None)
    model.trigger_classifier = _PerWord(trigger_logits)
    if entity_logits is not None:
        model.entity_classifier = _PerWord(entity_logits)
    if role_logits is not None:
        model.argument_logits = lambda words, pairs, hops=None: role_logits[: len(pairs)]


class _PerWord(torch.nn.Module):
    def __init__(self, logits):
        super().__init__()
        self.logits = logits

    def forward(self, words):  # words: one-hot positions [B, W, W]
        return torch.einsum("bwv,bvl->bwl", words, self.logits)


def test_decode_by_hand():
    """BIO spans with their mean label probability, every trigger x candidate pair in order, role
    argmax with <none> dropped and its probability, words past the encoder's reach are O, label masks."""
    model = _ee_model()
    neg = -9.0
    # labels O, B-Attack, I-Attack, B-Die, I-Die over 5 words: O B-Attack I-Attack B-Die [cut off]
    logits = torch.full((1, 5, 5), neg)
    for w, lab in enumerate([0, 1, 2, 3, 3]):
        logits[0, w, lab] = 0.0
    logits[0, 2, 1] = -1.0  # word 2: I-Attack (p = 1 / (1 + e^-1 + 3 e^-9)), B-Attack runner-up
    p = torch.softmax(logits, -1)
    roles = torch.tensor([[0.0, 2.0, 0.0], [5.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]])  # pairs in order
    _scripted(model, logits, role_logits=roles)
    word_index = torch.tensor([[1, 2, 3, 4, -1]])
    (events, spans), = model.decode(torch.zeros(1, 6, dtype=torch.long), word_index, [5], candidates=[[(0, 1), (4, 5), (3, 4)]])
    assert [(e.type, e.start, e.end) for e in events] == [("Attack", 1, 3), ("Die", 3, 4)]
    assert events[0].score == pytest.approx(float(p[0, 1, 1] + p[0, 2, 2]) / 2)
    assert events[1].score == pytest.approx(float(p[0, 3, 3]))
    assert spans == [(0, 1), (4, 5), (3, 4)]
    # candidate (4, 5) is cut off: pairs are Attack x (0,1), Attack x (3,4), Die x (0,1), Die x (3,4)
    rp = torch.softmax(roles, -1)
    got = [[(a.start, a.end, a.role, a.candidate) for a in e.arguments] for e in events]
    assert got == [[(0, 1, "Attacker", 0)], [(0, 1, "Victim", 0)]]
    assert events[0].arguments[0].score == pytest.approx(float(rp[0, 1]))
    assert events[1].arguments[0].score == pytest.approx(float(rp[2, 2]))
    # masks: Die not allowed -> word 3 falls back to its best allowed label; Victim not allowed -> dropped
    (events, _), = model.decode(torch.zeros(1, 6, dtype=torch.long), word_index, [5], candidates=[[(0, 1)]],
                                allowed_types=["Attack"], allowed_roles=["Attacker"])
    assert [(e.type, e.start, e.end) for e in events] == [("Attack", 1, 3)]


def test_decode_candidates_from_the_tagger_or_a_clear_error():
    model = _ee_model()
    _scripted(model, torch.zeros(1, 3, 5))
    with pytest.raises(ValueError, match="no mention tagger"):
        model.decode(torch.zeros(1, 4, dtype=torch.long), torch.tensor([[1, 2, 3]]), [3])
    model = _ee_model(ee_entity_labels=["O", "B-ENT", "I-ENT"])
    trig = torch.full((1, 3, 5), -9.0)
    trig[0, :, 0], trig[0, 1, 3] = 0.0, 5.0  # "Die" at word 1
    ent = torch.full((1, 3, 3), -9.0)
    for w, lab in enumerate([1, 0, 1]):  # B-ENT O B-ENT: candidates (0,1) and (2,3)
        ent[0, w, lab] = 0.0
    _scripted(model, trig, ent, role_logits=torch.tensor([[0.0, 0.0, 3.0], [3.0, 0.0, 0.0]]))
    (events, spans), = model.decode(torch.zeros(1, 4, dtype=torch.long), torch.tensor([[1, 2, 3]]), [3])
    assert spans == [(0, 1), (2, 3)]
    assert [(e.type, [(a.start, a.role) for a in e.arguments]) for e in events] == [("Die", [(0, "Victim")])]
