# The two commands: `make demo` and `make test`. Both run scripts/setup first.
BUILD ?= build
JOBS ?= $(shell nproc)
DEMO_INPUT ?= /usr/share/doc/opencv-doc/examples/data/vtest.avi
DEMO_OUT ?= out/demo

.PHONY: all setup configure build test demo bench format clean

all: build

setup:
	@bash scripts/setup

configure: setup
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -Wno-dev >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: build
	$(BUILD)/apps/cli/monokin analyze $(DEMO_INPUT) -o $(DEMO_OUT)

bench: build
	$(BUILD)/bench/monokin_bench $(DEMO_INPUT)

format:
	@bash tools/format.sh

clean:
	rm -rf $(BUILD) out
