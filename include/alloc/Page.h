///
/// `PageAllocator`: whole pages straight from the operating system, one mapping per block, with a
/// bounded cache of freed mappings for fast reuse, `mremap` growth on Linux, and `PageProtect` to
/// change the access rights of pages.
///
/// TAGS: Allocator, Page, Memory
///
#ifndef ALLOC_PAGE_H
#define ALLOC_PAGE_H

#include "alloc/Allocator.h"

ALLOC_BEGIN_DECLS

///
/// Upper bound on the bytes a `PageAllocator` keeps mapped for reuse after the user freed them:
/// 64 MiB.
///
/// A freed block is retained (kept mapped, recorded in the retained table) only while the sum of
/// all retained blocks stays at or below this bound; otherwise it is unmapped at once. Retention
/// therefore never grows without bound, whatever the program frees.
///
/// TAGS: Allocator, Page, Config
///
#define PAGE_ALLOCATOR_RETAIN_MAX_BYTES ((size_t)64 << 20)

///
/// Largest single block a `PageAllocator` retains after it is freed: 2 MiB.
///
/// Blocks larger than this are unmapped when freed: keeping one would tie up a large share of
/// `PAGE_ALLOCATOR_RETAIN_MAX_BYTES` for a size that is rarely asked for twice, and mapping such a
/// block again costs little next to using it.
///
/// TAGS: Allocator, Page, Config
///
#define PAGE_ALLOCATOR_RETAIN_BLOCK_MAX_BYTES ((size_t)2 << 20)

///
/// Largest retained block that is zero-filled with `memset` when it is reused with `zeroed` set:
/// 64 KiB. Larger retained blocks are handed back to the OS page by page (`madvise(MADV_DONTNEED)`
/// on Linux), which makes them read as zero and costs a page fault on first touch.
///
/// TAGS: Allocator, Page, Config
///
#define PAGE_ALLOCATOR_MEMSET_MAX_BYTES ((size_t)64 << 10)

///
/// One row of a `PageAllocator` table: a mapping the allocator made for one user block, an
/// `AllocatorRun` whose `bytes` (the request rounded up to whole pages: the block's effective
/// size, what `page_allocator_deallocate` returns) is its whole mapping (`cap == bytes`).
///
/// TAGS: Allocator, Page
///
typedef AllocatorRun PageEntry;

