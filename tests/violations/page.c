// Violation catalogue of PageAllocator: what each misuse ends in (see violations.h).
#include "alloc/Page.h"
#include "alloc/Debug.h"
#include "violations.h"

#include <stdlib.h> // malloc

const char violation_kind[] = "PageAllocator";

static PageAllocator pages;
static PageAllocator other;

static char *fresh(size bytes) {
    pages   = PageAllocatorInit();
    char *p = page_allocator_allocate(&pages, bytes, 0);
    violation_require(p != NULL, "allocation failed");
    return p;
}

static void free_twice(size bytes) {
    char *p = fresh(bytes);
    page_allocator_deallocate(&pages, p);
    violation_point(p);
    page_allocator_deallocate(&pages, p);
}

static void double_free_small(void) { free_twice(100); }
static void double_free_large(void) { free_twice((size)1 << 20); }
static void double_free_unretained(void) { free_twice(2 * PAGE_ALLOCATOR_RETAIN_BLOCK_MAX_BYTES); }

static void double_free_delayed(void) {
    char *a = fresh(100);
    char *b = page_allocator_allocate(&pages, 5000, 0);
    char *c = page_allocator_allocate(&pages, 9000, 0);
    page_allocator_deallocate(&pages, a);
    page_allocator_deallocate(&pages, b);
    page_allocator_deallocate(&pages, c);
    violation_point(a);
    page_allocator_deallocate(&pages, a);
}

static void double_free_after_reuse(void) {
    char *p = fresh(100);
    page_allocator_deallocate(&pages, p);
    char *q = page_allocator_allocate(&pages, 100, 0);
    violation_require(q == p, "the retained block was not reused");
    page_allocator_deallocate(&pages, q);
    violation_point(q);
    page_allocator_deallocate(&pages, q);
}

static void free_foreign(void *foreign) {
    (void)fresh(100); // the live table is not empty
    violation_point(foreign);
    page_allocator_deallocate(&pages, foreign);
}

static void foreign_stack(void) {
    _Alignas(64) char local[64];
    free_foreign(local);
}
static void foreign_global(void) { free_foreign(violation_global); }
static void foreign_libc(void) { free_foreign(malloc(64)); }

static void foreign_other_instance(void) {
    other = PageAllocatorInit();
    free_foreign(page_allocator_allocate(&other, 100, 0));
}

static void foreign_other_type(void) {
    static DebugAllocator debug;
    debug = DebugAllocatorInit();
    free_foreign(debug_allocator_allocate(&debug, 100, 0));
}

static void interior_pointer(void) {
    char *p = fresh(3 * 4096);
    violation_point(p + 16);
    page_allocator_deallocate(&pages, p + 16);
}

static void unaligned_pointer(void) {
    char *p = fresh(100);
    violation_point(p + 1);
    page_allocator_deallocate(&pages, p + 1);
}

static void realloc_foreign(void) {
    (void)fresh(100);
    violation_point(violation_global);
    page_allocator_remap(&pages, violation_global, 200);
}

// Writes past the request stay inside the block's last page: usable memory, nothing to see.
static void overflow_by(size n) {
    char *p = fresh(100);
    for (size i = 0; i < n; ++i) p[100 + i] = 'x';
    violation_require(page_allocator_deallocate(&pages, p) == PageAllocatorPageSize(&pages),
                      "free did not return the whole page");
    PageAllocatorCheck(&pages);
    PageAllocatorDeinit(&pages);
    violation_say("free returned one page; PageAllocatorCheck passed");
}
static void overflow_1(void) { overflow_by(1); }
static void overflow_8(void) { overflow_by(8); }

static void write_after_free(void) {
    char *p = fresh(100);
    page_allocator_deallocate(&pages, p);
    p[0] = 'x'; // the block is retained: still mapped read-write
    char *q = page_allocator_allocate(&pages, 100, 0);
    violation_require(q == p && q[0] == 'x', "expected the retained block back, as written");
    PageAllocatorCheck(&pages);
    PageAllocatorDeinit(&pages);
    violation_say("the write landed; the block came back as written; PageAllocatorCheck passed");
}

static void wrong_type(void) {
    static DebugAllocator debug;
    debug   = DebugAllocatorInit();
    void *p = debug_allocator_allocate(&debug, 100, 0);
    violation_point(&debug);
    page_allocator_deallocate((PageAllocator *)(void *)&debug, p);
}

static void use_after_deinit(void) {
    char *p = fresh(100);
    PageAllocatorDeinit(&pages);
    violation_point(&pages);
    page_allocator_deallocate(&pages, p);
}

static void deinit_twice(void) {
    (void)fresh(100);
    PageAllocatorDeinit(&pages);
    violation_point(&pages);
    PageAllocatorDeinit(&pages);
}

#define FATAL(function, reason) VIOLATION_FATAL, function, reason
#define FREE "page_allocator_deallocate"

const ViolationCase violation_cases[] = {
    {"double_free_small", FATAL(FREE, "double free"), NULL, double_free_small},
    {"double_free_large", FATAL(FREE, "double free"), "1 MiB: retained, so still known",
     double_free_large},
    {"double_free_unretained", FATAL(FREE, "foreign pointer"),
     "4 MiB is above PAGE_ALLOCATOR_RETAIN_BLOCK_MAX_BYTES: unmapped at the first free and "
     "forgotten, so the second free is a foreign pointer (documented)",
     double_free_unretained},
    {"double_free_delayed", FATAL(FREE, "double free"), NULL, double_free_delayed},
    {"double_free_after_reuse", FATAL(FREE, "double free"),
     "exact-size reuse is LIFO: the second allocation gets the same address", double_free_after_reuse},
    {"foreign_stack", FATAL(FREE, "foreign pointer"), NULL, foreign_stack},
    {"foreign_global", FATAL(FREE, "foreign pointer"), NULL, foreign_global},
    {"foreign_libc", FATAL(FREE, "foreign pointer"), NULL, foreign_libc},
    {"foreign_other_instance", FATAL(FREE, "foreign pointer"), NULL, foreign_other_instance},
    {"foreign_other_type", FATAL(FREE, "foreign pointer"), "a DebugAllocator block", foreign_other_type},
    {"interior_pointer", FATAL(FREE, "interior pointer"), NULL, interior_pointer},
    {"unaligned_pointer", FATAL(FREE, "misaligned pointer"), NULL, unaligned_pointer},
    {"realloc_foreign", FATAL("page_allocator_remap", "foreign pointer"), NULL, realloc_foreign},
    {"overflow_1", VIOLATION_SURVIVES, NULL,
     "not detected: blocks are whole pages and the bytes past the request are usable slack; "
     "PageAllocator has no canaries",
     NULL, overflow_1},
    {"overflow_8", VIOLATION_SURVIVES, NULL,
     "not detected: blocks are whole pages and the bytes past the request are usable slack; "
     "PageAllocator has no canaries",
     NULL, overflow_8},
    {"write_after_free", VIOLATION_SURVIVES, NULL,
     "not detected: a retained block stays mapped read-write for reuse and its contents are not "
     "checked (use DebugAllocator)",
     NULL, write_after_free},
    {"wrong_type", FATAL(FREE, "type-confusion: not a PageAllocator"), "a DebugAllocator passed as "
     "a PageAllocator", wrong_type},
    {"use_after_deinit", FATAL(FREE, "uninitialised allocator"), NULL, use_after_deinit},
    {"deinit_twice", FATAL("PageAllocatorDeinit", "uninitialised allocator"), NULL, deinit_twice},
};
const size violation_case_count = sizeof violation_cases / sizeof violation_cases[0];
