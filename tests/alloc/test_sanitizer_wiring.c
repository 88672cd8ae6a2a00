// The sanitizer hooks as wired into the allocators (issue 6): under the ASan build, a use after
// free inside a Heap slot or page run, a Slab slot, an Arena after a free or a reset, and a
// retained Page block, and a use after free or an overflow into a slot not handed out in a
// Budget buffer is reported by ASan, and blocks handed out are fully addressable. The
// library builds without ASan compile the hooks to nothing, so these tests exist only in the
// ASan binary. (The valgrind side: tests/wiring/valgrind.sh.)
#include "alloc/Arena.h"
#include "alloc/Budget.h"
#include "alloc/Heap.h"
#include "alloc/Page.h"
#include "alloc/Slab.h"
#include "sanitizer.h" // ALLOC_ASAN: the same detection as the library's

#if ALLOC_ASAN
#include "death.h"

#include <criterion/criterion.h>
#include <inttypes.h> // PRIxPTR
#include <stdint.h>   // uintptr_t
#include <stdio.h>    // fprintf, snprintf
#include <string.h>   // strstr
#include <sys/wait.h> // WIFEXITED
#include <unistd.h>   // _exit

// What a use-after-free body does: set up an allocator, free a block, then touch it.
typedef void (*UseAfterFree)(void);

// The child announces the address it is about to touch, in ASan's own format (0x + 12 digits).
static void announce(volatile const char *stale) {
    fprintf(stderr, "touching 0x%012" PRIxPTR "\n", (uintptr_t)stale);
    fflush(stderr);
}

static void touch_read(volatile const char *stale) {
    announce(stale);
    char value = *stale;
    _exit(value == 0x7f ? 3 : 2); // survived: the parent reports it
}

static void touch_write(volatile char *stale) {
    announce(stale);
    *stale = 1;
    _exit(2);
}

// Run `body` in a child of the death-test harness and check that ASan stopped it with a report
// on exactly the address the child announced; returns the child's stderr.
static const char *expect_asan_stop(UseAfterFree body) {
    static DeathRun run;
    death_run(body, &run);
    const char *output = run.err;
    // ASan ends the child with exit status 1; 2 and 3 come from a touch that went unnoticed, 0
    // from a body that returned without touching anything.
    cr_assert(!(WIFEXITED(run.status) && WEXITSTATUS(run.status) != 1),
              "the use after free went unnoticed (%d): %s", run.status, output);
    const char *note = strstr(output, "touching ");
    cr_assert_not_null(note, "no address announced: %s", output);
    char expected[128];
    snprintf(expected, sizeof expected, "on address %.14s", note + strlen("touching "));
    cr_assert_not_null(strstr(output, expected), "expected '%s' in: %s", expected, output);
    return output;
}

// As expect_asan_stop, and the report is a use-after-poison (or heap-use-after-free).
static void expect_use_after_free(UseAfterFree body) {
    const char *output  = expect_asan_stop(body);
    bool        kind_ok = strstr(output, "ERROR: AddressSanitizer: use-after-poison") ||
                   strstr(output, "ERROR: AddressSanitizer: heap-use-after-free");
    cr_assert(kind_ok, "not a use-after-free report: %s", output);
}

// As expect_asan_stop, and the report is exactly a use-after-poison: the allocator's own
// poisoning caught the access (a buffer the allocator borrowed has no heap shadow of ASan's).
static void expect_use_after_poison(UseAfterFree body) {
    const char *output = expect_asan_stop(body);
    cr_assert_not_null(strstr(output, "ERROR: AddressSanitizer: use-after-poison"),
                       "not a use-after-poison report: %s", output);
}

// --- Heap ------------------------------------------------------------------------------------

static void heap_slot_read_after_free(void) {
    HeapAllocator heap = HeapAllocatorInit();
    char *a = heap_allocator_allocate(&heap, 64, 0);
    char *b = heap_allocator_allocate(&heap, 64, 0);
    char *c = heap_allocator_allocate(&heap, 64, 0);
    (void)a, (void)c;
    heap_allocator_deallocate(&heap, b); // the inline free path: a and c stay live
    touch_read(b + 5);
}

