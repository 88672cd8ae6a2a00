// Violation catalogue of HeapAllocator: what each misuse ends in (see violations.h).
#include "alloc/Heap.h"
#include "alloc/Page.h"
#include "violations.h"

#include <stdlib.h> // malloc

const char violation_kind[] = "HeapAllocator";

static HeapAllocator heap;
static HeapAllocator other;

static char *fresh(size bytes) {
    heap    = HeapAllocatorInit();
    char *p = heap_allocator_allocate(&heap, bytes, 0);
    violation_require(p != NULL, "allocation failed");
    return p;
}

static void free_twice(size bytes) {
    char *p = fresh(bytes);
    heap_allocator_deallocate(&heap, p);
    violation_point(p);
    heap_allocator_deallocate(&heap, p);
}

static void double_free_small(void) { free_twice(24); }
static void double_free_large(void) { free_twice((size)1 << 20); }
static void double_free_unretained(void) { free_twice(2 * HEAP_RETAINED_MAX_BYTES); }

static void double_free_delayed(void) {
    char *a = fresh(24);
    char *b = heap_allocator_allocate(&heap, 5000, 0);
    char *c = heap_allocator_allocate(&heap, 24, 0);
    heap_allocator_deallocate(&heap, a);
    heap_allocator_deallocate(&heap, b);
    heap_allocator_deallocate(&heap, c);
    violation_point(a);
    heap_allocator_deallocate(&heap, a);
}

static void double_free_after_reuse(void) {
    char *p = fresh(24);
    heap_allocator_deallocate(&heap, p);
    char *q = heap_allocator_allocate(&heap, 24, 0);
    violation_require(q == p, "the freed slot was not reused");
    heap_allocator_deallocate(&heap, q);
    violation_point(q);
    heap_allocator_deallocate(&heap, q);
}

static void free_foreign(void *foreign) {
    (void)fresh(24); // the heap has a segment
    violation_point(foreign);
    heap_allocator_deallocate(&heap, foreign);
}

static void foreign_stack(void) {
    _Alignas(64) char local[64];
    free_foreign(local);
}
static void foreign_global(void) { free_foreign(violation_global); }
static void foreign_libc(void) { free_foreign(malloc(64)); }

static void foreign_other_instance(void) {
    other = HeapAllocatorInit();
    free_foreign(heap_allocator_allocate(&other, 24, 0));
}

static void foreign_other_type(void) {
    static PageAllocator pages;
    pages = PageAllocatorInit();
    free_foreign(page_allocator_allocate(&pages, 100, 0));
}

static void interior_pointer(void) {
    char *p = fresh(64);
    violation_point(p + 16);
    heap_allocator_deallocate(&heap, p + 16);
}

static void unaligned_pointer(void) {
    char *p = fresh(64);
    violation_point(p + 1);
    heap_allocator_deallocate(&heap, p + 1);
}

static void realloc_foreign(void) {
    (void)fresh(24);
    violation_point(violation_global);
    heap_allocator_remap(&heap, violation_global, 200);
}

// Two neighbouring 32-byte slots; `offset` bytes from the first block's end (negative: before
// the second block's start) are overwritten. The heap keeps no byte of its own there.
static void smash_neighbour(long from_end_of_a, size n) {
    char *a = fresh(32);
    char *b = heap_allocator_allocate(&heap, 32, 0);
    violation_require(b == a + 32, "the two slots are not neighbours");
    for (size i = 0; i < n; ++i) a[32 + from_end_of_a + (long)i] = 'x';
    HeapAllocatorCheck(&heap);
    violation_require(heap_allocator_deallocate(&heap, a) == 32, "free of a failed");
    violation_require(heap_allocator_deallocate(&heap, b) == 32, "free of b failed");
    HeapAllocatorCheck(&heap);
    HeapAllocatorDeinit(&heap);
    violation_say("both frees worked; HeapAllocatorCheck passed before and after");
}
static void overflow_1(void) { smash_neighbour(0, 1); }
static void overflow_8(void) { smash_neighbour(0, 8); }
static void underflow_1(void) { smash_neighbour(-1, 1); }
static void underflow_8(void) { smash_neighbour(-8, 8); }

