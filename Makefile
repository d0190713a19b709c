# The newcomer's commands: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
TEST_ENV := DJANGO_SETTINGS_MODULE=newsroom.settings_test

.PHONY: run test test-e2e lint format bench bench-search install install-dev worker test-worker bench-send serve smoke test-faults mutate lighthouse

$(PY):
	$(PYTHON) -m venv $(VENV)

# Stamp files: reinstall only when a requirements file changes.
$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install -q -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Serves the demo site with DEBUG on, so media files are served and the demo login is printed.
run: export DJANGO_DEBUG ?= 1
run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py demo_superuser
	$(PY) manage.py runserver 127.0.0.1:8000

# Production-like serving (DEBUG off; set DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL...):
# collect static files, refuse to start unless `check --deploy` is clean, then gunicorn with
# deploy/gunicorn.conf.py (GUNICORN_WORKERS, GUNICORN_BIND, GUNICORN_TIMEOUT; access log to stdout).
serve: export DJANGO_DEBUG = 0
serve: install
	mkdir -p var
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py check --deploy --fail-level WARNING
	$(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py newsroom.wsgi

# Services broken on purpose (tests/faults): throwaway PostgreSQL and Redis, stopped, frozen and
# restarted while gunicorn serves pages. A couple of minutes; needs PostgreSQL's server binaries.
test-faults: install-dev
	$(TEST_ENV) $(VENV)/bin/pytest tests/faults -q

# nginx (deploy/nginx) in front of gunicorn, both on free loopback ports from a temporary
# directory, checked through nginx; both are stopped at the end. Installs Debian's nginx if missing.
/usr/sbin/nginx:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx

smoke: install /usr/sbin/nginx
	$(PY) deploy/smoke.py

# Lighthouse (npm, under var/lighthouse) on the home and story pages served as by `make smoke`,
# with Debian's Chromium; the median of ARGS="--runs N" runs. Scores depend on the machine's load:
# not in CI. See README, "Benchmark".
lighthouse: install /usr/sbin/nginx /usr/bin/chromium
	$(PY) deploy/lighthouse.py $(ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint
	mkdir -p var
	$(TEST_ENV) $(PY) manage.py check --fail-level WARNING
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(VENV)/bin/coverage run -m pytest -m "not e2e and not worker" --ignore=tests/e2e --ignore=tests/faults
	$(VENV)/bin/coverage report

# Real-browser tests (tests/e2e): Playwright drives Debian's Chromium, never a downloaded browser,
# and axe-core checks accessibility. Both land outside git: .venv and var/e2e.
AXE_VERSION := 4.14.1
AXE_STAMP := var/e2e/.axe-core-$(AXE_VERSION)

$(VENV)/.installed-e2e: requirements.txt requirements-dev.txt requirements-e2e.txt | $(PY)
	$(PIP) install -q -r requirements-e2e.txt
	touch $@ $(VENV)/.installed-dev $(VENV)/.installed

$(AXE_STAMP):
	npm install --prefix var/e2e --no-save --no-audit --no-fund --loglevel=error axe-core@$(AXE_VERSION)
	touch $@

# The Nu HTML Checker (tests/e2e/test_seo_html.py) runs on Debian's Java.
VNU_VERSION := 26.9.27
VNU_STAMP := var/e2e/.vnu-jar-$(VNU_VERSION)
$(VNU_STAMP): $(AXE_STAMP)
	npm install --prefix var/e2e --no-save --no-audit --no-fund --loglevel=error axe-core@$(AXE_VERSION) vnu-jar@$(VNU_VERSION)
	touch $@

/usr/bin/java:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless

/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

test-e2e: $(VENV)/.installed-e2e $(AXE_STAMP) $(VNU_STAMP) /usr/bin/java /usr/bin/chromium
	$(TEST_ENV) $(VENV)/bin/pytest tests/e2e -m e2e

/usr/bin/wrk:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk

# Loads the reader pages with wrk against gunicorn on a throwaway seeded archive (DATABASE_URL
# picks SQLite or PostgreSQL); exits non-zero when a target is missed. See README.md, "Benchmark".
# More options: make bench ARGS="--count 1000,100000 --duration 10".
bench: install /usr/bin/wrk
	$(TEST_ENV) $(PY) manage.py bench $(ARGS)

# Times /search/ in one process on the seeded archive DATABASE_URL names (it refuses any other):
# p50 and p95 per kind of query. See README.md, "Benchmark". E.g. ARGS="--repeat 50".
bench-search: install
	$(TEST_ENV) $(PY) manage.py bench_search $(ARGS)

# Background work for local use: one Celery worker that also runs the scheduler (beat), so
# scheduled editions and digests go out. It needs a broker; run `make run` with the same
# CELERY_BROKER_URL so the site queues mail for it. Production: see README, "Background work".
worker: export DJANGO_DEBUG ?= 1
worker: export CELERY_BROKER_URL ?= redis://127.0.0.1:6379/0
worker: install
	mkdir -p var
	$(VENV)/bin/celery -A newsroom worker -B --loglevel=INFO --schedule=var/celerybeat-schedule

# Real Celery workers against Redis (CELERY test database 13) sending through a real SMTP server,
# on the database DATABASE_URL names (CI: PostgreSQL). Slow, so not part of `make test`.
test-worker: install-dev
	$(TEST_ENV) $(VENV)/bin/pytest tests/worker -m worker

# Times one edition to 50,000 subscribers with 1 then 2 worker processes (Redis database 14,
# a throwaway database, an in-process SMTP sink). See README, "Benchmark".
bench-send: install-dev
	$(TEST_ENV) $(PY) manage.py bench_send

# Mutation testing (mutmut, tests/mutation.py): small deliberate bugs in story visibility, the
# sanitizer, image upload checks, newsletter signup and publishing permissions; prints the share
# the tests catch per area and the ones they miss (exits non-zero under 90 %). Some 20 minutes
# on 2 cores, so not part of `make test` or CI. Works in mutants/ (git ignores it).
# One area only (keeping the others' last results): make mutate AREA=sanitizer
$(VENV)/.installed-mutate: requirements.txt requirements-dev.txt requirements-mutate.txt | $(PY)
	$(PIP) install -q -r requirements-mutate.txt
	touch $@ $(VENV)/.installed-dev $(VENV)/.installed

mutate: $(VENV)/.installed-mutate
	$(TEST_ENV) $(PY) -m tests.mutation run $(AREA)
