# The two commands of the README:
#   make run   — environment and model when missing, the index built or brought up to date, then the app
#   make test  — environment, Chromium when missing, then the whole test suite
.PHONY: run test test-fast lint index bench screenshots

# The index follows the corpus folder: built when missing, updated when files changed, rebuilt
# when another version of the program or other settings made it; a file that fails is listed
# and the app starts with the rest ("-": make goes on).
run:
	bash scripts/bootstrap.sh
	-.venv/bin/adviesqa ingest --rebuild-mismatched
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

# ruff (lint and format) over src/ and benchmarks/, and mypy over src/, clean.
lint:
	.venv/bin/ruff check src benchmarks
	.venv/bin/ruff format --check src benchmarks
	.venv/bin/mypy

# The README's screenshots renewed by the browser test (a test run writes them to a temporary folder).
screenshots:
	bash scripts/bootstrap.sh
	bash scripts/browser.sh
	ADVIESQA_SCREENSHOTS_DIR=docs/screenshots .venv/bin/python -m pytest -q tests/test_browser.py

index:
	bash scripts/bootstrap.sh
	.venv/bin/adviesqa ingest

bench:
	bash scripts/bootstrap.sh
	.venv/bin/python benchmarks/bench.py
