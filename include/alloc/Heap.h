///
/// `HeapAllocator`: the general-purpose allocator of the library, and `DefaultAllocator`, its
/// alias. Small blocks (up to `HEAP_SMALL_MAX` bytes) come from size-classed pages inside large
/// aligned segments, with every piece of bookkeeping (free-slot stacks, live bitmaps, page and
/// segment descriptors) kept out of band in memory the heap mapped for itself; larger blocks are
/// page runs mapped one by one. Every free is checked: foreign, double, interior and misaligned
/// pointers abort with a fixed reason, every time.
///
/// TAGS: Allocator, Heap
///
#ifndef ALLOC_HEAP_H
#define ALLOC_HEAP_H

#include "alloc/Allocator.h"

ALLOC_BEGIN_DECLS

///
/// Size of a heap page, 64 KiB: the unit a size class takes from a segment. Every page serves a
/// single size class; its slots are consecutive blocks that start a few cache lines into the page
/// (a colour that differs from page to page, so the first slots of all pages do not compete for
/// the same cache sets). A page holds `HEAP_PAGE_SIZE / slot_size` slots, or one fewer when its
/// colour reaches past the page's unused tail (only for classes of 16 slots or more).
///
/// TAGS: Heap, Config
///
#define HEAP_PAGE_SIZE ((size_t)64 << 10)

///
/// Size of a heap segment, 4 MiB: small blocks live in segments mapped at an address that is a
/// multiple of this size, so `ptr & ~(HEAP_SEGMENT_SIZE - 1)` names the segment of any pointer.
/// A segment holds 64 pages; its descriptor is mapped separately.
///
/// TAGS: Heap, Config, Memory
///
#define HEAP_SEGMENT_SIZE ((size_t)4 << 20)

///
/// Largest request served from a size class, 8 KiB; larger requests get their own page run.
///
/// Classes are 16 to 128 bytes in steps of 16, then four classes per doubling (160, 192, 224,
/// 256, 320, …, 7168, 8192), so a block wastes at most 25 % of its slot above 128 bytes.
///
/// TAGS: Heap, Config
///
#define HEAP_SMALL_MAX ((size_t)8192)

///
/// Number of size classes: 8 classes from 16 to 128 bytes, then 24 up to `HEAP_SMALL_MAX`.
///
/// TAGS: Heap, Config
///
#define HEAP_CLASS_COUNT 32

///
/// Freed page runs a heap may always keep mapped for reuse (8), however few runs it has had live.
/// A heap that has had more runs live at once may keep as many as that high-water mark (see
/// `HEAP_RUN_DECAY_OPS`): a program that keeps many large blocks in flight finds their mappings
/// again instead of mapping, faulting in and unmapping each one. A large request that a retained
/// run fits (see `HEAP_RUN_REUSE_RATIO`) reuses it without a system call.
///
/// TAGS: Heap, Config, Memory
///
#define HEAP_RETAINED_MAX 8

///
/// The largest page run a heap retains when freed, and the bytes of freed runs it may always keep
/// mapped, 8 MiB; a heap may keep up to the high-water mark of its live runs' mapped bytes when
/// that is more (see `HEAP_RETAINED_MAX`). A freed run that would exceed the bound (or the
/// run count) evicts the shortest retained runs that are shorter than it, and is unmapped itself
/// when that is not enough; a run larger than 8 MiB is unmapped at once.
///
/// TAGS: Heap, Config, Memory
///
#define HEAP_RETAINED_MAX_BYTES ((size_t)8 << 20)

///
/// The retention's hysteresis (4096): every this many large allocations and frees, the
/// high-water marks that bound the retained runs (see `HEAP_RETAINED_MAX`) drop a quarter of the
/// way toward what is live now, and retained runs past the lowered bound are unmapped (the
/// shortest first). A burst of large blocks is retained for a while after it ends, not forever.
/// Every `HEAP_PAGE_DECAY_OPS` pages that fall empty decay these marks too, and this clock decays
/// the pages' mark, so either kind of work gives back what the other kind left.
///
/// TAGS: Heap, Config, Memory
///
#define HEAP_RUN_DECAY_OPS 4096