///
/// An allocator that gives every block its own mapping of whole pages, straight from the OS.
///
/// Use it for large buffers, for memory whose pages you want to protect with `PageProtect`, or as
/// the backing store of another allocator. Every block starts on a page boundary (or on the
/// allocator's alignment when that is larger) and its size is rounded up to whole pages.
///
/// All bookkeeping lives in two tables the allocator maps for itself, never inside user blocks:
/// - the live table `entries[0..len)`: one `PageEntry` per block the user holds, sorted by
///   address, so a pointer is found by binary search in O(log n) and a foreign, interior or
///   misaligned pointer is told apart without touching the memory it points to;
/// - the retained table `free_entries[0..free_len)`: blocks the user freed but that stay mapped
///   for reuse, sorted by size, so an allocation of the same page-rounded size is served by
///   binary search without a system call. Only exact sizes are reused. Retention is bounded by
///   `PAGE_ALLOCATOR_RETAIN_MAX_BYTES` in total and `PAGE_ALLOCATOR_RETAIN_BLOCK_MAX_BYTES` per
///   block; what does not fit is unmapped at once.
///
/// Both tables are mapped with the OS layer directly (never through an `Allocator`) and grow
/// geometrically; they are counted in `base.footprint_bytes`. At every moment:
/// `footprint_bytes == bytes_in_use + retained bytes + entries_bytes + free_entries_bytes`, where
/// `bytes_in_use` is the sum of the live table; `PageAllocatorCheck` verifies it.
///
/// A pointer freed twice is reported as "double free" while its block is retained; once the block
/// has been unmapped (beyond the retention bounds) the allocator no longer knows it, and a second
/// free reports "foreign pointer".
///
/// Not thread-safe: use one `PageAllocator` from one thread at a time, or lock around it.
///
/// WARN: Do not copy a `PageAllocator` once it has mapped anything: the copy would share the
/// tables and blocks, and freeing through both corrupts them. Pass it by pointer.
///
/// FIELDS:
/// - base               : The `Allocator` base (vtable, alignment, magic `"pageallc"`, statistics,
///                        footprint); first member, so `ALLOCATOR_OF(&page)` is well defined.
/// - cached_page_size   : The system page size in bytes, fetched from the OS on first use; 0 until
///                        then (`PageAllocatorInit` makes no system call).
/// - entries            : The live table: one `PageEntry` per block the user holds, sorted by
///                        `ptr` ascending with no overlap; NULL until the first allocation.
/// - len                : Number of rows in use in `entries` (blocks live now).
/// - cap                : Number of rows `entries` has room for; doubles when full.
/// - entries_bytes      : Length in bytes of the mapping that holds `entries` (whole pages), so
///                        the table can be grown with `mremap` and unmapped by
///                        `PageAllocatorDeinit`; 0 while `entries` is NULL.
/// - free_entries       : The retained table: one `PageEntry` per freed block kept mapped for
///                        reuse, sorted by `bytes` ascending (most recently freed last among equal
///                        sizes, so reuse is LIFO and touches warm memory); NULL until the first
///                        retained free.
/// - free_len           : Number of rows in use in `free_entries` (blocks retained now).
/// - free_cap           : Number of rows `free_entries` has room for; doubles when full,
///                        independently of `cap`.
/// - free_entries_bytes : Length in bytes of the mapping that holds `free_entries`; 0 while
///                        `free_entries` is NULL.
///
/// USAGE:
///     PageAllocator pages = PageAllocatorInit();
///     double *grid = AllocatorAlloc(&pages, 1024 * 1024 * sizeof(double), 1);
///     grid[0] = 1.0;
///     AllocatorFree(&pages, grid);          // retained? no: 8 MiB is above the block bound
///     PageAllocatorDeinit(&pages);
///
/// TAGS: Allocator, Page, Memory
///
typedef struct PageAllocator {
    Allocator  base;
    size_t     cached_page_size;   // bytes, power of two; 0 = not fetched yet
    PageEntry *entries;            // live blocks, sorted by ptr
    uint32_t   len;                // rows used in entries
    uint32_t   cap;                // rows available in entries
    size_t     entries_bytes;      // bytes mapped for entries, multiple of the page size
    PageEntry *free_entries;       // retained blocks, sorted by bytes
    uint32_t   free_len;           // rows used in free_entries
    uint32_t   free_cap;           // rows available in free_entries
    size_t     free_entries_bytes; // bytes mapped for free_entries, multiple of the page size
} PageAllocator;

///
/// Access rights of whole pages, for `PageProtect`.
///
/// FIELDS:
/// - PAGE_PROTECT_NONE       : No access: any read or write faults (SIGSEGV on POSIX).
/// - PAGE_PROTECT_READ       : Read-only: reads work, writes fault.
/// - PAGE_PROTECT_READ_WRITE : Normal memory: reads and writes work (what every block starts as).
///
/// TAGS: Page, Protection, Memory
///
typedef enum PageProtection {
    PAGE_PROTECT_NONE       = 0,
    PAGE_PROTECT_READ       = 1,
    PAGE_PROTECT_READ_WRITE = 2
} PageProtection;

