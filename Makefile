# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DEBUG ?= 1
# The port of the web process: `make run PORT=8001`.
PORT ?= 8000

.PHONY: run test install install-dev lint migrate demo messages lock clean bench oidc-provider

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Runtime dependencies from the pinned lock file, front-end packages from package-lock.json.
$(VENV)/.installed: $(BIN)/python requirements/base.txt package-lock.json
	$(BIN)/pip install --quiet -r requirements/base.txt
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements/dev.txt
	$(BIN)/pip install --quiet -r requirements/base.txt -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

# Web, Celery worker and Celery beat together (Procfile.dev), on SQLite and a
# server-less broker unless DATABASE_URL / CELERY_BROKER_URL say otherwise.
# honcho gives the web process $(PORT) as $$PORT (and the others the next hundreds).
run: demo
	@echo "Regional portal on http://127.0.0.1:$(PORT) (management site: /beheer/). Stop with Ctrl-C."
	$(BIN)/honcho --procfile Procfile.dev start --port $(PORT)

# Organisation log-in on the demo: a test OpenID Connect provider on 127.0.0.1:8090 (tests/oidc_provider/),
# its client and the demo secretary of Haarlem, and the matching identity provider in the portal.
# Run beside `make run`; log in at the provider as `secretaris` with the demo password.
oidc-provider: demo
	@secret=$$($(BIN)/python -c "import secrets; print(secrets.token_hex(24))"); \
	email=$$($(BIN)/python manage.py add_demo_identity_provider --secret "$$secret") || exit 1; \
	echo "Test identity provider on http://127.0.0.1:8090 (log in there as secretaris / $${DEMO_PASSWORD:-regio-demo}). Stop with Ctrl-C."; \
	$(BIN)/python -m tests.oidc_provider.serve --port 8090 \
		--demo-client regioportaal-demo "$$secret" http://127.0.0.1:$(PORT) \
		--demo-user secretaris "$${DEMO_PASSWORD:-regio-demo}" "$$email"

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The suite in two parts (tests/conftest.py, --db-isolation), each over TEST_PROCESSES processes.
TEST_PROCESSES ?= 2
test: install-dev lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist loadfile --db-isolation=rollback
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist loadfile --db-isolation=commit

# Regenerate the Dutch translations after changing user-facing strings.
messages: install
	$(BIN)/python manage.py makemessages --locale nl --ignore "$(VENV)/*" --ignore "node_modules/*"
	$(BIN)/python manage.py compilemessages --locale nl --ignore "$(VENV)/*"

# Re-pin the Python dependencies after changing requirements/*.in.
lock: $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	cd requirements && ../$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --output-file base.txt base.in
	cd requirements && ../$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --output-file dev.txt dev.in

clean:
	rm -rf $(VENV) node_modules staticfiles .broker .pytest_cache

# The national benchmark on PostgreSQL and gunicorn (bench/README.md); not part of `make test`.
FACTOR ?= 0.1
bench: install-dev
	$(BIN)/python bench/national.py --factor $(FACTOR)