///
/// How much longer than a request (64×) a retained page run's mapping may be and still be reused
/// for it. The block gets its page-rounded size; the rest of the mapping stays with it, so the
/// block can grow into it later without a system call (a buffer that grows by doubling, is freed
/// and grown again finds its largest mapping again). Bounded by the retention limits, so at most
/// `HEAP_RETAINED_MAX_BYTES` of memory is held this way.
///
/// TAGS: Heap, Config, Reallocation
///
#define HEAP_RUN_REUSE_RATIO 64

///
/// Unused pages (64, i.e. 4 MiB) a heap may always keep with their contents; a heap that has had
/// more pages in use at once may keep as many as that high-water mark (see `HEAP_PAGE_DECAY_OPS`),
/// and one empty segment per 64 of them beyond this floor (else one). Each further page that
/// falls empty has its contents given back to the OS (`madvise(MADV_DONTNEED)` on Linux): it stays
/// mapped and counted in the footprint, but is no longer resident, and faults in again when reused.
///
/// TAGS: Heap, Config, Memory
///
#define HEAP_DIRTY_PAGES_MAX 64

///
/// The unused pages' hysteresis (1024): every this many pages that fall empty, the high-water
/// mark of pages in use (see `HEAP_DIRTY_PAGES_MAX`) drops a quarter of the way toward the pages in
/// use now; unused pages past the lowered bound have their contents discarded and empty segments
/// past it are unmapped. A program that frees and rebuilds its data reuses resident pages instead
/// of faulting in fresh ones; one that shrinks for good gives the memory back as it keeps working
/// (large allocations and frees count too: see `HEAP_RUN_DECAY_OPS`).
///
/// TAGS: Heap, Config, Memory
///
#define HEAP_PAGE_DECAY_OPS 1024

///
/// Number of recently freed page-run addresses a heap remembers (32), so that freeing one of
/// them again reports "double free" rather than "foreign pointer" once its memory is unmapped.
///
/// TAGS: Heap, Config, Debug
///
#define HEAP_FREED_MAX 32

///
/// Descriptor of one page of a size class. Opaque: defined privately by the heap (in
/// src/alloc/heap_internal.h) and stored in memory the heap maps for itself, never inside user
/// blocks.
///
/// TAGS: Heap
///
typedef struct HeapPage HeapPage;

///
/// Descriptor of one segment (64 pages). Opaque (defined in src/alloc/heap_internal.h), mapped
/// apart from the segment's user memory.
///
/// TAGS: Heap
///
typedef struct HeapSegment HeapSegment;

///
/// The heap's retained page runs, binned by length. Opaque: defined privately by the heap (in
/// src/alloc/heap_internal.h) and mapped apart from user memory.
///
/// TAGS: Heap, Memory
///
typedef struct HeapRetainedBins HeapRetainedBins;

///
/// The state a heap keeps per size class.
///
/// FIELDS:
/// - pages : List of this class's pages that have a free slot (or had one when last looked at);
///           its head is the page the fast path allocates from. NULL before the first allocation.
/// - warm  : The class's warm page (hysteresis), or NULL: when it falls empty it stays with the
///           class, so an alloc/free ping-pong never gives a page back and takes it again. The
///           first page of a class to fall empty becomes warm; a page that falls empty while the
///           warm page is empty too goes back to its segment, otherwise it becomes the warm one.
///           A class therefore keeps at most one empty page.
///
/// TAGS: Heap
///
typedef struct HeapSizeClass {
    HeapPage *pages;
    HeapPage *warm;
} HeapSizeClass;

///
/// A run of whole OS pages: a large block, or a freed one kept for reuse; an `AllocatorRun`
/// whose mapping (`cap`) may be longer than the block (`bytes`), so the block grows into it
/// without a system call.
///
/// TAGS: Heap, Memory
///
typedef AllocatorRun HeapRun;

