# Set-up and main jobs. `make demo` and `make test` install what they need first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.8
# npm tools, exact versions, under a project-owned prefix (.venv/npm): see docs/ci-lab.md.
GITLAB_CI_LOCAL_VERSION := 4.65.0
NPM_PREFIX := $(VENV)/npm
APT_PACKAGES := chromium bubblewrap util-linux procps python3-venv postgresql redis-server docker.io docker-compose bats
MERMAID_VERSION := 11.4.1
STAMP := $(VENV)/.installed
MERMAID := $(NPM_PREFIX)/node_modules/mermaid/package.json

.PHONY: install demo test lab lock i18n schema golden clean bench analysers ci-tools site

install: $(STAMP) $(MERMAID)

# Mermaid (the C5 lab's diagrams are parsed by Mermaid itself, in the system Chromium): the npm package,
# pinned, under a project-owned prefix; no browser download, no install scripts. See docs/design-labs.md.
$(MERMAID):
	command -v npm >/dev/null || bash environments/install-system-packages.sh npm
	PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix $(NPM_PREFIX) --save-exact --no-audit --no-fund --ignore-scripts \
		--loglevel=error mermaid@$(MERMAID_VERSION)

$(STAMP): requirements.lock pyproject.toml graders/locale/fr/LC_MESSAGES/graders.po graders/security/analysers.lock
	bash environments/install-system-packages.sh $(APT_PACKAGES)
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv pip sync --quiet --python $(PY) requirements.lock
	$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps -e .
	$(VENV)/bin/pybabel compile --statistics -d graders/locale -D graders
	$(MAKE) --no-print-directory analysers
	$(MAKE) --no-print-directory ci-tools
	touch $(STAMP)

# The Python analysers (bandit) on the newest Python 3.12+ found, so that learners' 3.12+ syntax (PEP 701
# f-strings...) is parsed: $(VENV)/analysers/py3.X with its own pinned bandit. Optional: without such a
# Python, files the grader's Python cannot parse are reported "not checked". ANALYSER_PYTHON=/path/python.
analysers:
	@py="$(ANALYSER_PYTHON)"; \
	if [ -z "$$py" ]; then py=$$($(PY) -c 'from graders.security.interpreters import find_newer_python as f; print(f() or "")'); fi; \
	if [ -z "$$py" ]; then echo "analysers: no Python 3.12+ found; files with newer syntax will be reported 'not checked'"; exit 0; fi; \
	ver=$$($$py -c 'import sys; print("%d.%d" % sys.version_info[:2])'); dest=$(VENV)/analysers/py$$ver; \
	rm -rf $(VENV)/analysers && $(VENV)/bin/uv venv --quiet --python "$$py" "$$dest" && \
	$(VENV)/bin/uv pip install --quiet --python "$$dest/bin/python" --require-hashes -r graders/security/analysers.lock && \
	echo "analysers: bandit on Python $$ver ($$dest)"

# gitlab-ci-local (npm, Node >= 18) for the CI lab and the CI templates' tests. Optional: without it those
# tests skip with the reason. Node and npm come from Debian when missing (nodejs npm); the pipeline runs need Node >= 20.15 (Debian 12 has 18: use a newer nodejs, or the tests skip with the reason).
ci-tools:
	@command -v npm >/dev/null || bash environments/install-system-packages.sh nodejs npm || true; \
	have=$$($(NPM_PREFIX)/node_modules/.bin/gitlab-ci-local --version 2>/dev/null); \
	if [ "$$have" = "$(GITLAB_CI_LOCAL_VERSION)" ]; then exit 0; fi; \
	if npm install --silent --no-audit --no-fund --prefix $(NPM_PREFIX) gitlab-ci-local@$(GITLAB_CI_LOCAL_VERSION); \
	then echo "ci-tools: gitlab-ci-local $(GITLAB_CI_LOCAL_VERSION) ($(NPM_PREFIX))"; \
	else echo "ci-tools: gitlab-ci-local not installed; the CI lab's pipeline runs will be skipped"; fi

demo: install
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/cda demo --output build/demo

test: install
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(PY) -m pytest -n 4 --dist worksteal --durations=30

# The course site (MkDocs Material, offline): course/ and the lab statements into build/site/. See docs/course-site.md.
site: install
	$(PY) -m graders.course_site --output build/site

# JupyterLab with the nbgrader extensions on the course (learners' Assignments panel, formgrader).
lab: install
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" JUPYTER_CONFIG_PATH="$(CURDIR)" $(PY) -m graders.notebooks.course lab

bench: install
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(PY) benchmarks/run.py

# Re-pin every dependency (needs the package registry).
lock:
	$(PY) -m pip install --quiet uv==$(UV_VERSION)
	$(VENV)/bin/uv pip compile requirements.in --python-version 3.11 --generate-hashes -o requirements.lock
	$(VENV)/bin/uv pip compile graders/security/analysers.in --python-version 3.12 --generate-hashes \
		-o graders/security/analysers.lock

# Refresh the message catalogs after changing learner-facing strings.
i18n:
	$(VENV)/bin/pybabel extract -F babel.cfg --no-location -w 120 -o graders/locale/graders.pot .
	$(VENV)/bin/pybabel update -i graders/locale/graders.pot -d graders/locale -D graders --no-fuzzy-matching -w 120

# The result contract's JSON Schema, from graders/results.py (tests/test_schema.py fails when it is stale).
schema: install
	$(PY) -m graders.schema --output docs/result.schema.json

# After an intended change of results or reports: rewrite the schema and every golden file, then review the diff.
golden: schema
	CDA_UPDATE_GOLDEN=1 PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(PY) -m pytest -q -n 4 -p no:cacheprovider \
		tests/test_golden.py tests/test_render_formats.py

clean:
	rm -rf build $(VENV)
