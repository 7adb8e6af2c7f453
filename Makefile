# chainatlas — every command in one place. `make demo` and `make test` are the two set-up commands.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DB ?= chainatlas.db
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: demo test install native assets browser-deps lint bench demo-db serve clean train

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $$(command -v $(PY) || command -v python3) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,native,ray,postgres]'
	@touch $(STAMP)

install: $(STAMP) assets $(if $(filter 0,$(NATIVE)),,native)

# The extraction modules compiled with mypyc (about a minute; rebuilt when their source changes).
# A failed build is reported and the pure-Python modules run; NATIVE=0 skips the step.
NATIVE_SRC := $(wildcard src/chainatlas/extract/*.py) src/chainatlas/model.py $(wildcard src/chainatlas/native/*.py)
NATIVE_STAMP := src/chainatlas/_native_manifest.json

$(NATIVE_STAMP): $(STAMP) $(NATIVE_SRC)
	@echo "compiling the extraction modules (mypyc, ~1 min; log in build-native.log)"
	@$(BIN)/python -m chainatlas.native build > build-native.log 2>&1 \
	  || { tail -n 15 build-native.log; echo "native build failed: the pure-Python modules run"; }

native: $(NATIVE_STAMP)
	@$(BIN)/python -m chainatlas.native status

# Front-end libraries are vendored from the npm registry at build time (no CDN at run time).
assets:
	@bash scripts/vendor_assets.sh

demo-db: install
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/chainatlas --db $(DB) ingest src/chainatlas/data/demo $(wildcard ../shared/seeds/*.txt)
	$(BIN)/chainatlas --db $(DB) stats

demo: demo-db
	@bash scripts/cjk_font.sh
	@echo "打开浏览器 / open http://$(HOST):$(PORT)"
	$(BIN)/chainatlas --db $(DB) serve --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/chainatlas --db $(DB) serve --host $(HOST) --port $(PORT)

browser-deps:
	@bash scripts/browser_deps.sh

test: install browser-deps
	bash scripts/with_test_pg.sh $(BIN)/python -m pytest -q -p no:cacheprovider

lint: install
	$(BIN)/ruff check src tests

bench: install
	$(BIN)/python -m bench.run

# The organisation-name CRF (extract/learned.py): trained on the gold sets (fresh5 held out) and
# realdev from ../shared plus silver labels of the rules on the generated corpus; deterministic
# (fixed seed, fixed feature order, L-BFGS). Prints rules alone vs rules + model (k-fold over
# realdev pages, fresh5, CLUENER2020 dev) and writes src/chainatlas/data/models/org_crf.*
train: $(STAMP)
	$(BIN)/python -m chainatlas.train.crf

clean:
	-test -x $(BIN)/python && $(BIN)/python -m chainatlas.native clean
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