///
/// The general-purpose allocator: size classes for small blocks, page runs for large ones, every
/// pointer checked on free, all bookkeeping out of band.
///
/// Small requests (1 to `HEAP_SMALL_MAX` bytes) are rounded up to one of `HEAP_CLASS_COUNT` size
/// classes. Each class allocates from 64 KiB pages carved out of 4 MiB segments. A page's
/// descriptor keeps a stack of its free slots' offsets and a bitmap with one bit per 16-byte
/// granule that marks where a live slot starts: allocation pops the stack (the most recently
/// freed slot comes back first) and sets the bit; free proves with one bit test that the pointer
/// starts a live slot, clears the bit and pushes the slot: O(1) both, no scan, no division.
/// Larger requests are page runs mapped from the OS one by one and kept in a table, indexed by
/// address once there are more than a few (a hash table: finding, adding and dropping a run cost
/// the same however many are live).
///
/// A pointer given back is first compared with the segment the previous free landed in, then
/// looked up in a hash table of this heap's own segments (nothing derived from the pointer is
/// read before its segment is proven to be this heap's), then in the run table, so a foreign pointer
/// never makes the heap touch memory it does not own, and every misuse is reported exactly:
/// "foreign pointer", "double free", "interior pointer" or "misaligned pointer".
///
/// Memory goes back to the OS on a bounded policy: each class keeps at most one empty page, its
/// warm page (an alloc/free ping-pong never maps or unmaps); further empty pages return to their
/// segment, and past `HEAP_DIRTY_PAGES_MAX` (or the decaying high-water mark of pages in use) their
/// contents are discarded; a segment whose pages are all unused is unmapped past the same bound
/// (`HEAP_PAGE_DECAY_OPS`); freed runs are retained up to
/// `HEAP_RETAINED_MAX` runs and `HEAP_RETAINED_MAX_BYTES` bytes, or as much as the heap had live
/// at its decaying high-water mark when that is more (`HEAP_RUN_DECAY_OPS`).
///
/// Not thread-safe: use one `HeapAllocator` per thread, or lock around every call. A heap must not
/// be copied once it has allocated: the copy would share the original's tables and segments.
///
/// FIELDS:
/// - base           : The `Allocator` header; `(Allocator *)&heap` is valid.
/// - small_limit    : Largest request the inline fast path serves: `HEAP_SMALL_MAX` when the
///                    alignment is a power of two up to 16, otherwise 0 (every call takes the
///                    checked slow path).
/// - os_page_size   : The OS page size in bytes, read on the first call that needs it (0 before).
/// - hot_base       : Address of the segment the last checked free found in `segments` (the
///                    free fast path compares a pointer's segment with it before the hash), or 1
///                    (never a segment address) when there is none; reset when that segment is
///                    unmapped.
/// - hot_segment    : Descriptor of the segment at `hot_base`, or NULL.
/// - classes        : Per size class state; see `HeapSizeClass`.
/// - segments       : This heap's segments keyed by address (segment base -> descriptor): the
///                    library's address map, read before any descriptor derived from a pointer.
/// - free_segments  : List of segments that have an unused page.
/// - empty_segments : Segments with no page in use (bounded as `HEAP_DIRTY_PAGES_MAX` says).
/// - dirty_pages    : Unused pages whose contents were not yet discarded (bounded likewise).
/// - used_pages     : Pages serving a size class.
/// - peak_pages     : High-water mark of `used_pages`, decayed every `HEAP_PAGE_DECAY_OPS`.
/// - page_clock     : Pages fallen empty since the last decay.
/// - large          : Live page runs, in no order; NULL until the first large allocation.
/// - large_len      : Live runs in `large`.
/// - large_cap      : Capacity of `large` in entries.
/// - large_bytes    : Mapped length of the `large` table in bytes.
/// - large_index    : Run address -> its row in `large` + 1 (the library's address map), built
///                    once the heap has had more than 16 live runs (a scan finds fewer).
/// - retained       : Freed runs kept mapped for reuse, binned by mapped length, each bin sorted
///                    by it (the most recent last among equals); NULL until the first.
/// - retained_len   : Runs in `retained`.
/// - retained_table : Mapped length of `retained` and its bins' tables in bytes.
/// - retained_bytes : Sum of the retained runs' lengths (bounded as `HEAP_RETAINED_MAX_BYTES`
///                    says).
/// - large_mapped   : Sum of the live runs' mapped lengths (`cap`).
/// - peak_runs      : High-water mark of `large_len`, decayed every `HEAP_RUN_DECAY_OPS`.
/// - peak_mapped    : High-water mark of `large_mapped`, decayed likewise.
/// - decay_clock    : Large allocations and frees since the last decay.
/// - freed          : Ring of recently unmapped run addresses, for the "double free" diagnosis.
/// - freed_next     : Next slot of `freed` to overwrite.
///
/// TAGS: Allocator, Heap
///
struct HeapAllocator {
    Allocator        base;
    size_t           small_limit;   // bytes: HEAP_SMALL_MAX or 0
    size_t           os_page_size;  // bytes, 0 until first needed
    uintptr_t        hot_base;      // segment of the last free, 1 for none
    HeapSegment     *hot_segment;
    HeapSizeClass    classes[HEAP_CLASS_COUNT];
    AllocatorAddressMap segments;   // segment base -> HeapSegment *
    HeapSegment     *free_segments;
    uint32_t         empty_segments;
    uint32_t         dirty_pages;
    uint32_t         used_pages;
    uint32_t         peak_pages;
    uint32_t         page_clock;
    HeapRun         *large;
    size_t           large_len;
    size_t           large_cap;
    size_t           large_bytes;
    AllocatorAddressMap large_index; // run address -> row + 1
    HeapRetainedBins *retained;
    size_t           retained_len;
    size_t           retained_table;
    size_t           retained_bytes;
    size_t           large_mapped;
    size_t           peak_runs;
    size_t           peak_mapped;
    uint32_t         decay_clock;
    void            *freed[HEAP_FREED_MAX];
    size_t           freed_next;
};

