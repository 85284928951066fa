# The two commands: `make run` and `make test` (README.md); `make dev` for development.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTHON ?= python3
# The port `make run` and `make dev` serve on; SITE_URL (emailed links) follows it.
PORT ?= 8000
export PORT
LOCAL := DJANGO_SETTINGS_MODULE=config.settings.local

.PHONY: install run dev test test-fast check lint perf clean lock audit bpmn-js-vendor n8n

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

# Newest versions pyproject.toml allows, written down as the lock `make install` uses.
lock: install
	$(PY) -m pip install --quiet --upgrade -e ".[dev]"
	echo "# Exact versions CI and \`make install\` use (pip constraints). Regenerate with \`make lock\`." > requirements.lock
	$(PY) -m pip freeze --exclude-editable >> requirements.lock

install: $(STAMP)

# The product as a newcomer meets it (config/settings/local.py): DEBUG off, the project's
# 404 and 500 pages, hashed static files from WhiteNoise, gunicorn on loopback. One
# process with threads: the embedded default keeps rate-limit counts in its memory, and a
# board report rendering in the request (eager Celery) does not block other pages.
run: install staticfiles/staticfiles.json
	$(LOCAL) $(PY) manage.py migrate --noinput
	$(LOCAL) $(PY) manage.py load_demo
	@echo "Serving http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	$(LOCAL) exec $(VENV)/bin/gunicorn config.wsgi --bind 127.0.0.1:$(PORT) \
		--workers 1 --threads 4 --access-logfile -

# Hashed, compressed static files for WhiteNoise, only when a static file or an installed
# package changed.
staticfiles/staticfiles.json: $(STAMP) $(shell find static -type f)
	$(LOCAL) $(PY) manage.py collectstatic --noinput -v0
	touch $@

# Django's auto-reloading development server with DEBUG on (config/settings/base.py).
dev: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite on the configured database (DATABASE_URL; SQLite by default), once: the
# domain tests run in it, and nowhere else. When that is another database, the self-score
# tests run a second time on SQLite so the embedded setup stays covered (the domain tests
# use no database, so running them again there would only repeat them). The run-ingest API's
# schemathesis fuzz runs inside the first pass (tests/workflows/test_ingest_fuzz.py: signed by
# a hook, rate limits off, 40 examples an operation, derandomized, ~25 s); it needs the
# PostgreSQL pass only, so the SQLite rerun leaves it out.
test: install check
	@if command -v node >/dev/null; then $(MAKE) --no-print-directory n8n; \
	else echo "--- Node.js not found: the real-n8n tests (tests/n8n) will be skipped ---"; fi
	$(PY) -m pytest
	@if [ -n "$${DATABASE_URL:-}" ]; then \
		echo "--- SQLite pass (embedded default) ---"; \
		env -u DATABASE_URL -u CELERY_BROKER_URL $(PY) -m pytest tests/benchmark; \
	fi

# Day to day: the test database is kept between runs (--reuse-db; --create-db after a
# migration), hypothesis runs its light "dev" profile (tests/hypothesis_profiles.py), and
# pytest's cache remembers failures: `make test-fast ARGS="--lf"` runs only those again.
test-fast: install
	$(PY) -m pytest --reuse-db -q --ignore=tests/browser --ignore=tests/faults $(ARGS)

# The house style (STYLE.md), also run by .pre-commit-config.yaml: lint and format, the
# templates, types (mypy: django-stubs; strict on the pure modules), the import boundaries
# (import-linter: pure modules import no Django, core imports no app), migrations in step
# with the models, and bandit.
check: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/bandit -q -r config core benchmark audits workflows reports firms webhooks demo -x "*/migrations/*"

lint: check

# Known vulnerabilities in requirements.lock (pip-audit; see the script for its sources).
audit: install
	$(PY) tests/security/dependency_audit.py

# Every figure of issue 13 beside its reference from the same run, one table, perf.json
# (tests/perf/perf_all.py): PostgreSQL with 100,000 responses, gunicorn under the
# production settings, Chromium, wrk (installed with apt-get where missing). Rate limits off.
perf: install
	$(PY) tests/perf/perf_all.py

# npm packages are installed into a cache outside the repository, keyed by their lock's hash.
NPM_CACHE ?= $(HOME)/.cache/maturity-benchmark/npm

# The bpmn-js viewer the "View as BPMN" page and the browser tests load
# (static/vendor/bpmn-js/, committed, so `make run` needs no npm):
# npm installs assets/bpmn-js's lock (no registry addresses in it: its .npmrc) into the
# same cache, keyed by the lock's hash, and the package's own prebuilt dist files are copied.
BPMN_JS_FILES := bpmn-viewer.production.min.js assets/diagram-js.css assets/bpmn-js.css
bpmn-js-vendor:
	@key=$$(cat assets/bpmn-js/package.json assets/bpmn-js/package-lock.json | sha256sum | cut -c1-16); \
	dir="$(NPM_CACHE)/bpmn-js-$$key"; \
	if [ ! -d "$$dir/node_modules" ]; then \
		mkdir -p "$$dir" && cp assets/bpmn-js/package.json assets/bpmn-js/package-lock.json assets/bpmn-js/.npmrc "$$dir/" && \
		npm ci --prefix "$$dir" --ignore-scripts --no-audit --no-fund --loglevel=error; \
	fi; \
	mkdir -p static/vendor/bpmn-js; \
	for file in $(BPMN_JS_FILES); do cp "$$dir/node_modules/bpmn-js/dist/$$file" static/vendor/bpmn-js/; done; \
	cp "$$dir/node_modules/bpmn-js/LICENSE" static/vendor/bpmn-js/LICENSE.txt

# The real n8n the tests run against (tests/n8n_server.py): tools/n8n's package.json and
# lock, installed with `npm ci` into ~/.cache/benchmark-n8n/<the lock's hash> (outside the
# repository; XDG_CACHE_HOME or BENCHMARK_N8N_CACHE move it), atomically, and reused. The
# first install takes about 10 minutes on 2 cores and 1.7 GB (README "Tests").
n8n:
	@bash tools/n8n/install.sh >/dev/null

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .local-secret-key
