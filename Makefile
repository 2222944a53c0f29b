# krosgen: typed Go bindings for KrosAI webhooks, generated from JSON Schema.

GO          ?= go
STATICCHECK ?= $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2
ACTIONLINT  ?= $(GO) run github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
BENCHSTAT   ?= $(GO) run golang.org/x/perf/cmd/benchstat@latest
FUZZTIME    ?= 10s
COUNT       ?= 10
BENCHTIME   ?= 200ms

.PHONY: all generate check vet lint test test-short fuzz bench ci diff-differential

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

## test-short: the tests without the long suites (about 1 minute)
test-short:
	$(GO) test -short ./...

## fuzz: run each fuzz target for FUZZTIME (default 10s)
fuzz:
	$(GO) test ./internal/fidelity -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/fidelity -run '^$$' -fuzz '^FuzzParseMatchesSchema$$' -fuzztime $(FUZZTIME)

## bench: decoding benchmarks over every documented example, with ratios
bench:
	$(GO) test ./internal/bench -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -count $(COUNT) | tee .bench.txt
	$(GO) test ./generator -run '^$$' -bench Generate -benchmem -benchtime 3x -count $(COUNT) | tee -a .bench.txt
	$(GO) run ./internal/bench/table < .bench.txt

## diff-differential: krosgen diff against generated Parse over 1,000 random schema edits (long)
diff-differential:
	KROSGEN_DIFF_PAIRS=1000 $(GO) test ./internal/schemadiff -run '^TestDifferential$$' -v -count=1 -timeout 3h

## ci: what CI runs
ci: check vet lint test fuzz