ALLOC_STATIC_ASSERT(offsetof(HeapAllocator, base) == 0, "HeapAllocator must start with its Allocator");

///
/// Allocate a block of at least `bytes` bytes.
///
/// Requests up to `HEAP_SMALL_MAX` take a slot of their size class (O(1): the top of the free
/// stack of the class's current page, the slot freed last); larger ones, and every request when the heap's alignment exceeds
/// `HEAP_SMALL_MAX`, get a page run of their own.
///
/// self[in,out] : An initialised heap.
/// bytes[in]    : Requested size in bytes; 0 returns NULL.
/// zeroed[in]   : Non-zero to get the whole block (its usable size) zero-filled, recycled or not.
///
/// SUCCESS: A block aligned to the heap's alignment (at least 16 bytes for small blocks, the
///          page size for runs) with `HeapAllocatorUsableSize` bytes usable. Counts one allocation
///          of the block's effective size.
/// FAILURE: Returns NULL, with nothing counted, when `bytes` is 0. Returns NULL and counts a
///          failed allocation when `bytes` cannot be rounded up without overflow or the OS
///          refuses memory. Aborts via `AllocFatal` naming `heap_allocator_allocate` with
///          "NULL allocator", "uninitialised allocator" or "type-confusion: not a HeapAllocator"
///          for a bad `self`, and with "corrupted allocator: NULL function pointer" or
///          "corrupted allocator: alignment is not a power of two" for a damaged header. The
///          inline fast path compares only the magic; the full header check runs whenever a call
///          leaves it (first use, a new page, a page run, an alignment above 16), in
///          `heap_allocator_resize`, `heap_allocator_remap` and `HeapAllocatorCheck`.
///
/// USAGE:
///     HeapAllocator heap = HeapAllocatorInit();
///     char *name = heap_allocator_allocate(&heap, 32, 1);
///     heap_allocator_deallocate(&heap, name);
///     HeapAllocatorDeinit(&heap);
///
/// TAGS: Allocator, Heap, Allocation
///
ALLOC_API void *heap_allocator_allocate(HeapAllocator *self, size_t bytes, int8_t zeroed);

