# krosgen: typed Go bindings for KrosAI webhooks, generated from JSON Schema.

GO          ?= go
STATICCHECK ?= $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2
ACTIONLINT  ?= $(GO) run github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
BENCHSTAT   ?= $(GO) run golang.org/x/perf/cmd/benchstat@latest
FUZZTIME    ?= 10s
COUNT       ?= 10
BENCHTIME   ?= 200ms

RANDOM_SETS ?= 10000
RANDOM_FEATURES ?= exact

.PHONY: all generate check vet lint test test-random fuzz bench ci

all: generate test

## generate: regenerate gen/krosai (and schema/webhook.json) from schema/
generate:
	$(GO) generate ./gen/...

## check: fail when the generated files are not in sync with schema/
check:
	$(GO) run ./cmd/krosgen generate -check

## vet: go vet and gofmt
vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || { echo "gofmt -l:"; gofmt -l .; exit 1; }

## lint: staticcheck and actionlint
lint:
	$(STATICCHECK) ./...
	$(ACTIONLINT)

## test: every test, with the race detector
test:
	$(GO) test -race -count=1 ./...

## test-random: the random-schema differential, long: RANDOM_SETS sets (10000), RANDOM_FEATURES exact or all
test-random:
	KROSGEN_RANDOM_SETS=$(RANDOM_SETS) KROSGEN_RANDOM_FEATURES=$(RANDOM_FEATURES) $(GO) test ./internal/fidelity -run '^TestRandomSchemas$$' -count=1 -timeout 0 -v

## fuzz: run each fuzz target for FUZZTIME (default 10s)
fuzz:
	$(GO) test ./internal/fidelity -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/fidelity -run '^$$' -fuzz '^FuzzParseMatchesSchema$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/fidelity -run '^$$' -fuzz '^FuzzGenerateMutatedSet$$' -fuzztime $(FUZZTIME)

## bench: decoding benchmarks over every documented example, with ratios
bench:
	$(GO) test ./internal/bench -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -count $(COUNT) | tee .bench.txt
	$(GO) test ./generator -run '^$$' -bench Generate -benchmem -benchtime 3x -count $(COUNT) | tee -a .bench.txt
	$(GO) run ./internal/bench/table < .bench.txt

## ci: what CI runs
ci: check vet lint test fuzz
