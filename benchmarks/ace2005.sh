#!/usr/bin/env bash
# The chapter's protocol on ACE05-E, end to end, from the LDC release:
#
#   benchmarks/ace2005.sh LDC2006T06_DIR [AMR3_DIR]
#
# 1. prepare ACE05-E (OneIE's 529/30/40 document split) from the APF/SGM release;
# 2. MLGM pre-training on AMR 3.0 when AMR3_DIR is given, else on the public AMR corpora;
# 3. the token-graph predictor (train-parser) on the same AMR graphs;
# 4. train-ee: text only, with predicted graphs from the MLGM checkpoint (the chapter's system), and
#    with predicted graphs in the argument head only (--argument-graph: what helps on GENEVA);
# 5. the continual protocol on data/streams/ace05-5tasks.json (finetune, replay, joint; text and graphs);
# 6. low-resource at DEGREE's document counts (5 .. 400 of 529), text and graphs;
# 7. cross-domain by ACE genre (a split drawn per genre: `prepare --split genres`), trained on the news
#    genres bn+nw and scored on every genre, as in Nguyen & Grishman (2015), text and graphs;
# 8. the "does AMR help" study (benchmarks/study.py) on the prepared ACE05-E files;
# 9. one table (amrgnn report) and where the numbers stand against OneIE's published ACE05-E results.
#
# Environment: OUT (default out/ace2005), PY (default .venv/bin/python), SEEDS (default 1,2,3),
# EPOCHS (event extraction, default 16), MLGM_EPOCHS (default 3), PARSER_EPOCHS (default 8),
# BACKBONE (default offline), EXTRA (options added to every training command, e.g. "--max-steps 2"
# for a smoke run), PREPARE_ARGS (default "--split oneie"; e.g. "--split-dir DIR"), LOWRES_SIZES (the
# low-resource sizes, default DEGREE's), STREAMS (the continual task order, default
# data/streams/ace05-5tasks.json), SOURCE_GENRES (cross-domain training genres, default bn,nw), STUDY_ARGS (options added to the study, e.g. "--sizes 10% 25%"),
# DRY_RUN=1 (prepare only; print every later command instead of running it).
# A finished stage leaves OUT/<stage>.done and is skipped when the script is run again.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 LDC2006T06_DIR [AMR3_DIR]" >&2
    exit 2
fi
ACE=$1
AMR3=${2:-}
HERE=$(cd "$(dirname "$0")/.." && pwd)
PY=${PY:-$HERE/.venv/bin/python}
OUT=${OUT:-$HERE/out/ace2005}
SEEDS=${SEEDS:-1,2,3}
EPOCHS=${EPOCHS:-16}
MLGM_EPOCHS=${MLGM_EPOCHS:-3}
PARSER_EPOCHS=${PARSER_EPOCHS:-8}
BACKBONE=${BACKBONE:-offline}
EXTRA=${EXTRA:-}
SHARED=$HERE/../shared/data
mkdir -p "$OUT"

amrgnn() { "$PY" -m amrgnn "$@"; }
stage() {  # stage NAME COMMAND...: run once (OUT/NAME.done), or print it under DRY_RUN
    local name=$1; shift
    if [[ -n "${DRY_RUN:-}" ]]; then
        printf 'DRY_RUN %s:' "$name"; printf ' %q' "$@"; printf '\n'
        return 0
    fi
    if [[ -f "$OUT/$name.done" ]]; then
        echo "== $name: done before (rm $OUT/$name.done to redo)"
        return 0
    fi
    echo "== $name"
    "$@"
    touch "$OUT/$name.done"
}

# 1. data: always run (cheap, deterministic), so that a wrong release stops here
# shellcheck disable=SC2086
amrgnn prepare ace2005 "$ACE" --out "$OUT/data" --variant ace05-e ${PREPARE_ARGS:---split oneie}
DATA=(--train "$OUT/data/train.json" --dev "$OUT/data/dev.json" --test "$OUT/data/test.json" --format oneie)
# the standard split tests on newswire only; cross-domain by genre needs every genre's own test documents
amrgnn prepare ace2005 "$ACE" --out "$OUT/data-genres" --variant ace05-e --split genres
GENRES=(--train "$OUT/data-genres/train.json" --dev "$OUT/data-genres/dev.json" --test "$OUT/data-genres/test.json" --format oneie)

# 2-3. AMR graphs for pre-training and the predictor
if [[ -n "$AMR3" ]]; then
    AMR_TRAIN=("$AMR3/data/amrs/split/training")
    AMR_DEV=("$AMR3/data/amrs/split/dev")
else
    AMR_TRAIN=("$SHARED/little-prince-amr/amr-bank-struct-v1.6-training.txt" "$SHARED/bio-amr/amr-release-dev-bio.txt")
    AMR_DEV=("$SHARED/little-prince-amr/amr-bank-struct-v1.6-dev.txt")
