// HeapAllocator: size classes, zeroing, alignment, resize/remap, statistics, footprint and
// hysteresis, teardown, self-check after random operations, and one death test per misuse with
// its exact diagnostic line.
#include "alloc/Heap.h"
#include "alloc/Types.h" // opt-in short names (size, u8, i8…)
#include "death.h"
#include "heap_internal.h" // HeapSegment: what a new segment's descriptor costs in OS pages

#include <criterion/criterion.h>
#include <errno.h>    // ENOMEM
#include <stdlib.h>   // malloc (a libc pointer for the foreign-pointer test)
#include <string.h>   // memset, memcmp
#include <sys/mman.h> // msync: is a range still mapped? mincore: which pages are resident
#include <unistd.h>   // sysconf

// Class sizes as Heap.h documents them: 16..128 by 16, then four per doubling up to 8192.
static size class_size(int c) {
    if (c < 8) return (size)(c + 1) * 16;
    int lg = 7 + (c - 8) / 4;
    return (size)(5 + (c - 8) % 4) << (lg - 2);
}

static size os_page(void) { return (size)sysconf(_SC_PAGESIZE); }

// Fill the page a block of `bytes` opens (the class has no free slot): its first block and the
// rest of its slots (a page's colour may cost it one) go to `out`. Returns how many.
static size fill_new_page(HeapAllocator *heap, size bytes, void **out) {
    out[0]                = heap_allocator_allocate(heap, bytes, 0);
    const HeapPage *page  = heap_page_of(heap, out[0]);
    size            slots = page->capacity;
    cr_assert_eq(page->top, slots - 1, "the block opened a fresh page");
    for (size i = 1; i < slots; ++i) out[i] = heap_allocator_allocate(heap, bytes, 0);
    cr_assert_eq(page->top, 0);
    return slots;
}

static bool all_bytes(const void *ptr, int value, size bytes) {
    const unsigned char *p = ptr;
    for (size i = 0; i < bytes; ++i)
        if (p[i] != (unsigned char)value) return false;
    return true;
}

static bool is_mapped(const void *ptr) {
    void *page = (void *)((uintptr_t)ptr & ~(uintptr_t)(os_page() - 1));
    return msync(page, os_page(), MS_ASYNC) == 0 || errno != ENOMEM;
}

// --- Size classes and usable sizes ----------------------------------------------------------

Test(heap, every_size_class_boundary_maps_to_its_class) {
    HeapAllocator heap = HeapAllocatorInit();
    cr_assert_eq(class_size(HEAP_CLASS_COUNT - 1), HEAP_SMALL_MAX);
    for (int c = 0; c < HEAP_CLASS_COUNT; ++c) {
        size  top   = class_size(c);
        size  below = c ? class_size(c - 1) + 1 : 1;
        void *a     = heap_allocator_allocate(&heap, below, 0);
        void *b     = heap_allocator_allocate(&heap, top, 0);
        void *over  = heap_allocator_allocate(&heap, top + 1, 0);
        cr_assert_eq(HeapAllocatorUsableSize(&heap, a), top, "class %d lower edge %zu", c, below);
        cr_assert_eq(HeapAllocatorUsableSize(&heap, b), top, "class %d upper edge", c);
        size next = c + 1 < HEAP_CLASS_COUNT ? class_size(c + 1) : 3 * os_page();
        cr_assert_eq(HeapAllocatorUsableSize(&heap, over), next, "class %d + 1 byte", c);
        memset(a, 1, below);
        memset(b, 2, top);
        memset(over, 3, top + 1);
        cr_assert_eq(heap_allocator_deallocate(&heap, a), top);
        cr_assert_eq(heap_allocator_deallocate(&heap, b), top);
        cr_assert_eq(heap_allocator_deallocate(&heap, over), next);
        HeapAllocatorCheck(&heap);
    }
    HeapAllocatorDeinit(&heap);
}

Test(heap, a_full_page_of_the_smallest_class_has_distinct_checked_slots) {
    HeapAllocator heap  = HeapAllocatorInit();
    size          count = HEAP_PAGE_SIZE / 16 + 5; // one page and a bit of the next
    char        **slots = malloc(count * sizeof *slots);
    for (size i = 0; i < count; ++i) {
        slots[i] = heap_allocator_allocate(&heap, 16, 0);
        cr_assert_not_null(slots[i]);
        memset(slots[i], (int)(i & 0xff), 16);
    }
    HeapAllocatorCheck(&heap);
    for (size i = 0; i < count; ++i) cr_assert(all_bytes(slots[i], (int)(i & 0xff), 16), "slot %zu", i);
    for (size i = 0; i < count; i += 2) cr_assert_eq(heap_allocator_deallocate(&heap, slots[i]), 16);
    HeapAllocatorCheck(&heap);
    for (size i = 1; i < count; i += 2) cr_assert_eq(heap_allocator_deallocate(&heap, slots[i]), 16);
    HeapAllocatorCheck(&heap);
    cr_assert_eq(AllocatorBytesInUse(&heap), 0);
    free(slots);
    HeapAllocatorDeinit(&heap);
}

// Pages are 64 KiB aligned: without a colour, the first slot of every page would sit on the
// same cache sets (the L1's repeat every 4 KiB). Each page starts its slots at its own colour.
Test(heap, the_pages_of_a_class_start_their_slots_on_different_cache_sets) {
    HeapAllocator heap   = HeapAllocatorInit();
    enum { PAGES = 8 };
    size          slot   = 1280, per_page = HEAP_PAGE_SIZE / slot;
    void        **blocks = malloc(PAGES * per_page * sizeof *blocks);
    uintptr_t     first_at[PAGES];
    size          count  = 0;
    for (int p = 0; p < PAGES; ++p) {
        size slots  = fill_new_page(&heap, 1200, blocks + count);
        first_at[p] = (uintptr_t)blocks[count] & (HEAP_PAGE_SIZE - 1); // the lowest slot first
        cr_assert_eq(first_at[p] % 64, 0, "a colour is whole cache lines");
        cr_assert_geq(slots, per_page - 1, "a colour costs a page at most one slot");
        cr_assert_leq(first_at[p] + slots * slot, HEAP_PAGE_SIZE);
        for (int q = 0; q < p; ++q)
            cr_assert_neq(first_at[p] % 4096, first_at[q] % 4096, "pages %d and %d", q, p);
        count += slots;
    }
    HeapAllocatorCheck(&heap);
    for (size i = 0; i < count; ++i) cr_assert_eq(heap_allocator_deallocate(&heap, blocks[i]), slot);
    HeapAllocatorCheck(&heap);
    free(blocks);
    HeapAllocatorDeinit(&heap);
}