///
/// Resize a block in place, never moving it.
///
/// A small block resizes when `new_size` fits its slot; a page run shrinks by unmapping its tail
/// pages, and grows only if the OS can extend the mapping where it is.
///
/// self[in,out] : An initialised heap.
/// ptr[in]      : A live block of `self`, or NULL.
/// new_size[in] : The wanted size in bytes.
///
/// SUCCESS: Returns 1: the block holds at least `new_size` bytes at the same address; counts one
///          reallocation.
/// FAILURE: Returns 0 with the block untouched when `ptr` is NULL, `new_size` is 0, `new_size`
///          exceeds a small block's slot, or a run cannot grow in place. Aborts via `AllocFatal`
///          naming `heap_allocator_resize` for a bad `self` (as `heap_allocator_allocate`) or a
///          bad `ptr`: "foreign pointer", "double free" (a freed block), "interior pointer",
///          "misaligned pointer".
///
/// USAGE:
///     HeapAllocator heap = HeapAllocatorInit();
///     char *buf = heap_allocator_allocate(&heap, 100, 0); // a 112-byte slot
///     int8_t grown = heap_allocator_resize(&heap, buf, 112);  // 1: same slot
///     heap_allocator_deallocate(&heap, buf);
///     HeapAllocatorDeinit(&heap);
///
/// TAGS: Allocator, Heap, InPlace
///
ALLOC_API int8_t heap_allocator_resize(HeapAllocator *self, void *ptr, size_t new_size);

///
/// Resize a block, moving it when it must.
///
/// Stays in place when `new_size` fits the small block's slot, or when a page run fits its
/// mapping (no system call) or can be shrunk or extended where it is (mremap); a page run
/// otherwise moves with `mremap` (its page tables move, no byte is copied) when the heap's
/// alignment is at most the page size. Everything else (a small block that outgrows its slot, a
/// run of an over-aligned heap) allocates a new block, copies `min(old, new)` bytes and frees the
/// old block.
///
/// self[in,out] : An initialised heap.
/// ptr[in]      : A live block of `self`, or NULL to allocate zero-filled memory.
/// new_size[in] : The wanted size; 0 frees `ptr` and returns NULL.
///
/// SUCCESS: The block's address (maybe unchanged); the first `min(old, new)` bytes are preserved.
///          Counts one reallocation (an allocation for NULL, a deallocation for size 0).
/// FAILURE: Returns NULL and counts a failed allocation when memory is exhausted; the old block is
///          untouched and still owned by the caller. Returns NULL after freeing `ptr` when
///          `new_size` is 0. Aborts via `AllocFatal` naming `heap_allocator_remap` for a bad `self`
///          or `ptr`, with the reasons of `heap_allocator_resize`.
///
/// USAGE:
///     HeapAllocator heap = HeapAllocatorInit();
///     int *v = heap_allocator_allocate(&heap, 4 * sizeof(int), 0);
///     int *w = heap_allocator_remap(&heap, v, 4096 * sizeof(int));
///     if (w) v = w;
///     heap_allocator_deallocate(&heap, v);
///     HeapAllocatorDeinit(&heap);
///
/// TAGS: Allocator, Heap, Reallocation
///
ALLOC_API void *heap_allocator_remap(HeapAllocator *self, void *ptr, size_t new_size);

///
/// Free a block, checking that it is a live block of this heap.
///
/// O(1) for small blocks; a page run is retained for reuse or unmapped (see `HeapAllocator`).
///
/// self[in,out] : An initialised heap.
/// ptr[in]      : A live block of `self`, or NULL (no-op).
///
/// SUCCESS: Returns the block's effective size (its slot size or run length, as
///          `HeapAllocatorUsableSize` said); counts one deallocation.
/// FAILURE: Returns 0 for NULL. Aborts via `AllocFatal` naming `heap_allocator_deallocate` for a
///          bad `self` (as `heap_allocator_allocate`) or with, exactly: "foreign pointer" (not in
///          this heap: the stack, libc, another heap), "double free" (a freed slot, a retained or
///          recently unmapped run, a page the class gave back), "interior pointer" (inside a block,
///          aligned), "misaligned pointer" (inside a block, not aligned to the heap's alignment).
///
/// USAGE:
///     HeapAllocator heap = HeapAllocatorInit();
///     void *block = heap_allocator_allocate(&heap, 100, 0);
///     size_t released = heap_allocator_deallocate(&heap, block); // 112: the slot size_t
///     HeapAllocatorDeinit(&heap);
///
/// TAGS: Allocator, Heap, Deallocation
///
ALLOC_API size_t heap_allocator_deallocate(HeapAllocator *self, void *ptr);

