# Everything the project needs is installed from here into .venv.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
DEMO   ?= demo.db

.PHONY: run test install install-test demo bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

$(DEMO): install
	$(BIN)/annotator demo --project $(DEMO)

demo: $(DEMO)

## Install into .venv, build the demo project from sample_corpus/ and open the app on it.
run: install
	$(BIN)/annotator demo --project $(DEMO) --quiet
	$(BIN)/annotator open $(DEMO)

## Install the test extras and run the whole test suite (what CI runs).
test: install-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

bench: install-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(DEMO) build *.egg-info src/*.egg-info
