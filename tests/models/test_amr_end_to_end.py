"""Real AMR graphs -> sub-word token graphs -> the fused encoder of the offline backbone."""

from __future__ import annotations

import torch
from transformers import AutoTokenizer

from amrgnn.data import batch_token_graphs, subword_token_graph
from amrgnn.graph import AMRVocab, read_amr, to_hetero
from amrgnn.models import AMRDebertaModel

from ..conftest import SAMPLE


def test_sample_amrs_through_the_fused_encoder(offline_deberta):
    amrs = list(read_amr(SAMPLE, progress=False))
    vocab = AMRVocab.build(amrs)
    tok = AutoTokenizer.from_pretrained(offline_deberta)
    datas = [to_hetero(a, vocab, tokenizer=tok) for a in amrs]
    # sample.2: "John did not eat ..." -- eat-01 :ARG0 John is an edge eat -> John between sub-words
    d = datas[1]
    pieces = tok.convert_ids_to_tokens(d["subword"].input_ids.tolist())
    rel = {vocab.relations[r]: (pieces[i], pieces[j]) for (i, j), r in zip(d["subword", "amr", "subword"].edge_index.t().tolist(), d["subword", "amr", "subword"].edge_type.tolist(), strict=True)}
    assert rel[":ARG0"] == ("eat", "john")

    length = max(x["subword"].num_nodes for x in datas)
    ids = torch.zeros(len(datas), length, dtype=torch.long)
    mask = torch.zeros_like(ids)
    for b, x in enumerate(datas):
        n = x["subword"].num_nodes
        ids[b, :n], mask[b, :n] = x["subword"].input_ids, 1
    graphs = [subword_token_graph(x)[0] for x in datas]
    model = AMRDebertaModel.from_pretrained(offline_deberta, graph_num_relations=len(vocab.relations)).eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "graph_key_proj" in name or "graph_query_proj" in name:
                p.normal_(0, 0.05)
        batched = model(ids, attention_mask=mask, graph=batch_token_graphs(graphs, length)).last_hidden_state
        for b, g in enumerate(graphs):
            n = int(mask[b].sum())
            alone = model(ids[b : b + 1, :n], graph=batch_token_graphs([g], n)).last_hidden_state[0]
            assert (alone - batched[b, :n]).abs().max() < 1e-4

    cut, dropped = subword_token_graph(d, max_len=6)
    assert dropped == d["subword", "amr", "subword"].num_edges - cut.num_edges > 0
    assert cut.num_edges > 0 and int(cut.edge_index.max()) < 6
