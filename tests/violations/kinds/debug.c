// SPDX-License-Identifier: MIT
// Violation catalogue of DebugAllocator: what each shared misuse of cases.c ends in, and the
// debug allocator's own cases (canaries, the freed-block check, page mode, the owning thread).
#include "debug.h"
#include "violations.h"

#include <pthread.h> // pthread_create: the wrong-thread case
#include <string.h>  // memset

const char violation_kind[] = "DebugAllocator";

void violation_init(ViolationType *self, size_t block) {
    (void)block;
    *self = DebugAllocatorInit();
}

static DebugAllocator debug;

static char *fresh_with(DebugAllocatorConfig config, size_t bytes) {
    debug   = DebugAllocatorInitWith(config);
    char *p = AllocatorAlloc(&debug, bytes, 0);
    violation_require(p != NULL, "allocation failed");
    return p;
}
static char *fresh(size_t bytes) { return fresh_with(DebugAllocatorConfigDefault(), bytes); }

static void smash(long offset, size_t n) {
    char *p = fresh(24);
    memset(p + offset, 'x', n);
    violation_point(p);
    AllocatorFree(&debug, p);
}
static void overflow_1(void) { smash(24, 1); }
static void overflow_8(void) { smash(24, 8); }
static void underflow_1(void) { smash(-1, 1); }
static void underflow_8(void) { smash(-8, 8); }

static void write_after_free(void) {
    char *p = fresh(24);
    AllocatorFree(&debug, p);
    p[3] = 'x';
    violation_point(p);
    DebugAllocatorCheck(&debug);
}

static void write_after_free_page_mode(void) {
    DebugAllocatorConfig config = DebugAllocatorConfigDefault();
    config.page_mode            = 1;
    volatile char *p            = fresh_with(config, 24);
    AllocatorFree(&debug, (char *)p);
    violation_point((char *)p);
    p[0] = 'x';
}

static char *shared_block;
static void *free_from_thread(void *unused) {
    (void)unused;
    AllocatorFree(&debug, shared_block);
    return NULL;
}
static void wrong_thread(void) {
    shared_block = fresh(24);
    pthread_t thread;
    violation_point(&debug);
    violation_require(pthread_create(&thread, NULL, free_from_thread, NULL) == 0, "no thread");
    pthread_join(thread, NULL);
}

#define FATAL(function, reason) VIOLATION_FATAL, function, reason
#define FREE "debug_allocator_deallocate"

const ViolationCase violation_cases[] = {
    {"double_free_small", FATAL(FREE, "double free"), NULL, NULL},
    {"double_free_large", FATAL(FREE, "double free"), "1 MiB", NULL},
    {"double_free_delayed", FATAL(FREE, "double free"),
     "caught while the first free is among the last `quarantine` frees (128 by default); older "
     "ones are reported as foreign pointers",
     NULL},
    {"double_free_after_reuse", FATAL(FREE, "double free"),
     "a quarantined address is never handed out again, so the reallocation gets a new address",
     NULL},
    {"foreign_stack", FATAL(FREE, "foreign pointer"), NULL, NULL},
    {"foreign_global", FATAL(FREE, "foreign pointer"), NULL, NULL},
    {"foreign_libc", FATAL(FREE, "foreign pointer"), NULL, NULL},
    {"foreign_other_instance", FATAL(FREE, "foreign pointer"), NULL, NULL},
    {"foreign_other_type", FATAL(FREE, "foreign pointer"), "a PageAllocator block", NULL},
    {"interior_pointer", FATAL(FREE, "interior pointer"), NULL, NULL},
    {"unaligned_pointer", FATAL(FREE, "misaligned pointer"), NULL, NULL},
    {"realloc_foreign", FATAL("debug_allocator_remap", "foreign pointer"), NULL, NULL},
    {"overflow_1", FATAL(FREE, "buffer overflow: canary after block overwritten"),
     "caught at free, resize, remap or DebugAllocatorCheck", overflow_1},
    {"overflow_8", FATAL(FREE, "buffer overflow: canary after block overwritten"), NULL, overflow_8},
    {"underflow_1", FATAL(FREE, "buffer underflow: canary before block overwritten"), NULL,
     underflow_1},
    {"underflow_8", FATAL(FREE, "buffer underflow: canary before block overwritten"), NULL,
     underflow_8},
    {"write_after_free", FATAL("DebugAllocatorCheck", "use after free: freed block written"),
     "normal mode: caught by DebugAllocatorCheck, Deinit, or when the block leaves the quarantine",
     write_after_free},
    {"write_after_free_page_mode", VIOLATION_SIGSEGV, NULL,
     "the write faults: a freed block is PROT_NONE while quarantined", NULL,
     write_after_free_page_mode},
    {"wrong_type", FATAL(FREE, "type-confusion: not a DebugAllocator"),
     "a PageAllocator passed as a DebugAllocator", NULL},
    {"wrong_thread", FATAL(FREE, "wrong thread"), "config.check_thread (on by default)",
     wrong_thread},
    {"use_after_deinit", FATAL(FREE, "uninitialised allocator"), NULL, NULL},
    {"deinit_twice", FATAL("DebugAllocatorDeinit", "uninitialised allocator"), NULL, NULL},
};
const size_t violation_case_count = sizeof violation_cases / sizeof violation_cases[0];
