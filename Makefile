# RPO Portal: `make run` serves the product with demo data, `make test` runs every check.
SHELL := /bin/bash
# The first interpreter that really runs and is 3.11 or newer (a pyenv shim may exist but fail).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)

.PHONY: run test lint bench lock clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt ".[dev]"
	@rm -f $(VENV)/.installed-* && touch $@

run: $(STAMP)
	bin/run

test: $(STAMP)
	bin/test

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	bin/bench

# Refresh constraints.txt (the pinned versions every install uses) from a clean resolve.
lock:
	rm -rf /tmp/rpo-lock && $(PYTHON) -m venv /tmp/rpo-lock
	/tmp/rpo-lock/bin/pip install --quiet ".[dev]"
	/tmp/rpo-lock/bin/pip freeze --exclude rpo-portal > constraints.txt

clean:
	rm -rf $(VENV) var/static