///
/// Allocate a block of whole pages.
///
/// The request is rounded up to a multiple of the page size; that rounded size is the block's
/// effective size (counted in the statistics and returned by `page_allocator_deallocate`), and
/// all of it is usable. A retained block of exactly that size is reused when there is one (no
/// system call); otherwise a new mapping is made. O(log n + n) in the number of live blocks (a
/// binary search, then one row moved per larger address).
///
/// self[in,out] : An initialised page allocator.
/// bytes[in]    : Requested size in bytes; 0 returns NULL.
/// zeroed[in]   : Non-zero to get zero-filled memory; honoured for new mappings and for reused
///                retained blocks alike.
///
/// SUCCESS: Returns a pointer aligned to the larger of the page size and `self->base.alignment`,
///          with at least `bytes` (in fact the page-rounded size) usable bytes. Counts one
///          allocation of `bytes` requested and the rounded size in use.
/// FAILURE: Returns NULL without counting a failure when `bytes` is 0. Returns NULL and counts one
///          `failed_allocations` when `bytes` rounded up to pages overflows `size_t`, the OS refuses
///          the mapping, or the live table cannot grow; the allocator is unchanged otherwise.
///          Aborts via `AllocFatal` (naming `page_allocator_allocate`) with "NULL allocator",
///          "uninitialised allocator", "type-confusion: not a PageAllocator",
///          "corrupted allocator: NULL function pointer" or
///          "corrupted allocator: alignment is not a power of two".
///
/// USAGE:
///     PageAllocator pages = PageAllocatorInit();
///     char *buffer = page_allocator_allocate(&pages, 10000, 1); // 3 pages of 4 KiB, all zero
///     page_allocator_deallocate(&pages, buffer);                // returns 12288
///     PageAllocatorDeinit(&pages);
///
/// TAGS: Allocator, Page, Memory, Allocation
///
ALLOC_API void *page_allocator_allocate(PageAllocator *self, size_t bytes, int8_t zeroed);

///
/// Resize a block in place, never moving it.
///
/// Shrinking unmaps the pages past the new page-rounded size. Growing succeeds at once when the
/// new size rounds to the pages already mapped; otherwise the mapping is extended in place
/// (`mremap` without `MREMAP_MAYMOVE` on Linux), which works only when the address range after
/// the block is free. Other POSIX systems cannot extend a mapping in place and return 0 for a
/// growth beyond the mapped pages; Windows cannot release part of a mapping either, so there a
/// resize returns 0 unless the page-rounded size is unchanged (use `page_allocator_remap`).
///
/// self[in,out] : An initialised page allocator.
/// ptr[in]      : A live block of `self`; NULL returns 0.
/// new_size[in] : The wanted size in bytes; 0 returns 0 (free the block instead).
///
/// SUCCESS: Returns 1; the block at `ptr` now has the page-rounded `new_size` as effective size,
///          and its first `min(old, new)` bytes are unchanged; bytes past the old size are not
///          guaranteed to be zero (pages newly mapped are). Counts one reallocation.
/// FAILURE: Returns 0 and leaves the block untouched when `ptr` is NULL, `new_size` is 0 or its
///          page rounding overflows, or the pages after the block are not free; none of these
///          counts as a failed allocation (nothing ran out of memory). Aborts via `AllocFatal`
///          (naming `page_allocator_resize`) on a bad allocator, with the reasons listed for
///          `page_allocator_allocate`, and on a bad pointer with "interior pointer" (inside a
///          live block, aligned to the allocator's alignment), "misaligned pointer" (inside a live
///          block, not so aligned), "double free" (a freed block that is retained) or
///          "foreign pointer" (anything else).
///
/// USAGE:
///     PageAllocator pages = PageAllocatorInit();
///     char *log = AllocatorAlloc(&pages, 64 * 1024, 0);
///     if (!AllocatorResize(&pages, log, 128 * 1024)) {
///         char *moved = AllocatorRemap(&pages, log, 128 * 1024);
///         if (moved) log = moved;
///     }
///     AllocatorFree(&pages, log);
///     PageAllocatorDeinit(&pages);
///
/// TAGS: Allocator, Page, Memory, InPlace
///
ALLOC_API int8_t page_allocator_resize(PageAllocator *self, void *ptr, size_t new_size);