Test(heap, a_colour_keeps_an_aligned_heaps_alignment) {
    for (size align = 32; align <= 4096; align *= 2) {
        HeapAllocator heap   = HeapAllocatorInitAligned(align);
        size          bytes  = align < 2048 ? 3 * align : align; // a class that is a multiple of it
        void        **blocks = malloc(6 * HEAP_PAGE_SIZE / bytes * sizeof *blocks);
        size          count  = 0;
        for (int p = 0; p < 6; ++p) count += fill_new_page(&heap, bytes, blocks + count);
        for (size i = 0; i < count; ++i)
            cr_assert_eq((uintptr_t)blocks[i] % align, 0, "align %zu, block %zu", align, i);
        HeapAllocatorCheck(&heap);
        for (size i = 0; i < count; ++i) heap_allocator_deallocate(&heap, blocks[i]);
        free(blocks);
        HeapAllocatorDeinit(&heap);
    }
}

// A segment's descriptor holds 64 page descriptors and their free stacks (over 500 KiB mapped):
// only what the pages in use need may be written, or every process that allocates one block pays
// page faults for the other 63 (the shim runs in every process of a program). Not at ALLOC_DEBUG 3,
// whose self-check after every operation reads every descriptor on purpose.
#if ALLOC_DEBUG < 3
// OS pages of `segment`'s descriptor resident now (written at least once).
static size resident_descriptor_pages(const HeapSegment *segment) {
    size           pages    = segment->desc_bytes / os_page();
    unsigned char *resident = malloc(pages);
    cr_assert_eq(mincore((void *)(uintptr_t)segment, segment->desc_bytes, resident), 0);
    size touched = 0;
    for (size i = 0; i < pages; ++i) touched += resident[i] & 1;
    free(resident);
    return touched;
}

Test(heap, a_new_segment_writes_only_the_descriptor_of_the_page_it_serves) {
    HeapAllocator heap  = HeapAllocatorInit();
    void         *block = AllocatorAlloc(&heap, 32, 0);
    cr_assert_not_null(block);
    const HeapSegment *segment = heap_page_of(&heap, block)->segment;
    size               touched = resident_descriptor_pages(segment);
    // The segment's own fields and the first page descriptor (one page), and the 32-byte class's
    // free stack (2,048 offsets of 2 bytes: one or two pages).
    cr_assert_leq(touched, 3, "%zu of the descriptor's %zu pages are resident", touched,
                  segment->desc_bytes / os_page());
    HeapAllocatorDeinit(&heap);
}

// Pages of few slots (512 bytes or more) keep their free stacks side by side: sixteen pages of
// 4 KiB blocks touch the segment's fields, sixteen page descriptors (9 KiB) and 4 KiB of stacks,
// not an OS page of stack each.
Test(heap, pages_of_large_slots_share_the_pages_of_their_free_stacks) {
    HeapAllocator heap = HeapAllocatorInit();
    void         *blocks[16 * 16];
    size          count = 0;
    for (int p = 0; p < 16; ++p) count += fill_new_page(&heap, 4096, blocks + count);
    const HeapSegment *segment = heap_page_of(&heap, blocks[0])->segment;
    for (size i = 0; i < count; ++i) cr_assert_eq(heap_page_of(&heap, blocks[i])->segment, segment);
    size touched = resident_descriptor_pages(segment);
    cr_assert_leq(touched, 7, "%zu of the descriptor's %zu pages are resident", touched,
                  segment->desc_bytes / os_page());
    HeapAllocatorCheck(&heap);
    HeapAllocatorDeinit(&heap);
}
#endif

Test(heap, zero_bytes_returns_null_and_counts_nothing) {
    HeapAllocator heap = HeapAllocatorInit();
    cr_assert_null(heap_allocator_allocate(&heap, 0, 0));
    cr_assert_null(heap_allocator_allocate(&heap, 0, 1));
    cr_assert_null(AllocatorAlloc(ALLOCATOR_OF(&heap), 0, 0));
    cr_assert_eq(AllocatorAllocations(&heap), 0);
    cr_assert_eq(AllocatorFailedAllocations(&heap), 0);
    cr_assert_eq(AllocatorFootprintBytes(&heap), 0);
    cr_assert_eq(heap_allocator_deallocate(&heap, NULL), 0);
    cr_assert_eq(HeapAllocatorUsableSize(&heap, NULL), 0);
    HeapAllocatorDeinit(&heap);
}

Test(heap, impossible_size_returns_null_and_counts_a_failure) {
    HeapAllocator heap = HeapAllocatorInit();
    cr_assert_null(heap_allocator_allocate(&heap, (size)-1, 0));
    cr_assert_null(heap_allocator_allocate(&heap, (size)1 << 62, 0));
    cr_assert_eq(AllocatorFailedAllocations(&heap), 2);
    cr_assert_eq(AllocatorAllocations(&heap), 0);
    HeapAllocatorCheck(&heap);
    HeapAllocatorDeinit(&heap);
}

// --- Zeroing ----------------------------------------------------------------------------------

Test(heap, zeroed_is_honoured_on_fresh_and_recycled_small_slots) {
    HeapAllocator heap = HeapAllocatorInit();
    for (int c = 0; c < HEAP_CLASS_COUNT; c += 3) {
        size  bytes = class_size(c);
        char *fresh = heap_allocator_allocate(&heap, bytes, 1);
        cr_assert(all_bytes(fresh, 0, bytes));
        memset(fresh, 0xab, bytes);
        heap_allocator_deallocate(&heap, fresh);
        char *dirty = heap_allocator_allocate(&heap, bytes, 0);
        cr_assert_eq(dirty, fresh, "the freed slot is the lowest free one and comes back");
        cr_assert(all_bytes(dirty, 0xab, bytes), "without zeroed the old bytes stay");
        heap_allocator_deallocate(&heap, dirty);
        char *again = heap_allocator_allocate(&heap, bytes - 1, 1);
        cr_assert_eq(again, fresh);
        cr_assert(all_bytes(again, 0, bytes), "zeroed clears the whole usable size");
        heap_allocator_deallocate(&heap, again);
    }
    HeapAllocatorDeinit(&heap);
}

