# The two commands of the README:  `make run`  and  `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test lint services browser clean

run: $(STAMP)
	@$(MAKE) -s browser || echo "Chromium not installed: the review's deck cannot draw its maps"
	$(PY) -m dashboard serve

# Two workers (pytest-xdist); the browser tests stay together on one of them.
TEST_WORKERS ?= 2

test: $(STAMP) browser services
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadgroup

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) -m mypy

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

# Chromium and its driver (browser tests; the review deck's pictures) and a font
# with Vietnamese letters for the deck's PDF (Debian packages; needs root).
browser:
	@command -v chromedriver >/dev/null && command -v chromium >/dev/null \
	  && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    chromium chromium-driver fonts-dejavu-core; }

# PostgreSQL for the tests on the second backend: start the local cluster if it is
# installed but stopped (TEST_POSTGRES_URL may point elsewhere instead).
services:
	@if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1; then \
	  command -v pg_ctlcluster >/dev/null && \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -1) main start \
	  || true; fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
