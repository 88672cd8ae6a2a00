// SPDX-License-Identifier: MIT
// A C++17 program on the installed headers: extern "C" linkage, and the overloads that stand for
// the C11 _Generic macros (a typed pointer calls its kind directly, Allocator * the dynamic path).
#include <alloc/Arena.h>
#include <alloc/Budget.h>
#include <alloc/Debug.h>
#include <alloc/Heap.h>
#include <alloc/Page.h>
#include <alloc/Slab.h>
#include <alloc/Vec.h>

#include <cstdio>
#include <cstring>

template <typename Kind> static int use(Kind *typed, const char *name) {
    char *block = static_cast<char *>(AllocatorAlloc(typed, 100, 1)); // typed fast path
    if (!block || block[99] != 0) return std::printf("%s: allocation failed\n", name), 1;
    std::memset(block, 'x', 100);
    Allocator *any = ALLOCATOR_OF(typed);
    block = static_cast<char *>(AllocatorRealloc(any, block, 200)); // dynamic path
    bool ok = block && block[0] == 'x' && block[99] == 'x';
    AllocatorFree(typed, block);
    std::printf("%s: %s, %llu allocation(s)\n", name, ok ? "ok" : "FAILED",
                static_cast<unsigned long long>(AllocatorAllocations(typed)));
    return !ok;
}

int main() {
    HeapAllocator heap = HeapAllocatorInit();
    PageAllocator pages = PageAllocatorInit();
    ArenaAllocator arena = ArenaAllocatorInit();
    SlabAllocator slab = SlabAllocatorInit(256);
    static unsigned char buffer[BudgetAllocatorBufferBytes(4, 256)];
    BudgetAllocator budget = BudgetAllocatorInit(buffer, sizeof buffer, 256);
    DebugAllocator debug = DebugAllocatorInit();
    int failures = use(&heap, "heap") + use(&pages, "page") + use(&arena, "arena") +
                   use(&slab, "slab") + use(&budget, "budget") + use(&debug, "debug");
    Vec(int) numbers = VecInit(&heap);
    for (int i = 0; i < 1000; ++i) VecPush(&numbers, i);
    std::printf("vec: %zu numbers, the 500th is %d\n", VecLen(&numbers), VecAt(&numbers, 500));
    VecDeinit(&numbers);
    HeapAllocatorDeinit(&heap);
    PageAllocatorDeinit(&pages);
    ArenaAllocatorDeinit(&arena);
    SlabAllocatorDeinit(&slab);
    BudgetAllocatorDeinit(&budget);
    DebugAllocatorDeinit(&debug);
    return failures;
}
