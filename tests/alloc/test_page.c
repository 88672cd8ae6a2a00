// PageAllocator: behaviour (sizes, zeroing, alignment, resize/remap, retention, stats, footprint,
// PageProtect) and one death test per fatal reason, each pinning the exact diagnostic line.
// PageAllocatorCheck runs after the operations of every behaviour test.
#include "alloc/Page.h"
#include "alloc/Types.h" // opt-in short names (size, u8, i8…)
#include "death.h"

#include <criterion/criterion.h>
#include <errno.h>    // ENOMEM, EEXIST
#include <signal.h>   // SIGSEGV, SIGBUS
#include <stdint.h>   // SIZE_MAX, uintptr_t
#include <stdio.h>    // freopen, stderr: silence the faulting child
#include <stdlib.h>   // malloc, free: a libc pointer for the foreign-pointer test
#include <string.h>   // memset, memcmp
#include <sys/mman.h> // mmap, msync: blockers and "is it still mapped?"
#include <sys/wait.h> // waitpid
#include <unistd.h>   // fork, sysconf, _exit

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

static bool all_bytes_are(const void *ptr, size bytes, unsigned char value) {
    const unsigned char *p = ptr;
    for (size i = 0; i < bytes; ++i)
        if (p[i] != value) return false;
    return true;
}

static void fill_pattern(void *ptr, size bytes) {
    unsigned char *p = ptr;
    for (size i = 0; i < bytes; ++i) p[i] = (unsigned char)(i * 7 + 3);
}

static bool has_pattern(const void *ptr, size bytes) {
    const unsigned char *p = ptr;
    for (size i = 0; i < bytes; ++i)
        if (p[i] != (unsigned char)(i * 7 + 3)) return false;
    return true;
}

// True when [ptr, ptr + bytes) is no longer mapped (msync fails with ENOMEM on unmapped ranges).
static bool is_unmapped(void *ptr, size bytes) {
    return msync(ptr, bytes, MS_ASYNC) == -1 && errno == ENOMEM;
}