static void heap_last_slot_write_after_free(void) {
    HeapAllocator heap = HeapAllocatorInit();
    char *only = heap_allocator_allocate(&heap, 200, 1);
    heap_allocator_deallocate(&heap, only); // the page's last live slot: the slow path
    touch_write(only + 199);
}

static void heap_run_read_after_free(void) {
    HeapAllocator heap = HeapAllocatorInit();
    char *run = heap_allocator_allocate(&heap, 40000, 1);
    heap_allocator_deallocate(&heap, run); // retained for reuse, still mapped
    touch_read(run + 30000);
}

static void heap_moved_block_read_after_remap(void) {
    HeapAllocator heap = HeapAllocatorInit();
    char *old = heap_allocator_allocate(&heap, 32, 1);
    char *grown = heap_allocator_remap(&heap, old, 3000); // another class: copied, old freed
    if (grown == old) _exit(5);
    touch_read(old);
}

Test(sanitizer_wiring, heap_slot_read_after_free_is_reported) {
    expect_use_after_free(heap_slot_read_after_free);
}

Test(sanitizer_wiring, heap_last_slot_write_after_free_is_reported) {
    expect_use_after_free(heap_last_slot_write_after_free);
}

Test(sanitizer_wiring, heap_page_run_read_after_free_is_reported) {
    expect_use_after_free(heap_run_read_after_free);
}

Test(sanitizer_wiring, heap_block_left_behind_by_remap_is_poisoned) {
    expect_use_after_free(heap_moved_block_read_after_remap);
}

Test(sanitizer_wiring, heap_recycled_slot_and_run_are_fully_addressable) {
    HeapAllocator heap = HeapAllocatorInit();
    char *slot = heap_allocator_allocate(&heap, 48, 0);
    heap_allocator_deallocate(&heap, slot);
    cr_assert(__asan_address_is_poisoned(slot));
    char *again = heap_allocator_allocate(&heap, 48, 1);
    cr_assert_eq(again, slot, "the freed slot is recycled");
    cr_assert_null(__asan_region_is_poisoned(again, HeapAllocatorUsableSize(&heap, again)));
    char *run = heap_allocator_allocate(&heap, 20000, 0);
    heap_allocator_deallocate(&heap, run);
    char *run_again = heap_allocator_allocate(&heap, 20000, 1);
    cr_assert_null(__asan_region_is_poisoned(run_again, HeapAllocatorUsableSize(&heap, run_again)));
    HeapAllocatorCheck(&heap);
    HeapAllocatorDeinit(&heap);
}

// --- Slab ------------------------------------------------------------------------------------

static void slab_slot_read_after_free(void) {
    SlabAllocator slab = SlabAllocatorInit(40);
    char *a = slab_allocator_allocate(&slab, 40, 1);
    char *b = slab_allocator_allocate(&slab, 40, 1);
    (void)b;
    slab_allocator_deallocate(&slab, a);
    touch_read(a + 39);
}

static void slab_slot_write_after_free(void) {
    SlabAllocator slab = SlabAllocatorInit(128);
    char *a = slab_allocator_allocate(&slab, 100, 0);
    slab_allocator_deallocate(&slab, a);
    touch_write(a);
}

Test(sanitizer_wiring, slab_slot_read_after_free_is_reported) {
    expect_use_after_free(slab_slot_read_after_free);
}

Test(sanitizer_wiring, slab_slot_write_after_free_is_reported) {
    expect_use_after_free(slab_slot_write_after_free);
}

Test(sanitizer_wiring, slab_untouched_slots_are_poisoned_and_a_slot_handed_out_is_not) {
    SlabAllocator slab = SlabAllocatorInit(64);
    char *a = slab_allocator_allocate(&slab, 64, 0);
    cr_assert_null(__asan_region_is_poisoned(a, SlabAllocatorSlotSize(&slab)));
    cr_assert(__asan_address_is_poisoned(a + SlabAllocatorSlotSize(&slab)), "next slot not out yet");
    slab_allocator_deallocate(&slab, a);
    char *again = slab_allocator_allocate(&slab, 64, 1);
    cr_assert_eq(again, a);
    cr_assert_null(__asan_region_is_poisoned(again, SlabAllocatorSlotSize(&slab)));
    SlabAllocatorCheck(&slab);
    SlabAllocatorDeinit(&slab);
}