fi
# shellcheck disable=SC2086
stage mlgm amrgnn pretrain --data "${AMR_TRAIN[@]}" --output-dir "$OUT/mlgm" --backbone "$BACKBONE" \
    --epochs "$MLGM_EPOCHS" --no-progress $EXTRA
# shellcheck disable=SC2086
stage parser amrgnn train-parser --data "${AMR_TRAIN[@]}" --dev "${AMR_DEV[@]}" --output-dir "$OUT/parser" \
    --backbone "$BACKBONE" --epochs "$PARSER_EPOCHS" --no-progress $EXTRA
GRAPHS=predicted:$OUT/parser

# 4. event extraction: text, MLGM + graphs (the chapter's system), graphs in the argument head only
# shellcheck disable=SC2086
stage ee-text amrgnn train-ee "${DATA[@]}" --output-dir "$OUT/ee-text" --backbone "$BACKBONE" --epochs "$EPOCHS" --no-progress $EXTRA
# shellcheck disable=SC2086
stage ee-amr amrgnn train-ee "${DATA[@]}" --output-dir "$OUT/ee-amr" --backbone "$OUT/mlgm" --graphs "$GRAPHS" \
    --epochs "$EPOCHS" --no-progress $EXTRA
# shellcheck disable=SC2086
stage ee-graph-arg amrgnn train-ee "${DATA[@]}" --output-dir "$OUT/ee-graph-arg" --backbone "$BACKBONE" --graphs "$GRAPHS" \
    --argument-graph --epochs "$EPOCHS" --no-progress $EXTRA

# 5-7. the protocols, text and graphs side by side
# shellcheck disable=SC2086
stage continual amrgnn continual "${DATA[@]}" --output-dir "$OUT/continual" --streams "${STREAMS:-$HERE/data/streams/ace05-5tasks.json}" \
    --method finetune,replay,joint --graphs none --graphs "$GRAPHS" --seeds "$SEEDS" --backbone "$BACKBONE" --no-progress $EXTRA
# shellcheck disable=SC2086
stage low-resource amrgnn low-resource "${DATA[@]}" --output-dir "$OUT/low-resource" --unit documents --seeds "$SEEDS" \
    ${LOWRES_SIZES:+--sizes $LOWRES_SIZES} \
    --graphs none --graphs "$GRAPHS" --backbone "$BACKBONE" --epochs "$EPOCHS" --no-progress $EXTRA
# shellcheck disable=SC2086
stage cross-domain amrgnn cross-domain "${GENRES[@]}" --output-dir "$OUT/cross-domain" --seeds "$SEEDS" \
    --domain-map "$OUT/data-genres/domains.json" --train-domains "${SOURCE_GENRES:-bn,nw}" \
    --graphs none --graphs "$GRAPHS" --backbone "$BACKBONE" --epochs "$EPOCHS" --no-progress $EXTRA

# 8. the "does AMR help" study on ACE05-E (its own matrix of conditions, reusing the MLGM model and predictor)
# shellcheck disable=SC2086
stage study "$PY" "$HERE/benchmarks/study.py" --train "$OUT/data/train.json" --dev "$OUT/data/dev.json" --dev-docs none \
    --test "$OUT/data/test.json" --test-docs none --target-test none --format oneie --seeds "$SEEDS" \
    --mlgm "$OUT/mlgm" --predictor "$OUT/parser" --output-dir "$OUT/study" --json "$OUT/study.json" --epochs "$EPOCHS" \
    --backbone "$BACKBONE" --no-progress ${STUDY_ARGS:-}

# 9. one table, and OneIE's published ACE05-E test F1 (Lin et al. 2020, Table 3) beside our train-ee runs
stage report amrgnn report "$OUT/ee-text" "$OUT/ee-amr" "$OUT/ee-graph-arg" "$OUT/continual" "$OUT/low-resource" "$OUT/cross-domain" --output-dir "$OUT/report"
if [[ -z "${DRY_RUN:-}" ]]; then
    "$PY" - "$OUT" <<'PYEOF'
import json, sys
from pathlib import Path
out = Path(sys.argv[1])
oneie = {"trigger_id": 78.2, "trigger_cls": 74.7, "arg_id": 59.2, "arg_cls": 56.8}  # OneIE, ACE05-E test (Lin et al. 2020, Table 3)
print(f"{'ACE05-E test F1':<16}" + "".join(f"{k:>13}" for k in oneie))
print(f"{'OneIE (paper)':<16}" + "".join(f"{v:>13.1f}" for v in oneie.values()))
for run in ("ee-text", "ee-amr", "ee-graph-arg"):
    f = out / run / "scores.test.json"
    d = json.loads(f.read_text()) if f.is_file() else {}
    cells = [f"{d[k]['f1']:>13.1f}" if k in d else f"{'-':>13}" for k in oneie]
    print(f"{run:<16}" + "".join(cells))
print(f"tables: {out / 'report' / 'report.md'}, {out / 'study' / 'report.md'}")
PYEOF
fi
