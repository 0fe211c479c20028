# Two commands do all the set-up on a fresh machine (Python 3.11+):
#   make run    install into .venv and start the dashboard (demo data when no feeds are configured)
#   make test   install into .venv and run the whole test suite (plus ruff)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test lint format constraints clean-venv speedups

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	touch $(STAMP)

# Compiles the ingest path with Cython (speedups.py; nothing to do when up to date). Optional:
# without a C compiler the same modules run as plain Python.
speedups: $(STAMP)
	$(PY) speedups.py build || echo "warning: speedups.py could not compile; running plain Python"

run: $(STAMP) speedups
	$(VENV)/bin/streamlit run serve.py --server.port $(PORT)

test: $(STAMP) speedups
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

constraints: $(STAMP)
	$(PY) -m pip freeze --exclude-editable | sed '1i # Every package the suite installs, pinned (transitive too). Regenerate: make constraints' > constraints.txt

clean-venv:
	-$(PY) speedups.py clean
	rm -rf $(VENV)
