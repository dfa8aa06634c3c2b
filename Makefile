# lockdown: build, demo, test, bench.
SHELL := /bin/bash
GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/lockdown-dev/lockdown/internal/cli.Version=$(VERSION)
BENCH_SNAPSHOT := .cache/bench/snapshot-10k.json
BENCH_SNAPSHOT_1K := .cache/bench/snapshot-1k.json
# The reference data (AWS managed policies, the Service Authorization
# Reference, the guide) sits beside the repository; tests that read it
# skip, saying so, when it is absent.
ifneq ($(wildcard $(CURDIR)/../shared/data),)
LOCKDOWN_SHARED_DATA ?= $(abspath $(CURDIR)/../shared/data)
export LOCKDOWN_SHARED_DATA
endif

.PHONY: all build demo test deps lint unit race sarif-validate bench clean

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/lockdown ./cmd/lockdown

## demo: audit the bundled sample account (the guide's account as written); no AWS access needed.
demo:
	@$(GO) run ./cmd/lockdown audit --snapshot testdata/snapshots/guide-as-written.json --format table --fail-on none

## test: everything CI checks, after installing what the tests need (deps).
test: deps lint unit race sarif-validate

## deps: the one step that installs the tests' tools; it says what it installs and why, and does
## nothing for what is already there. No test installs anything itself.
##   Debian: libxml2-utils (xmllint validates JUnit reports against report/schema/junit.xsd),
##   chromium (the HTML report is rendered and filtered in headless Chromium) and openssh-client
##   (ssh-keygen -Y verify checks the evidence bundle's signature as a reviewer would)
##   npm, into .cache/: @cloud-copilot/iam-simulate (the independent IAM simulator for the
##   differential tests) and @microsoft/sarif-multitool-linux (SARIF validation with GitHub's rules)
DEBIAN_DEPS := xmllint:libxml2-utils chromium:chromium ssh-keygen:openssh-client
deps:
	@for dep in $(DEBIAN_DEPS); do \
	  cmd=$${dep%%:*}; pkg=$${dep#*:}; \
	  command -v $$cmd >/dev/null 2>&1 && continue; \
	  echo "deps: installing Debian package $$pkg (for $$cmd, used by make test)"; \
	  apt-get install -y -q $$pkg >/dev/null 2>&1 || \
	  { apt-get update -q >/dev/null && apt-get install -y -q $$pkg >/dev/null; } || \
	  { echo "deps: could not install $$pkg" >&2; exit 1; }; \
	done
	@bash tools/iamsim/install.sh
	@bash tools/sarif-validate/install.sh

## lint: gofmt, go vet, staticcheck (pinned; fetched from the module proxy on first use) and a
## go.mod that `go mod tidy` would not change.
## actionlint (pinned; fetched from the module proxy on first use) checks the sample GitHub workflows
## in examples/ci/ and the GitHub Action's steps (action.yml written as a workflow by tools/action/aswf).
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
ACTIONLINT := github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
GITHUB_WORKFLOWS := $(filter-out examples/ci/gitlab-ci.yml,$(wildcard examples/ci/*.yml))
lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.cache/*')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	$(GO) mod tidy -diff
	$(GO) run $(ACTIONLINT) $(GITHUB_WORKFLOWS)
	set -o pipefail; $(GO) run ./tools/action/aswf action.yml | $(GO) run $(ACTIONLINT) -stdin-filename 'action.yml (its steps as a workflow)' -

## unit: every Go test; the tests that need a tool make deps installs (the IAM simulator, xmllint,
## Chromium, ssh-keygen) fail instead of skipping when it is missing.
unit:
	LOCKDOWN_IAMSIM=1 LOCKDOWN_JUNIT_XSD=1 LOCKDOWN_BROWSER=1 LOCKDOWN_SSH_KEYGEN=1 $(GO) test -count=1 -timeout 30m ./...

## race: the packages that run work concurrently (collection, policy analysis, evaluation),
## under the race detector.
RACE_PKGS := ./internal/collect/... ./internal/access/ ./internal/engine/ ./internal/facts/
race:
	$(GO) test -race -count=1 $(RACE_PKGS)

## sarif-validate: Microsoft's SARIF validator with GitHub's ingestion rules on the renderer's golden
## SARIF and on the SARIF of every bundled snapshot (errors and warnings fail).
sarif-validate:
	LOCKDOWN_SARIF_MULTITOOL=1 $(GO) test -count=1 -run 'Multitool' ./report/...
	@mkdir -p .cache
	bash tools/sarif-validate/run.sh --strict internal/cli/testdata/golden/*.sarif > .cache/sarif-validate.log || { cat .cache/sarif-validate.log; exit 1; }
	@echo "sarif-validate: $$(ls internal/cli/testdata/golden/*.sarif | wc -l) snapshot SARIF files: 0 errors, 0 warnings"

## bench: Go benchmarks plus a whole-audit run on a generated 10,000-user account.
## The Go benchmarks' output is kept in .cache/bench/gobench.txt; the previous run's (gobench.prev.txt)
## is compared with it by benchstat (pinned; fetched from the module proxy on first use).
BENCHSTAT := golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
BENCH_GO := .cache/bench/gobench.txt
BENCH_COUNT ?= 5
bench:
	@mkdir -p $(dir $(BENCH_GO))
	@if [ -f $(BENCH_GO) ]; then mv $(BENCH_GO) $(basename $(BENCH_GO)).prev.txt; fi
	@echo "bench: $$(nproc) cores, load average $$(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine inflates the times; cpu-ns/op varies less than ns/op)"
	set -o pipefail; $(GO) test -run '^$$' -bench . -benchmem -count $(BENCH_COUNT) ./... | tee $(BENCH_GO)
	@if [ -f $(basename $(BENCH_GO)).prev.txt ]; then $(GO) run $(BENCHSTAT) $(basename $(BENCH_GO)).prev.txt $(BENCH_GO); fi
	@bash tools/iamsim/install.sh
	LOCKDOWN_IAMSIM_SPEED=1 $(GO) test -count=1 -run TestSpeedAgainstSimulator -v ./internal/iampolicy/differential | grep -E 'decisions/s|goal|FAIL'
	@mkdir -p $(dir $(BENCH_SNAPSHOT))
	$(GO) run ./tools/gensnapshot -users 1000 -roles 200 -policies 500 -o $(BENCH_SNAPSHOT_1K)
	$(GO) run ./tools/gensnapshot -users 10000 -roles 2000 -policies 5000 -o $(BENCH_SNAPSHOT)
	@echo "benchaudit: $$(nproc) cores, load average $$(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine inflates the times)"
	$(GO) run ./tools/benchaudit -runs 3 -snapshot $(BENCH_SNAPSHOT_1K) -snapshot $(BENCH_SNAPSHOT)

clean:
	rm -rf bin .cache/bench