///
/// Resize a block, moving it when it cannot grow in place.
///
/// On Linux growth uses `mremap(MREMAP_MAYMOVE)`, which moves the page-table entries instead of
/// copying the bytes. When the allocator's alignment exceeds the page size (the kernel would not
/// keep it), or on systems without `mremap`, a block that cannot grow in place is copied into a
/// new aligned block and the old one is freed (and possibly retained). Shrinking never moves.
///
/// self[in,out] : An initialised page allocator.
/// ptr[in]      : A live block of `self`, or NULL to allocate `new_size` zero-filled bytes.
/// new_size[in] : The wanted size in bytes; 0 frees `ptr` and returns NULL.
///
/// SUCCESS: Returns the block's address (possibly new) with the page-rounded `new_size` as
///          effective size; the first `min(old, new)` bytes are preserved, bytes past them are
///          not guaranteed to be zero. Counts one reallocation (an allocation when `ptr` is NULL).
/// FAILURE: Returns NULL when `new_size` is 0 (after freeing `ptr`, counted as a deallocation).
///          Returns NULL, leaves the block untouched and counts one `failed_allocations` when the
///          page rounding of `new_size` overflows or the OS refuses the memory. When `ptr` is NULL
///          fails exactly as `page_allocator_allocate`. Aborts via `AllocFatal` (naming
///          `page_allocator_remap`) with the allocator and pointer reasons listed for
///          `page_allocator_resize`.
///
/// USAGE:
///     PageAllocator pages = PageAllocatorInit();
///     size_t capacity = 4096;
///     char *text = AllocatorAlloc(&pages, capacity, 0);
///     char *bigger = AllocatorRemap(&pages, text, capacity * 16);
///     if (bigger) { text = bigger; capacity *= 16; }
///     AllocatorFree(&pages, text);
///     PageAllocatorDeinit(&pages);
///
/// TAGS: Allocator, Page, Memory, Reallocation
///
ALLOC_API void *page_allocator_remap(PageAllocator *self, void *ptr, size_t new_size);

///
/// Free a block: keep it mapped for reuse when the retention bounds allow, else unmap it.
///
/// The block is retained when it is at most `PAGE_ALLOCATOR_RETAIN_BLOCK_MAX_BYTES` and the
/// retained total stays at most `PAGE_ALLOCATOR_RETAIN_MAX_BYTES`; a retained block is neither
/// read nor written by the allocator until it is handed out again. If you changed the protection
/// of a block's pages with `PageProtect`, restore `PAGE_PROTECT_READ_WRITE` before freeing it: a
/// retained block is reused as it is.
///
/// self[in,out] : An initialised page allocator.
/// ptr[in]      : A live block of `self`, or NULL (no-op).
///
/// SUCCESS: Returns the block's effective size: its mapped length, the last requested size
///          rounded up to whole pages. Counts one deallocation.
/// FAILURE: Returns 0 for NULL and does nothing. Aborts via `AllocFatal` (naming
///          `page_allocator_deallocate`) with the allocator and pointer reasons listed for
///          `page_allocator_resize` ("double free", "interior pointer", "misaligned pointer",
///          "foreign pointer").
///
/// USAGE:
///     PageAllocator pages = PageAllocatorInit();
///     void *block = AllocatorAlloc(&pages, 5000, 0);
///     size_t released = AllocatorFree(&pages, block); // 8192 with 4 KiB pages
///     PageAllocatorDeinit(&pages);
///
/// TAGS: Allocator, Page, Memory, Deallocation
///
ALLOC_API size_t page_allocator_deallocate(PageAllocator *self, void *ptr);