Test(heap, zeroed_is_honoured_on_a_retained_page_run) {
    HeapAllocator heap  = HeapAllocatorInit();
    size          bytes = 64 << 10;
    char         *run   = heap_allocator_allocate(&heap, bytes, 0);
    memset(run, 0x5a, bytes);
    heap_allocator_deallocate(&heap, run);
    char *reused = heap_allocator_allocate(&heap, bytes, 1);
    cr_assert_eq(reused, run, "a retained run of the same length is reused");
    cr_assert(all_bytes(reused, 0, bytes));
    heap_allocator_deallocate(&heap, reused);
    HeapAllocatorDeinit(&heap);
}

Test(heap, remap_of_null_allocates_zeroed_memory) {
    HeapAllocator heap = HeapAllocatorInit();
    char         *a    = heap_allocator_allocate(&heap, 200, 0);
    memset(a, 0x77, 200);
    heap_allocator_deallocate(&heap, a);
    char *b = heap_allocator_remap(&heap, NULL, 200);
    cr_assert_eq(b, a);
    cr_assert(all_bytes(b, 0, 200));
    cr_assert_eq(AllocatorAllocations(&heap), 2);
    heap_allocator_deallocate(&heap, b);
    HeapAllocatorDeinit(&heap);
}

// --- Alignment --------------------------------------------------------------------------------

Test(heap, every_alignment_up_to_four_pages_is_honoured) {
    size sizes[] = {1, 24, 100, 1000, 5000, 8192, 10000, 70000};
    for (size align = 1; align <= 4 * os_page(); align *= 2) {
        HeapAllocator heap = HeapAllocatorInitAligned(align);
        void         *blocks[sizeof sizes / sizeof *sizes][3];
        for (size s = 0; s < sizeof sizes / sizeof *sizes; ++s) {
            for (int k = 0; k < 3; ++k) {
                char *p = heap_allocator_allocate(&heap, sizes[s], 1);
                cr_assert_not_null(p);
                cr_assert_eq((uintptr_t)p % align, 0, "align %zu size %zu: %p", align, sizes[s], (void *)p);
                cr_assert_eq((uintptr_t)p % 16, 0);
                cr_assert_geq(HeapAllocatorUsableSize(&heap, p), sizes[s]);
                p[0] = p[sizes[s] - 1] = 1;
                blocks[s][k] = p;
            }
        }
        HeapAllocatorCheck(&heap);
        for (size s = 0; s < sizeof sizes / sizeof *sizes; ++s)
            for (int k = 0; k < 3; ++k) heap_allocator_deallocate(&heap, blocks[s][k]);
        HeapAllocatorCheck(&heap);
        cr_assert_eq(AllocatorBytesInUse(&heap), 0);
        HeapAllocatorDeinit(&heap);
    }
}

Test(heap, an_aligned_heap_keeps_its_alignment_through_remap) {
    size          align = 4 * os_page();
    HeapAllocator heap  = HeapAllocatorInitAligned(align);
    char         *p     = heap_allocator_allocate(&heap, 100, 0);
    memset(p, 9, 100);
    for (size bytes = 200; bytes <= (1 << 20); bytes *= 4) {
        p = heap_allocator_remap(&heap, p, bytes);
        cr_assert_not_null(p);
        cr_assert_eq((uintptr_t)p % align, 0);
        cr_assert(all_bytes(p, 9, 100));
        HeapAllocatorCheck(&heap);
    }
    heap_allocator_deallocate(&heap, p);
    HeapAllocatorDeinit(&heap);
}

// --- Resize and remap -------------------------------------------------------------------------

Test(heap, resize_never_moves_and_fails_cleanly_beyond_the_slot) {
    HeapAllocator heap = HeapAllocatorInit();
    char         *p    = heap_allocator_allocate(&heap, 100, 0); // 112-byte slot
    memset(p, 4, 100);
    cr_assert_eq(heap_allocator_resize(&heap, p, 112), 1);
    cr_assert_eq(heap_allocator_resize(&heap, p, 8), 1);
    cr_assert_eq(HeapAllocatorUsableSize(&heap, p), 112);
    cr_assert_eq(heap_allocator_resize(&heap, p, 113), 0);
    cr_assert_eq(heap_allocator_resize(&heap, p, 0), 0);
    cr_assert_eq(heap_allocator_resize(&heap, NULL, 10), 0);
    cr_assert(all_bytes(p, 4, 100), "a failed resize leaves the block untouched");
    cr_assert_eq(AllocatorReallocations(&heap), 2);
    cr_assert_eq(AllocatorFailedAllocations(&heap), 0, "not in place is not out of memory");
    heap_allocator_deallocate(&heap, p);
    HeapAllocatorDeinit(&heap);
}

Test(heap, resize_of_a_page_run_shrinks_in_place_and_returns_the_tail) {
    HeapAllocator heap = HeapAllocatorInit();
    size          page = os_page();
    char         *p    = heap_allocator_allocate(&heap, 16 * page, 0);
    memset(p, 6, 16 * page);
    size before = AllocatorFootprintBytes(&heap);
    cr_assert_eq(heap_allocator_resize(&heap, p, 3 * page + 1), 1);
    cr_assert_eq(HeapAllocatorUsableSize(&heap, p), 4 * page);
    cr_assert_eq(AllocatorFootprintBytes(&heap), before - 12 * page);
    cr_assert_eq(AllocatorBytesInUse(&heap), 4 * page);
    cr_assert(all_bytes(p, 6, 4 * page));
    HeapAllocatorCheck(&heap);
    cr_assert_eq(heap_allocator_deallocate(&heap, p), 4 * page);
    HeapAllocatorDeinit(&heap);
}

Test(heap, remap_keeps_the_bytes_across_every_kind_of_move) {
    HeapAllocator heap  = HeapAllocatorInit();
    size          sizes[] = {10, 16, 17, 300, 8192, 9000, 100000, 3 << 20, 5 << 20, 50000, 4000, 33, 1};
    size          old   = 10;
    unsigned char *p    = heap_allocator_allocate(&heap, old, 0);
    for (size i = 0; i < old; ++i) p[i] = (unsigned char)(i * 7);
    for (size s = 1; s < sizeof sizes / sizeof *sizes; ++s) {
        size new_size = sizes[s];
        p             = heap_allocator_remap(&heap, p, new_size);
        cr_assert_not_null(p);
        size keep = old < new_size ? old : new_size;
        for (size i = 0; i < keep; ++i) cr_assert_eq(p[i], (unsigned char)(i * 7), "byte %zu after %zu", i, new_size);
        for (size i = 0; i < new_size; ++i) p[i] = (unsigned char)(i * 7);
        cr_assert_geq(HeapAllocatorUsableSize(&heap, p), new_size);
        HeapAllocatorCheck(&heap);
        old = new_size;
    }
    cr_assert_null(heap_allocator_remap(&heap, p, 0), "remap to 0 frees");
    cr_assert_eq(AllocatorBytesInUse(&heap), 0);
    cr_assert_eq(AllocatorDeallocations(&heap), 1);
    HeapAllocatorCheck(&heap);
    HeapAllocatorDeinit(&heap);
}

