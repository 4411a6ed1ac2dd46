# Two commands do everything on a fresh machine (each sets itself up first):
#   make briefings   build the default area's briefings into outputs/
#   make test        run the unit tests, the notebooks under nbval and the end-to-end checks
# Options: make briefings AREA=E06000031 JOBS=2 ARGS="--force"

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
AREA   ?= E10000003
JOBS   ?= 2
ARGS   ?=
# The environment is rebuilt whenever the lock or the project metadata change.
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)

.PHONY: setup data briefings lint test lab browser benchmark clean clean-cache

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || { $(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip >/dev/null; \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check uv; }
	# --compile-bytecode: every process (runner, workers, kernels, tests) starts from .pyc files, even where
	# PYTHONDONTWRITEBYTECODE is set; without them each one spends ~5 s compiling pandas, scipy & co.
	VIRTUAL_ENV=$(VENV) $(BIN)/uv pip sync --quiet --compile-bytecode requirements.lock
	VIRTUAL_ENV=$(VENV) $(BIN)/uv pip install --quiet --no-deps -e .
	$(BIN)/python -m compileall -q src
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (briefings)" >/dev/null
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

data: setup  ## fetch and verify every registered data file (cache <- mirror <- pinned URL)
	$(BIN)/python -m helpers.fetch_all

briefings: setup  ## build the default area's collection (AREA=... for another)
	$(BIN)/python -m helpers.runner --area "$(AREA)" --jobs $(JOBS) $(ARGS)

lint: setup  ## ruff, ruff format, stripped notebooks, mypy, large files, merge markers (as pre-commit does)
	$(BIN)/python scripts/lint.py

test: setup lint  ## lint first, then unit tests + notebooks under nbval + runner end to end + browser check
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile $(ARGS)

lab: setup  ## JupyterLab with a kernel that imports helpers
	$(BIN)/jupyter lab notebooks/

browser:  ## Debian's Chromium for the browser check (needs root and the Debian archive)
	bash scripts/install-browser.sh

benchmark: setup
	$(BIN)/python benchmarks/run.py

clean-cache:
	rm -rf data/cache

clean:
	rm -rf $(VENV) data/cache outputs/*/
