# lockdown: build, demo, test, bench.
SHELL := /bin/bash
GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/lockdown-dev/lockdown/internal/cli.Version=$(VERSION)
BENCH_SNAPSHOT := .cache/bench/snapshot-10k.json
# The reference data (AWS managed policies, the Service Authorization
# Reference, the guide) sits beside the repository; tests that read it
# skip, saying so, when it is absent.
ifneq ($(wildcard $(CURDIR)/../shared/data),)
LOCKDOWN_SHARED_DATA ?= $(abspath $(CURDIR)/../shared/data)
export LOCKDOWN_SHARED_DATA
endif

.PHONY: all build demo test test-deps lint unit sarif-validate bench clean

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/lockdown ./cmd/lockdown

## demo: audit the bundled sample account (the guide's account as written); no AWS access needed.
demo:
	@$(GO) run ./cmd/lockdown audit --snapshot testdata/snapshots/guide-as-written.json --format table --fail-on none

## test: everything CI checks. Installs its own test-only npm tools into .cache/.
test: test-deps lint unit sarif-validate

## test-deps: xmllint (Debian's libxml2-utils) validates JUnit reports against report/schema/junit.xsd.
## npm packages are installed by the tests themselves into .cache/.
test-deps:
	@command -v xmllint >/dev/null 2>&1 || { echo "installing libxml2-utils (xmllint)"; \
	  apt-get install -y -q libxml2-utils >/dev/null 2>&1 || \
	  { apt-get update -q >/dev/null && apt-get install -y -q libxml2-utils >/dev/null; }; }

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.cache/*')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...

unit:
	LOCKDOWN_IAMSIM=1 LOCKDOWN_JUNIT_XSD=1 $(GO) test -count=1 ./...

## sarif-validate: Microsoft's SARIF validator with GitHub's ingestion rules on the renderer's golden
## SARIF and on the SARIF of every bundled snapshot (errors and warnings fail).
sarif-validate:
	LOCKDOWN_SARIF_MULTITOOL=1 $(GO) test -count=1 -run 'Multitool' ./report/...
	@mkdir -p .cache
	bash tools/sarif-validate/run.sh --strict internal/cli/testdata/golden/*.sarif > .cache/sarif-validate.log || { cat .cache/sarif-validate.log; exit 1; }
	@echo "sarif-validate: $$(ls internal/cli/testdata/golden/*.sarif | wc -l) snapshot SARIF files: 0 errors, 0 warnings"

## bench: Go benchmarks plus a whole-audit run on a generated 10,000-user account.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
	LOCKDOWN_IAMSIM_SPEED=1 $(GO) test -count=1 -run TestSpeedAgainstSimulator -v ./internal/iampolicy/differential | grep -E 'decisions/s|goal|FAIL'
	@mkdir -p $(dir $(BENCH_SNAPSHOT))
	$(GO) run ./tools/gensnapshot -users 10000 -roles 2000 -policies 5000 -o $(BENCH_SNAPSHOT)
	$(GO) run ./tools/benchaudit -snapshot $(BENCH_SNAPSHOT)

clean:
	rm -rf bin .cache/bench