Test(heap, realloc_through_the_dynamic_path_resizes_in_place_first) {
    HeapAllocator heap = HeapAllocatorInit();
    Allocator    *any  = ALLOCATOR_OF(&heap);
    char         *p    = AllocatorAlloc(any, 50, 0);
    cr_assert_eq(AllocatorRealloc(&heap, p, 64), p);
    char *q = AllocatorRealloc(any, p, 5000);
    cr_assert_not_null(q);
    cr_assert_eq(AllocatorFree(any, q), 5120);
    HeapAllocatorCheck(&heap);
    HeapAllocatorDeinit(&heap);
}

// --- Statistics and footprint -------------------------------------------------------------------

Test(heap, deallocate_returns_the_effective_size) {
    HeapAllocator heap = HeapAllocatorInit();
    size          page = os_page();
    cr_assert_eq(heap_allocator_deallocate(&heap, heap_allocator_allocate(&heap, 1, 0)), 16);
    cr_assert_eq(heap_allocator_deallocate(&heap, heap_allocator_allocate(&heap, 129, 0)), 160);
    cr_assert_eq(heap_allocator_deallocate(&heap, heap_allocator_allocate(&heap, 7000, 0)), 7168);
    cr_assert_eq(heap_allocator_deallocate(&heap, heap_allocator_allocate(&heap, 8193, 0)), 3 * page);
    cr_assert_eq(AllocatorFree(ALLOCATOR_OF(&heap), AllocatorAlloc(ALLOCATOR_OF(&heap), 100, 0)), 112);
    HeapAllocatorDeinit(&heap);
}

Test(heap, typed_and_dynamic_paths_count_the_same) {
    HeapAllocator typed = HeapAllocatorInit(), dyn = HeapAllocatorInit();
    Allocator    *any   = ALLOCATOR_OF(&dyn);
    void         *a     = heap_allocator_allocate(&typed, 100, 0);
    void         *b     = AllocatorAlloc(any, 100, 0);
    void         *c     = heap_allocator_allocate(&typed, 20000, 0);
    void         *d     = AllocatorAlloc(any, 20000, 0);
    a                   = heap_allocator_remap(&typed, a, 1000);
    b                   = AllocatorRemap(any, b, 1000);
    heap_allocator_deallocate(&typed, c);
    AllocatorFree(any, d);
    AllocatorStats s = AllocatorStatsOf(&typed), t = AllocatorStatsOf(&dyn);
    cr_assert_eq(memcmp(&s, &t, sizeof s), 0);
    cr_assert_eq(s.allocations, 2);
    cr_assert_eq(s.reallocations, 1);
    cr_assert_eq(s.deallocations, 1);
    cr_assert_eq(s.bytes_requested, 100 + 20000 + 1000);
    cr_assert_eq(s.bytes_in_use, 1024);
    size run = (20000 + os_page() - 1) / os_page() * os_page();
    cr_assert_eq(s.peak_bytes_in_use, run + 1024, "the run and the moved block were live together");
    heap_allocator_deallocate(&typed, a);
    AllocatorFree(any, b);
    HeapAllocatorDeinit(&typed);
    HeapAllocatorDeinit(&dyn);
}

Test(heap, stats_follow_every_operation_and_footprint_counts_the_mappings) {
    HeapAllocator heap = HeapAllocatorInit();
    void         *a    = heap_allocator_allocate(&heap, 40, 0);
    void         *b    = heap_allocator_allocate(&heap, 40, 0);
    cr_assert_eq(AllocatorBytesInUse(&heap), 96);
    cr_assert_eq(AllocatorBytesRequested(&heap), 80);
    cr_assert_eq(AllocatorAllocations(&heap), 2);
    cr_assert_geq(AllocatorFootprintBytes(&heap), HEAP_SEGMENT_SIZE, "one segment is mapped");
    heap_allocator_deallocate(&heap, a);
    cr_assert_eq(AllocatorBytesInUse(&heap), 48);
    cr_assert_eq(AllocatorPeakBytesInUse(&heap), 96);
    cr_assert_eq(AllocatorDeallocations(&heap), 1);
    AllocatorResetStats(&heap);
    cr_assert_eq(AllocatorPeakBytesInUse(&heap), 48);
    cr_assert_eq(AllocatorAllocations(&heap), 0);
    size  small_footprint = AllocatorFootprintBytes(&heap);
    void *big             = heap_allocator_allocate(&heap, 100000, 0);
    size  run             = (100000 + os_page() - 1) / os_page() * os_page();
    cr_assert_eq(heap.large_index.bytes, 0, "one run is found by a scan: no index");
    cr_assert_eq(AllocatorFootprintBytes(&heap), small_footprint + run + os_page(),
                 "the run and the run table (one page)");
    cr_assert_eq(AllocatorBytesInUse(&heap), 48 + run);
    HeapAllocatorCheck(&heap);
    heap_allocator_deallocate(&heap, big);
    heap_allocator_deallocate(&heap, b);
    cr_assert_eq(AllocatorBytesInUse(&heap), 0);
    HeapAllocatorCheck(&heap);
    HeapAllocatorDeinit(&heap);
}

// --- Hysteresis and the release policy ------------------------------------------------------------

Test(heap, alloc_free_ping_pong_keeps_the_footprint_constant) {
    HeapAllocator heap = HeapAllocatorInit();
    void         *p    = heap_allocator_allocate(&heap, 64, 0);
    heap_allocator_deallocate(&heap, p);
    size footprint = AllocatorFootprintBytes(&heap);
    for (int i = 0; i < 10000; ++i) {
        p = heap_allocator_allocate(&heap, 64, 0);
        cr_assert_eq(heap_allocator_deallocate(&heap, p), 64);
        cr_assert_eq(AllocatorFootprintBytes(&heap), footprint);
    }
    HeapAllocatorCheck(&heap);
    HeapAllocatorDeinit(&heap);
}