static void write_after_free(void) {
    char *p = fresh(32);
    heap_allocator_deallocate(&heap, p);
    p[0] = 'x';
    HeapAllocatorCheck(&heap);
    char *q = heap_allocator_allocate(&heap, 32, 1);
    violation_require(q == p && q[0] == 0, "expected the same slot back, zeroed as asked");
    HeapAllocatorCheck(&heap);
    HeapAllocatorDeinit(&heap);
    violation_say("the write landed in the free slot; HeapAllocatorCheck passed; the slot came back "
                  "zeroed when asked");
}

static void wrong_type(void) {
    static PageAllocator pages;
    pages   = PageAllocatorInit();
    void *p = page_allocator_allocate(&pages, 100, 0);
    violation_point(&pages);
    heap_allocator_deallocate((HeapAllocator *)(void *)&pages, p);
}

static void use_after_deinit(void) {
    char *p = fresh(24);
    HeapAllocatorDeinit(&heap);
    violation_point(&heap);
    heap_allocator_deallocate(&heap, p);
}

static void deinit_twice(void) {
    (void)fresh(24);
    HeapAllocatorDeinit(&heap);
    violation_point(&heap);
    HeapAllocatorDeinit(&heap);
}

#define FATAL(function, reason) VIOLATION_FATAL, function, reason
#define FREE "heap_allocator_deallocate"
#define NEIGHBOUR                                                                                  \
    "not detected: no canaries; bookkeeping is out of band, so only the neighbouring block's "    \
    "bytes change and HeapAllocatorCheck still passes (use DebugAllocator)"

const ViolationCase violation_cases[] = {
    {"double_free_small", FATAL(FREE, "double free"), "a 32-byte slot: its bit is already free",
     double_free_small},
    {"double_free_large", FATAL(FREE, "double free"), "a 1 MiB page run, retained after the free",
     double_free_large},
    {"double_free_unretained", FATAL(FREE, "double free"),
     "16 MiB is above HEAP_RETAINED_MAX_BYTES: unmapped at once, but the last HEAP_FREED_MAX "
     "unmapped addresses are remembered",
     double_free_unretained},
    {"double_free_delayed", FATAL(FREE, "double free"), NULL, double_free_delayed},
    {"double_free_after_reuse", FATAL(FREE, "double free"),
     "the lowest free slot is taken first, so the reallocation gets the same address",
     double_free_after_reuse},
    {"foreign_stack", FATAL(FREE, "foreign pointer"), NULL, foreign_stack},
    {"foreign_global", FATAL(FREE, "foreign pointer"), NULL, foreign_global},
    {"foreign_libc", FATAL(FREE, "foreign pointer"), NULL, foreign_libc},
    {"foreign_other_instance", FATAL(FREE, "foreign pointer"), NULL, foreign_other_instance},
    {"foreign_other_type", FATAL(FREE, "foreign pointer"), "a PageAllocator block", foreign_other_type},
    {"interior_pointer", FATAL(FREE, "interior pointer"), NULL, interior_pointer},
    {"unaligned_pointer", FATAL(FREE, "misaligned pointer"), NULL, unaligned_pointer},
    {"realloc_foreign", FATAL("heap_allocator_remap", "foreign pointer"), NULL, realloc_foreign},
    {"overflow_1", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, overflow_1},
    {"overflow_8", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, overflow_8},
    {"underflow_1", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, underflow_1},
    {"underflow_8", VIOLATION_SURVIVES, NULL, NEIGHBOUR, NULL, underflow_8},
    {"write_after_free", VIOLATION_SURVIVES, NULL,
     "not detected: a free slot is only a bit in an out-of-band bitmap, so the heap stays "
     "consistent and hands the slot out again as it is, zero-filled if asked (use DebugAllocator)",
     NULL, write_after_free},
    {"wrong_type", FATAL(FREE, "type-confusion: not a HeapAllocator"),
     "a PageAllocator passed as a HeapAllocator", wrong_type},
    {"use_after_deinit", FATAL(FREE, "uninitialised allocator"), NULL, use_after_deinit},
    {"deinit_twice", FATAL("HeapAllocatorDeinit", "uninitialised allocator"), NULL, deinit_twice},
};
const size violation_case_count = sizeof violation_cases / sizeof violation_cases[0];
