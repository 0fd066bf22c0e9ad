# tmc: two commands do all set-up on a fresh Debian machine.
#   make run   installs missing packages, builds, checks a bundled example and writes its reports to out/
#   make test  the same set-up, then every test: unit, golden, CLI, browser, sanitizers (ASan, UBSan, TSan), a bounded fuzz run
# And to ship it:
#   make install PREFIX=/usr/local   the binary (stripped), manual page, completions, schema and docs
#   make package                     a Debian package (build/tmc_VERSION_ARCH.deb)
.PHONY: all setup setup-test build build-tests run test test-unit test-asan test-tsan test-fuzz test-browser bench install package clean

JOBS ?= 2
BUILD ?= build
# What building and running tmc needs; the tests need more.
PACKAGES := build-essential cmake ninja-build pkg-config \
  libyaml-dev nlohmann-json3-dev libcli11-dev libfmt-dev libgraphviz-dev nettle-dev libxlsxwriter-dev fonts-dejavu-core
TEST_PACKAGES := clang libclang-rt-14-dev googletest libgtest-dev libgmock-dev libbenchmark-dev \
  python3 python3-yaml python3-jsonschema python3-openpyxl chromium git cmark-gfm time \
  man-db file dpkg-dev fakeroot zsh fish shellcheck rsync curl pre-commit
PREFIX ?= /usr/local
# Node.js comes from Debian only when the machine has none of its own.
NODE_PACKAGES := $(shell command -v node >/dev/null && command -v npm >/dev/null || echo nodejs npm)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
EXAMPLE ?= templates/payments.tm.yaml
FUZZ_SECONDS ?= 20

all: build

# Installs the missing Debian packages of $(1).
define install_packages
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi
endef

setup:
	$(call install_packages,$(PACKAGES))

setup-test: setup
	$(call install_packages,$(TEST_PACKAGES) $(NODE_PACKAGES))
	@for d in tests/browser tests/ci-tools; do \
	  [ -d $$d/node_modules ] || (cd $$d && npm ci --no-audit --no-fund --loglevel=error) || exit 1; \
	done

# `make build` builds tmc alone; `make test` switches the tests and benchmarks on in the same folder.
$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTMC_TESTS=OFF -DTMC_BENCH=OFF

build: setup $(BUILD)/build.ninja
	ninja -C $(BUILD) -j$(JOBS)

build-tests: setup-test $(BUILD)/build.ninja
	cmake -S . -B $(BUILD) -DTMC_TESTS=ON -DTMC_BENCH=ON >/dev/null
	ninja -C $(BUILD) -j$(JOBS)

install: build
	cmake --install $(BUILD) --prefix $(PREFIX) --strip

package: build
	cd $(BUILD) && cpack --config CPackConfig.cmake

run: build
	$(BUILD)/tmc check $(EXAMPLE); rc=$$?; [ $$rc -le 1 ] || exit $$rc; \
	  echo "tmc check $(EXAMPLE): exit $$rc ($$( [ $$rc = 0 ] && echo 'valid and done' || echo 'valid, not done'))"
	@mkdir -p out
	@for cmd in "report $(EXAMPLE) -o out/report.md" "report $(EXAMPLE) --template full -o out/report-full.md" \
	    "report $(EXAMPLE) -o out/report.html" "report $(EXAMPLE) -o out/threats.csv" \
	    "report $(EXAMPLE) -o out/model.json" "report $(EXAMPLE) -o out/results.sarif" \
	    "diagram $(EXAMPLE) -o out/dfd.svg" "diagram $(EXAMPLE) -o out/dfd.mmd" "backlog $(EXAMPLE) -o out/backlog"; do \
	  if $(BUILD)/tmc $${cmd%% *} --help >/dev/null 2>&1; then $(BUILD)/tmc $$cmd || exit 2; fi; \
	done
	@echo "reports written to out/"; ls out

test: build-tests test-unit test-asan test-tsan test-fuzz

test-unit:
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

test-asan: setup-test
	@[ -f build-asan/build.ninja ] || cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTMC_SANITIZE=ON -DTMC_BENCH=OFF
	ninja -C build-asan -j$(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j$(JOBS)

# ThreadSanitizer over what runs on several threads: the rules of a large
# model (ParallelRules runs them on 1 to 8 threads) and tmc diff (two sides).
test-tsan: setup-test
	@[ -f build-tsan/build.ninja ] || cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTMC_TSAN=ON -DTMC_BENCH=OFF
	ninja -C build-tsan -j$(JOBS) tmc tests/tmc_analyze_tests
	TSAN_OPTIONS=halt_on_error=1 build-tsan/tests/tmc_analyze_tests --gtest_filter='ParallelRules*'
	TSAN_OPTIONS=halt_on_error=1 build-tsan/tmc diff templates/payments.tm.yaml templates/web-login.tm.yaml >/dev/null; [ $$? -le 1 ]

test-fuzz: setup-test
	@[ -f build-fuzz/build.ninja ] || CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTMC_FUZZ=ON -DTMC_TESTS=OFF -DTMC_BENCH=OFF
	ninja -C build-fuzz -j$(JOBS)
	@for target in build-fuzz/fuzz/*_fuzz; do \
	  name=$$(basename $$target); mkdir -p build-fuzz/corpus-$$name; \
	  echo "fuzzing $$name for $(FUZZ_SECONDS)s"; \
	  seeds=fuzz/corpus/$${name%_fuzz}; [ -d $$seeds ] || seeds=; \
	  $$target -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
	    build-fuzz/corpus-$$name $$seeds templates fuzz/corpus/load fuzz/corpus/rules fuzz/corpus/import 2>build-fuzz/$$name.log || { tail -50 build-fuzz/$$name.log; exit 1; }; \
	  grep -E "stat::number_of_executed_units" build-fuzz/$$name.log; grep -E "^#[0-9]+ +DONE" build-fuzz/$$name.log | tail -1; \
	done

bench: build-tests
	python3 bench/calibration.py $(BUILD)/tmc tests/calibration
	python3 bench/calibration.py $(BUILD)/tmc tests/calibration-holdout || true
	bash bench/run_check_bench.sh $(BUILD)/tmc
	bash bench/run_render_bench.sh $(BUILD)/tmc
	bash bench/run_diff_bench.sh $(BUILD)/tmc
	bash bench/run_import_bench.sh $(BUILD)/tmc 3
	bash tests/scripts/hostile_inputs.sh $(BUILD)/tmc . $(BUILD)

clean:
	rm -rf $(BUILD) build-asan build-tsan build-fuzz out