// Make sure the page at `at` is mapped, so a mapping that ends there cannot grow in place. Returns
// the blocker this call mapped (to unmap later), or NULL when something was mapped there already.
static void *occupy_page(void *at, size ps) {
    void *blocker = mmap(at, ps, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (blocker == MAP_FAILED) {
        cr_assert_eq(errno, EEXIST, "could not place the blocker");
        return NULL;
    }
    cr_assert_eq(blocker, at, "kernel without MAP_FIXED_NOREPLACE");
    return blocker;
}

static size retained_sum(const PageAllocator *page) {
    size total = 0;
    for (u32 i = 0; i < page->free_len; ++i) total += page->free_entries[i].bytes;
    return total;
}

static size tables_of(const PageAllocator *page) {
    return page->entries_bytes + page->free_entries_bytes;
}

// --- Sizes and zeroing ------------------------------------------------------------------------

Test(page, zero_size_returns_null_and_counts_nothing) {
    PageAllocator page = PageAllocatorInit();
    cr_assert_null(page_allocator_allocate(&page, 0, 0));
    cr_assert_null(AllocatorAlloc(ALLOCATOR_OF(&page), 0, 1));
    cr_assert_eq(AllocatorAllocations(&page), 0);
    cr_assert_eq(AllocatorFailedAllocations(&page), 0);
    cr_assert_eq(AllocatorFootprintBytes(&page), 0);
    PageAllocatorCheck(&page);
    PageAllocatorDeinit(&page);
}

Test(page, page_size_is_the_systems) {
    PageAllocator page = PageAllocatorInit();
    cr_assert_eq(page.cached_page_size, 0, "Init must not ask the OS");
    cr_assert_eq(PageAllocatorPageSize(&page), (size)sysconf(_SC_PAGESIZE));
    cr_assert_eq(page.cached_page_size, (size)sysconf(_SC_PAGESIZE));
    PageAllocatorDeinit(&page);
}

Test(page, deallocate_returns_the_page_rounded_size) {
    PageAllocator page = PageAllocatorInit();
    size          ps   = PageAllocatorPageSize(&page);
    size          sizes[][2] = {{1, ps}, {ps - 1, ps}, {ps, ps}, {ps + 1, 2 * ps}, {10 * ps + 5, 11 * ps}};
    for (size i = 0; i < sizeof sizes / sizeof sizes[0]; ++i) {
        char *p = AllocatorAlloc(&page, sizes[i][0], 0);
        cr_assert_not_null(p);
        p[sizes[i][1] - 1] = 1; // the whole rounded size is usable
        PageAllocatorCheck(&page);
        cr_assert_eq(AllocatorFree(&page, p), sizes[i][1], "size %zu", sizes[i][0]);
    }
    cr_assert_eq(AllocatorFree(&page, NULL), 0);
    PageAllocatorCheck(&page);
    PageAllocatorDeinit(&page);
}

Test(page, fresh_memory_is_zeroed_when_asked) {
    PageAllocator page = PageAllocatorInit();
    size          ps   = PageAllocatorPageSize(&page);
    char         *p    = AllocatorAlloc(&page, 3 * ps, 1);
    cr_assert(all_bytes_are(p, 3 * ps, 0));
    AllocatorFree(&page, p);
    PageAllocatorDeinit(&page);
}

static void retained_reuse_is_zeroed(size bytes) {
    PageAllocator page = PageAllocatorInit();
    char         *p    = AllocatorAlloc(&page, bytes, 0);
    memset(p, 0xAB, bytes);
    AllocatorFree(&page, p);
    cr_assert_eq(page.free_len, 1, "the freed block is retained");
    char *q = AllocatorAlloc(&page, bytes, 1);
    cr_assert_eq(q, p, "the retained block is reused");
    cr_assert_eq(page.free_len, 0);
    cr_assert(all_bytes_are(q, bytes, 0), "reused block of %zu bytes is not zero-filled", bytes);
    PageAllocatorCheck(&page);
    AllocatorFree(&page, q);
    PageAllocatorDeinit(&page);
}

Test(page, retained_reuse_is_zeroed_when_asked) {
    retained_reuse_is_zeroed(2 * 4096);                             // memset path
    retained_reuse_is_zeroed(PAGE_ALLOCATOR_MEMSET_MAX_BYTES * 4); // discard path
}

Test(page, retained_reuse_without_zeroed_keeps_the_contents) {
    PageAllocator page = PageAllocatorInit();
    size          ps   = PageAllocatorPageSize(&page);
    char         *p    = AllocatorAlloc(&page, 2 * ps, 0);
    fill_pattern(p, 2 * ps);
    AllocatorFree(&page, p);
    char *q = AllocatorAlloc(&page, 2 * ps - 100, 0); // same page-rounded size
    cr_assert_eq(q, p);
    cr_assert(has_pattern(q, 2 * ps), "no zeroing was asked for, so none is paid");
    AllocatorFree(&page, q);
    PageAllocatorDeinit(&page);
}

Test(page, reuse_is_exact_size_and_lifo) {
    PageAllocator page = PageAllocatorInit();
    size          ps   = PageAllocatorPageSize(&page);
    void         *a    = AllocatorAlloc(&page, 2 * ps, 0);
    void         *b    = AllocatorAlloc(&page, 2 * ps, 0);
    void         *big  = AllocatorAlloc(&page, 4 * ps, 0);
    AllocatorFree(&page, a);
    AllocatorFree(&page, big);
    AllocatorFree(&page, b);
    cr_assert_eq(page.free_len, 3);
    PageAllocatorCheck(&page);
    void *c = AllocatorAlloc(&page, 3 * ps, 0); // no retained block of 3 pages
    cr_assert(c != a && c != b && c != big);
    cr_assert_eq(page.free_len, 3);
    cr_assert_eq(AllocatorAlloc(&page, 2 * ps, 0), b, "most recently freed first");
    cr_assert_eq(AllocatorAlloc(&page, 2 * ps, 0), a);
    cr_assert_eq(AllocatorAlloc(&page, 4 * ps, 0), big);
    cr_assert_eq(page.free_len, 0);
    PageAllocatorCheck(&page);
    PageAllocatorDeinit(&page);
}

Test(page, oversize_requests_fail_and_count) {
    PageAllocator page = PageAllocatorInit();
    cr_assert_null(AllocatorAlloc(&page, SIZE_MAX, 0));        // page rounding overflows
    cr_assert_null(AllocatorAlloc(&page, SIZE_MAX / 2 + 1, 0)); // the OS refuses
    cr_assert_eq(AllocatorFailedAllocations(&page), 2);
    cr_assert_eq(AllocatorAllocations(&page), 0);
    cr_assert_eq(AllocatorBytesInUse(&page), 0);
    PageAllocatorCheck(&page);
    PageAllocatorDeinit(&page);
}

// --- Alignment --------------------------------------------------------------------------------

Test(page, every_power_of_two_alignment_up_to_four_pages_is_honoured) {
    size ps = (size)sysconf(_SC_PAGESIZE);
    for (size align = 1; align <= 4 * ps; align *= 2) {
        PageAllocator page  = PageAllocatorInitAligned(align);
        size          floor = align > ps ? align : ps;
        void         *blocks[3];
        size          sizes[3] = {1, ps + 1, 3 * ps};
        for (int i = 0; i < 3; ++i) {
            blocks[i] = AllocatorAlloc(&page, sizes[i], 1);
            cr_assert_not_null(blocks[i]);
            cr_assert_eq((uintptr_t)blocks[i] % floor, 0, "alignment %zu", align);
        }
        PageAllocatorCheck(&page);
        AllocatorFree(&page, blocks[1]);
        void *again = AllocatorAlloc(&page, ps + 1, 0); // retained reuse keeps the alignment
        cr_assert_eq((uintptr_t)again % floor, 0);
        void *grown = AllocatorRemap(&page, blocks[0], 5 * ps);
        cr_assert_not_null(grown);
        cr_assert_eq((uintptr_t)grown % floor, 0, "remap keeps alignment %zu", align);
        PageAllocatorCheck(&page);
        PageAllocatorDeinit(&page);
        cr_assert_eq(page.base.footprint_bytes, 0);
    }
}

// --- Resize and remap -------------------------------------------------------------------------

Test(page, resize_never_moves) {
    PageAllocator page = PageAllocatorInit();
    size          ps   = PageAllocatorPageSize(&page);
    char         *p    = AllocatorAlloc(&page, 8 * ps, 0);
    fill_pattern(p, ps);
    cr_assert_eq(AllocatorResize(&page, p, ps), 1, "shrinking always works");
    cr_assert(is_unmapped(p + ps, 7 * ps), "the tail is given back");
    cr_assert(has_pattern(p, ps));
    cr_assert_eq(AllocatorResize(&page, p, ps - 10), 1, "same pages: nothing to do");
    PageAllocatorCheck(&page);
    // The 7 pages after the block were just unmapped and nothing maps in between: growth back
    // into them is done in place by mremap.
    cr_assert_eq(AllocatorResize(&page, p, 4 * ps), 1);
    p[4 * ps - 1] = 1;
    cr_assert(has_pattern(p, ps));
    PageAllocatorCheck(&page);
    cr_assert_eq(AllocatorFree(&page, p), 4 * ps);
    PageAllocatorDeinit(&page);
}

Test(page, resize_that_cannot_grow_in_place_leaves_the_block_untouched) {
    PageAllocator page    = PageAllocatorInit();
    size          ps      = PageAllocatorPageSize(&page);
    char         *p       = AllocatorAlloc(&page, 2 * ps, 0);
    // Occupy the page right after the block.
    void *blocker = occupy_page(p + 2 * ps, ps);
    fill_pattern(p, 2 * ps);
    cr_assert_eq(AllocatorResize(&page, p, 3 * ps), 0);
    cr_assert(has_pattern(p, 2 * ps));
    cr_assert_eq(AllocatorFailedAllocations(&page), 0, "not an out-of-memory failure");
    cr_assert_eq(AllocatorReallocations(&page), 0);
    PageAllocatorCheck(&page);
    cr_assert_eq(AllocatorFree(&page, p), 2 * ps);
    if (blocker) munmap(blocker, ps);
    PageAllocatorDeinit(&page);
}

Test(page, resize_of_null_or_to_zero_returns_0) {
    PageAllocator page = PageAllocatorInit();
    char         *p    = AllocatorAlloc(&page, 100, 0);
    cr_assert_eq(AllocatorResize(&page, (void *)NULL, 100), 0);
    cr_assert_eq(AllocatorResize(&page, p, 0), 0);
    cr_assert_eq(AllocatorFree(&page, p), PageAllocatorPageSize(&page), "still live and whole");
    PageAllocatorDeinit(&page);
}

Test(page, remap_keeps_the_smaller_of_old_and_new_bytes) {
    PageAllocator page = PageAllocatorInit();
    size          ps   = PageAllocatorPageSize(&page);
    char         *p    = AllocatorAlloc(&page, 3 * ps, 0);
    fill_pattern(p, 3 * ps);
    char *grown = AllocatorRemap(&page, p, 64 * ps);
    cr_assert_not_null(grown);
    cr_assert(has_pattern(grown, 3 * ps));
    grown[64 * ps - 1] = 1;
    PageAllocatorCheck(&page);
    char *shrunk = AllocatorRemap(&page, grown, 2 * ps);
    cr_assert_eq(shrunk, grown, "shrinking never moves");
    cr_assert(has_pattern(shrunk, 2 * ps));
    cr_assert_eq(AllocatorReallocations(&page), 2);
    PageAllocatorCheck(&page);
    cr_assert_eq(AllocatorFree(&page, shrunk), 2 * ps);
    PageAllocatorDeinit(&page);
}

Test(page, remap_of_an_over_aligned_block_moves_by_copy_when_blocked) {
    size          ps    = (size)sysconf(_SC_PAGESIZE);
    PageAllocator page  = PageAllocatorInitAligned(4 * ps);
    char         *p     = AllocatorAlloc(&page, ps, 0);
    void *blocker = occupy_page(p + ps, ps);
    fill_pattern(p, ps);
    char *moved = AllocatorRemap(&page, p, 3 * ps);
    cr_assert_not_null(moved);
    cr_assert(moved != p);
    cr_assert_eq((uintptr_t)moved % (4 * ps), 0);
    cr_assert(has_pattern(moved, ps));
    cr_assert_eq(page.len, 1);
    cr_assert_eq(page.free_len, 1, "the old block is retained");
    cr_assert_eq(page.free_entries[0].ptr, p);
    cr_assert_eq(AllocatorBytesInUse(&page), 3 * ps);
    PageAllocatorCheck(&page);
    if (blocker) munmap(blocker, ps);
    cr_assert_eq(AllocatorFree(&page, moved), 3 * ps);
    PageAllocatorDeinit(&page);
}

Test(page, over_aligned_block_grows_in_place_when_the_next_pages_are_free) {
    size          ps   = (size)sysconf(_SC_PAGESIZE);
    PageAllocator page = PageAllocatorInitAligned(4 * ps);
    char         *p    = AllocatorAlloc(&page, 4 * ps, 0);
    fill_pattern(p, ps);
    cr_assert_eq(AllocatorResize(&page, p, ps), 1); // frees the 3 pages after the first
    cr_assert_eq(AllocatorRemap(&page, p, 3 * ps), p, "grown back in place, no copy");
    cr_assert(has_pattern(p, ps));
    cr_assert_eq(page.free_len, 0);
    PageAllocatorCheck(&page);
    PageAllocatorDeinit(&page);
}

Test(page, realloc_through_the_base_resizes_then_moves) {
    PageAllocator page = PageAllocatorInit();
    Allocator    *any  = ALLOCATOR_OF(&page);
    size          ps   = PageAllocatorPageSize(&page);
    char         *p    = AllocatorRealloc(any, NULL, 100);
    cr_assert_not_null(p);
    cr_assert(all_bytes_are(p, ps, 0));
    fill_pattern(p, 100);
    cr_assert_eq(AllocatorRealloc(any, p, ps), p, "same page: resized in place");
    char *q = AllocatorRealloc(&page, p, 32 * ps);
    cr_assert_not_null(q);
    cr_assert(has_pattern(q, 100));
    cr_assert_eq(AllocatorBytesInUse(&page), 32 * ps);
    PageAllocatorCheck(&page);
    cr_assert_null(AllocatorRealloc(any, q, 0));
    cr_assert_eq(AllocatorBytesInUse(&page), 0);
    PageAllocatorDeinit(&page);
}

Test(page, remap_of_null_allocates_zeroed_and_remap_to_zero_frees) {
    PageAllocator page = PageAllocatorInit();
    size          ps   = PageAllocatorPageSize(&page);
    char         *p    = AllocatorAlloc(&page, 2 * ps, 0);
    memset(p, 0x5A, 2 * ps);
    AllocatorFree(&page, p); // retained, dirty
    char *q = AllocatorRemap(&page, (void *)NULL, 2 * ps);
    cr_assert_eq(q, p, "reuses the retained block");
    cr_assert(all_bytes_are(q, 2 * ps, 0));
    cr_assert_eq(AllocatorAllocations(&page), 2);
    cr_assert_null(AllocatorRemap(&page, q, 0));
    cr_assert_eq(AllocatorDeallocations(&page), 2);
    cr_assert_eq(AllocatorBytesInUse(&page), 0);
    cr_assert_null(AllocatorRemap(&page, (void *)NULL, 0));
    PageAllocatorCheck(&page);
    PageAllocatorDeinit(&page);
}

Test(page, failed_remap_leaves_the_block_untouched) {
    PageAllocator page = PageAllocatorInit();
    size          ps   = PageAllocatorPageSize(&page);
    char         *p    = AllocatorAlloc(&page, ps, 0);
    fill_pattern(p, ps);
    cr_assert_null(AllocatorRemap(&page, p, SIZE_MAX));
    cr_assert_null(AllocatorRemap(&page, p, SIZE_MAX / 2 + 1));
    cr_assert_eq(AllocatorFailedAllocations(&page), 2);
    cr_assert(has_pattern(p, ps));
    PageAllocatorCheck(&page);
    cr_assert_eq(AllocatorFree(&page, p), ps);
    PageAllocatorDeinit(&page);
}

// --- Stats, footprint, retention --------------------------------------------------------------

Test(page, stats_are_exact_on_the_typed_and_the_dynamic_path) {
    PageAllocator page = PageAllocatorInit();
    Allocator    *any  = ALLOCATOR_OF(&page);
    size          ps   = PageAllocatorPageSize(&page);
    void         *a    = AllocatorAlloc(&page, 100, 0);  // typed: 1 page
    void         *b    = AllocatorAlloc(any, ps + 1, 0); // dynamic: 2 pages
    AllocatorStats s   = AllocatorStatsOf(&page);
    cr_assert_eq(s.bytes_requested, 100 + ps + 1);
    cr_assert_eq(s.bytes_in_use, 3 * ps);
    cr_assert_eq(s.peak_bytes_in_use, 3 * ps);
    cr_assert_eq(s.allocations, 2);
    cr_assert_eq(AllocatorResize(any, b, 1), 1); // 2 pages -> 1
    void *c = AllocatorRemap(&page, a, 3 * ps);  // 1 page -> 3
    s       = AllocatorStatsOf(&page);
    cr_assert_eq(s.reallocations, 2);
    cr_assert_eq(s.bytes_requested, 100 + ps + 1 + 1 + 3 * ps);
    cr_assert_eq(s.bytes_in_use, 4 * ps);
    cr_assert_eq(s.peak_bytes_in_use, 4 * ps);
    cr_assert_eq(AllocatorFree(any, b), ps);
    cr_assert_eq(AllocatorFree(&page, c), 3 * ps);
    s = AllocatorStatsOf(&page);
    cr_assert_eq(s.deallocations, 2);
    cr_assert_eq(s.bytes_in_use, 0);
    cr_assert_eq(s.peak_bytes_in_use, 4 * ps);
    cr_assert_eq(s.failed_allocations, 0);
    PageAllocatorCheck(&page);
    PageAllocatorDeinit(&page);
}

Test(page, footprint_counts_blocks_retained_blocks_and_tables) {
    PageAllocator page = PageAllocatorInit();
    size          ps   = PageAllocatorPageSize(&page);
    void         *a    = AllocatorAlloc(&page, ps, 0);
    void         *b    = AllocatorAlloc(&page, 2 * ps, 0);
    cr_assert_eq(page.entries_bytes, ps, "one page of table to start");
    cr_assert_eq(AllocatorFootprintBytes(&page), 3 * ps + ps);
    AllocatorFree(&page, a); // retained: still mapped
    cr_assert_eq(page.free_entries_bytes, ps);
    cr_assert_eq(AllocatorFootprintBytes(&page), 3 * ps + 2 * ps);
    AllocatorFree(&page, b);
    cr_assert_eq(AllocatorFootprintBytes(&page), 3 * ps + tables_of(&page));
    PageAllocatorCheck(&page);
    PageAllocatorDeinit(&page);
    PageAllocator zero;
    memset(&zero, 0, sizeof zero);
    cr_assert(memcmp(&page, &zero, sizeof page) == 0, "Deinit leaves the struct all zero");
}

Test(page, deinit_unmaps_leaked_and_retained_blocks) {
    PageAllocator page   = PageAllocatorInit();
    size          ps     = PageAllocatorPageSize(&page);
    void         *leaked = AllocatorAlloc(&page, 2 * ps, 0);
    void         *freed  = AllocatorAlloc(&page, ps, 0);
    AllocatorFree(&page, freed);
    void *entries = page.entries;
    PageAllocatorDeinit(&page);
    cr_assert(is_unmapped(leaked, 2 * ps));
    cr_assert(is_unmapped(freed, ps));
    cr_assert(is_unmapped(entries, ps));
    cr_assert_eq(page.base.footprint_bytes, 0);
}

Test(page, retention_is_capped_in_total_and_per_block) {
    PageAllocator page  = PageAllocatorInit();
    size          block = PAGE_ALLOCATOR_RETAIN_BLOCK_MAX_BYTES;
    size          count = PAGE_ALLOCATOR_RETAIN_MAX_BYTES / block + 8; // 8 blocks too many
    void         *blocks[64];
    cr_assert(count <= sizeof blocks / sizeof blocks[0]);
    for (size i = 0; i < count; ++i) blocks[i] = AllocatorAlloc(&page, block, 0); // untouched: cheap
    for (size i = 0; i < count; ++i) AllocatorFree(&page, blocks[i]);
    cr_assert_eq(retained_sum(&page), PAGE_ALLOCATOR_RETAIN_MAX_BYTES);
    cr_assert_eq(AllocatorFootprintBytes(&page), PAGE_ALLOCATOR_RETAIN_MAX_BYTES + tables_of(&page));
    for (size i = count - 8; i < count; ++i) cr_assert(is_unmapped(blocks[i], block));
    PageAllocatorCheck(&page);
    PageAllocatorDeinit(&page);

    page       = PageAllocatorInit();
    size  ps   = PageAllocatorPageSize(&page);
    void *huge = AllocatorAlloc(&page, block + ps, 0);
    cr_assert_eq(AllocatorFree(&page, huge), block + ps);
    cr_assert_eq(page.free_len, 0, "a block above the per-block bound is not retained");
    cr_assert(is_unmapped(huge, block + ps));
    cr_assert_eq(AllocatorFootprintBytes(&page), tables_of(&page));
    PageAllocatorCheck(&page);
    PageAllocatorDeinit(&page);
}

Test(page, many_blocks_keep_both_tables_sorted) {
    PageAllocator page = PageAllocatorInit();
    size          ps   = PageAllocatorPageSize(&page);
    enum { N = 600 }; // more rows than one page of table holds: the tables must grow
    void *blocks[N];
    for (size i = 0; i < N; ++i) {
        blocks[i] = AllocatorAlloc(&page, (i % 5 + 1) * ps, 0);
        cr_assert_not_null(blocks[i]);
    }
    PageAllocatorCheck(&page);
    cr_assert_gt(page.cap, ps / sizeof(PageEntry));
    for (size i = 0; i < N; ++i) {
        size j = (i * 7919) % N; // a permutation of 0..N-1 (7919 is prime)
        cr_assert_eq(AllocatorFree(&page, blocks[j]), (j % 5 + 1) * ps);
        if (i % 50 == 0) PageAllocatorCheck(&page);
    }
    cr_assert_eq(page.len, 0);
    cr_assert_eq(page.free_len, N);
    PageAllocatorCheck(&page);
    PageAllocatorDeinit(&page);
}

// --- PageProtect ------------------------------------------------------------------------------

// Run `poke` on `target` in a child; true when the child died of a memory fault. ASan keeps its
// own SIGSEGV handler, which reports and exits with status 1.
static bool faults_in_child(void (*poke)(volatile char *), volatile char *target) {
    pid_t child = fork();
    cr_assert(child >= 0);
    if (child == 0) {
        if (!freopen("/dev/null", "w", stderr)) _exit(43);
        poke(target);
        _exit(42);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (WIFSIGNALED(status)) return WTERMSIG(status) == SIGSEGV || WTERMSIG(status) == SIGBUS;
    return UNDER_ASAN && WIFEXITED(status) && WEXITSTATUS(status) == 1;
}

static void write_byte(volatile char *target) { *target = 1; }
static void read_byte(volatile char *target) { (void)*target; }

Test(page, protect_none_makes_access_fault) {
    PageAllocator page = PageAllocatorInit();
    size          ps   = PageAllocatorPageSize(&page);
    char         *p    = AllocatorAlloc(&page, 2 * ps, 1);
    cr_assert_eq(PageProtect(p + ps, ps, PAGE_PROTECT_NONE), 1);
    cr_assert(faults_in_child(write_byte, p + ps));
    cr_assert(faults_in_child(read_byte, p + ps));
    cr_assert(!faults_in_child(write_byte, p + ps - 1), "the page before stays writable");
    cr_assert_eq(PageProtect(p + ps, ps, PAGE_PROTECT_READ_WRITE), 1);
    cr_assert(!faults_in_child(write_byte, p + ps));
    p[ps] = 1;
    AllocatorFree(&page, p);
    PageAllocatorDeinit(&page);
}

Test(page, protect_read_allows_reads_and_faults_writes) {
    PageAllocator page = PageAllocatorInit();
    size          ps   = PageAllocatorPageSize(&page);
    char         *p    = AllocatorAlloc(&page, ps, 0);
    p[0]               = 7;
    cr_assert_eq(PageProtect(p, 1, PAGE_PROTECT_READ), 1, "bytes round up to the page");
    cr_assert_eq(p[0], 7);
    cr_assert(!faults_in_child(read_byte, p));
    cr_assert(faults_in_child(write_byte, p + ps - 1));
    cr_assert_eq(PageProtect(p, ps, PAGE_PROTECT_READ_WRITE), 1);
    AllocatorFree(&page, p);
    PageAllocatorDeinit(&page);
}

Test(page, protect_rejects_bad_arguments) {
    PageAllocator page = PageAllocatorInit();
    size          ps   = PageAllocatorPageSize(&page);
    char         *p    = AllocatorAlloc(&page, ps, 0);
    cr_assert_eq(PageProtect(NULL, ps, PAGE_PROTECT_READ), 0);
    cr_assert_eq(PageProtect(p + 1, ps, PAGE_PROTECT_READ), 0);
    cr_assert_eq(PageProtect(p, 0, PAGE_PROTECT_READ), 0);
    cr_assert_eq(PageProtect(p, SIZE_MAX, PAGE_PROTECT_READ), 0);
    cr_assert_eq(PageProtect(p, ps, (PageProtection)7), 0);
    p[0] = 1; // still writable: nothing changed
    AllocatorFree(&page, p);
    PageAllocatorDeinit(&page);
}

// --- Death tests ------------------------------------------------------------------------------

static PageAllocator victim;
static PageAllocator other;

static void free_stack_pointer(void) {
    victim = PageAllocatorInit();
    (void)AllocatorAlloc(&victim, 100, 0);
    char local[64];
    death_note_pointer(local);
    AllocatorFree(&victim, local);
}
Test(page_death, stack_pointer_is_foreign) {
    expect_death(free_stack_pointer, "alloc: fatal: page_allocator_deallocate: foreign pointer");
}

static void free_malloc_pointer(void) {
    victim  = PageAllocatorInit();
    void *p = malloc(64);
    memset(p, 0, 64);
    death_note_pointer(p);
    AllocatorFree(&victim, p);
}
Test(page_death, libc_malloc_pointer_is_foreign) {
    expect_death(free_malloc_pointer, "alloc: fatal: page_allocator_deallocate: foreign pointer");
}

static void free_other_instances_pointer(void) {
    victim  = PageAllocatorInit();
    other   = PageAllocatorInit();
    (void)AllocatorAlloc(&victim, 100, 0);
    void *p = AllocatorAlloc(&other, 100, 0);
    death_note_pointer(p);
    AllocatorFree(&victim, p);
}
Test(page_death, pointer_of_another_instance_is_foreign) {
    expect_death(free_other_instances_pointer, "alloc: fatal: page_allocator_deallocate: foreign pointer");
}

static void free_twice(void) {
    victim  = PageAllocatorInit();
    void *p = AllocatorAlloc(&victim, 100, 0);
    AllocatorFree(&victim, p);
    death_note_pointer(p);
    AllocatorFree(&victim, p);
}
Test(page_death, double_free_aborts) {
    expect_death(free_twice, "alloc: fatal: page_allocator_deallocate: double free");
}

static void free_twice_through_the_base(void) {
    victim         = PageAllocatorInit();
    Allocator *any = ALLOCATOR_OF(&victim);
    void      *p   = AllocatorAlloc(any, 100, 0);
    AllocatorFree(any, p);
    death_note_pointer(p);
    AllocatorFree(any, p);
}
Test(page_death, double_free_through_the_base_names_the_typed_function) {
    expect_death(free_twice_through_the_base, "alloc: fatal: page_allocator_deallocate: double free");
}

static void free_twice_unretained(void) {
    victim  = PageAllocatorInit();
    void *p = AllocatorAlloc(&victim, PAGE_ALLOCATOR_RETAIN_BLOCK_MAX_BYTES * 2, 0);
    AllocatorFree(&victim, p); // unmapped: too big to retain
    death_note_pointer(p);
    AllocatorFree(&victim, p);
}
Test(page_death, double_free_of_an_unmapped_block_is_foreign) {
    expect_death(free_twice_unretained, "alloc: fatal: page_allocator_deallocate: foreign pointer");
}

static void free_interior_pointer(void) {
    victim  = PageAllocatorInit();
    char *p = AllocatorAlloc(&victim, 3 * PageAllocatorPageSize(&victim), 0);
    death_note_pointer(p + PageAllocatorPageSize(&victim));
    AllocatorFree(&victim, p + PageAllocatorPageSize(&victim));
}
Test(page_death, interior_pointer_aborts) {
    expect_death(free_interior_pointer, "alloc: fatal: page_allocator_deallocate: interior pointer");
}

static void free_misaligned_pointer(void) {
    victim  = PageAllocatorInit();
    char *p = AllocatorAlloc(&victim, 100, 0);
    death_note_pointer(p + 1);
    AllocatorFree(&victim, p + 1);
}
Test(page_death, misaligned_pointer_aborts) {
    expect_death(free_misaligned_pointer, "alloc: fatal: page_allocator_deallocate: misaligned pointer");
}

static void resize_interior_pointer(void) {
    victim  = PageAllocatorInit();
    char *p = AllocatorAlloc(&victim, 100, 0);
    death_note_pointer(p + 16);
    AllocatorResize(&victim, p + 16, 200);
}
Test(page_death, resize_names_itself_on_a_bad_pointer) {
    expect_death(resize_interior_pointer, "alloc: fatal: page_allocator_resize: interior pointer");
}

static void remap_freed_pointer(void) {
    victim  = PageAllocatorInit();
    char *p = AllocatorAlloc(&victim, 100, 0);
    AllocatorFree(&victim, p);
    death_note_pointer(p);
    AllocatorRemap(&victim, p, 200);
}
Test(page_death, remap_names_itself_on_a_bad_pointer) {
    expect_death(remap_freed_pointer, "alloc: fatal: page_allocator_remap: double free");
}

static void free_after_deinit(void) {
    victim  = PageAllocatorInit();
    void *p = AllocatorAlloc(&victim, 100, 0);
    PageAllocatorDeinit(&victim);
    death_note_pointer(&victim);
    AllocatorFree(&victim, p);
}
Test(page_death, free_after_deinit_aborts) {
    expect_death(free_after_deinit, "alloc: fatal: page_allocator_deallocate: uninitialised allocator");
}

static void deinit_twice(void) {
    victim = PageAllocatorInit();
    PageAllocatorDeinit(&victim);
    death_note_pointer(&victim);
    PageAllocatorDeinit(&victim);
}
Test(page_death, second_deinit_aborts) {
    expect_death(deinit_twice, "alloc: fatal: PageAllocatorDeinit: uninitialised allocator");
}

static void allocate_from_zeroed_struct(void) {
    memset(&victim, 0, sizeof victim);
    death_note_pointer(&victim);
    page_allocator_allocate(&victim, 100, 0);
}
Test(page_death, uninitialised_allocator_aborts) {
    expect_death(allocate_from_zeroed_struct, "alloc: fatal: page_allocator_allocate: uninitialised allocator");
}

static void allocate_from_a_heap_in_disguise(void) {
    memset(&victim, 0, sizeof victim);
    victim.base.magic = HEAP_ALLOCATOR_MAGIC;
    death_note_pointer(&victim);
    page_allocator_allocate(&victim, 100, 0);
}
Test(page_death, type_confusion_aborts) {
    expect_death(allocate_from_a_heap_in_disguise,
                 "alloc: fatal: page_allocator_allocate: type-confusion: not a PageAllocator");
}

static void allocate_with_bad_alignment(void) {
    victim = PageAllocatorInitAligned(3 * 4096);
    death_note_pointer(&victim);
    page_allocator_allocate(&victim, 100, 0);
}
Test(page_death, non_power_of_two_alignment_aborts) {
    expect_death(allocate_with_bad_alignment,
                 "alloc: fatal: page_allocator_allocate: corrupted allocator: alignment is not a power of two");
}

static void check_with_len_above_cap(void) {
    victim = PageAllocatorInit();
    (void)AllocatorAlloc(&victim, 100, 0);
    victim.len = victim.cap + 1;
    death_note_pointer(&victim);
    PageAllocatorCheck(&victim);
}
Test(page_death, check_reports_a_broken_table) {
    expect_death(check_with_len_above_cap, "alloc: fatal: PageAllocatorCheck: corrupted allocator: live table");
}

static void check_with_unsorted_live_table(void) {
    victim = PageAllocatorInit();
    (void)AllocatorAlloc(&victim, 100, 0);
    (void)AllocatorAlloc(&victim, 100, 0);
    PageEntry first         = victim.entries[0];
    victim.entries[0]       = victim.entries[1];
    victim.entries[1]       = first;
    death_note_pointer(&victim);
    PageAllocatorCheck(&victim);
}
Test(page_death, check_reports_an_unsorted_live_table) {
    expect_death(check_with_unsorted_live_table,
                 "alloc: fatal: PageAllocatorCheck: corrupted allocator: live table order");
}

static void check_with_wrong_footprint(void) {
    victim = PageAllocatorInit();
    (void)AllocatorAlloc(&victim, 100, 0);
    victim.base.footprint_bytes += 4096;
    death_note_pointer(&victim);
    PageAllocatorCheck(&victim);
}
Test(page_death, check_reports_a_footprint_mismatch) {
    expect_death(check_with_wrong_footprint, "alloc: fatal: PageAllocatorCheck: corrupted allocator: footprint");
}
