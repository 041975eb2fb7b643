# The two commands a newcomer runs: `make run` and `make test`. Both install what is missing first.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= 2
PORT       ?= 8080
CMAKE_FLAGS = -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
# ccache keys on paths relative to the checkout, so that a clone in another folder (CI) reuses the cache.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true

.PHONY: all deps build run test test-asan bench fuzz fuzz-build format clean

all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# Serves http://127.0.0.1:$(PORT) on the embedded SQLite database (var/passerelle.db) with demo data.
# Demo data, then (when ../shared is there) the real DECP sample as awarded contracts, the insertion
# structures and the BOAMP notices: all idempotent.
DECP_SAMPLE := $(wildcard ../shared/data/decp/v1_2018-2019/*.json ../shared/data/decp/v1_croix_2019-2021/*.json ../shared/data/decp/tabular_2024H2_travaux/*.csv)
run: build
	@mkdir -p var
	@./$(BUILD)/src/cli/passerelle demo --log-level warn
	@if [ -n "$(DECP_SAMPLE)" ]; then ./$(BUILD)/src/cli/passerelle import decp --quiet --log-level warn $(DECP_SAMPLE) | grep -E '^(Fichier|  importés|  mis à jour)'; fi
	@if [ -f ../shared/data/siae/siae_structures.csv ]; then ./$(BUILD)/src/cli/passerelle import siae --log-level warn ../shared/data/siae/siae_structures.csv | grep -E '^(Structures|  profils créés)'; fi
	@if [ -d ../shared/data/boamp/xml_2017 ]; then ./$(BUILD)/src/cli/passerelle import boamp --log-level warn ../shared/data/boamp/xml_2017 | grep -E '^(Avis|  importés)'; fi
	@./$(BUILD)/src/cli/passerelle serve --demo --port $(PORT)

# Every suite: unit, storage contract (SQLite and PostgreSQL), HTTP integration, browser.
# The sourcing evaluation (DECP split by date; a minute), the meeting scheduler on five instance shapes with
# CBC side by side (CBC gets 10 minutes per shape: SCHED_BENCH_ARGS="--cbc-seconds 60" for a quicker run), then
# the tender-watch benchmark (1M notices, PostgreSQL FTS side by side; about a quarter of an hour), the load test
# and the exports under load (bench/exports.sh).
# BENCH_ARGS="--notices 100000" for a quicker run.
bench: build
	@cmake --build $(BUILD) --target passerelle_bench passerelle_sourcing_eval passerelle_sched_bench -j $(JOBS)
	@./$(BUILD)/bench/passerelle_sourcing_eval --work $(BUILD)/bench-work
	@./$(BUILD)/bench/passerelle_sched_bench $(SCHED_BENCH_ARGS)
	@bash scripts/with-postgres.sh ./$(BUILD)/bench/passerelle_bench --bin $(BUILD)/src/cli/passerelle --work $(BUILD)/bench-work $(BENCH_ARGS)
	@bash bench/load.sh $(BUILD)/src/cli/passerelle $(BUILD)/bench-work/load
	@bash bench/exports.sh $(BUILD)/src/cli/passerelle $(BUILD)/bench-work/exports

# Each fuzz target runs a few seconds on its corpus first (a broken target fails here), then every suite.
test: build fuzz-build
	@bash fuzz/run.sh $(FUZZ_BUILD) 3
	@bash scripts/with-postgres.sh ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# libFuzzer targets for every parser of outside input (clang, ASan + UBSan), FUZZ_SECONDS each (default 60),
# on corpora seeded from fuzz/seeds and ../shared/data: `make fuzz FUZZ_SECONDS=600 FUZZ_TARGETS=decp_fuzz`.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
fuzz: fuzz-build
	@bash fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-build: deps
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPASSERELLE_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) --target fuzzers -j $(JOBS)

# Unit, storage and HTTP suites under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DPASSERELLE_SANITIZE=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  bash scripts/with-postgres.sh ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS) -LE browser

format:
	@clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' 'fuzz/*.cpp' 'fuzz/*.hpp')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