///
/// Vtable adapter: `page_allocator_allocate` with the `Allocator *` signature of
/// `AllocatorAllocateFn`, stored in `base.allocate` by `PageAllocatorInit`. Call
/// `page_allocator_allocate` or `AllocatorAlloc` instead.
///
/// self[in,out] : The `base` of a `PageAllocator`.
/// bytes[in]    : As for `page_allocator_allocate`.
/// zeroed[in]   : As for `page_allocator_allocate`.
///
/// SUCCESS: As `page_allocator_allocate`.
/// FAILURE: As `page_allocator_allocate`, but the entry compares only the magic: the rest of the
///          header (function pointers, alignment) was checked by the `Allocator *` path
///          that calls it. Another magic gets the full check and its diagnostic.
///
/// TAGS: Allocator, Page, Allocation, Dispatch
///
ALLOC_API void *page_allocator_vtable_allocate(Allocator *self, size_t bytes, int8_t zeroed);

///
/// Vtable adapter: `page_allocator_resize` with the `AllocatorResizeFn` signature, stored in
/// `base.resize`. Call `page_allocator_resize` or `AllocatorResize` instead.
///
/// self[in,out] : The `base` of a `PageAllocator`.
/// ptr[in]      : As for `page_allocator_resize`.
/// new_size[in] : As for `page_allocator_resize`.
///
/// SUCCESS: As `page_allocator_resize`.
/// FAILURE: As `page_allocator_resize`, but the entry compares only the magic: the rest of the
///          header (function pointers, alignment) was checked by the `Allocator *` path
///          that calls it. Another magic gets the full check and its diagnostic.
///
/// TAGS: Allocator, Page, InPlace, Dispatch
///
ALLOC_API int8_t page_allocator_vtable_resize(Allocator *self, void *ptr, size_t new_size);

///
/// Vtable adapter: `page_allocator_remap` with the `AllocatorRemapFn` signature, stored in
/// `base.remap`. Call `page_allocator_remap` or `AllocatorRemap` instead.
///
/// self[in,out] : The `base` of a `PageAllocator`.
/// ptr[in]      : As for `page_allocator_remap`.
/// new_size[in] : As for `page_allocator_remap`.
///
/// SUCCESS: As `page_allocator_remap`.
/// FAILURE: As `page_allocator_remap`, but the entry compares only the magic: the rest of the
///          header (function pointers, alignment) was checked by the `Allocator *` path
///          that calls it. Another magic gets the full check and its diagnostic.
///
/// TAGS: Allocator, Page, Reallocation, Dispatch
///
ALLOC_API void *page_allocator_vtable_remap(Allocator *self, void *ptr, size_t new_size);

///
/// Vtable adapter: `page_allocator_deallocate` with the `AllocatorDeallocateFn` signature, stored
/// in `base.deallocate`. Call `page_allocator_deallocate` or `AllocatorFree` instead.
///
/// self[in,out] : The `base` of a `PageAllocator`.
/// ptr[in]      : As for `page_allocator_deallocate`.
///
/// SUCCESS: As `page_allocator_deallocate`.
/// FAILURE: As `page_allocator_deallocate`, but the entry compares only the magic: the rest of the
///          header (function pointers, alignment) was checked by the `Allocator *` path
///          that calls it. Another magic gets the full check and its diagnostic.
///
/// TAGS: Allocator, Page, Deallocation, Dispatch
///
ALLOC_API size_t page_allocator_vtable_deallocate(Allocator *self, void *ptr);

///
/// The allocator `PageAllocatorInitAligned` yields, returned by a function: what that macro
/// expands to in C++, which has no compound literals. C code uses the macro.
///
/// alignment[in]: Alignment in bytes of every block; a power of two (checked on first use, as by the macro).
///
/// SUCCESS: Returns `PageAllocatorInitAligned(alignment)` by value; no OS call.
/// FAILURE: Cannot fail; invalid arguments are reported by the first call on the allocator,
///          exactly as for the macro.
///
/// TAGS: Allocator, Page, Init
///
ALLOC_API PageAllocator page_allocator_init(size_t alignment);

