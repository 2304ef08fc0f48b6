# The short way in: `make demo` and `make test`. Each target installs missing Debian packages
# (tools/install-deps.sh), configures build/ once, builds incrementally, then runs something.
# CMake does the real work; this file only strings the steps together.
#
#   make demo      build everything and train LeNet on Fashion-MNIST (d2l's recipe, 10 epochs)
#   make test      build everything and run the unit tests with ctest
#   make bench     build everything and run the benchmarks
#   make build     configure (once) and build
#   make deps      install missing build dependencies
#   make clean     remove the build directory
#
# Variables: BUILD_DIR (default build), CMAKE_ARGS (e.g. -DWICK_WERROR=ON), JOBS (default nproc).

BUILD_DIR  ?= build
CMAKE_ARGS ?=
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE      ?= cmake
CTEST      ?= ctest
DEMO       ?= $(BUILD_DIR)/examples/wick-train --model lenet --out runs/lenet

.PHONY: all build configure deps demo test bench clean help

all: build

help:
	@sed -n '5,13s/^# \{0,1\}//p' Makefile

deps:
	tools/install-deps.sh

# Configure when build/ has no cache yet, or when CMAKE_ARGS differ from the last configure.
# (A changed CMakeLists.txt is noticed by `cmake --build` itself.)
configure:
	@if [ ! -f "$(BUILD_DIR)/CMakeCache.txt" ] || \
	    [ "$$(cat "$(BUILD_DIR)/.wick-cmake-args" 2>/dev/null)" != '$(CMAKE_ARGS)' ]; then \
	  echo "$(CMAKE) -S . -B $(BUILD_DIR) $(CMAKE_ARGS)"; \
	  $(CMAKE) -S . -B "$(BUILD_DIR)" $(CMAKE_ARGS) && \
	  printf '%s' '$(CMAKE_ARGS)' > "$(BUILD_DIR)/.wick-cmake-args"; \
	fi

build: configure
	$(CMAKE) --build "$(BUILD_DIR)" -j$(JOBS)

# The steps run in order inside one recipe, so `make -j` cannot reorder them.
demo:
	tools/install-deps.sh --data
	@$(MAKE) --no-print-directory build
	$(DEMO)

test:
	tools/install-deps.sh
	@$(MAKE) --no-print-directory build
	$(CTEST) --test-dir "$(BUILD_DIR)" --output-on-failure -j$(JOBS)

bench:
	tools/install-deps.sh --bench
	@$(MAKE) --no-print-directory build
	@if [ -x tools/run-bench.sh ]; then \
	  BUILD_DIR="$(BUILD_DIR)" tools/run-bench.sh; \
	else \
	  set -e; for b in $$(find "$(BUILD_DIR)/bench" -maxdepth 1 -type f -perm -u+x | sort); do \
	    echo "== $$b"; "$$b"; \
	  done; \
	fi

clean:
	rm -rf "$(BUILD_DIR)"
