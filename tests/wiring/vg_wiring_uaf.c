// Must FAIL under memcheck: one use after free inside an allocator's own memory, chosen by the
// argument (heap-slot, heap-run, slab, arena-last, arena-reset, page, budget-free,
// budget-overflow, debug-quarantine, debug-overflow). The library is built with
// -DALLOC_VALGRIND; tests/wiring/valgrind.sh expects exit code 1 and an "Invalid read" or
// "Invalid write" report. The allocator is torn down normally afterwards.
#include "alloc/Arena.h"
#include "alloc/Budget.h"
#include "alloc/Debug.h"
#include "alloc/Heap.h"
#include "alloc/Page.h"
#include "alloc/Slab.h"

#include <stdio.h>  // printf
#include <string.h> // strcmp

static int read_byte(volatile const char *stale) { return *stale; }

static void write_byte(volatile char *stale) { *stale = 1; }

int main(int argc, char **argv) {
    const char *kind = argc > 1 ? argv[1] : "";
    int value = 0;
    if (!strcmp(kind, "heap-slot")) {
        HeapAllocator heap = HeapAllocatorInit();
        char *a = heap_allocator_allocate(&heap, 64, 1);
        char *b = heap_allocator_allocate(&heap, 64, 1);
        heap_allocator_deallocate(&heap, a);
        value = read_byte(a + 8); // Invalid read
        heap_allocator_deallocate(&heap, b);
        HeapAllocatorDeinit(&heap);
    } else if (!strcmp(kind, "heap-run")) {
        HeapAllocator heap = HeapAllocatorInit();
        char *run = heap_allocator_allocate(&heap, 40000, 1);
        heap_allocator_deallocate(&heap, run); // retained, still mapped
        write_byte(run + 20000); // Invalid write
        HeapAllocatorDeinit(&heap);
    } else if (!strcmp(kind, "slab")) {
        SlabAllocator slab = SlabAllocatorInit(32);
        char *a = slab_allocator_allocate(&slab, 32, 0);
        slab_allocator_deallocate(&slab, a);
        write_byte(a + 31); // Invalid write
        SlabAllocatorDeinit(&slab);
    } else if (!strcmp(kind, "arena-last")) {
        ArenaAllocator arena = ArenaAllocatorInit();
        char *a = arena_allocator_allocate(&arena, 64, 1);
        arena_allocator_deallocate(&arena, a);
        value = read_byte(a); // Invalid read
        ArenaAllocatorDeinit(&arena);
    } else if (!strcmp(kind, "arena-reset")) {
        ArenaAllocator arena = ArenaAllocatorInit();
        char *a = arena_allocator_allocate(&arena, 64, 1);
        arena_allocator_allocate(&arena, 64, 1);
        ArenaAllocatorReset(&arena);
        value = read_byte(a + 3); // Invalid read
        ArenaAllocatorDeinit(&arena);
    } else if (!strcmp(kind, "page")) {
        PageAllocator pages = PageAllocatorInit();
        char *block = page_allocator_allocate(&pages, 4096, 1);
        page_allocator_deallocate(&pages, block); // retained, still mapped
        value = read_byte(block + 100); // Invalid read
        PageAllocatorDeinit(&pages);
    } else if (!strcmp(kind, "budget-free")) {
        static unsigned char buffer[BudgetAllocatorBufferBytes(4, 32)];
        BudgetAllocator      budget = BudgetAllocatorInit(buffer, sizeof buffer, 32);
        char                *a      = budget_allocator_allocate(&budget, 32, 1);
        budget_allocator_allocate(&budget, 32, 1);
        budget_allocator_deallocate(&budget, a);
        value = read_byte(a + 16); // Invalid read
        BudgetAllocatorDeinit(&budget);
    } else if (!strcmp(kind, "budget-overflow")) {
        static unsigned char buffer[BudgetAllocatorBufferBytes(4, 32)];
        BudgetAllocator      budget = BudgetAllocatorInit(buffer, sizeof buffer, 32);
        char                *a      = budget_allocator_allocate(&budget, 32, 0);
        write_byte(a + BudgetAllocatorSlotSize(&budget)); // Invalid write: a slot never handed out
        BudgetAllocatorDeinit(&budget);
    } else if (!strcmp(kind, "debug-quarantine")) {
        DebugAllocator debug = DebugAllocatorInit();
        char          *a     = debug_allocator_allocate(&debug, 64, 1);
        debug_allocator_deallocate(&debug, a); // quarantined, still mapped
        value = read_byte(a + 10); // Invalid read
        DebugAllocatorDeinit(&debug);
    } else if (!strcmp(kind, "debug-overflow")) {
        DebugAllocator debug = DebugAllocatorInit();
        char          *a     = debug_allocator_allocate(&debug, 40, 1);
        value = read_byte(a + 40); // Invalid read: the back canary
        debug_allocator_deallocate(&debug, a);
        DebugAllocatorDeinit(&debug);
    } else {
        printf("unknown kind '%s'\n", kind);
        return 2;
    }
    printf("%s: read %d\n", kind, value);
    return 0;
}
