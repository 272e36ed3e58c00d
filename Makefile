# ledgerline — make targets. `make help` lists them.
GO        ?= go
PKGS      ?= ./...
BENCHTIME ?= 1x
COUNT     ?= 1
CDNOW     ?= ../shared/data/cdnow/CDNOW_master.txt
TRYDB     ?= $(CURDIR)/tmp/try.db

.PHONY: help build test test-short lint bench conformance test-kurrentdb try clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

build: ## build bin/ledgerline
	$(GO) build -o bin/ledgerline ./cmd/ledgerline

test: ## run every test with the race detector (server-backed tests need PostgreSQL; CI=true makes them mandatory)
	$(GO) test -race -count=1 -timeout 20m $(PKGS)

test-short: ## run the tests without the race detector
	$(GO) test -count=1 $(PKGS)

lint: ## gofmt, go vet and the architecture test
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) test -count=1 -run 'Imports|Adapters' ./tests/

bench: ## run the benchmarks (BENCHTIME=1x quick; COUNT=6 for benchstat); results in bench.txt
	$(GO) test -run '^$$' -bench . -benchtime $(BENCHTIME) -count $(COUNT) -timeout 60m $(PKGS) | tee bench.txt

conformance: ## run the event-store conformance suite on every backend; results in docs/conformance.md
	bash .ci/conformance.sh

test-kurrentdb: ## run the event-store conformance suite against a real KurrentDB (KURRENTDB_URL=esdb://host:2113?tls=false)
	$(GO) test -race -count=1 -run 'Real' -v ./eventstore/kurrentdb/...

try: build ## import the CDNOW master file into tmp/try.db and show customer 00004's history
	rm -f $(TRYDB) $(TRYDB)-wal $(TRYDB)-shm
	./bin/ledgerline --db $(TRYDB) import cdnow $(CDNOW)
	./bin/ledgerline --db $(TRYDB) history 00004

clean: ## remove build output
	rm -rf bin tmp bench.txt