// --- Arena -----------------------------------------------------------------------------------

static void arena_read_after_reset(void) {
    ArenaAllocator arena = ArenaAllocatorInit();
    char *a = arena_allocator_allocate(&arena, 100, 1);
    char *b = arena_allocator_allocate(&arena, 100, 1);
    (void)b;
    ArenaAllocatorReset(&arena);
    touch_read(a + 10);
}

static void arena_write_after_reset_in_an_older_chunk(void) {
    ArenaAllocator arena = ArenaAllocatorInitChunk(4096);
    char *first = arena_allocator_allocate(&arena, 4000, 1);
    char *later = arena_allocator_allocate(&arena, 8000, 1); // another chunk
    (void)later;
    ArenaAllocatorReset(&arena);
    touch_write(first + 3999);
}

static void arena_read_after_freeing_the_last_block(void) {
    ArenaAllocator arena = ArenaAllocatorInit();
    char *a = arena_allocator_allocate(&arena, 64, 1);
    char *b = arena_allocator_allocate(&arena, 64, 1);
    (void)a;
    arena_allocator_deallocate(&arena, b);
    touch_read(b);
}

static void arena_read_of_a_shrunk_tail(void) {
    ArenaAllocator arena = ArenaAllocatorInit();
    char *a = arena_allocator_allocate(&arena, 256, 1);
    if (!arena_allocator_resize(&arena, a, 64)) _exit(5);
    touch_read(a + 128);
}

Test(sanitizer_wiring, arena_read_after_reset_is_reported) {
    expect_use_after_free(arena_read_after_reset);
}

Test(sanitizer_wiring, arena_write_after_reset_in_an_older_chunk_is_reported) {
    expect_use_after_free(arena_write_after_reset_in_an_older_chunk);
}

Test(sanitizer_wiring, arena_read_after_freeing_the_last_block_is_reported) {
    expect_use_after_free(arena_read_after_freeing_the_last_block);
}

Test(sanitizer_wiring, arena_read_past_a_shrunk_last_block_is_reported) {
    expect_use_after_free(arena_read_of_a_shrunk_tail);
}

Test(sanitizer_wiring, arena_blocks_after_reset_and_remap_are_fully_addressable) {
    ArenaAllocator arena = ArenaAllocatorInitChunk(4096);
    char *a = arena_allocator_allocate(&arena, 1000, 0);
    ArenaAllocatorReset(&arena);
    char *again = arena_allocator_allocate(&arena, 1000, 1);
    cr_assert_eq(again, a);
    cr_assert_null(__asan_region_is_poisoned(again, 1000));
    char *moved = arena_allocator_remap(&arena, again, 10000); // too big for the chunk: moves
    cr_assert_neq(moved, again);
    cr_assert_null(__asan_region_is_poisoned(moved, 10000));
    cr_assert(__asan_address_is_poisoned(again), "the old copy is freed");
    ArenaAllocatorCheck(&arena);
    ArenaAllocatorDeinit(&arena);
}

// --- Page ------------------------------------------------------------------------------------

static void page_read_of_a_retained_block(void) {
    PageAllocator pages = PageAllocatorInit();
    char *block = page_allocator_allocate(&pages, 4096, 1);
    page_allocator_deallocate(&pages, block); // retained for reuse, still mapped
    touch_read(block + 100);
}

Test(sanitizer_wiring, page_read_of_a_retained_block_is_reported) {
    expect_use_after_free(page_read_of_a_retained_block);
}

// --- Budget ----------------------------------------------------------------------------------

static void budget_read_after_free(void) {
    static unsigned char buffer[BudgetAllocatorBufferBytes(4, 48)];
    BudgetAllocator      budget = BudgetAllocatorInit(buffer, sizeof buffer, 48);
    char                *a      = budget_allocator_allocate(&budget, 48, 1);
    char                *b      = budget_allocator_allocate(&budget, 48, 1);
    (void)b;
    budget_allocator_deallocate(&budget, a);
    touch_read(a + 47);
}

static void budget_write_after_remap_to_zero(void) {
    unsigned char   buffer[BudgetAllocatorBufferBytes(2, 32)]; // on the stack
    BudgetAllocator budget = BudgetAllocatorInit(buffer, sizeof buffer, 32);
    char           *a      = budget_allocator_allocate(&budget, 20, 0);
    if (budget_allocator_remap(&budget, a, 0)) _exit(5); // frees the slot
    touch_write(a);
}