///
/// Vtable entry: `heap_allocator_allocate`'s fast path with the `Allocator *` signature of
/// `AllocatorAllocateFn`, stored in `base.allocate` by `HeapAllocatorInit`. Call
/// `heap_allocator_allocate` or `AllocatorAlloc` instead.
///
/// self[in,out] : The `base` of a `HeapAllocator`.
/// bytes[in]    : As for `heap_allocator_allocate`.
/// zeroed[in]   : As for `heap_allocator_allocate`.
///
/// SUCCESS: As `heap_allocator_allocate`.
/// FAILURE: As `heap_allocator_allocate`, except that a bad header aborts with the diagnostics
///          of `allocator_alloc_dyn` (any call off the fast path is checked as it checks) and a
///          failed allocation is retried per `effort`.
///
/// TAGS: Allocator, Heap, Allocation, Dispatch
///
ALLOC_API void *heap_allocator_vtable_allocate(Allocator *self, size_t bytes, int8_t zeroed);

///
/// Vtable adapter: `heap_allocator_resize` with the signature of `AllocatorResizeFn`.
///
/// self[in,out] : The `base` of a `HeapAllocator`.
/// ptr[in]      : As for `heap_allocator_resize`.
/// new_size[in] : As for `heap_allocator_resize`.
///
/// SUCCESS: As `heap_allocator_resize`.
/// FAILURE: As `heap_allocator_resize`.
///
/// TAGS: Allocator, Heap, InPlace, Dispatch
///
ALLOC_API int8_t heap_allocator_vtable_resize(Allocator *self, void *ptr, size_t new_size);

///
/// Vtable adapter: `heap_allocator_remap` with the signature of `AllocatorRemapFn`.
///
/// self[in,out] : The `base` of a `HeapAllocator`.
/// ptr[in]      : As for `heap_allocator_remap`.
/// new_size[in] : As for `heap_allocator_remap`.
///
/// SUCCESS: As `heap_allocator_remap`.
/// FAILURE: As `heap_allocator_remap`.
///
/// TAGS: Allocator, Heap, Reallocation, Dispatch
///
ALLOC_API void *heap_allocator_vtable_remap(Allocator *self, void *ptr, size_t new_size);

///
/// Vtable entry: `heap_allocator_deallocate`'s fast path with the signature of
/// `AllocatorDeallocateFn`.
///
/// self[in,out] : The `base` of a `HeapAllocator`.
/// ptr[in]      : As for `heap_allocator_deallocate`.
///
/// SUCCESS: As `heap_allocator_deallocate`.
/// FAILURE: As `heap_allocator_deallocate`, except that a bad header aborts with the diagnostics
///          of `allocator_free_dyn` (any call off the fast path is checked as it checks).
///
/// TAGS: Allocator, Heap, Deallocation, Dispatch
///
ALLOC_API size_t heap_allocator_vtable_deallocate(Allocator *self, void *ptr);

///
/// The allocator `HeapAllocatorInitAligned` yields, returned by a function: what that macro
/// expands to in C++, which has no compound literals. C code uses the macro.
///
/// alignment[in]: Alignment in bytes of every block; a power of two (checked on first use, as by the macro).
///
/// SUCCESS: Returns `HeapAllocatorInitAligned(alignment)` by value; no OS call.
/// FAILURE: Cannot fail; invalid arguments are reported by the first call on the allocator,
///          exactly as for the macro.
///
/// TAGS: Allocator, Heap, Init
///
ALLOC_API HeapAllocator heap_allocator_init(size_t alignment);

