# Every target bootstraps itself on a machine that has only python3, make and git.
SHELL := /bin/bash
export PATH := $(HOME)/.local/bin:$(PATH)
export DAGSTER_HOME ?= $(CURDIR)/data/dagster
export LANDSCAPE_HOME ?= $(CURDIR)/data

UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
RUN := $(UV) run --locked
# The suite runs on every core (pytest-xdist); each test already works in its own folders, database and port.
# worksteal: a few end-to-end tests take minutes, and an idle worker takes over the other one's queue.
PYTEST_WORKERS ?= auto
PYTEST := $(RUN) pytest -q -n $(PYTEST_WORKERS) --dist worksteal

.PHONY: demo test test-fast dev lint bench install browser postgres dagster-home

install:
	@command -v uv >/dev/null 2>&1 || test -x $(HOME)/.local/bin/uv || python3 -m pip install --user --quiet uv \
		|| python3 -m pip install --user --quiet --break-system-packages uv
	@$(UV) sync --locked --quiet

dagster-home:
	@mkdir -p $(DAGSTER_HOME)
	@test -f $(DAGSTER_HOME)/dagster.yaml || cp dagster.yaml $(DAGSTER_HOME)/dagster.yaml

demo: install dagster-home
	$(RUN) landscape demo

test: install browser postgres
	$(PYTEST)

test-fast: install
	$(PYTEST) -m "not browser and not slow and not postgres"

dev: install dagster-home
	$(RUN) python -m pipelines.commands.dev

lint: install
	$(RUN) ruff check pipelines tests tools
	$(RUN) ruff format --check pipelines tests tools

bench: install dagster-home
	$(RUN) python -m pipelines.bench

# Browser tests drive Debian's Chromium; install it when missing (root on CI machines).
browser:
	@test -x /usr/bin/chromium || bash .ci/install-chromium

# Deployment tests (tests/deploy) need PostgreSQL: the server DAGSTER_POSTGRES_URL names when it answers,
# otherwise Debian's postgresql package and a cluster on that URL's port (root on CI machines).
postgres:
	@bash .ci/install-postgres