#ifdef __cplusplus
#define PageAllocatorInitAligned(N) page_allocator_init((size_t)(N))
#else
///
/// A `PageAllocator` whose blocks are aligned to `N` bytes (and always at least to the page size).
///
/// Expands to a compound literal: no system call, cannot fail, usable as an initializer. An `N`
/// above the page size is honoured by over-mapping and trimming; `N` must be a power of two,
/// which is checked on first use.
///
/// N[in] : Alignment in bytes of every block; a power of two.
///
/// SUCCESS: A ready allocator with no memory mapped; `base.effort` is `ALLOCATOR_EFFORT_ONCE`
///          (retrying a refused mapping at once rarely helps) and `base.retry_limit`
///          `ALLOCATOR_DEFAULT_RETRY_LIMIT`.
/// FAILURE: Cannot fail; an `N` that is not a power of two makes the first call on the allocator
///          abort with "corrupted allocator: alignment is not a power of two".
///
/// USAGE:
///     PageAllocator huge = PageAllocatorInitAligned(2 * 1024 * 1024);
///     void *block = AllocatorAlloc(&huge, 2 * 1024 * 1024, 0); // on a 2 MiB boundary
///     AllocatorFree(&huge, block);
///     PageAllocatorDeinit(&huge);
///
/// TAGS: Allocator, Page, Init
///
#define PageAllocatorInitAligned(N)                                                                \
    ((PageAllocator){.base = {.allocate    = page_allocator_vtable_allocate,                       \
                              .resize      = page_allocator_vtable_resize,                         \
                              .remap       = page_allocator_vtable_remap,                          \
                              .deallocate  = page_allocator_vtable_deallocate,                     \
                              .alignment   = (size_t)(N),                                          \
                              .effort      = ALLOCATOR_EFFORT_ONCE,                                \
                              .retry_limit = ALLOCATOR_DEFAULT_RETRY_LIMIT,                        \
                              .magic       = PAGE_ALLOCATOR_MAGIC}})
#endif

///
/// A `PageAllocator` with the default alignment (`ALLOCATOR_DEFAULT_ALIGNMENT`; blocks are
/// page-aligned in any case).
///
/// Expands to a compound literal: no system call, cannot fail. Release it with
/// `PageAllocatorDeinit`.
///
/// SUCCESS: A ready allocator with no memory mapped, as `PageAllocatorInitAligned`.
/// FAILURE: Cannot fail.
///
/// USAGE:
///     PageAllocator pages = PageAllocatorInit();
///     void *block = AllocatorAlloc(&pages, 1 << 16, 0);
///     AllocatorFree(&pages, block);
///     PageAllocatorDeinit(&pages);
///
/// TAGS: Allocator, Page, Init
///
#define PageAllocatorInit() PageAllocatorInitAligned(ALLOCATOR_DEFAULT_ALIGNMENT)

///
/// Release everything a `PageAllocator` mapped and zero it.
///
/// Unmaps every live block (including blocks the user leaked), every retained block and both
/// tables, then zeroes the whole struct, so `base.footprint_bytes` reads 0 and any later call on
/// it aborts with "uninitialised allocator". Re-initialise with `PageAllocatorInit` to use it
/// again.
///
/// self[in,out] : An initialised page allocator.
///
/// SUCCESS: All memory is returned to the OS and `*self` is all zero bytes.
/// FAILURE: Aborts via `AllocFatal` (naming `PageAllocatorDeinit`) with "NULL allocator",
///          "uninitialised allocator" (including a second Deinit), "type-confusion: not a
///          PageAllocator" or a "corrupted allocator: ..." reason of the header check.
///
/// USAGE:
///     PageAllocator pages = PageAllocatorInit();
///     (void)AllocatorAlloc(&pages, 4096, 0); // leaked on purpose
///     PageAllocatorDeinit(&pages);           // unmapped here
///
/// TAGS: Allocator, Page, Cleanup
///
ALLOC_API void PageAllocatorDeinit(PageAllocator *self);