#ifdef __cplusplus
#define HeapAllocatorInitAligned(N) heap_allocator_init((size_t)(N))
#else
///
/// A `HeapAllocator` whose blocks are aligned to `N` bytes.
///
/// Expands to a compound literal: no system call, cannot fail, usable as an initializer. Up to 16
/// every block is 16-aligned anyway and the fast path serves small requests. Above 16 and up to
/// `HEAP_SMALL_MAX`, small requests take the smallest class whose slot size is a multiple of `N`
/// (slots are then naturally aligned); above `HEAP_SMALL_MAX` every block is a page run mapped at
/// an `N`-aligned address.
///
/// N[in] : Alignment in bytes of every block; a power of two.
///
/// SUCCESS: A ready heap with nothing mapped; `base.effort` is `ALLOCATOR_EFFORT_ONCE` and
///          `base.retry_limit` `ALLOCATOR_DEFAULT_RETRY_LIMIT`.
/// FAILURE: Cannot fail; an `N` that is not a power of two makes the first allocation abort with
///          "corrupted allocator: alignment is not a power of two".
///
/// USAGE:
///     HeapAllocator lines = HeapAllocatorInitAligned(64); // cache-line aligned blocks
///     void *row = heap_allocator_allocate(&lines, 200, 0); // a 256-byte slot on a 64-byte boundary
///     heap_allocator_deallocate(&lines, row);
///     HeapAllocatorDeinit(&lines);
///
/// TAGS: Allocator, Heap, Init
///
#define HeapAllocatorInitAligned(N)                                                                \
    ((HeapAllocator){.base        = {.allocate    = heap_allocator_vtable_allocate,                \
                                     .resize      = heap_allocator_vtable_resize,                  \
                                     .remap       = heap_allocator_vtable_remap,                   \
                                     .deallocate  = heap_allocator_vtable_deallocate,              \
                                     .alignment   = (size_t)(N),                                   \
                                     .effort      = ALLOCATOR_EFFORT_ONCE,                         \
                                     .retry_limit = ALLOCATOR_DEFAULT_RETRY_LIMIT,                 \
                                     .magic       = HEAP_ALLOCATOR_MAGIC,                          \
                                     .validates_itself = 1},                                       \
                     .small_limit = ((size_t)(N) != 0 && ((size_t)(N) & ((size_t)(N) - 1)) == 0 &&      \
                                     (size_t)(N) <= 16)                                            \
                                        ? HEAP_SMALL_MAX                                           \
                                        : 0,                                                       \
                     .hot_base    = 1})
#endif

///
/// A `HeapAllocator` with the default alignment, `ALLOCATOR_DEFAULT_ALIGNMENT` (16).
///
/// SUCCESS: A ready heap with nothing mapped, as `HeapAllocatorInitAligned`.
/// FAILURE: Cannot fail.
///
/// USAGE:
///     HeapAllocator heap = HeapAllocatorInit();
///     double *xs = AllocatorAlloc(&heap, 100 * sizeof(double), 1);
///     AllocatorFree(&heap, xs);
///     HeapAllocatorDeinit(&heap);
///
/// TAGS: Allocator, Heap, Init
///
#define HeapAllocatorInit() HeapAllocatorInitAligned(ALLOCATOR_DEFAULT_ALIGNMENT)

///
/// Release everything a heap mapped, including blocks the user never freed, and zero it.
///
/// Unmaps every segment and its descriptor, every live and retained page run, and the heap's
/// tables, so `base.footprint_bytes` drops to 0; then zeroes the whole struct, so any later call
/// on it aborts with "uninitialised allocator". Re-initialise with `HeapAllocatorInit` to reuse it.
///
/// self[in,out] : An initialised heap.
///
/// SUCCESS: All memory is returned to the OS and `*self` is all zero bytes. O(segments + runs).
/// FAILURE: Aborts via `AllocFatal` naming `HeapAllocatorDeinit` with "NULL allocator",
///          "uninitialised allocator" (also on a second Deinit) or "type-confusion: not a
///          HeapAllocator".
///
/// USAGE:
///     HeapAllocator heap = HeapAllocatorInit();
///     heap_allocator_allocate(&heap, 64, 0); // leaked on purpose
///     HeapAllocatorDeinit(&heap);             // still unmapped
///
/// TAGS: Allocator, Heap, Cleanup
///
ALLOC_API void HeapAllocatorDeinit(HeapAllocator *self);

