# Two commands: `make run` (set up, seed demo data, serve) and `make test` (the whole suite).
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
# Development commands run with DEBUG on unless told otherwise (no SECRET_KEY needed).
MANAGE := DEBUG=$${DEBUG:-1} $(PY) manage.py
TEST_ENV := SECRET_KEY=$${SECRET_KEY:-insecure-test-key} DEBUG=0

.PHONY: run test bench install vendor messages migrate demo lint format makemessages clean prod-smoke

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

static/vendor/.built: package.json package-lock.json scripts/vendor.sh scripts/echarts-entry.js scripts/fullcalendar-entry.js
	npm ci --no-audit --no-fund --loglevel=error
	scripts/vendor.sh

vendor: static/vendor/.built

messages: install
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

makemessages: install
	$(MANAGE) makemessages -l zh_Hans --ignore=.venv --ignore=node_modules --ignore=static \
		--ignore=tests --no-obsolete

migrate: install messages
	$(MANAGE) migrate --no-input -v 0

demo: migrate
	$(MANAGE) seed_demo

run: install vendor messages demo
	$(MANAGE) runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint --quiet
	$(VENV)/bin/lint-imports --no-cache
	$(TEST_ENV) $(VENV)/bin/mypy .
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run -v 1

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: install vendor messages lint
	$(TEST_ENV) $(PY) -m pytest -n $${PYTEST_WORKERS:-2} --cov --cov-report=term $(PYTEST_ARGS)
	$(PY) scripts/coverage-floors

# The production shape brought up natively (CI runs it after `make test`; needs REDIS_URL, and
# uses DATABASE_URL's PostgreSQL when set): the tree built as the image is, gunicorn, a worker
# and beat with DEBUG=0, the manifest static storage, the Redis cache, S3 storage on a local S3
# server (moto); then the health endpoints, pages, and an export through the worker.
prod-smoke: install messages
	timeout 120 $(PY) -m tests.config.prod_smoke

# The benchmark of DESIGN.md §9 on PostgreSQL: volume data (generated once), every page per role,
# the big export and import, and a gunicorn load run. Results in bench-results/.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/crm_bench
BENCH_SCALE ?= 1
BENCH_ENV := DATABASE_URL=$(BENCH_DATABASE_URL) SECRET_KEY=$${SECRET_KEY:-bench-key} DEBUG=0 \
	ALLOWED_HOSTS=testserver,127.0.0.1
bench: install messages
	@db=$$(echo "$(BENCH_DATABASE_URL)" | sed 's|.*/||'); \
	psql "$$(echo "$(BENCH_DATABASE_URL)" | sed 's|/[^/]*$$|/postgres|')" -tAc \
		"SELECT 1 FROM pg_database WHERE datname = '$$db'" | grep -q 1 || \
	psql "$$(echo "$(BENCH_DATABASE_URL)" | sed 's|/[^/]*$$|/postgres|')" -c "CREATE DATABASE $$db"
	$(BENCH_ENV) $(PY) manage.py migrate --no-input -v 0
	$(BENCH_ENV) $(PY) manage.py seed_volume --if-empty --scale $(BENCH_SCALE)
	$(BENCH_ENV) $(PY) manage.py bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles .mypy_cache .ruff_cache