Test(heap, ping_pong_on_a_second_page_keeps_the_footprint_constant) {
    HeapAllocator heap     = HeapAllocatorInit();
    void        **first    = malloc(HEAP_PAGE_SIZE / 1024 * sizeof *first);
    size          per_page = fill_new_page(&heap, 1024, first);
    size footprint = AllocatorFootprintBytes(&heap);
    for (int i = 0; i < 1000; ++i) { // the first page is full: each round opens the second one
        void *p = heap_allocator_allocate(&heap, 1024, 0);
        heap_allocator_deallocate(&heap, p);
        cr_assert_eq(AllocatorFootprintBytes(&heap), footprint);
    }
    HeapAllocatorCheck(&heap);
    for (size i = 0; i < per_page; ++i) heap_allocator_deallocate(&heap, first[i]);
    HeapAllocatorCheck(&heap);
    free(first);
    HeapAllocatorDeinit(&heap);
}

Test(heap, a_class_keeps_at_most_one_empty_page) {
    HeapAllocator heap     = HeapAllocatorInit();
    void         *blocks[3 * 16];
    size          count = 0;
    for (int page = 0; page < 3; ++page) count += fill_new_page(&heap, 4096, blocks + count);
    cr_assert_eq(heap.dirty_pages, 0);
    for (size i = 0; i < count; ++i) {
        heap_allocator_deallocate(&heap, blocks[i]);
        HeapAllocatorCheck(&heap);
    }
    cr_assert_eq(heap.dirty_pages, 2, "three pages emptied: one stays warm, two went back");
    cr_assert_not_null(heap.classes[27].warm, "the 4096-byte class has its warm page");
    void *again = heap_allocator_allocate(&heap, 4096, 0);
    cr_assert_eq(heap.dirty_pages, 2, "the warm page serves the next allocation");
    heap_allocator_deallocate(&heap, again);
    HeapAllocatorDeinit(&heap);
}

Test(heap, freed_segments_are_kept_for_a_while_then_all_but_one_go_back) {
    HeapAllocator heap  = HeapAllocatorInit();
    size          count = 3 * HEAP_SEGMENT_SIZE / 8192; // three segments of 8 KiB blocks
    void        **all   = malloc(count * sizeof *all);
    for (size i = 0; i < count; ++i) all[i] = heap_allocator_allocate(&heap, 8192, 0);
    size peak = AllocatorFootprintBytes(&heap);
    cr_assert_geq(peak, 3 * HEAP_SEGMENT_SIZE);
    HeapAllocatorCheck(&heap);
    for (size i = 0; i < count; ++i) heap_allocator_deallocate(&heap, all[i]);
    HeapAllocatorCheck(&heap);
    // The high-water mark (192 pages) keeps the emptied segments and their pages' contents: the
    // program may build its data again.
    cr_assert_eq(AllocatorFootprintBytes(&heap), peak);
    cr_assert_eq(heap.dirty_pages, heap.peak_pages - 1, "every page but the warm one");
    // Pages keep falling empty while one page's worth is live: the mark decays to it.
    void *pair[2 * 8];
    for (int round = 0; round < 8 * HEAP_PAGE_DECAY_OPS; ++round) {
        for (size i = 0; i < 2 * 8; ++i) pair[i] = heap_allocator_allocate(&heap, 8192, 0);
        for (size i = 0; i < 2 * 8; ++i) heap_allocator_deallocate(&heap, pair[i]);
    }
    HeapAllocatorCheck(&heap);
    // Kept: the segment holding the class's warm empty page, and at most one empty segment (each
    // with its descriptor, about 0.55 MiB mapped, mostly untouched: the pages' free stacks).
    cr_assert_lt(AllocatorFootprintBytes(&heap), 2 * HEAP_SEGMENT_SIZE + (2 << 20),
                 "got %zu", AllocatorFootprintBytes(&heap));
    cr_assert_leq(heap.dirty_pages, HEAP_DIRTY_PAGES_MAX);
    cr_assert_eq(AllocatorBytesInUse(&heap), 0);
    free(all);
    HeapAllocatorDeinit(&heap);
}

Test(heap, frees_alternating_between_segments_switch_the_hot_segment) {
    HeapAllocator heap  = HeapAllocatorInit();
    size          count = 2 * HEAP_SEGMENT_SIZE / 8192 + 1; // the last one opens a third segment
    void        **all   = malloc(count * sizeof *all);
    for (size i = 0; i < count; ++i) all[i] = heap_allocator_allocate(&heap, 8192, 0);
    // Free from the first and the last segment in turn: each free misses the hot segment.
    for (size i = 0; i < count / 2; ++i) {
        cr_assert_eq(heap_allocator_deallocate(&heap, all[i]), 8192);
        cr_assert_eq(heap_allocator_deallocate(&heap, all[count - 1 - i]), 8192);
        HeapAllocatorCheck(&heap);
    }
    cr_assert_eq(heap_allocator_deallocate(&heap, all[count / 2]), 8192);
    HeapAllocatorCheck(&heap);
    cr_assert_eq(AllocatorBytesInUse(&heap), 0);
    free(all);
    HeapAllocatorDeinit(&heap);
}

Test(heap, retained_runs_are_reused_and_bounded) {
    HeapAllocator heap = HeapAllocatorInit();
    void         *runs[20];
    for (int i = 0; i < 20; ++i) runs[i] = heap_allocator_allocate(&heap, 100000 + (size)i * 1000, 0);
    size live = AllocatorFootprintBytes(&heap);
    for (int i = 0; i < 20; ++i) heap_allocator_deallocate(&heap, runs[i]);
    cr_assert_eq(heap.retained_len, 20, "as many runs are retained as were live at the peak");
    HeapAllocatorCheck(&heap);
    void *again = heap_allocator_allocate(&heap, 100000 + 19 * 1000, 0);
    cr_assert_eq(again, runs[19], "the most recent run is still retained and is reused");
    heap_allocator_deallocate(&heap, again);
    // One run live at a time from now on: the high-water mark decays, and with it the cache.
    for (int i = 0; i < 8 * HEAP_RUN_DECAY_OPS; ++i)
        heap_allocator_deallocate(&heap, heap_allocator_allocate(&heap, 100000, 0));
    cr_assert_leq(heap.retained_len, HEAP_RETAINED_MAX);
    cr_assert_leq(heap.retained_bytes, HEAP_RETAINED_MAX_BYTES);
    cr_assert_lt(AllocatorFootprintBytes(&heap), live);
    HeapAllocatorCheck(&heap);
    HeapAllocatorDeinit(&heap);
}

