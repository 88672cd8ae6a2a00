// Must PASS under memcheck: correct use of Heap (slots and page runs), Slab, Arena (free of the
// last block, in-place resize, moving remap, reset), Page, Budget (on a static buffer reused
// after Deinit, and on a Heap block) and Debug, with the library built with
// -DALLOC_VALGRIND so every wired hook issues its client requests. Any memcheck error (a hook in
// the wrong place, a zeroed block not marked defined) makes valgrind exit with 1.
#include "alloc/Arena.h"
#include "alloc/Budget.h"
#include "alloc/Debug.h"
#include "alloc/Types.h" // opt-in short names (size, u8, i8…)
#include "alloc/Heap.h"
#include "alloc/Page.h"
#include "alloc/Slab.h"

#include <stdio.h>  // printf
#include <string.h> // memset

static int failed;

static void expect(int ok, const char *what) {
    if (!ok) {
        failed += 1;
        printf("FAIL: %s\n", what);
    }
}

// True when the `bytes` bytes at `p` are zero; the branch makes memcheck check they are defined.
static int all_zero(const char *p, size bytes) {
    unsigned acc = 0;
    for (size i = 0; i < bytes; ++i) acc |= (unsigned char)p[i];
    return acc == 0;
}

static void use_heap(void) {
    HeapAllocator heap = HeapAllocatorInit();
    char *blocks[64];
    for (int i = 0; i < 64; ++i) {
        blocks[i] = heap_allocator_allocate(&heap, (size)(16 + 40 * i), 0);
        memset(blocks[i], i, (size)(16 + 40 * i));
    }
    for (int i = 0; i < 64; i += 2) heap_allocator_deallocate(&heap, blocks[i]);
    for (int i = 0; i < 64; i += 2) {
        blocks[i] = heap_allocator_allocate(&heap, (size)(16 + 40 * i), 1);
        expect(all_zero(blocks[i], (size)(16 + 40 * i)), "heap: recycled zeroed slot reads zero");
    }
    char *grown = heap_allocator_remap(&heap, blocks[1], 5000);
    expect(grown && grown[55] == 1, "heap: remap keeps the contents");
    blocks[1] = grown;
    char *run = heap_allocator_allocate(&heap, 100000, 1);
    expect(all_zero(run, 100000), "heap: fresh run reads zero");
    memset(run, 7, 100000);
    heap_allocator_deallocate(&heap, run);
    run = heap_allocator_allocate(&heap, 100000, 1); // the retained run, zeroed again
    expect(all_zero(run, 100000), "heap: retained run reads zero");
    run = heap_allocator_remap(&heap, run, 3 << 20); // large: may move with mremap
    expect(run && all_zero(run, 100000), "heap: remapped run keeps its contents");
    memset(run, 1, 3 << 20);
    run = heap_allocator_remap(&heap, run, 200000); // shrink in place
    expect(run && run[199999] == 1, "heap: shrunk run keeps its head");
    heap_allocator_deallocate(&heap, run);
    for (int i = 0; i < 64; ++i) heap_allocator_deallocate(&heap, blocks[i]);
    HeapAllocatorCheck(&heap);
    HeapAllocatorDeinit(&heap);
}

static void use_slab(void) {
    SlabAllocator slab = SlabAllocatorInit(48);
    char *slots[3000];
    for (int i = 0; i < 3000; ++i) {
        slots[i] = slab_allocator_allocate(&slab, 48, i % 2);
        memset(slots[i], 3, 48);
    }
    for (int i = 0; i < 3000; i += 3) slab_allocator_deallocate(&slab, slots[i]);
    for (int i = 0; i < 3000; i += 3) {
        slots[i] = slab_allocator_allocate(&slab, 40, 1);
        expect(all_zero(slots[i], 48), "slab: recycled zeroed slot reads zero");
    }
    expect(slab_allocator_resize(&slab, slots[1], 20) == 1, "slab: resize within the slot");
    expect(slots[1][47] == 3, "slab: the slot keeps its bytes");
    for (int i = 0; i < 3000; ++i) slab_allocator_deallocate(&slab, slots[i]);
    SlabAllocatorCheck(&slab);
    SlabAllocatorDeinit(&slab);
}

static void use_arena(void) {
    ArenaAllocator arena = ArenaAllocatorInitChunk(4096);
    for (int round = 0; round < 3; ++round) {
        char *a = arena_allocator_allocate(&arena, 1000, 1);
        expect(all_zero(a, 1000), "arena: zeroed block reads zero");
        memset(a, 5, 1000);
        char *b = arena_allocator_allocate(&arena, 500, 0);
        memset(b, 6, 500);
        expect(arena_allocator_resize(&arena, b, 2000) == 1, "arena: grow the last block in place");
        memset(b, 6, 2000);
        expect(arena_allocator_resize(&arena, b, 100) == 1, "arena: shrink the last block");
        arena_allocator_deallocate(&arena, b);
        char *c = arena_allocator_allocate(&arena, 300, 1); // where b was: zeroed again
        expect(all_zero(c, 300), "arena: block over a freed one reads zero");
        char *moved = arena_allocator_remap(&arena, c, 50000); // to a new chunk
        expect(moved && all_zero(moved, 300), "arena: moved block keeps its contents");
        memset(moved, 9, 50000);
        ArenaAllocatorCheck(&arena);
        ArenaAllocatorReset(&arena);
    }
    ArenaAllocatorDeinit(&arena);
}

