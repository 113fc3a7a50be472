# The two commands of the README:
#   make run   — environment, model and index when missing, then the app
#   make test  — environment, Chromium when missing, then the whole test suite
.PHONY: run test index bench

run:
	bash scripts/bootstrap.sh
	@if [ ! -f "$${ADVIESQA_INDEX_DIR:-index}/CURRENT" ]; then .venv/bin/adviesqa ingest; fi
	.venv/bin/streamlit run app.py

test:
	bash scripts/bootstrap.sh
	bash scripts/browser.sh
	.venv/bin/python -m pytest -q

index:
	bash scripts/bootstrap.sh
	.venv/bin/adviesqa ingest

bench:
	bash scripts/bootstrap.sh
	.venv/bin/python benchmarks/bench.py