Test(heap, small_block_work_decays_the_retained_runs_too) {
    HeapAllocator heap = HeapAllocatorInit();
    void         *runs[20];
    for (int i = 0; i < 20; ++i) runs[i] = heap_allocator_allocate(&heap, 100000, 0);
    for (int i = 0; i < 20; ++i) heap_allocator_deallocate(&heap, runs[i]);
    cr_assert_eq(heap.retained_len, 20);
    // No large block from now on: pages of 8 KiB blocks keep falling empty (one per round).
    void *pair[2 * 8];
    for (int round = 0; round < 8 * HEAP_PAGE_DECAY_OPS; ++round) {
        for (size i = 0; i < 2 * 8; ++i) pair[i] = heap_allocator_allocate(&heap, 8192, 0);
        for (size i = 0; i < 2 * 8; ++i) heap_allocator_deallocate(&heap, pair[i]);
    }
    cr_assert_leq(heap.retained_len, HEAP_RETAINED_MAX, "the burst's runs went back");
    HeapAllocatorCheck(&heap);
    HeapAllocatorDeinit(&heap);
}

// --- Teardown ---------------------------------------------------------------------------------

Test(heap, deinit_unmaps_everything_and_zeroes_the_struct) {
    HeapAllocator heap  = HeapAllocatorInit();
    char         *small = heap_allocator_allocate(&heap, 100, 0); // leaked on purpose
    char         *large = heap_allocator_allocate(&heap, 1 << 20, 0);
    char         *freed = heap_allocator_allocate(&heap, 1 << 16, 0);
    heap_allocator_deallocate(&heap, freed); // retained
    cr_assert(is_mapped(small) && is_mapped(large) && is_mapped(freed));
    HeapAllocatorDeinit(&heap);
    cr_assert(!is_mapped(small), "the segment is unmapped");
    cr_assert(!is_mapped(large), "the leaked run is unmapped");
    cr_assert(!is_mapped(freed), "the retained run is unmapped");
    static const HeapAllocator zero;
    cr_assert_eq(memcmp(&heap, &zero, sizeof heap), 0);
    cr_assert_eq(AllocatorFootprintBytes(&heap), 0);
}

Test(heap, a_deinitialised_heap_can_be_initialised_again) {
    DefaultAllocator heap = DefaultAllocatorInit();
    void            *p    = AllocatorAlloc(&heap, 10, 0);
    DefaultAllocatorDeinit(&heap);
    heap = DefaultAllocatorInit();
    p    = AllocatorAlloc(&heap, 10, 0);
    cr_assert_not_null(p);
    AllocatorFree(&heap, p);
    DefaultAllocatorDeinit(&heap);
}

// --- Random operations --------------------------------------------------------------------------

