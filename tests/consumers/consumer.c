// SPDX-License-Identifier: MIT
// An out-of-tree program, built against an installed alloc (pkg-config or CMake): every kind
// through the generic calls, Vec on two allocators, and the fatal handler's text.
#include <alloc/Arena.h>
#include <alloc/Budget.h>
#include <alloc/Debug.h>
#include <alloc/Heap.h>
#include <alloc/Page.h>
#include <alloc/Slab.h>
#include <alloc/Vec.h>

#include <stdio.h>  // printf
#include <string.h> // memset

static int use(Allocator *any, const char *name) {
    char *block = AllocatorAlloc(any, 100, 1);
    if (!block || block[99] != 0) return printf("%s: allocation failed\n", name), 1;
    memset(block, 'x', 100);
    block = AllocatorRealloc(any, block, 200);
    int ok = block && block[0] == 'x' && block[99] == 'x';
    AllocatorFree(any, block);
    printf("%s: %s, %llu allocation(s)\n", name, ok ? "ok" : "FAILED",
           (unsigned long long)AllocatorAllocations(any));
    return !ok;
}

int main(void) {
    HeapAllocator heap = HeapAllocatorInit();
    PageAllocator pages = PageAllocatorInit();
    ArenaAllocator arena = ArenaAllocatorInit();
    SlabAllocator slab = SlabAllocatorInit(256);
    static unsigned char buffer[BudgetAllocatorBufferBytes(4, 256)];
    BudgetAllocator budget = BudgetAllocatorInit(buffer, sizeof buffer, 256);
    DebugAllocator debug = DebugAllocatorInit();
    int failures = use(ALLOCATOR_OF(&heap), "heap") + use(ALLOCATOR_OF(&pages), "page") +
                   use(ALLOCATOR_OF(&arena), "arena") + use(ALLOCATOR_OF(&slab), "slab") +
                   use(ALLOCATOR_OF(&budget), "budget") + use(ALLOCATOR_OF(&debug), "debug");
    Vec(int) numbers = VecInit(&heap);
    for (int i = 0; i < 1000; ++i) VecPush(&numbers, i);
    printf("vec: %zu numbers, the 500th is %d\n", VecLen(&numbers), VecAt(&numbers, 500));
    VecDeinit(&numbers);
    HeapAllocatorDeinit(&heap);
    PageAllocatorDeinit(&pages);
    ArenaAllocatorDeinit(&arena);
    SlabAllocatorDeinit(&slab);
    BudgetAllocatorDeinit(&budget);
    DebugAllocatorDeinit(&debug);
    return failures;
}
