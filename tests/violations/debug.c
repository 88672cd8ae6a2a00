// Violation catalogue of DebugAllocator: what each misuse ends in (see violations.h).
#include "alloc/Debug.h"
#include "alloc/Page.h"
#include "violations.h"

#include <pthread.h> // pthread_create: the wrong-thread case
#include <stdlib.h>  // malloc
#include <string.h>  // memset

const char violation_kind[] = "DebugAllocator";

static DebugAllocator debug;
static DebugAllocator other;

static char *fresh_with(DebugAllocatorConfig config, size bytes) {
    debug   = DebugAllocatorInitWith(config);
    char *p = debug_allocator_allocate(&debug, bytes, 0);
    violation_require(p != NULL, "allocation failed");
    return p;
}

static char *fresh(size bytes) { return fresh_with(DebugAllocatorConfigDefault(), bytes); }

static void free_twice(size bytes) {
    char *p = fresh(bytes);
    debug_allocator_deallocate(&debug, p);
    violation_point(p);
    debug_allocator_deallocate(&debug, p);
}

static void double_free_small(void) { free_twice(24); }
static void double_free_large(void) { free_twice((size)1 << 20); }

static void double_free_delayed(void) {
    char *a = fresh(24);
    char *b = debug_allocator_allocate(&debug, 5000, 0);
    char *c = debug_allocator_allocate(&debug, 24, 0);
    debug_allocator_deallocate(&debug, a);
    debug_allocator_deallocate(&debug, b);
    debug_allocator_deallocate(&debug, c);
    violation_point(a);
    debug_allocator_deallocate(&debug, a);
}

// A quarantined address is not handed out again, so the second block is elsewhere; its double
// free is caught like any other.
static void double_free_after_reuse(void) {
    char *p = fresh(24);
    debug_allocator_deallocate(&debug, p);
    char *q = debug_allocator_allocate(&debug, 24, 0);
    violation_require(q != p, "a quarantined address was reused");
    debug_allocator_deallocate(&debug, q);
    violation_point(q);
    debug_allocator_deallocate(&debug, q);
}

static void free_foreign(void *foreign) {
    (void)fresh(24);
    violation_point(foreign);
    debug_allocator_deallocate(&debug, foreign);
}

static void foreign_stack(void) {
    _Alignas(64) char local[64];
    free_foreign(local);
}
static void foreign_global(void) { free_foreign(violation_global); }
static void foreign_libc(void) { free_foreign(malloc(64)); }

static void foreign_other_instance(void) {
    other = DebugAllocatorInit();
    free_foreign(debug_allocator_allocate(&other, 24, 0));
}

static void foreign_other_type(void) {
    static PageAllocator pages;
    pages = PageAllocatorInit();
    free_foreign(page_allocator_allocate(&pages, 100, 0));
}

static void interior_pointer(void) {
    char *p = fresh(64);
    violation_point(p + 16);
    debug_allocator_deallocate(&debug, p + 16);
}

static void unaligned_pointer(void) {
    char *p = fresh(64);
    violation_point(p + 1);
    debug_allocator_deallocate(&debug, p + 1);
}

static void realloc_foreign(void) {
    (void)fresh(24);
    violation_point(violation_global);
    debug_allocator_remap(&debug, violation_global, 200);
}

static void smash(long offset, size n) {
    char *p = fresh(24);
    memset(p + offset, 'x', n);
    violation_point(p);
    debug_allocator_deallocate(&debug, p);
}
static void overflow_1(void) { smash(24, 1); }
static void overflow_8(void) { smash(24, 8); }
static void underflow_1(void) { smash(-1, 1); }
static void underflow_8(void) { smash(-8, 8); }

static void write_after_free(void) {
    char *p = fresh(24);
    debug_allocator_deallocate(&debug, p);
    p[3] = 'x';
    violation_point(p);
    DebugAllocatorCheck(&debug);
}

static void write_after_free_page_mode(void) {
    DebugAllocatorConfig config = DebugAllocatorConfigDefault();
    config.page_mode            = 1;
    volatile char *p            = fresh_with(config, 24);
    debug_allocator_deallocate(&debug, (char *)p);
    violation_point((char *)p);
    p[0] = 'x';
}

static void wrong_type(void) {
    static PageAllocator pages;
    pages   = PageAllocatorInit();
    void *p = page_allocator_allocate(&pages, 100, 0);
    violation_point(&pages);
    debug_allocator_deallocate((DebugAllocator *)(void *)&pages, p);
}

static char *shared_block;
static void *free_from_thread(void *unused) {
    (void)unused;
    debug_allocator_deallocate(&debug, shared_block);
    return NULL;
}
static void wrong_thread(void) {
    shared_block = fresh(24);
    pthread_t thread;
    violation_point(&debug);
    violation_require(pthread_create(&thread, NULL, free_from_thread, NULL) == 0, "no thread");
    pthread_join(thread, NULL);
}

static void use_after_deinit(void) {
    char *p = fresh(24);
    debug_allocator_deallocate(&debug, p);
    DebugAllocatorDeinit(&debug);
    violation_point(&debug);
    debug_allocator_deallocate(&debug, p);
}

static void deinit_twice(void) {
    (void)fresh(24);
    DebugAllocatorDeinit(&debug); // reports the leak first
    violation_point(&debug);
    DebugAllocatorDeinit(&debug);
}

#define FATAL(function, reason) VIOLATION_FATAL, function, reason
#define FREE "debug_allocator_deallocate"

const ViolationCase violation_cases[] = {
    {"double_free_small", FATAL(FREE, "double free"), NULL, double_free_small},
    {"double_free_large", FATAL(FREE, "double free"), "1 MiB", double_free_large},
    {"double_free_delayed", FATAL(FREE, "double free"),
     "caught while the first free is among the last `quarantine` frees (128 by default); older "
     "ones are reported as foreign pointers",
     double_free_delayed},
    {"double_free_after_reuse", FATAL(FREE, "double free"),
     "a quarantined address is never handed out again, so the reallocation gets a new address",
     double_free_after_reuse},
    {"foreign_stack", FATAL(FREE, "foreign pointer"), NULL, foreign_stack},
    {"foreign_global", FATAL(FREE, "foreign pointer"), NULL, foreign_global},
    {"foreign_libc", FATAL(FREE, "foreign pointer"), NULL, foreign_libc},
    {"foreign_other_instance", FATAL(FREE, "foreign pointer"), NULL, foreign_other_instance},
    {"foreign_other_type", FATAL(FREE, "foreign pointer"), "a PageAllocator block", foreign_other_type},
    {"interior_pointer", FATAL(FREE, "interior pointer"), NULL, interior_pointer},
    {"unaligned_pointer", FATAL(FREE, "misaligned pointer"), NULL, unaligned_pointer},
    {"realloc_foreign", FATAL("debug_allocator_remap", "foreign pointer"), NULL, realloc_foreign},
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
     "a PageAllocator passed as a DebugAllocator", wrong_type},
    {"wrong_thread", FATAL(FREE, "wrong thread"), "config.check_thread (on by default)",
     wrong_thread},
    {"use_after_deinit", FATAL(FREE, "uninitialised allocator"), NULL, use_after_deinit},
    {"deinit_twice", FATAL("DebugAllocatorDeinit", "uninitialised allocator"), NULL, deinit_twice},
};
const size violation_case_count = sizeof violation_cases / sizeof violation_cases[0];