static void budget_write_one_past_the_last_slot_handed_out(void) {
    static unsigned char buffer[BudgetAllocatorBufferBytes(4, 64)];
    BudgetAllocator      budget = BudgetAllocatorInit(buffer, sizeof buffer, 64);
    char                *a      = budget_allocator_allocate(&budget, 64, 0);
    touch_write(a + BudgetAllocatorSlotSize(&budget)); // the next slot was never handed out
}

// A budget carved from a Heap block: its free slots are poisoned inside a live Heap block.
static void budget_on_a_heap_block_read_after_free(void) {
    HeapAllocator   heap   = HeapAllocatorInit();
    size            bytes  = BudgetAllocatorBufferBytes(8, 100);
    void           *buffer = heap_allocator_allocate(&heap, bytes, 0);
    BudgetAllocator budget = BudgetAllocatorInit(buffer, bytes, 100);
    char           *a      = budget_allocator_allocate(&budget, 100, 0);
    budget_allocator_deallocate(&budget, a);
    touch_read(a + 50);
}

Test(sanitizer_wiring, budget_read_after_free_is_reported) {
    expect_use_after_poison(budget_read_after_free);
}

Test(sanitizer_wiring, budget_write_after_remap_to_zero_is_reported) {
    expect_use_after_poison(budget_write_after_remap_to_zero);
}

Test(sanitizer_wiring, budget_write_past_a_slot_into_one_never_handed_out_is_reported) {
    expect_use_after_poison(budget_write_one_past_the_last_slot_handed_out);
}

Test(sanitizer_wiring, budget_on_a_heap_block_read_after_free_is_reported) {
    expect_use_after_poison(budget_on_a_heap_block_read_after_free);
}

Test(sanitizer_wiring, budget_slots_handed_out_are_addressable_and_deinit_opens_the_buffer) {
    static unsigned char buffer[BudgetAllocatorBufferBytes(4, 40)];
    BudgetAllocator      budget = BudgetAllocatorInit(buffer, sizeof buffer, 40);
    size                 stride = BudgetAllocatorSlotSize(&budget);
    char                *a      = budget_allocator_allocate(&budget, 40, 0);
    char                *b      = budget_allocator_allocate(&budget, 1, 0);
    cr_assert_null(__asan_region_is_poisoned(a, stride));
    cr_assert_null(__asan_region_is_poisoned(b, stride));
    cr_assert(__asan_address_is_poisoned(b + stride), "the third slot is not handed out yet");
    budget_allocator_deallocate(&budget, a);
    cr_assert(__asan_address_is_poisoned(a) && __asan_address_is_poisoned(a + stride - 1));
    cr_assert_null(__asan_region_is_poisoned(b, stride), "freeing a leaves b alone");
    char *again = budget_allocator_allocate(&budget, 8, 1);
    cr_assert_eq(again, a, "the freed slot is reused first");
    cr_assert_null(__asan_region_is_poisoned(again, stride));
    BudgetAllocatorCheck(&budget);
    budget_allocator_deallocate(&budget, b);
    BudgetAllocatorDeinit(&budget);
    cr_assert_null(__asan_region_is_poisoned(buffer, sizeof buffer), "the caller's buffer again");
}

Test(sanitizer_wiring, budget_on_a_heap_block_gives_the_block_back_addressable) {
    HeapAllocator   heap   = HeapAllocatorInit();
    size            bytes  = BudgetAllocatorBufferBytes(8, 24);
    char           *buffer = heap_allocator_allocate(&heap, bytes, 0);
    BudgetAllocator budget = BudgetAllocatorInit(buffer, bytes, 24);
    (void)budget_allocator_allocate(&budget, 24, 0);
    BudgetAllocatorDeinit(&budget);
    cr_assert_null(__asan_region_is_poisoned(buffer, bytes));
    heap_allocator_deallocate(&heap, buffer);
    cr_assert(__asan_address_is_poisoned(buffer), "the Heap poisons its freed block");
    HeapAllocatorCheck(&heap);
    HeapAllocatorDeinit(&heap);
}

#endif // ALLOC_ASAN
