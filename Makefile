# The two commands of the README:
#   make run   — environment, model and index when missing, then the app
#   make test  — environment, Chromium when missing, then the whole test suite
.PHONY: run test test-fast lint index bench

run:
	bash scripts/bootstrap.sh
	@if [ ! -f "$${ADVIESQA_INDEX_DIR:-index}/CURRENT" ]; then .venv/bin/adviesqa ingest; fi
	.venv/bin/streamlit run app.py

test:
	bash scripts/bootstrap.sh
	bash scripts/browser.sh
	$(MAKE) --no-print-directory lint
	.venv/bin/python -m pytest -q

# The tests that need neither the real model nor the browser (a few minutes less).
test-fast:
	bash scripts/bootstrap.sh
	.venv/bin/python -m pytest -q -m "not model and not browser"

# ruff (lint and format) and mypy over src/, clean.
lint:
	.venv/bin/ruff check src
	.venv/bin/ruff format --check src
	.venv/bin/mypy

index:
	bash scripts/bootstrap.sh
	.venv/bin/adviesqa ingest

bench:
	bash scripts/bootstrap.sh
	.venv/bin/python benchmarks/bench.py
