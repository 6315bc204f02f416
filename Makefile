# Two commands do all set-up on a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
KG     := $(VENV)/bin/kg
STAMP  := $(VENV)/.installed

.PHONY: demo test install clean bench lock

# Reinstall only when the project's dependency files change.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -c constraints.txt -e ".[test,notebooks,dask,bench]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(KG) build seeds --out exports
	@echo
	@echo "Results are in exports/: welfare.ttl (Turtle), welfare.nq (one graph per report),"
	@echo "welfare.html and explorer.html (open them in a browser), figures.csv (one row per figure), cube.trig (RDF Data Cube),"
	@echo "store/ (embedded Oxigraph store). Try:"
	@echo "  $(KG) query exports/store --name dibao-standards"

test: $(STAMP)
	bash tests/setup_system.sh
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m kg.bench.scale --sizes 200 2000 --workers 1 2 4 --out bench/SCALE.md
	$(PY) -m kg.bench.memory --sizes 200 2000 20000 --workers 2 --out bench/MEMORY.md
	$(PY) -m kg.bench.whole --reports 300 --runs 3 --parts --json bench/whole.json --out bench/WHOLE.md
	$(PY) -m kg.bench --sizes 50 500 2000 --out bench/RESULTS.md

# Regenerate the pinned versions from a fresh resolve.
lock:
	rm -rf /tmp/kg-lock && $(PYTHON) -m venv /tmp/kg-lock
	/tmp/kg-lock/bin/pip install -q --upgrade pip
	/tmp/kg-lock/bin/pip install -q -e ".[test,notebooks,dask,bench]"
	/tmp/kg-lock/bin/pip freeze --exclude-editable | grep -v '^welfare-kg' > constraints.txt

clean:
	rm -rf $(VENV) build *.egg-info
