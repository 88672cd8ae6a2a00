# Benchmarks: `make bench` writes bench/results/alloc.md (allocator workloads, bench/run_alloc.sh)
# and bench/results/programs.md (real programs on the malloc shim, mk/shim.mk).
BENCH_ROUNDS ?= 5
BENCH_SRC    := $(wildcard bench/alloc/*.c)

$(BUILD)/bench/bench_alloc: $(BENCH_SRC) $(wildcard bench/alloc/*.h) $(BUILD)/liballoc.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -O2 -g $(WARN) $(BENCH_SRC) $(BUILD)/liballoc.a -o $@

.PHONY: bench
bench: $(BUILD)/bench/bench_alloc | $(DEPS_BENCH)
	bench/run_alloc.sh $< $(BENCH_ROUNDS)
	/usr/bin/python3 bench/report_alloc.py $(BUILD)/bench/alloc.tsv \
	    "$$(nproc) cores, $$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), gcc -O2" \
	    > bench/results/alloc.md
	@cat bench/results/alloc.md
	$(MAKE) --no-print-directory bench-programs
