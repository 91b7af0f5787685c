# Thin wrappers around scripts/, CMake and CTest. See README.md.
BUILD_DIR ?= build
FUZZ_DIR ?= build-fuzz
ASAN_DIR ?= build-asan
DATA ?= ./data
PORT ?= 6969
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60

.PHONY: deps configure ui build fixtures run check test install bench soak fuzz asan clean

PREFIX ?= /usr/local
# Extra CMake options for the first configure (CI: -DCHARCHIVE_WERROR=ON).
CMAKE_OPTIONS ?=

# The only target that may ask for root (sudo), and it says so before it does.
deps:
	@bash scripts/install-deps.sh

# Never asks for root: a missing package is named, with `make deps` to install it.
$(BUILD_DIR)/build.ninja:
	@bash scripts/install-deps.sh --check
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_OPTIONS)

configure: $(BUILD_DIR)/build.ninja

# The web UI (ui/, Vite): dependencies from ui/package-lock.json when missing or
# stale, then a build into ui/dist, which `charchive serve` serves at /.
ui:
	@if ! command -v npm >/dev/null 2>&1; then echo "ui: npm not found; the web UI is not built"; \
	elif [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then \
	  cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run build; \
	else cd ui && npm run build; fi

build: configure ui
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The fixture cards the tests read (BUILD_DIR/fixtures), from packages the build installs.
fixtures:
	bash scripts/make-fixtures.sh $(BUILD_DIR)

run: deps
	$(MAKE) build
	$(BUILD_DIR)/charchive serve --data $(DATA) --host 127.0.0.1 --port $(PORT)

# The unit tests only (CTest label `unit`), in well under a minute.
check: build fixtures
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L unit

test: deps
	$(MAKE) build fixtures
	bash scripts/install-reference.sh $(BUILD_DIR)
	bash scripts/install-sillytavern.sh $(BUILD_DIR)
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# The binary, the built UI (PREFIX/share/charchive/ui) and dist/'s unit and settings.
install: build
	cmake --install $(BUILD_DIR) --prefix $(PREFIX)

bench: build fixtures
	bash scripts/install-sillytavern.sh $(BUILD_DIR)
	bash bench/run.sh $(BUILD_DIR)

# The long versions of the fault tests: 50 kills each of the importer and of the server
# (edits, pull, push job), then the load benchmark (100,000 cards, wrk for 60 s a route).
soak: build
	cd $(BUILD_DIR) && CRASH_TRIALS=50 CRASH_KILLS=50 ctest --output-on-failure -R 'crash_'
	bash bench/load_bench.sh $(BUILD_DIR)

fuzz: fixtures
	cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCHARCHIVE_FUZZ=ON
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzz_targets
	FIXTURES=$(abspath $(BUILD_DIR))/fixtures/cards bash fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS)

# GoogleTest binaries (not the shell suites) built with ASan+UBSan into
# ASAN_DIR and run; the first report fails the run. ASAN_TESTS picks the
# binaries (CI runs the parsers' and the store's: util, card, store).
ASAN_TESTS ?= util_tests card_tests store_tests federation_tests sources_tests api_tests
asan: fixtures
	@bash scripts/install-deps.sh --check
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHARCHIVE_SANITIZE=ON
	cmake --build $(ASAN_DIR) -j $(JOBS) --target $(ASAN_TESTS)
	mkdir -p $(ASAN_DIR)/fixtures && cp -R $(BUILD_DIR)/fixtures/cards $(ASAN_DIR)/fixtures/
	cd $(ASAN_DIR) && for t in $(ASAN_TESTS); do \
	  ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ./$$t --gtest_brief=1 || exit 1; done

clean:
	rm -rf $(BUILD_DIR) $(FUZZ_DIR) $(ASAN_DIR)
