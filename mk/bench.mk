# Benchmarks (shared/design/BENCH.md). `make bench` runs, in this order:
#   bench-alloc    every workload on every allocator kind (typed and `Allocator *`) and on glibc,
#                  mimalloc, jemalloc, tcmalloc, plus callgrind instructions per op
#                  (bench/run_alloc.sh -> bench/results/alloc.md, alloc.svg, alloc-dyn.svg);
#   bench-threads  two threads with cross-thread frees under the peers and the malloc shim
#                  (bench/run_threads.sh -> bench/results/threads.md, threads.svg);
#   bench-programs real programs under glibc, the peers and the shim (target in mk/shim.mk,
#                  bench/run_programs.sh -> bench/results/programs.md, programs.svg).
# The charts are shown on docs/guides/benchmarks.md (through docs/guides/charts/, symlinks).
BENCH_ROUNDS ?= 5
BENCH_SRC    := $(wildcard bench/alloc/*.c)
BENCH_CFLAGS := -O2 -g $(WARN)

$(BUILD)/bench/bench_alloc: $(BENCH_SRC) $(wildcard bench/alloc/*.h) $(BUILD)/liballoc.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(BENCH_CFLAGS) $(BENCH_SRC) $(BUILD)/liballoc.a -o $@

$(BUILD)/bench/bench_threads: bench/threads/bench_threads.c
	@mkdir -p $(@D)
	$(CC) -D_GNU_SOURCE $(BENCH_CFLAGS) $< -pthread -o $@

.PHONY: bench bench-alloc bench-threads
bench: bench-alloc bench-threads
	$(MAKE) --no-print-directory bench-programs BENCH_PROGRAM_ROUNDS=$(BENCH_ROUNDS)

bench-alloc: $(BUILD)/bench/bench_alloc | $(DEPS_BENCH)
	bench/run_alloc.sh $< $(BENCH_ROUNDS)

bench-threads: $(BUILD)/bench/bench_threads | $(DEPS_BENCH)
	$(MAKE) --no-print-directory shim
	bench/run_threads.sh $< $(BUILD)/liballoc-malloc.so $(BENCH_ROUNDS)

# Suite bench-smoke (bench/smoke.sh): every allocator and workload of bench_alloc still runs and
# reports a figure (or refuses with a reason). It checks that the benchmark works, never a speed.
TEST_SUITES += bench-smoke
.PHONY: test-bench-smoke
test-bench-smoke: $(BUILD)/bench/bench_alloc
	@tests/run-suite.sh bench-smoke bench/smoke.sh $<