static void use_page(void) {
    PageAllocator pages = PageAllocatorInit();
    char *a = page_allocator_allocate(&pages, 8192, 0);
    memset(a, 1, 8192);
    page_allocator_deallocate(&pages, a);
    char *b = page_allocator_allocate(&pages, 8192, 1); // the retained block
    expect(all_zero(b, 8192), "page: retained block zeroed");
    b = page_allocator_remap(&pages, b, 1 << 20);
    expect(b && all_zero(b, 8192), "page: remap keeps the contents");
    memset(b, 2, 1 << 20);
    b = page_allocator_remap(&pages, b, 4096);
    expect(b && b[4095] == 2, "page: shrink keeps the head");
    page_allocator_deallocate(&pages, b);
    PageAllocatorCheck(&pages);
    PageAllocatorDeinit(&pages);
}

// Fill, free and refill a budget's slots; returns the slot size.
static size churn_budget(BudgetAllocator *budget, int slots) {
    char *held[16];
    size  stride = BudgetAllocatorSlotSize(budget);
    for (int i = 0; i < slots; ++i) {
        held[i] = budget_allocator_allocate(budget, stride, i % 2);
        memset(held[i], 4, stride);
    }
    for (int i = 0; i < slots; i += 2) budget_allocator_deallocate(budget, held[i]);
    for (int i = 0; i < slots; i += 2) {
        held[i] = budget_allocator_allocate(budget, 1, 1);
        expect(all_zero(held[i], stride), "budget: recycled zeroed slot reads zero");
    }
    expect(budget_allocator_remap(budget, held[1], stride) == held[1], "budget: remap in the slot");
    expect(held[1][stride - 1] == 4, "budget: the slot keeps its bytes");
    budget_allocator_deallocate(budget, held[1]);
    BudgetAllocatorCheck(budget);
    return stride;
}

static char budget_buffer[BudgetAllocatorBufferBytes(16, 40)];

static void use_budget(void) {
    BudgetAllocator budget = BudgetAllocatorInit(budget_buffer, sizeof budget_buffer, 40);
    size            stride = churn_budget(&budget, 16);
    const char     *slots  = budget.slots;
    BudgetAllocatorDeinit(&budget);
    // The buffer is the caller's again, free slots included: the odd slots still hold 4s (the
    // even ones were zeroed), and a branch on every byte is fine.
    size fours = 0;
    for (size i = 0; i < 16 * stride; ++i) fours += slots[i] == 4;
    expect(fours == 8 * stride, "budget: the slot area reads back after Deinit");
    memset(budget_buffer, 0, sizeof budget_buffer);
    expect(all_zero(budget_buffer, sizeof budget_buffer), "budget: buffer reusable");

    HeapAllocator heap  = HeapAllocatorInit(); // a budget inside a block of another pool
    size          bytes = BudgetAllocatorBufferBytes(8, 64);
    void         *block = heap_allocator_allocate(&heap, bytes, 0);
    BudgetAllocator on_heap = BudgetAllocatorInit(block, bytes, 64);
    char           *kept    = budget_allocator_allocate(&on_heap, 64, 1); // live at Deinit
    churn_budget(&on_heap, 6);
    expect(all_zero(kept, 64), "budget on a heap block: a live slot is left alone");
    BudgetAllocatorDeinit(&on_heap);
    heap_allocator_deallocate(&heap, block);
    HeapAllocatorCheck(&heap);
    HeapAllocatorDeinit(&heap);
}

static void use_debug(void) {
    DebugAllocator debug = DebugAllocatorInit();
    char *blocks[32];
    for (int i = 0; i < 32; ++i) {
        blocks[i] = debug_allocator_allocate(&debug, (size)(8 + 24 * i), i % 2);
        memset(blocks[i], 8, (size)(8 + 24 * i));
    }
    for (int i = 0; i < 32; i += 2) debug_allocator_deallocate(&debug, blocks[i]); // quarantined
    blocks[1] = debug_allocator_remap(&debug, blocks[1], 5000);
    expect(blocks[1] && blocks[1][31] == 8, "debug: remap keeps the contents");
    DebugAllocatorCheck(&debug); // reads the canaries and the quarantined fills
    for (int i = 1; i < 32; i += 2) debug_allocator_deallocate(&debug, blocks[i]);
    expect(DebugAllocatorLeakCount(&debug) == 0, "debug: no leak");
    DebugAllocatorDeinit(&debug);
}

int main(void) {
    use_heap();
    use_slab();
    use_arena();
    use_page();
    use_budget();
    use_debug();
    printf("%s\n", failed ? "FAILED" : "ok");
    return failed ? 2 : 0;
}
