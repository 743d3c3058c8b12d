"""Tasks on the AMR-aware encoder: MLGM pre-training (:mod:`.mlgm`), event extraction
(:mod:`.ee`), the evaluation protocols (:mod:`.protocols`), the GNN ablation (:mod:`.ablate_gnn`)
and the trainer base they share (:mod:`.training`)."""
