// SPDX-License-Identifier: MIT
// Cost of one 8-frame backtrace taken 12 calls deep, three ways: a frame-pointer walk (what
// DebugAllocator does by default), glibc's backtrace(), and libunwind's unw_backtrace() (loaded
// with dlopen, so the library never links it). Prints ns per trace for each; run by
// bench/run_debugmalloc.sh, which decides nothing itself: the figures go to the results page.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

enum { DEPTH = 8, NEST = 12, ROUNDS = 200000 };

typedef int (*UnwBacktraceFn)(void **, int);
static UnwBacktraceFn unw_backtrace_fn;
static volatile uintptr_t sink;

__attribute__((noinline)) static int walk_frame_pointers(void **out, int max) {
    void **fp = __builtin_frame_address(0);
    int    n  = 0;
    while (n < max && fp) {
        void **next = (void **)fp[0];
        out[n++]    = fp[1];
        if (next <= fp || (uintptr_t)next - (uintptr_t)fp > (1u << 20) || ((uintptr_t)next & 7)) break;
        fp = next;
    }
    return n;
}

static int (*take)(void **, int);

__attribute__((noinline)) static int take_nothing(void **out, int max) {
    out[0] = (void *)&sink;
    return max > 0;
}

__attribute__((noinline)) static int nest(int level) {
    if (level == 0) {
        void *frames[DEPTH];
        int   n = take(frames, DEPTH);
        sink += (uintptr_t)frames[n - 1];
        return n;
    }
    int n = nest(level - 1);
    __asm__ volatile("" ::: "memory"); // no tail call: every level keeps its frame
    return n;
}

static double time_ns(int (*fn)(void **, int), const char *name) {
    take = fn;
    struct timespec a, b;
    int             got = nest(NEST);
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < ROUNDS; ++i) nest(NEST);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ns = ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / ROUNDS;
    printf("%s %.1f ns per %d-frame trace (got %d frames)\n", name, ns, DEPTH, got);
    return ns;
}

int main(void) {
    time_ns(take_nothing, "baseline-no-trace");
    time_ns(walk_frame_pointers, "frame-pointers");
    time_ns(backtrace, "glibc-backtrace");
    void *lib = dlopen("libunwind.so.8", RTLD_NOW);
    if (lib) unw_backtrace_fn = (UnwBacktraceFn)(uintptr_t)dlsym(lib, "_ULx86_64_backtrace");
    if (!unw_backtrace_fn && lib) unw_backtrace_fn = (UnwBacktraceFn)(uintptr_t)dlsym(lib, "unw_backtrace");
    if (unw_backtrace_fn) time_ns(unw_backtrace_fn, "libunwind");
    else printf("libunwind not found\n");
    return 0;
}
