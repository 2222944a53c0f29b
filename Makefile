# krosgen: typed Go bindings for KrosAI webhooks, generated from JSON Schema.

GO          ?= go
STATICCHECK ?= $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2
ACTIONLINT  ?= $(GO) run github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
BENCHSTAT   ?= $(GO) run golang.org/x/perf/cmd/benchstat@latest
FUZZTIME    ?= 10s
COUNT       ?= 10
BENCHTIME   ?= 100ms
GOJSONSCHEMA ?= github.com/atombender/go-jsonschema@v0.24.1
EASYJSON    ?= github.com/mailru/easyjson/easyjson@v0.9.2

# Nested modules of the receiving adapters (PostgreSQL, River) and their
# examples: their requirements stay out of the main module's go.mod.
RECEIVE_MODULES ?= adapters examples/postgres
RANDOM_SETS ?= 10000
RANDOM_FEATURES ?= exact

.PHONY: all generate check vet lint test test-short test-receive test-random fuzz bench bench-peers ci diff-differential

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
	set -e; for m in $(RECEIVE_MODULES); do (cd $$m && $(GO) vet ./...); done
	@test -z "$$(gofmt -l .)" || { echo "gofmt -l:"; gofmt -l .; exit 1; }

## lint: staticcheck and actionlint
lint:
	$(STATICCHECK) ./...
	set -e; for m in $(RECEIVE_MODULES); do (cd $$m && $(STATICCHECK) ./...); done
	$(ACTIONLINT)

## test: every test, with the race detector, then test-receive
test:
	$(GO) test -race -count=1 ./...
	$(MAKE) test-receive

## test-receive: the adapters' tests against a real PostgreSQL (a server
## named by KROSGEN_TEST_DATABASE_URL, or a throwaway cluster the tests
## start with the installed initdb and pg_ctl); without the race detector,
## whose slowdown the answer-time targets would measure instead (the
## handler's concurrency is raced in gen/krosai), one package at a time so
## that no other package's load lands in them
test-receive:
	set -e; for m in $(RECEIVE_MODULES); do (cd $$m && $(GO) test -p 1 -count=1 ./...); done

## test-short: the tests without the long suites (about 1 minute)
test-short:
	$(GO) test -short ./...

## test-random: the random-schema differential, long: RANDOM_SETS sets (10000), RANDOM_FEATURES exact or all
test-random:
	KROSGEN_RANDOM_SETS=$(RANDOM_SETS) KROSGEN_RANDOM_FEATURES=$(RANDOM_FEATURES) $(GO) test ./internal/fidelity -run '^TestRandomSchemas$$' -count=1 -timeout 0 -v

## fuzz: run each fuzz target for FUZZTIME (default 10s), through .ci/fuzz-one
FUZZ_TARGETS = \
	internal/fidelity:FuzzParse \
	internal/rt:FuzzUnquote \
	internal/rt:FuzzSkip \
	internal/rt:FuzzIsDateTime \
	internal/rt:FuzzIsURI \
	internal/fidelity:FuzzParseMatchesSchema \
	internal/fidelity:FuzzGenerateMutatedSet
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do GO=$(GO) .ci/fuzz-one ./$${t%%:*} $${t##*:} $(FUZZTIME); done

## bench: the benchmark module (bench/): Parse against encoding/json, json/v2,
## sonic, goccy/go-json and easyjson, the handler, the generator against
## go-jsonschema; COUNT rounds, benchstat, then the table and every target
bench:
	@mkdir -p .bench
	$(GO) build -o .bench/krosgen ./cmd/krosgen
	GOBIN=$(CURDIR)/.bench $(GO) install $(GOJSONSCHEMA)
	cd bench && $(GO) test -c -o ../.bench/bench.test .
	cd bench && set -e; for i in $$(seq $(COUNT)); do \
		KROSGEN=$(CURDIR)/.bench/krosgen GO_JSONSCHEMA=$(CURDIR)/.bench/go-jsonschema ../.bench/bench.test -test.run '^$$' -test.bench 'Decode|Handler' -test.benchmem -test.benchtime $(BENCHTIME); \
		KROSGEN=$(CURDIR)/.bench/krosgen GO_JSONSCHEMA=$(CURDIR)/.bench/go-jsonschema ../.bench/bench.test -test.run '^$$' -test.bench 'Generate' -test.benchtime 1x; \
	done > ../.bench/bench.txt
	grep -E '^(goos|goarch|pkg|cpu|BenchmarkDecode)' .bench/bench.txt > .bench/decode.txt
	grep -E '^(goos|goarch|pkg|cpu|BenchmarkHandler)' .bench/bench.txt > .bench/handler.txt
	grep -E '^(goos|goarch|pkg|cpu|BenchmarkGenerate)' .bench/bench.txt > .bench/generate.txt
	$(BENCHSTAT) -row /event -col /impl .bench/decode.txt
	$(BENCHSTAT) -row /payload -col /impl .bench/handler.txt
	$(BENCHSTAT) -row /events -col /tool .bench/generate.txt
	cd bench && $(GO) run ./cmd/table < ../.bench/bench.txt

## bench-peers: regenerate the benchmark peers' copy of the generated types
## (bench/easy, with easyjson's generator) and their list of events
bench-peers:
	cd bench && $(GO) run ./cmd/peergen && $(GO) run $(EASYJSON) -all -no_std_marshalers easy/types.go

## diff-differential: krosgen diff against generated Parse over 1,000 random schema edits (long)
diff-differential:
	KROSGEN_DIFF_PAIRS=1000 $(GO) test ./internal/schemadiff -run '^TestDifferential$$' -v -count=1 -timeout 3h

## ci: what CI runs
ci: check vet lint test fuzz
