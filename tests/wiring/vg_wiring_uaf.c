// Must FAIL under memcheck: one use after free inside an allocator's own mapping, chosen by the
// argument (heap-slot, heap-run, slab, arena-last, arena-reset, page). The library is built with
// -DALLOC_VALGRIND; tests/wiring/valgrind.sh expects exit code 1 and an "Invalid read" or
// "Invalid write" report. The allocator is torn down normally afterwards.
#include "alloc/Arena.h"
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
    } else {
        printf("unknown kind '%s'\n", kind);
        return 2;
    }
    printf("%s: read %d\n", kind, value);
    return 0;
}
