# Quick start: `make serve` (set up, build, serve on http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
# COMMUNE=ID builds that commune's handbook (content/communes/ID.toml); empty: every plan
COMMUNE ?=
export HANDBOOK_COMMUNE := $(COMMUNE)
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup site serve dev test bench cards communes communes-merge import-plan i18n-report kiosk lock clean

## setup: create .venv with the pinned Python dependencies (requirements.lock) and install the
##        pinned npm packages (package-lock.json: the Pyodide runtime); the speech tools (Debian's
##        espeak-ng and ffmpeg) when it can, else it says they are missing (no sound, still a site)
setup: $(STAMP) $(NODE_STAMP)
	@scripts/speech_tools.sh

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

$(NODE_STAMP): package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## site: validate content/ and build the handbook into site/ (replaced only if the build succeeds);
##       COMMUNE=ID builds that commune's handbook
site: setup
	$(BIN)/python scripts/cards.py --out build/cards/$(or $(COMMUNE),all) --if-chromium
	rm -rf build/site.tmp
	$(BIN)/python -m mkdocs build --strict --quiet --site-dir build/site.tmp
	rm -rf site && mv build/site.tmp site
	@echo "built site/$(if $(COMMUNE), for $(COMMUNE),)"

## serve: build, then serve site/ on http://127.0.0.1:$(PORT)
serve: site
	$(BIN)/python scripts/serve.py --dir site --port $(PORT)

## dev: live-reloading preview while editing content/ (mkdocs serve)
dev: setup
	$(BIN)/python -m mkdocs serve --dev-addr 127.0.0.1:$(PORT)

## test: set up, then run every test (content model, build, faithfulness, browser)
test: setup
	$(BIN)/python -m pytest

## bench: build time and bytes transferred per page, each beside a baseline from the same run
bench: setup
	PYTHONPATH=scripts $(BIN)/python -m bench

## kiosk: build, then serve on 127.0.0.1:$(PORT) and open /kiosk/ in Chromium's kiosk mode
kiosk: site
	$(BIN)/python scripts/kiosk.py --dir site --port $(PORT)

## cards: print-ready PDFs of the counter cards (A6 per situation and language, A4 sheets) in cards/
cards: setup
	$(BIN)/python scripts/cards.py --out cards

## communes: every commune's handbook (content/communes/ID.toml) in one deployable tree,
##           build/communes/ (each under ID/, shared files once); PUBLIC_URL=the tree's address;
##           SHARD=I/N builds one part (CI), then: make communes-merge PARTS="dir1 dir2 …"
communes: setup
	$(BIN)/python scripts/build_communes.py --out $(or $(OUT),build/communes) \
	  $(if $(SHARD),--shard $(SHARD)) $(if $(PUBLIC_URL),--public-url $(PUBLIC_URL))

communes-merge: setup
	@test -n "$(PARTS)" || { echo 'usage: make communes-merge PARTS="part1 part2 …" [OUT=build/communes]' >&2; exit 2; }
	$(BIN)/python scripts/build_communes.py --merge $(PARTS) --out $(or $(OUT),build/communes)

## import-plan: a commune's own plan becomes its handbook: FILE=plan.docx (or .txt, .md) ID=some-id
##              writes content/communes/ID/ (drafts, a review report); then: make site COMMUNE=ID
import-plan: setup
	@test -n "$(FILE)" -a -n "$(ID)" || { echo "usage: make import-plan FILE=path/to/plan.docx ID=some-id" >&2; exit 2; }
	$(BIN)/python -m handbook.importer "$(FILE)" "$(ID)"

## i18n-report: per language, what is translated and what is missing; strings recorded,
##              synthetic or silent, and stale recordings
i18n-report:
	$(PYTHON) -m handbook.i18n_report

## lock: re-pin requirements.lock from the versions in pyproject.toml
lock:
	rm -rf build/lockenv && $(PYTHON) -m venv build/lockenv
	build/lockenv/bin/pip install --quiet --disable-pip-version-check \
	  $$($(PYTHON) -c "import tomllib; d=tomllib.load(open('pyproject.toml','rb'))['project']; print(' '.join(d['dependencies'] + d['optional-dependencies']['test']))")
	(head -2 requirements.lock; build/lockenv/bin/pip freeze --exclude handbook-yeu-the) > build/requirements.lock
	mv build/requirements.lock requirements.lock

clean:
	rm -rf build site