///
/// Walk every invariant of a heap and abort at the first broken one.
///
/// Checks the header, the segment hash (every segment found from its own address), each page's
/// free stack (distinct slots, none live) and live bitmap (bits only at slot starts, live plus
/// free equal to the page's capacity), each class list (links, membership, class), the
/// segments' free-page sets, the run table (sorted, page multiples, disjoint), the retained
/// runs, that `base.stats.bytes_in_use` equals the effective bytes of the live blocks and that
/// `base.footprint_bytes` equals what the heap has mapped. Costs O(mapped memory / 64 KiB ×
/// 64 words); meant for tests and fuzzers, after every operation if they like.
///
/// self[in] : An initialised heap.
///
/// SUCCESS: Returns; the heap is consistent.
/// FAILURE: Aborts via `AllocFatal` naming `HeapAllocatorCheck` with a bad-header reason (as
///          `heap_allocator_allocate`) or "corrupted allocator: <what>", where <what> is one of
///          "segment table", "segment list", "page stack", "page bitmap", "page count",
///          "class list", "run table", "retained runs", "bytes in use", "footprint".
///
/// USAGE:
///     HeapAllocator heap = HeapAllocatorInit();
///     void *a = heap_allocator_allocate(&heap, 24, 0);
///     HeapAllocatorCheck(&heap);
///     heap_allocator_deallocate(&heap, a);
///     HeapAllocatorCheck(&heap);
///     HeapAllocatorDeinit(&heap);
///
/// TAGS: Heap, Check, Debug
///
ALLOC_API void HeapAllocatorCheck(const HeapAllocator *self);

///
/// Bytes usable in a live block: its slot size, or the length of its page run. Never less than
/// what was requested; the same number `heap_allocator_deallocate` returns.
///
/// self[in] : An initialised heap.
/// ptr[in]  : A live block of `self`, or NULL.
///
/// SUCCESS: The usable size in bytes; O(1) for small blocks, O(log runs) for page runs.
/// FAILURE: Returns 0 for NULL. Aborts via `AllocFatal` naming `HeapAllocatorUsableSize` for a bad
///          `self` or `ptr`, with the reasons of `heap_allocator_deallocate`.
///
/// USAGE:
///     HeapAllocator heap = HeapAllocatorInit();
///     char *s = heap_allocator_allocate(&heap, 100, 0);
///     size_t room = HeapAllocatorUsableSize(&heap, s); // 112
///     heap_allocator_deallocate(&heap, s);
///     HeapAllocatorDeinit(&heap);
///
/// TAGS: Heap, Query
///
ALLOC_API size_t HeapAllocatorUsableSize(const HeapAllocator *self, const void *ptr);

///
/// The library's default allocator: another name for `HeapAllocator`, for code that wants "a good
/// general-purpose allocator" without naming a strategy. Everything said of `HeapAllocator` holds,
/// including that it is not thread-safe.
///
/// TAGS: Allocator, Heap
///
typedef HeapAllocator DefaultAllocator;

///
/// A `DefaultAllocator` with the default alignment: `HeapAllocatorInit()`.
///
/// SUCCESS: A ready heap with nothing mapped.
/// FAILURE: Cannot fail.
///
/// USAGE:
///     DefaultAllocator heap = DefaultAllocatorInit();
///     void *p = AllocatorAlloc(&heap, 40, 0);
///     AllocatorFree(&heap, p);
///     DefaultAllocatorDeinit(&heap);
///
/// TAGS: Allocator, Heap, Init
///
#define DefaultAllocatorInit() HeapAllocatorInit()

///
/// Release a `DefaultAllocator`: `HeapAllocatorDeinit(p)`.
///
/// p[in,out] : An initialised `DefaultAllocator`.
///
/// SUCCESS: All memory is returned to the OS and `*p` is all zero bytes.
/// FAILURE: Aborts like `HeapAllocatorDeinit`, naming `HeapAllocatorDeinit`.
///
/// TAGS: Allocator, Heap, Cleanup
///
#define DefaultAllocatorDeinit(p) HeapAllocatorDeinit(p)

ALLOC_END_DECLS

#endif // ALLOC_HEAP_H
