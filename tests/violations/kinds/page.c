// SPDX-License-Identifier: MIT
// Violation catalogue of PageAllocator: what each shared misuse of cases.c ends in, and the
// writes that stay inside a block's last page (its own cases: a page has no neighbour to smash).
#include "page.h"
#include "violations.h"

const char violation_kind[] = "PageAllocator";

void violation_init(ViolationType *self, size_t block) {
    (void)block;
    *self = PageAllocatorInit();
}

static PageAllocator pages;

static char *fresh(size_t bytes) {
    pages   = PageAllocatorInit();
    char *p = AllocatorAlloc(&pages, bytes, 0);
    violation_require(p != NULL, "allocation failed");
    return p;
}

// Writes past the request stay inside the block's last page: usable memory, nothing to see.
static void overflow_by(size_t n) {
    char *p = fresh(100);
    for (size_t i = 0; i < n; ++i) p[100 + i] = 'x';
    violation_require(AllocatorFree(&pages, p) == PageAllocatorPageSize(&pages),
                      "free did not return the whole page");
    PageAllocatorCheck(&pages);
    PageAllocatorDeinit(&pages);
    violation_say("free returned one page; PageAllocatorCheck passed");
}
static void overflow_1(void) { overflow_by(1); }
static void overflow_8(void) { overflow_by(8); }

static void write_after_free(void) {
    char *p = fresh(100);
    AllocatorFree(&pages, p);
    p[0]    = 'x'; // the block is retained: still mapped read-write
    char *q = AllocatorAlloc(&pages, 100, 0);
    violation_require(q == p && q[0] == 'x', "expected the retained block back, as written");
    PageAllocatorCheck(&pages);
    PageAllocatorDeinit(&pages);
    violation_say("the write landed; the block came back as written; PageAllocatorCheck passed");
}

#define FATAL(function, reason) VIOLATION_FATAL, function, reason
#define FREE "page_allocator_deallocate"
#define SLACK                                                                                      \
    "not detected: blocks are whole pages and the bytes past the request are usable slack; "      \
    "PageAllocator has no canaries"

const ViolationCase violation_cases[] = {
    {"double_free_small", FATAL(FREE, "double free"), NULL, NULL},
    {"double_free_large", FATAL(FREE, "double free"), "1 MiB: retained, so still known", NULL},
    {"double_free_unretained", FATAL(FREE, "foreign pointer"),
     "4 MiB is above PAGE_ALLOCATOR_RETAIN_BLOCK_MAX_BYTES: unmapped at the first free and "
     "forgotten, so the second free is a foreign pointer (documented)",
     NULL},
    {"double_free_delayed", FATAL(FREE, "double free"), NULL, NULL},
    {"double_free_after_reuse", FATAL(FREE, "double free"),
     "exact-size reuse is LIFO: the second allocation gets the same address", NULL},
    {"foreign_stack", FATAL(FREE, "foreign pointer"), NULL, NULL},
    {"foreign_global", FATAL(FREE, "foreign pointer"), NULL, NULL},
    {"foreign_libc", FATAL(FREE, "foreign pointer"), NULL, NULL},
    {"foreign_other_instance", FATAL(FREE, "foreign pointer"), NULL, NULL},
    {"foreign_other_type", FATAL(FREE, "foreign pointer"), "a DebugAllocator block", NULL},
    {"interior_pointer", FATAL(FREE, "interior pointer"), NULL, NULL},
    {"unaligned_pointer", FATAL(FREE, "misaligned pointer"), NULL, NULL},
    {"realloc_foreign", FATAL("page_allocator_remap", "foreign pointer"), NULL, NULL},
    {"overflow_1", VIOLATION_SURVIVES, NULL, SLACK, NULL, overflow_1},
    {"overflow_8", VIOLATION_SURVIVES, NULL, SLACK, NULL, overflow_8},
    {"write_after_free", VIOLATION_SURVIVES, NULL,
     "not detected: a retained block stays mapped read-write for reuse and its contents are not "
     "checked (use DebugAllocator)",
     NULL, write_after_free},
    {"wrong_type", FATAL(FREE, "type-confusion: not a PageAllocator"),
     "a DebugAllocator passed as a PageAllocator", NULL},
    {"use_after_deinit", FATAL(FREE, "uninitialised allocator"), NULL, NULL},
    {"deinit_twice", FATAL("PageAllocatorDeinit", "uninitialised allocator"), NULL, NULL},
};
const size_t violation_case_count = sizeof violation_cases / sizeof violation_cases[0];
