# Reviewer: `make run` sets up and launches the app, `make test` sets up and runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test bench lint venv sample dist clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[server,dev]'
	touch $(STAMP)

venv: $(STAMP)

# Qt's X11 plugin needs system libraries the wheels do not bring (libxcb-cursor0...): they are
# installed when missing and run as root, else the apt-get line to run is printed.
run: venv
	@[ "$$QT_QPA_PLATFORM" = offscreen ] || $(BIN)/python packaging/qt_system_libraries.py --install
	$(BIN)/reviewer-app resources/sample-worksheet.pdf

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# The suite runs in TEST_WORKERS processes (pytest-xdist), each test module in one of them (its
# module-wide servers start once); `make test TEST_WORKERS=1` runs it in one.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -gt 4 ] && n=4; echo $$n)

# The PostgreSQL store's tests run the machine's own PostgreSQL (Debian's postgresql package,
# installed by `make test` when missing and run as root, like poppler-utils for pdftoppm).
test: lint
	@command -v pdftoppm >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq poppler-utils; } || { echo "pdftoppm is missing: install poppler-utils (e.g. sudo apt-get install poppler-utils); the layer PDF tests render with it" >&2; exit 1; }
	@command -v appstreamcli >/dev/null && command -v desktop-file-validate >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq appstream desktop-file-utils; } || echo "appstreamcli or desktop-file-validate is missing (apt-get install appstream desktop-file-utils): their checks are skipped" >&2
	@command -v nginx >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq nginx-core; } || echo "nginx is missing (apt-get install nginx-core): the test of two servers behind packaging/nginx.conf is skipped" >&2
	@command -v pg_ctl >/dev/null || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq postgresql; } || { echo "PostgreSQL is missing: install postgresql (e.g. sudo apt-get install postgresql); the tests of the PostgreSQL store start a throwaway cluster with its initdb and pg_ctl" >&2; exit 1; }
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -n $(TEST_WORKERS) --dist loadscope

bench: venv
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/export.py
	$(BIN)/python bench/server.py
	$(BIN)/python bench/server.py --scale
	$(BIN)/python bench/server_hot.py
	$(BIN)/python bench/server_load.py
	$(BIN)/python bench/import_memory.py
	$(BIN)/python bench/sync.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/sync_stalls.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/viewer.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/review.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/annotate.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/comments.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/fidelity.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/pdf_annotations.py
	$(BIN)/python bench/xfdf.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/grading.py
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/summary.py

# The one-folder app (dist/Reviewer/, see packaging/README.md); PyInstaller is installed only here.
dist: venv
	$(BIN)/python -m pip install --quiet 'pyinstaller>=6.10'
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/reviewer.spec
	@du -sh dist/Reviewer
	@echo "try it: dist/Reviewer/reviewer-app --self-test"

sample: venv
	$(BIN)/python resources/make_sample.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
