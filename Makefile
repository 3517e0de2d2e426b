# connector-gen: `make run` (install, build, serve on :8090 with SQLite under ./data) and
# `make test` (install, build, run the whole test suite). Both work on a fresh Debian 12 machine.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)

.PHONY: all deps configure build run test bench clean

all: build

deps:
	bash scripts/install-deps.sh

configure:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: configure
	ninja -C $(BUILD_DIR) -j $(JOBS)

run: deps build
	mkdir -p data
	./$(BUILD_DIR)/connector-gen serve --port $${APP__PORT:-8090}

test: deps build
	cd $(BUILD_DIR) && CG_REQUIRE_PG=1 ctest --output-on-failure --timeout 900 -j 2

bench: deps build
	bash bench/run_http_bench.sh

clean:
	rm -rf $(BUILD_DIR)
