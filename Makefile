# The commands the README gives; CI calls `make test` too.
PYTHON ?= python

.PHONY: test lint format typecheck bench

test:
	$(PYTHON) -m pytest

lint:
	ruff check .
	ruff format --check .

format:
	ruff format .
	ruff check --fix .

typecheck:
	mypy

bench:
	$(PYTHON) -m bench.run
