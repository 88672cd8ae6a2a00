// Vec over each allocator under allocation-failure injection: growth by doubling (a realloc
// through the dynamic path) replayed once per mapping call with that call failing. A failed push
// returns 0 and leaves the vector as it was; the retry succeeds; nothing leaks.
#include "alloc/Arena.h"
#include "alloc/Types.h" // opt-in short names (size, u8, i8…)
#include "alloc/Debug.h"
#include "alloc/Heap.h"
#include "alloc/Page.h"
#include "alloc/Vec.h"
#include "fault_harness.h"

#include <criterion/criterion.h>

typedef Vec(u64) Numbers;

enum { COUNT = 40000 }; // 320 KB: many doublings, large blocks in every allocator

// Push COUNT numbers; each push may fail once (an injected failure), which must change nothing.
static void fill_numbers(Allocator *any, void (*check)(Allocator *)) {
    Numbers v = VecInit(any);
    for (u64 i = 0; i < COUNT; ++i) {
        u64  injected = alloc_fault_failures();
        u64 *data = v.data;
        size len = v.len, cap = v.cap;
        while (!VecPush(&v, i * 3 + 1)) {
            FAULT_EXPECT(alloc_fault_failures() > injected, "push %llu failed with no injected failure",
                         (unsigned long long)i);
            FAULT_EXPECT(v.data == data && v.len == len && v.cap == cap, "a failed push changed the vector");
            check(any);
            injected = alloc_fault_failures();
        }
    }
    for (u64 i = 0; i < COUNT; i += 997) FAULT_EXPECT(VecAt(&v, i) == i * 3 + 1, "element %llu lost", (unsigned long long)i);
    check(any);
    VecDeinit(&v);
    check(any);
}

static void check_page(Allocator *a) { PageAllocatorCheck((PageAllocator *)a); }
static void check_heap(Allocator *a) { HeapAllocatorCheck((HeapAllocator *)a); }
static void check_arena(Allocator *a) { ArenaAllocatorCheck((ArenaAllocator *)a); }
static void check_debug(Allocator *a) { DebugAllocatorCheck((DebugAllocator *)a); }
static void discard_report(const char *line, void *context) { (void)line, (void)context; }

static void vec_over_page(void) {
    PageAllocator a = PageAllocatorInit();
    fill_numbers(ALLOCATOR_OF(&a), check_page);
    PageAllocatorDeinit(&a);
}

static void vec_over_heap(void) {
    HeapAllocator a = HeapAllocatorInit();
    fill_numbers(ALLOCATOR_OF(&a), check_heap);
    HeapAllocatorDeinit(&a);
}

static void vec_over_arena(void) {
    ArenaAllocator a = ArenaAllocatorInitChunk(4096);
    fill_numbers(ALLOCATOR_OF(&a), check_arena);
    ArenaAllocatorDeinit(&a);
}

static void vec_over_debug(void) {
    DebugAllocatorConfig config = DebugAllocatorConfigDefault();
    config.report               = discard_report;
    DebugAllocator a            = DebugAllocatorInitWith(config);
    fill_numbers(ALLOCATOR_OF(&a), check_debug);
    DebugAllocatorDeinit(&a);
}

Test(fault_vec, growth_over_page_survives_every_failing_call) { fault_for_each_failing_call(vec_over_page, 5); }
Test(fault_vec, growth_over_heap_survives_every_failing_call) { fault_for_each_failing_call(vec_over_heap, 3); }
Test(fault_vec, growth_over_arena_survives_every_failing_call) { fault_for_each_failing_call(vec_over_arena, 5); }
Test(fault_vec, growth_over_debug_survives_every_failing_call) { fault_for_each_failing_call(vec_over_debug, 5); }