static u64 next_random(u64 *state) {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

Test(heap, check_holds_after_random_operations) {
    enum { LIVE = 512, OPS = 20000 };
    HeapAllocator  heap = HeapAllocatorInit();
    unsigned char *block[LIVE] = {0};
    size           bytes[LIVE] = {0};
    u64            rng         = 0x9e3779b97f4a7c15ULL;
    for (int op = 0; op < OPS; ++op) {
        u64  r    = next_random(&rng);
        int  slot = (int)(r % LIVE);
        size want = (r >> 20) % 64 == 0 ? 8193 + (r >> 32) % 200000 : 1 + (r >> 32) % 2048;
        if (block[slot]) {
            cr_assert(all_bytes(block[slot], slot & 0xff, bytes[slot]), "op %d slot %d", op, slot);
            if ((r >> 40) % 4 == 0) {
                unsigned char *moved = heap_allocator_remap(&heap, block[slot], want);
                cr_assert_not_null(moved);
                size keep = bytes[slot] < want ? bytes[slot] : want;
                cr_assert(all_bytes(moved, slot & 0xff, keep));
                block[slot] = moved;
                bytes[slot] = want;
                memset(moved, slot & 0xff, want);
            } else {
                cr_assert_geq(heap_allocator_deallocate(&heap, block[slot]), bytes[slot]);
                block[slot] = NULL;
            }
        } else {
            block[slot] = heap_allocator_allocate(&heap, want, (r >> 48) & 1);
            cr_assert_not_null(block[slot]);
            if ((r >> 48) & 1) cr_assert(all_bytes(block[slot], 0, want));
            bytes[slot] = want;
            memset(block[slot], slot & 0xff, want);
        }
        if (op % 250 == 0) HeapAllocatorCheck(&heap);
    }
    HeapAllocatorCheck(&heap);
    for (int slot = 0; slot < LIVE; ++slot) heap_allocator_deallocate(&heap, block[slot]);
    HeapAllocatorCheck(&heap);
    cr_assert_eq(AllocatorBytesInUse(&heap), 0);
    HeapAllocatorDeinit(&heap);
}

// --- Death tests: one per misuse, exact line ----------------------------------------------------

static HeapAllocator victim, other;

static void free_stack_pointer(void) {
    victim = HeapAllocatorInit();
    heap_allocator_deallocate(&victim, heap_allocator_allocate(&victim, 32, 0));
    int local = 0;
    death_note_pointer(&local);
    heap_allocator_deallocate(&victim, &local);
}
Test(heap_death, stack_pointer_is_foreign) {
    expect_death(free_stack_pointer, "alloc: fatal: heap_allocator_deallocate: foreign pointer");
}

static void free_libc_pointer(void) {
    victim  = HeapAllocatorInit();
    void *p = calloc(1, 48);
    death_note_pointer(p);
    heap_allocator_deallocate(&victim, p);
}
Test(heap_death, libc_pointer_is_foreign) {
    expect_death(free_libc_pointer, "alloc: fatal: heap_allocator_deallocate: foreign pointer");
}

static void free_into_other_instance(void) {
    victim   = HeapAllocatorInit();
    other    = HeapAllocatorInit();
    void *mine = heap_allocator_allocate(&victim, 64, 0);
    void *theirs = heap_allocator_allocate(&other, 64, 0);
    (void)mine;
    death_note_pointer(theirs);
    heap_allocator_deallocate(&victim, theirs);
}
Test(heap_death, pointer_of_another_heap_is_foreign) {
    expect_death(free_into_other_instance, "alloc: fatal: heap_allocator_deallocate: foreign pointer");
}

// The victim's hot segment (the one its last free landed in) must not vouch for another heap's.
static void free_into_other_instance_after_a_free(void) {
    victim       = HeapAllocatorInit();
    other        = HeapAllocatorInit();
    void *mine   = heap_allocator_allocate(&victim, 64, 0);
    void *keep   = heap_allocator_allocate(&victim, 64, 0);
    void *theirs = heap_allocator_allocate(&other, 64, 0);
    (void)keep;
    heap_allocator_deallocate(&victim, mine); // victim's segment is now the hot one
    HeapAllocatorCheck(&victim);
    death_note_pointer(theirs);
    heap_allocator_deallocate(&victim, theirs);
}
Test(heap_death, hot_segment_does_not_accept_another_heaps_pointer) {
    expect_death(free_into_other_instance_after_a_free,
                 "alloc: fatal: heap_allocator_deallocate: foreign pointer");
}

// Three segments of 8 KiB blocks freed (kept: the high-water mark), then two pages' worth allocated
// and freed until the mark decays and an emptied segment is unmapped: the one the last free landed
// in (the hot segment; it heads the list of segments with a free page). Freeing that block again
// must find nothing, not a stale descriptor.
static void free_into_unmapped_hot_segment(void) {
    victim       = HeapAllocatorInit();
    size   count = 3 * HEAP_SEGMENT_SIZE / 8192;
    void **all   = calloc(count, sizeof *all);
    for (size i = 0; i < count; ++i) all[i] = heap_allocator_allocate(&victim, 8192, 0);
    for (size i = 0; i < count; ++i) heap_allocator_deallocate(&victim, all[i]);
    size  kept = AllocatorFootprintBytes(&victim);
    void *pair[2 * 8];
    while (AllocatorFootprintBytes(&victim) >= kept) {
        for (size i = 0; i < 2 * 8; ++i) pair[i] = heap_allocator_allocate(&victim, 8192, 0);
        for (size i = 0; i < 2 * 8; ++i) heap_allocator_deallocate(&victim, pair[i]);
    }
    HeapAllocatorCheck(&victim);
    death_note_pointer(pair[2 * 8 - 1]);
    heap_allocator_deallocate(&victim, pair[2 * 8 - 1]);
}
Test(heap_death, hot_segment_is_forgotten_when_unmapped) {
    expect_death(free_into_unmapped_hot_segment,
                 "alloc: fatal: heap_allocator_deallocate: foreign pointer");
}

// The bytes before a page's first slot (its colour) belong to no block.
static void free_before_the_first_slot(void) {
    victim          = HeapAllocatorInit();
    void     *slots[HEAP_PAGE_SIZE / 1280];
    uintptr_t first = 0;
    for (int p = 0; p < 8 && !first; ++p) {
        fill_new_page(&victim, 1200, slots);
        uintptr_t colour = (uintptr_t)slots[0] & (HEAP_PAGE_SIZE - 1);
        if (colour >= 64) first = (uintptr_t)slots[0];
    }
    cr_assert_neq(first, 0, "one of eight pages has a colour");
    void *gap = (void *)(first - 16);
    death_note_pointer(gap);
    heap_allocator_deallocate(&victim, gap);
}
Test(heap_death, free_before_a_pages_first_slot_is_a_foreign_pointer) {
    expect_death(free_before_the_first_slot, "alloc: fatal: heap_allocator_deallocate: foreign pointer");
}

static void free_large_of_other_instance(void) {
    victim       = HeapAllocatorInit();
    other        = HeapAllocatorInit();
    void *theirs = heap_allocator_allocate(&other, 1 << 20, 0);
    death_note_pointer(theirs);
    heap_allocator_deallocate(&victim, theirs);
}
Test(heap_death, run_of_another_heap_is_foreign) {
    expect_death(free_large_of_other_instance, "alloc: fatal: heap_allocator_deallocate: foreign pointer");
}

static void double_free_small(void) {
    victim  = HeapAllocatorInit();
    void *keep = heap_allocator_allocate(&victim, 96, 0);
    void *p = heap_allocator_allocate(&victim, 96, 0);
    (void)keep;
    heap_allocator_deallocate(&victim, p);
    death_note_pointer(p);
    heap_allocator_deallocate(&victim, p);
}
Test(heap_death, double_free_of_a_small_block) {
    expect_death(double_free_small, "alloc: fatal: heap_allocator_deallocate: double free");
}

static void double_free_last_block_of_page(void) {
    victim  = HeapAllocatorInit();
    void *p = heap_allocator_allocate(&victim, 96, 0);
    heap_allocator_deallocate(&victim, p); // the page is now empty and warm
    death_note_pointer(p);
    heap_allocator_deallocate(&victim, p);
}
Test(heap_death, double_free_of_the_only_block_of_a_page) {
    expect_death(double_free_last_block_of_page, "alloc: fatal: heap_allocator_deallocate: double free");
}

static void double_free_after_page_release(void) {
    victim = HeapAllocatorInit();
    void *first[16], *second;
    size  per_page = fill_new_page(&victim, 4096, first);
    second = heap_allocator_allocate(&victim, 4096, 0); // opens a second page
    for (size i = 0; i < per_page; ++i) heap_allocator_deallocate(&victim, first[i]); // kept empty
    heap_allocator_deallocate(&victim, second); // a second empty page: given back to the segment
    death_note_pointer(second);
    heap_allocator_deallocate(&victim, second);
}
Test(heap_death, double_free_into_a_page_given_back) {
    expect_death(double_free_after_page_release, "alloc: fatal: heap_allocator_deallocate: double free");
}

static void double_free_large(void) {
    victim  = HeapAllocatorInit();
    void *p = heap_allocator_allocate(&victim, 200000, 0);
    heap_allocator_deallocate(&victim, p);
    death_note_pointer(p);
    heap_allocator_deallocate(&victim, p);
}
Test(heap_death, double_free_of_a_page_run) {
    expect_death(double_free_large, "alloc: fatal: heap_allocator_deallocate: double free");
}

static void double_free_huge_unmapped(void) {
    victim  = HeapAllocatorInit();
    void *p = heap_allocator_allocate(&victim, HEAP_RETAINED_MAX_BYTES + 1, 0); // never retained
    heap_allocator_deallocate(&victim, p);
    death_note_pointer(p);
    heap_allocator_deallocate(&victim, p);
}
Test(heap_death, double_free_of_an_unmapped_page_run) {
    expect_death(double_free_huge_unmapped, "alloc: fatal: heap_allocator_deallocate: double free");
}

static void interior_small(void) {
    victim  = HeapAllocatorInit();
    char *p = heap_allocator_allocate(&victim, 48, 0);
    death_note_pointer(p + 16);
    heap_allocator_deallocate(&victim, p + 16);
}
Test(heap_death, interior_pointer_of_a_small_block) {
    expect_death(interior_small, "alloc: fatal: heap_allocator_deallocate: interior pointer");
}

static void interior_large(void) {
    victim  = HeapAllocatorInit();
    char *p = heap_allocator_allocate(&victim, 100000, 0);
    death_note_pointer(p + 4096);
    heap_allocator_deallocate(&victim, p + 4096);
}
Test(heap_death, interior_pointer_of_a_page_run) {
    expect_death(interior_large, "alloc: fatal: heap_allocator_deallocate: interior pointer");
}

static void misaligned_small(void) {
    victim  = HeapAllocatorInit();
    char *p = heap_allocator_allocate(&victim, 48, 0);
    death_note_pointer(p + 1);
    heap_allocator_deallocate(&victim, p + 1);
}
Test(heap_death, misaligned_pointer_of_a_small_block) {
    expect_death(misaligned_small, "alloc: fatal: heap_allocator_deallocate: misaligned pointer");
}

static void misaligned_large(void) {
    victim  = HeapAllocatorInit();
    char *p = heap_allocator_allocate(&victim, 100000, 0);
    death_note_pointer(p + 3);
    heap_allocator_deallocate(&victim, p + 3);
}
Test(heap_death, misaligned_pointer_of_a_page_run) {
    expect_death(misaligned_large, "alloc: fatal: heap_allocator_deallocate: misaligned pointer");
}

static void free_after_deinit(void) {
    victim  = HeapAllocatorInit();
    void *p = heap_allocator_allocate(&victim, 32, 0);
    HeapAllocatorDeinit(&victim);
    death_note_pointer(&victim);
    heap_allocator_deallocate(&victim, p);
}
Test(heap_death, free_after_deinit_is_uninitialised) {
    expect_death(free_after_deinit, "alloc: fatal: heap_allocator_deallocate: uninitialised allocator");
}

static void alloc_on_zeroed_heap(void) {
    memset(&victim, 0, sizeof victim);
    death_note_pointer(&victim);
    heap_allocator_allocate(&victim, 32, 0);
}
Test(heap_death, uninitialised_heap_aborts) {
    expect_death(alloc_on_zeroed_heap, "alloc: fatal: heap_allocator_allocate: uninitialised allocator");
}

static void free_on_wrong_type(void) {
    victim            = HeapAllocatorInit();
    victim.base.magic = PAGE_ALLOCATOR_MAGIC; // what a PageAllocator passed as a heap looks like
    death_note_pointer(&victim);
    heap_allocator_deallocate(&victim, NULL);
}
Test(heap_death, another_allocator_type_is_type_confusion) {
    expect_death(free_on_wrong_type,
                 "alloc: fatal: heap_allocator_deallocate: type-confusion: not a HeapAllocator");
}

static void alloc_on_null(void) {
    death_note_pointer(NULL);
    heap_allocator_allocate(NULL, 32, 0);
}
Test(heap_death, null_heap_aborts) {
    expect_death(alloc_on_null, "alloc: fatal: heap_allocator_allocate: NULL allocator");
}

static void bad_alignment(void) {
    victim = HeapAllocatorInitAligned(24);
    death_note_pointer(&victim);
    heap_allocator_allocate(&victim, 32, 0);
}
Test(heap_death, non_power_of_two_alignment_aborts_on_first_use) {
    expect_death(bad_alignment,
                 "alloc: fatal: heap_allocator_allocate: corrupted allocator: alignment is not a power of two");
}

static void remap_foreign(void) {
    victim    = HeapAllocatorInit();
    int local = 0;
    death_note_pointer(&local);
    heap_allocator_remap(&victim, &local, 100);
}
Test(heap_death, remap_names_itself) {
    expect_death(remap_foreign, "alloc: fatal: heap_allocator_remap: foreign pointer");
}

static void resize_freed(void) {
    victim  = HeapAllocatorInit();
    void *keep = heap_allocator_allocate(&victim, 100, 0);
    void *p = heap_allocator_allocate(&victim, 100, 0);
    (void)keep;
    heap_allocator_deallocate(&victim, p);
    death_note_pointer(p);
    heap_allocator_resize(&victim, p, 50);
}
Test(heap_death, resize_of_a_freed_block_names_itself) {
    expect_death(resize_freed, "alloc: fatal: heap_allocator_resize: double free");
}

static void usable_size_interior(void) {
    victim  = HeapAllocatorInit();
    char *p = heap_allocator_allocate(&victim, 1000, 0);
    death_note_pointer(p + 32);
    HeapAllocatorUsableSize(&victim, p + 32);
}
Test(heap_death, usable_size_of_an_interior_pointer_names_itself) {
    expect_death(usable_size_interior, "alloc: fatal: HeapAllocatorUsableSize: interior pointer");
}

static void dynamic_free_foreign(void) {
    victim = HeapAllocatorInit();
    static char outside[64];
    death_note_pointer(outside);
    AllocatorFree(ALLOCATOR_OF(&victim), outside);
}
Test(heap_death, dynamic_path_reports_the_typed_function) {
    expect_death(dynamic_free_foreign, "alloc: fatal: heap_allocator_deallocate: foreign pointer");
}

static void check_catches_wrong_stats(void) {
    victim = HeapAllocatorInit();
    heap_allocator_allocate(&victim, 100, 0);
    victim.base.stats.bytes_in_use += 1;
    death_note_pointer(&victim);
    HeapAllocatorCheck(&victim);
}
Test(heap_death, check_catches_a_wrong_byte_count) {
    expect_death(check_catches_wrong_stats, "alloc: fatal: HeapAllocatorCheck: corrupted allocator: bytes in use");
}

static void check_catches_wrong_footprint(void) {
    victim = HeapAllocatorInit();
    heap_allocator_allocate(&victim, 100000, 0);
    victim.base.footprint_bytes -= 4096;
    death_note_pointer(&victim);
    HeapAllocatorCheck(&victim);
}
Test(heap_death, check_catches_a_wrong_footprint) {
    expect_death(check_catches_wrong_footprint, "alloc: fatal: HeapAllocatorCheck: corrupted allocator: footprint");
}

static void check_catches_a_broken_list(void) {
    victim  = HeapAllocatorInit();
    void *p = heap_allocator_allocate(&victim, 100, 0);
    (void)p;
    victim.classes[6].pages = NULL; // the 112-byte class loses its page
    death_note_pointer(&victim);
    HeapAllocatorCheck(&victim);
}
Test(heap_death, check_catches_a_broken_class_list) {
    expect_death(check_catches_a_broken_list, "alloc: fatal: HeapAllocatorCheck: corrupted allocator: class list");
}