///
/// Walk every invariant of a `PageAllocator` and abort at the first that does not hold.
///
/// Checks the header; that the page size, if fetched, is a power of two; that each table's
/// pointer, capacity and mapped length agree; that the live table is sorted by address without
/// overlap and the retained table by size; that every block is aligned, a non-zero multiple of
/// the page size, and (if retained) within the retention bounds and not overlapping a live block;
/// and that the statistics and the footprint match the tables. O(n log n) in the blocks; meant
/// for tests and fuzzers, after every operation.
///
/// self[in] : An initialised page allocator.
///
/// SUCCESS: Returns normally when every invariant holds.
/// FAILURE: Aborts via `AllocFatal` (naming `PageAllocatorCheck`, pointing at `self`) with the
///          header reasons of `page_allocator_allocate` or with "corrupted allocator: <what>",
///          where <what> is one of "page size", "live table", "retained table",
///          "live table order", "live block", "retained table order", "retained block",
///          "retained bytes", "bytes in use", "footprint".
///
/// USAGE:
///     PageAllocator pages = PageAllocatorInit();
///     void *block = AllocatorAlloc(&pages, 100, 0);
///     PageAllocatorCheck(&pages);
///     AllocatorFree(&pages, block);
///     PageAllocatorCheck(&pages);
///     PageAllocatorDeinit(&pages);
///
/// TAGS: Allocator, Page, Check, Debug
///
ALLOC_API void PageAllocatorCheck(const PageAllocator *self);

///
/// The system page size in bytes, as this allocator uses it.
///
/// Fetched from the OS on the first call (or first allocation) and cached in
/// `self->cached_page_size`.
///
/// self[in,out] : An initialised page allocator.
///
/// SUCCESS: The page size, a power of two (typically 4096).
/// FAILURE: Aborts via `AllocFatal` (naming `PageAllocatorPageSize`) with the header reasons of
///          `page_allocator_allocate`.
///
/// TAGS: Allocator, Page, Query
///
ALLOC_API size_t PageAllocatorPageSize(PageAllocator *self);

///
/// Change the access rights of whole pages: guard pages, read-only data, use-after-free traps.
///
/// Works on any page-aligned range of mapped memory, typically a block of a `PageAllocator`.
/// `bytes` is rounded up to whole pages. Not tied to an allocator: the allocator does not record
/// the change, so restore `PAGE_PROTECT_READ_WRITE` before freeing the block.
///
/// ptr[in]   : Start of the range; must be aligned to the system page size.
/// bytes[in] : Length of the range in bytes; rounded up to whole pages.
/// prot[in]  : The new access rights; see `PageProtection`.
///
/// SUCCESS: Returns 1; every page of the range now has the rights `prot`.
/// FAILURE: Returns 0 and changes nothing when `ptr` is NULL or not page-aligned, `bytes` is 0 or
///          its page rounding overflows, `prot` is not a `PageProtection` value, or the OS refuses
///          (for instance, part of the range is not mapped).
///
/// USAGE:
///     PageAllocator pages = PageAllocatorInit();
///     size_t page = PageAllocatorPageSize(&pages);
///     char *table = AllocatorAlloc(&pages, 2 * page, 1);
///     PageProtect(table + page, page, PAGE_PROTECT_NONE);   // guard page: overruns fault
///     PageProtect(table + page, page, PAGE_PROTECT_READ_WRITE);
///     AllocatorFree(&pages, table);
///     PageAllocatorDeinit(&pages);
///
/// TAGS: Page, Protection, Memory
///
ALLOC_API int8_t PageProtect(void *ptr, size_t bytes, PageProtection prot);

ALLOC_END_DECLS

#endif // ALLOC_PAGE_H
