///
/// The allocator base and its dispatch: the `Allocator` interface every allocator of the library
/// implements, the `_Generic` macros that call a typed allocator directly or any allocator through
/// `Allocator *`, and the statistics accessors.
///
/// TAGS: Allocator
///
#ifndef ALLOC_ALLOCATOR_H
#define ALLOC_ALLOCATOR_H

#include "alloc/Export.h"
#include "alloc/Log.h"

#include <stddef.h> // size_t
#include <stdint.h> // int8_t … uint64_t

ALLOC_BEGIN_DECLS

typedef struct Allocator       Allocator;
typedef struct PageAllocator   PageAllocator;
typedef struct HeapAllocator   HeapAllocator;
typedef struct ArenaAllocator  ArenaAllocator;
typedef struct SlabAllocator   SlabAllocator;
typedef struct BudgetAllocator BudgetAllocator;
typedef struct DebugAllocator  DebugAllocator;

///
/// Vtable slot: allocate a block. See `Allocator` for the contract every implementation keeps.
///
/// self[in,out] : The allocator.
/// bytes[in]    : Requested size in bytes; 0 returns NULL.
/// zeroed[in]   : Non-zero to get zero-filled memory, on every path including recycled memory.
///
/// SUCCESS: A pointer aligned to at least `self->alignment` with room for `bytes` bytes.
/// FAILURE: NULL when `bytes` is 0, the request is too large, or memory is exhausted.
///
/// TAGS: Allocator, Allocation
///
typedef void *(*AllocatorAllocateFn)(Allocator *self, size_t bytes, int8_t zeroed);

///
/// Vtable slot: resize a block in place, never moving it.
///
/// self[in,out] : The allocator that owns `ptr`.
/// ptr[in]      : A live block of `self`.
/// new_size[in] : The wanted size in bytes, larger or smaller.
///
/// SUCCESS: Returns 1; the block now holds at least `new_size` bytes at the same address.
/// FAILURE: Returns 0 when it cannot be done in place; the block is untouched.
///
/// TAGS: Allocator, InPlace
///
typedef int8_t (*AllocatorResizeFn)(Allocator *self, void *ptr, size_t new_size);

///
/// Vtable slot: resize a block, moving it when it must.
///
/// self[in,out] : The allocator that owns `ptr`.
/// ptr[in]      : A live block of `self`, or NULL to allocate (zero-filled).
/// new_size[in] : The wanted size in bytes; 0 frees `ptr` and returns NULL.
///
/// SUCCESS: The block's new address; the first `min(old, new)` bytes are preserved.
/// FAILURE: NULL; the old block is untouched and still owned by the caller.
///
/// TAGS: Allocator, Reallocation
///
typedef void *(*AllocatorRemapFn)(Allocator *self, void *ptr, size_t new_size);

///
/// Vtable slot: release a block.
///
/// self[in,out] : The allocator that owns `ptr`.
/// ptr[in]      : A live block of `self`, or NULL (no-op).
///
/// SUCCESS: Returns the number of bytes really released: the block's effective size.
/// FAILURE: Returns 0 for NULL; a foreign, interior or already-freed pointer aborts via `AllocFatal`.
///
/// TAGS: Allocator, Deallocation
///
typedef size_t (*AllocatorDeallocateFn)(Allocator *self, void *ptr);

///
/// How hard the dynamic (`Allocator *`) path tries before it reports an allocation failure.
///
/// FIELDS:
/// - ALLOCATOR_EFFORT_ONCE  : One attempt; a NULL from the allocator is returned at once.
/// - ALLOCATOR_EFFORT_RETRY : Up to `retry_limit + 1` attempts before NULL is returned; the call
///                            still counts at most one `failed_allocations`.
///
/// TAGS: Allocator, Config
///
typedef enum AllocatorEffort {
    ALLOCATOR_EFFORT_ONCE  = 0,
    ALLOCATOR_EFFORT_RETRY = 1
} AllocatorEffort;

///
/// Counters every allocator keeps about its own use, identical whichever path (typed or
/// `Allocator *`) made the call.
///
/// Byte counts are the allocator's effective sizes (what `AllocatorFree` returns), so a block of
/// 100 bytes from a 112-byte size class counts 112 in `bytes_in_use`.
///
/// FIELDS:
/// - bytes_requested    : Sum of the sizes callers asked for, over the allocator's life.
/// - bytes_in_use       : Effective bytes of the blocks live right now.
/// - peak_bytes_in_use  : Highest `bytes_in_use` seen since Init or the last `AllocatorResetStats`.
/// - allocations        : Successful allocations (including a remap of NULL).
/// - reallocations      : Successful resizes and remaps of a live block.
/// - deallocations      : Blocks released (including a remap to size 0).
/// - failed_allocations : Allocations, resizes and remaps that returned NULL or 0 for lack of memory.
///                        One call is one failure however many attempts `ALLOCATOR_EFFORT_RETRY`
///                        made; a call whose retry succeeded counts none.
///
/// TAGS: Allocator, Stats
///
typedef struct AllocatorStats {
    size_t bytes_requested;
    size_t bytes_in_use;
    size_t peak_bytes_in_use;
    uint64_t allocations;
    uint64_t reallocations;
    uint64_t deallocations;
    uint64_t failed_allocations;
} AllocatorStats;

///
/// The base of every allocator: a vtable of four functions plus the alignment, retry policy,
/// type sentinel and statistics that all allocators share.
///
/// Every typed allocator (`PageAllocator`, `HeapAllocator`, …) embeds an `Allocator` as its first
/// member, so `(Allocator *)&typed` — or `ALLOCATOR_OF(&typed)` — is well defined, and code that
/// takes an `Allocator *` works with any of them.
///
/// The contract every implementation keeps:
/// - `allocate(self, 0, z)` returns NULL and counts nothing; `zeroed` is honoured on every path.
/// - `resize` never moves: 1 means the block now holds `new_size` bytes, 0 means it could not and
///   the block is exactly as before.
/// - `remap` may move: NULL means failure and the old block is untouched; `remap(NULL, n)`
///   allocates zero-filled memory; `remap(p, 0)` frees `p` and returns NULL.
/// - `deallocate(NULL)` returns 0; otherwise it returns the bytes released.
/// - What each kind may refuse (never with an abort, and never for a valid block other than as
///   listed): `PageAllocator` and `HeapAllocator` refuse a `resize` the pages behind (or inside
///   the size class of) the block cannot hold; `SlabAllocator` and `BudgetAllocator` refuse any
///   request, `resize` or `remap` past their slot size, and `BudgetAllocator` an allocation when
///   every slot is taken; `ArenaAllocator` refuses a `resize` of any block but the most recent
///   (which grows into its chunk's room) and releases nothing on the
///   `deallocate` of a block other than the most recent (it returns 0; the bytes come back at
///   `ArenaAllocatorReset`), but its `remap` moves any block; `DebugAllocator` refuses a `resize`
///   past the block's own mapping. Every kind's `allocate` and `remap` return NULL when memory is
///   exhausted.
/// - A pointer the allocator did not hand out, a double free, an interior pointer, a call on an
///   uninitialised or deinitialised allocator and a call with the wrong allocator type abort via
///   `AllocFatal` with a fixed reason; running out of memory is never fatal.
/// - The allocator's bookkeeping never lives inside user blocks.
///
/// FIELDS:
/// - allocate        : Allocation function; see `AllocatorAllocateFn`.
/// - resize          : In-place resize function; see `AllocatorResizeFn`.
/// - remap           : Moving resize function; see `AllocatorRemapFn`.
/// - deallocate      : Release function; see `AllocatorDeallocateFn`.
/// - alignment       : Minimum alignment of every block in bytes; a power of two greater than 0.
/// - effort          : Retry policy of the dynamic path; see `AllocatorEffort`.
/// - retry_limit     : Extra attempts made when `effort` is `ALLOCATOR_EFFORT_RETRY`.
/// - magic           : Eight ASCII characters naming the allocator type (`"pageallc"`, `"heapallc"`,
///                     `"arenaalc"`, `"slaballc"`, `"budgetal"`, `"dbgallc!"`) read as a
///                     little-endian `uint64_t`; 0 means uninitialised.
/// - validates_itself : 1 when the four functions check the header themselves, with the dynamic
///                     path's diagnostics, and apply `effort` when called through `Allocator *`,
///                     so `Allocator *` calls go straight to them (the heap,
///                     arena, slab and budget kinds set it); 0 (a foreign implementation, or any
///                     allocator left out) makes the dynamic path validate the header before
///                     every call.
/// - stats           : Usage counters; read them with the `AllocatorStatsOf` family.
/// - footprint_bytes : Bytes currently mapped from the operating system, tables included.
///
/// TAGS: Allocator
///
struct Allocator {
    AllocatorAllocateFn   allocate;
    AllocatorResizeFn     resize;
    AllocatorRemapFn      remap;
    AllocatorDeallocateFn deallocate;
    size_t                alignment;
    AllocatorEffort       effort;
    uint32_t              retry_limit;
    uint64_t              magic;
    uint32_t              validates_itself;
    AllocatorStats        stats;
    size_t                footprint_bytes;
};

///
/// An allocator's private map from an address to its own bookkeeping (a segment, a slab, a block
/// record): an open-addressing hash table the allocator maps from the OS, never inside user
/// blocks. Its layout is the library's business; it is public only so allocators can embed it.
/// The zero value is an empty map (no OS call until the first insert).
///
/// FIELDS:
/// - slots : The table (private layout), or NULL while the map is empty and unmapped.
/// - len   : Entries in the map.
/// - bytes : Mapped length of `slots` in bytes.
/// - bits  : log2 of the number of slots (0 while `slots` is NULL).
///
/// TAGS: Allocator, Memory
///
typedef struct AllocatorAddressMap {
    struct AllocatorAddressSlot *slots;
    size_t                       len;
    size_t                       bytes;
    uint32_t                     bits;
} AllocatorAddressMap;

///
/// A run of whole OS pages an allocator mapped for one block: a row of the run tables
/// `PageAllocator` and `HeapAllocator` keep out of band (live blocks sorted by address, freed
/// runs kept for reuse sorted by size).
///
/// FIELDS:
/// - ptr   : Start of the run; the address handed to the user. Aligned to the larger of the page
///           size and the allocator's alignment.
/// - bytes : The block's effective size in bytes, a multiple of the page size: what a free of it
///           returns (for a retained run, its whole mapping).
/// - cap   : Mapped length in bytes from `ptr`, at least `bytes`: a block may grow into the rest
///           without a system call (`PageAllocator` keeps it equal to `bytes`).
///
/// TAGS: Allocator, Memory
///
typedef struct AllocatorRun {
    void  *ptr;
    size_t bytes;
    size_t cap;
} AllocatorRun;

///
/// Magic of `PageAllocator`: the characters `pageallc` read as a little-endian `uint64_t`.
///
/// TAGS: Allocator, Page
///
#define PAGE_ALLOCATOR_MAGIC 0x636c6c6165676170ULL

///
/// Magic of `HeapAllocator`: the characters `heapallc` read as a little-endian `uint64_t`.
///
/// TAGS: Allocator, Heap
///
#define HEAP_ALLOCATOR_MAGIC 0x636c6c6170616568ULL

///
/// Magic of `ArenaAllocator`: the characters `arenaalc` read as a little-endian `uint64_t`.
///
/// TAGS: Allocator, Arena
///
#define ARENA_ALLOCATOR_MAGIC 0x636c61616e657261ULL

///
/// Magic of `SlabAllocator`: the characters `slaballc` read as a little-endian `uint64_t`.
///
/// TAGS: Allocator, Slab
///
#define SLAB_ALLOCATOR_MAGIC 0x636c6c6162616c73ULL

///
/// Magic of `BudgetAllocator`: the characters `budgetal` read as a little-endian `uint64_t`.
///
/// TAGS: Allocator, Budget
///
#define BUDGET_ALLOCATOR_MAGIC 0x6c61746567647562ULL

///
/// Magic of `DebugAllocator`: the characters `dbgallc!` read as a little-endian `uint64_t`.
///
/// TAGS: Allocator, Debug
///
#define DEBUG_ALLOCATOR_MAGIC 0x21636c6c61676264ULL

///
/// Default alignment of every allocator made with a plain Init macro (`HeapAllocatorInit`, `PageAllocatorInit`, …): 16 bytes, enough
/// for any scalar type on the supported platforms.
///
/// TAGS: Allocator, Config
///
#define ALLOCATOR_DEFAULT_ALIGNMENT 16

///
/// Default `retry_limit` of every allocator made with a plain Init macro (`HeapAllocatorInit`, `PageAllocatorInit`, …).
///
/// TAGS: Allocator, Config
///
#define ALLOCATOR_DEFAULT_RETRY_LIMIT 2

// Typed vtable implementations, declared here so the dispatch macros can name them; each is
// documented in its allocator's header.
ALLOC_API void *page_allocator_allocate(PageAllocator *self, size_t bytes, int8_t zeroed);
ALLOC_API int8_t page_allocator_resize(PageAllocator *self, void *ptr, size_t new_size);
ALLOC_API void *page_allocator_remap(PageAllocator *self, void *ptr, size_t new_size);
ALLOC_API size_t page_allocator_deallocate(PageAllocator *self, void *ptr);
ALLOC_API void *heap_allocator_allocate(HeapAllocator *self, size_t bytes, int8_t zeroed);
ALLOC_API int8_t heap_allocator_resize(HeapAllocator *self, void *ptr, size_t new_size);
ALLOC_API void *heap_allocator_remap(HeapAllocator *self, void *ptr, size_t new_size);
ALLOC_API size_t heap_allocator_deallocate(HeapAllocator *self, void *ptr);
ALLOC_API void *arena_allocator_allocate(ArenaAllocator *self, size_t bytes, int8_t zeroed);
ALLOC_API int8_t arena_allocator_resize(ArenaAllocator *self, void *ptr, size_t new_size);
ALLOC_API void *arena_allocator_remap(ArenaAllocator *self, void *ptr, size_t new_size);
ALLOC_API size_t arena_allocator_deallocate(ArenaAllocator *self, void *ptr);
ALLOC_API void *arena_allocator_vtable_allocate(Allocator *self, size_t bytes, int8_t zeroed);
ALLOC_API void *slab_allocator_allocate(SlabAllocator *self, size_t bytes, int8_t zeroed);
ALLOC_API int8_t slab_allocator_resize(SlabAllocator *self, void *ptr, size_t new_size);
ALLOC_API void *slab_allocator_remap(SlabAllocator *self, void *ptr, size_t new_size);
ALLOC_API size_t slab_allocator_deallocate(SlabAllocator *self, void *ptr);
ALLOC_API void *budget_allocator_allocate(BudgetAllocator *self, size_t bytes, int8_t zeroed);
ALLOC_API int8_t budget_allocator_resize(BudgetAllocator *self, void *ptr, size_t new_size);
ALLOC_API void *budget_allocator_remap(BudgetAllocator *self, void *ptr, size_t new_size);
ALLOC_API size_t budget_allocator_deallocate(BudgetAllocator *self, void *ptr);
ALLOC_API void *debug_allocator_allocate(DebugAllocator *self, size_t bytes, int8_t zeroed);
ALLOC_API int8_t debug_allocator_resize(DebugAllocator *self, void *ptr, size_t new_size);
ALLOC_API void *debug_allocator_remap(DebugAllocator *self, void *ptr, size_t new_size);
ALLOC_API size_t debug_allocator_deallocate(DebugAllocator *self, void *ptr);

///
/// Allocate through any allocator's vtable, validating it first and retrying per its `effort`.
///
/// This is what `AllocatorAlloc` calls for an `Allocator *` whose functions do not validate the
/// header themselves (`validates_itself` 0); call it directly only from code that cannot use the
/// macro.
///
/// self[in,out] : Any initialised allocator.
/// bytes[in]    : Requested size in bytes; 0 returns NULL.
/// zeroed[in]   : Non-zero for zero-filled memory.
///
/// SUCCESS: A block aligned to at least `self->alignment` holding `bytes` bytes.
/// FAILURE: NULL when `bytes` is 0 or every attempt failed (`failed_allocations` counts it).
///          Aborts via `AllocFatal` when `self` is NULL, uninitialised (zero magic, "uninitialised
///          allocator"), of an unknown type ("unknown allocator type"), has a NULL in the vtable
///          slot it is about to call ("corrupted allocator: NULL function pointer"; each dynamic
///          function checks the slot it calls, `allocator_realloc_dyn` and the statistics
///          functions all four) or a bad alignment ("corrupted allocator: alignment is not a
///          power of two"). The typed function called then checks only its own magic: the
///          allocator is validated once. An allocator that validates itself is called at once
///          after these checks: its own fast path compares its magic, and every call that leaves
///          it (a bad header included) gets these checks again, under this function's name.
///
/// TAGS: Allocator, Allocation
///
ALLOC_API void *allocator_alloc_dyn(Allocator *self, size_t bytes, int8_t zeroed);

///
/// Resize in place through any allocator's vtable, after validating it.
///
/// self[in,out] : Any initialised allocator.
/// ptr[in]      : A live block of `self`.
/// new_size[in] : The wanted size in bytes.
///
/// SUCCESS: 1; the block holds `new_size` bytes at the same address.
/// FAILURE: 0 when not possible in place; the block is untouched. Aborts like `allocator_alloc_dyn`
///          on a bad allocator, and like the typed function on a bad pointer.
///
/// TAGS: Allocator, InPlace
///
ALLOC_API int8_t allocator_resize_dyn(Allocator *self, void *ptr, size_t new_size);

///
/// Resize, moving if needed, through any allocator's vtable, after validating it; retries per
/// `effort`.
///
/// self[in,out] : Any initialised allocator.
/// ptr[in]      : A live block of `self`, or NULL to allocate.
/// new_size[in] : The wanted size; 0 frees `ptr`.
///
/// SUCCESS: The block's address, first `min(old, new)` bytes preserved.
/// FAILURE: NULL with the old block untouched. Aborts like `allocator_alloc_dyn` on a bad allocator.
///
/// TAGS: Allocator, Reallocation
///
ALLOC_API void *allocator_remap_dyn(Allocator *self, void *ptr, size_t new_size);

///
/// Release a block through any allocator's vtable, after validating it.
///
/// self[in,out] : Any initialised allocator.
/// ptr[in]      : A live block of `self`, or NULL.
///
/// SUCCESS: The bytes released (0 for NULL).
/// FAILURE: Aborts like `allocator_alloc_dyn` on a bad allocator, and like the typed function on a
///          foreign, interior or already-freed pointer.
///
/// TAGS: Allocator, Deallocation
///
ALLOC_API size_t allocator_free_dyn(Allocator *self, void *ptr);

///
/// Resize in place if possible, otherwise move: what `AllocatorRealloc` calls.
///
/// self[in,out] : Any initialised allocator.
/// ptr[in]      : A live block of `self`, or NULL to allocate.
/// new_size[in] : The wanted size; 0 frees `ptr` and returns NULL.
///
/// SUCCESS: `ptr` itself when the resize succeeded in place, else the new address; the first
///          `min(old, new)` bytes are preserved.
/// FAILURE: NULL with the old block untouched. Aborts like `allocator_alloc_dyn` on a bad allocator.
///
/// USAGE:
///     HeapAllocator heap = HeapAllocatorInit();
///     char *line = AllocatorAlloc(&heap, 16, 0);
///     char *longer = AllocatorRealloc(&heap, line, 4096);
///     if (longer) line = longer;
///     AllocatorFree(&heap, line);
///     HeapAllocatorDeinit(&heap);
///
/// TAGS: Allocator, Reallocation
///
ALLOC_API void *allocator_realloc_dyn(Allocator *self, void *ptr, size_t new_size);

///
/// The `Allocator *` arm of `AllocatorAlloc`: a call straight to the allocator's `allocate` when
/// its functions validate the header themselves (`validates_itself`), else `allocator_alloc_dyn`.
///
/// The library's kinds that set `validates_itself` check their own magic on the fast path (the
/// one compare their typed call makes) and send everything else, a bad header included, to the
/// dynamic path's validation and retry policy: the diagnostics are those of `allocator_alloc_dyn`.
/// An `ArenaAllocator`'s entry is called by name rather than through the pointer, so where
/// alloc/Arena.h is included its bump is inlined like the typed call's.
///
/// self[in,out] : Any allocator.
/// bytes[in]    : Requested size in bytes; 0 returns NULL.
/// zeroed[in]   : Non-zero for zero-filled memory.
///
/// SUCCESS: A block aligned to at least `self->alignment` holding `bytes` bytes.
/// FAILURE: NULL as `allocator_alloc_dyn`; a NULL or bad allocator aborts as it does.
///
/// TAGS: Allocator, Allocation, Dispatch
///
static inline void *allocator_alloc_any(Allocator *self, size_t bytes, int8_t zeroed) {
    if (self && self->validates_itself && self->allocate) {
        // An arena's entry is a bump the compiler can inline (alloc/Arena.h) when it is named
        // rather than called through the pointer.
        if (self->allocate == arena_allocator_vtable_allocate)
            return arena_allocator_vtable_allocate(self, bytes, zeroed);
        return self->allocate(self, bytes, zeroed);
    }
    return allocator_alloc_dyn(self, bytes, zeroed);
}

///
/// The `Allocator *` arm of `AllocatorFree`: a call straight to the allocator's `deallocate` when
/// its functions validate the header themselves (`validates_itself`), else `allocator_free_dyn`.
///
/// self[in,out] : Any allocator.
/// ptr[in]      : A live block of `self`, or NULL.
///
/// SUCCESS: The bytes released (0 for NULL).
/// FAILURE: Aborts as `allocator_free_dyn` on a bad allocator, and as the typed function on a
///          foreign, interior, misaligned or already-freed pointer.
///
/// TAGS: Allocator, Deallocation, Dispatch
///
static inline size_t allocator_free_any(Allocator *self, void *ptr) {
    if (self && self->validates_itself && self->deallocate) return self->deallocate(self, ptr);
    return allocator_free_dyn(self, ptr);
}

#ifndef __cplusplus
///
/// Convert a pointer to any allocator into its `Allocator *` base.
///
/// A `_Generic` whitelist: each typed allocator pointer and `Allocator *` itself are accepted;
/// any other type is a compile-time error (there is no `default:` arm). The argument is not
/// evaluated twice.
///
/// allocator_ptr[in] : Pointer to a typed allocator or to an `Allocator`.
///
/// SUCCESS: The same address, typed `Allocator *`.
/// FAILURE: Does not compile for any other pointer type.
///
/// USAGE:
///     ArenaAllocator arena = ArenaAllocatorInit();
///     Allocator *any = ALLOCATOR_OF(&arena);
///     void *block = AllocatorAlloc(any, 64, 1);
///     ArenaAllocatorDeinit(&arena);
///
/// TAGS: Allocator, Dispatch
///
#define ALLOCATOR_OF(allocator_ptr)                                                                \
    _Generic((allocator_ptr),                                                                      \
        Allocator *: (allocator_ptr),                                                              \
        PageAllocator *: (Allocator *)(allocator_ptr),                                             \
        HeapAllocator *: (Allocator *)(allocator_ptr),                                             \
        ArenaAllocator *: (Allocator *)(allocator_ptr),                                            \
        SlabAllocator *: (Allocator *)(allocator_ptr),                                             \
        BudgetAllocator *: (Allocator *)(allocator_ptr),                                           \
        DebugAllocator *: (Allocator *)(allocator_ptr))

///
/// Allocate `bytes` from any allocator: a direct call for a typed pointer (the fast path),
/// `allocator_alloc_any` (the allocator's own checked entry, or the validating, retrying
/// `allocator_alloc_dyn`) for an `Allocator *`.
///
/// self[in,out] : Pointer to a typed allocator or an `Allocator`; evaluated once.
/// bytes[in]    : Requested size in bytes; 0 returns NULL.
/// zeroed[in]   : Non-zero for zero-filled memory.
///
/// SUCCESS: A block aligned to at least the allocator's alignment with room for `bytes` bytes.
/// FAILURE: NULL when `bytes` is 0, too large, or memory is exhausted; a misused allocator aborts
///          via `AllocFatal`.
///
/// USAGE:
///     HeapAllocator heap = HeapAllocatorInit();
///     int *numbers = AllocatorAlloc(&heap, 100 * sizeof(int), 1);
///     numbers[99] = 7;
///     AllocatorFree(&heap, numbers);
///     HeapAllocatorDeinit(&heap);
///
/// TAGS: Allocator, Allocation, Dispatch
///
#define AllocatorAlloc(self, bytes, zeroed)                                                        \
    _Generic((self),                                                                               \
        PageAllocator *: page_allocator_allocate,                                                  \
        HeapAllocator *: heap_allocator_allocate,                                                  \
        ArenaAllocator *: arena_allocator_allocate,                                                \
        SlabAllocator *: slab_allocator_allocate,                                                  \
        BudgetAllocator *: budget_allocator_allocate,                                              \
        DebugAllocator *: debug_allocator_allocate,                                                \
        Allocator *: allocator_alloc_any)((self), (bytes), (zeroed))

///
/// Resize a block in place through any allocator; never moves it.
///
/// self[in,out] : Pointer to a typed allocator or an `Allocator`; evaluated once.
/// ptr[in]      : A live block of that allocator.
/// new_size[in] : The wanted size in bytes.
///
/// SUCCESS: 1; the block holds `new_size` bytes at the same address.
/// FAILURE: 0 when it cannot be done in place; the block is untouched.
///
/// USAGE:
///     PageAllocator page = PageAllocatorInit();
///     void *block = AllocatorAlloc(&page, 100, 0);
///     if (AllocatorResize(&page, block, 200)) { /* still at `block`, 200 bytes usable */ }
///     AllocatorFree(&page, block);
///     PageAllocatorDeinit(&page);
///
/// TAGS: Allocator, InPlace, Dispatch
///
#define AllocatorResize(self, ptr, new_size)                                                       \
    _Generic((self),                                                                               \
        PageAllocator *: page_allocator_resize,                                                    \
        HeapAllocator *: heap_allocator_resize,                                                    \
        ArenaAllocator *: arena_allocator_resize,                                                  \
        SlabAllocator *: slab_allocator_resize,                                                    \
        BudgetAllocator *: budget_allocator_resize,                                                \
        DebugAllocator *: debug_allocator_resize,                                                  \
        Allocator *: allocator_resize_dyn)((self), (ptr), (new_size))

///
/// Resize a block through any allocator, moving it if needed.
///
/// self[in,out] : Pointer to a typed allocator or an `Allocator`; evaluated once.
/// ptr[in]      : A live block of that allocator, or NULL to allocate zero-filled memory.
/// new_size[in] : The wanted size; 0 frees `ptr` and returns NULL.
///
/// SUCCESS: The block's address; the first `min(old, new)` bytes are preserved.
/// FAILURE: NULL; the old block is untouched and still owned by the caller.
///
/// USAGE:
///     HeapAllocator heap = HeapAllocatorInit();
///     char *text = AllocatorAlloc(&heap, 32, 1);
///     char *bigger = AllocatorRemap(&heap, text, 1 << 20);
///     if (bigger) text = bigger;
///     AllocatorFree(&heap, text);
///     HeapAllocatorDeinit(&heap);
///
/// TAGS: Allocator, Reallocation, Dispatch
///
#define AllocatorRemap(self, ptr, new_size)                                                        \
    _Generic((self),                                                                               \
        PageAllocator *: page_allocator_remap,                                                     \
        HeapAllocator *: heap_allocator_remap,                                                     \
        ArenaAllocator *: arena_allocator_remap,                                                   \
        SlabAllocator *: slab_allocator_remap,                                                     \
        BudgetAllocator *: budget_allocator_remap,                                                 \
        DebugAllocator *: debug_allocator_remap,                                                   \
        Allocator *: allocator_remap_dyn)((self), (ptr), (new_size))

///
/// Release a block through any allocator.
///
/// self[in,out] : Pointer to a typed allocator or an `Allocator`; evaluated once.
/// ptr[in]      : A live block of that allocator, or NULL (no-op).
///
/// SUCCESS: The bytes released: the block's effective size (0 for NULL).
/// FAILURE: A foreign, interior, misaligned or already-freed pointer aborts via `AllocFatal`.
///
/// USAGE:
///     SlabAllocator slab = SlabAllocatorInit(48);
///     void *slot = AllocatorAlloc(&slab, 48, 0);
///     size_t released = AllocatorFree(&slab, slot); // 48
///     SlabAllocatorDeinit(&slab);
///
/// TAGS: Allocator, Deallocation, Dispatch
///
#define AllocatorFree(self, ptr)                                                                   \
    _Generic((self),                                                                               \
        PageAllocator *: page_allocator_deallocate,                                                \
        HeapAllocator *: heap_allocator_deallocate,                                                \
        ArenaAllocator *: arena_allocator_deallocate,                                              \
        SlabAllocator *: slab_allocator_deallocate,                                                \
        BudgetAllocator *: budget_allocator_deallocate,                                            \
        DebugAllocator *: debug_allocator_deallocate,                                              \
        Allocator *: allocator_free_any)((self), (ptr))
#endif // __cplusplus: the overloads at the end of this header

///
/// Resize a block in place if possible, else move it: `realloc` for any allocator.
///
/// Always goes through the validating `allocator_realloc_dyn` (resize, then remap): reallocation
/// is not a hot path, and one implementation keeps the resize-or-move rule in one place.
///
/// self[in,out] : Pointer to a typed allocator or an `Allocator`; evaluated once.
/// ptr[in]      : A live block of that allocator, or NULL to allocate.
/// new_size[in] : The wanted size; 0 frees `ptr` and returns NULL.
///
/// SUCCESS: The block's address (the same one when resized in place); `min(old, new)` bytes kept.
/// FAILURE: NULL; the old block is untouched.
///
/// USAGE:
///     HeapAllocator heap = HeapAllocatorInit();
///     double *samples = AllocatorAlloc(&heap, 8 * sizeof(double), 0);
///     double *more = AllocatorRealloc(&heap, samples, 64 * sizeof(double));
///     if (more) samples = more;
///     AllocatorFree(&heap, samples);
///     HeapAllocatorDeinit(&heap);
///
/// TAGS: Allocator, Reallocation, Dispatch
///
#define AllocatorRealloc(self, ptr, new_size)                                                      \
    allocator_realloc_dyn(ALLOCATOR_OF(self), (ptr), (new_size))

///
/// Copy of an allocator's statistics.
///
/// self[in] : Any initialised allocator.
///
/// SUCCESS: The counters as they are now.
/// FAILURE: Aborts via `AllocFatal` when `self` is NULL or uninitialised.
///
/// TAGS: Allocator, Stats, Query
///
ALLOC_API AllocatorStats allocator_stats(const Allocator *self);

///
/// Reset the statistics counters of an allocator, keeping what describes live memory.
///
/// `bytes_in_use` is kept (the blocks are still live) and `peak_bytes_in_use` is set to it; all
/// other counters become 0. `footprint_bytes` is not a statistic and is kept.
///
/// self[in,out] : Any initialised allocator.
///
/// SUCCESS: The counters are reset.
/// FAILURE: Aborts via `AllocFatal` when `self` is NULL ("NULL allocator"), uninitialised
///          ("uninitialised allocator") or of an unknown type ("unknown allocator type").
///
/// TAGS: Allocator, Stats
///
ALLOC_API void allocator_reset_stats(Allocator *self);

///
/// Snapshot of any allocator's `AllocatorStats` (typed pointer or `Allocator *`).
///
/// a[in] : Pointer to any allocator.
///
/// TAGS: Allocator, Stats, Query
///
#define AllocatorStatsOf(a) allocator_stats(ALLOCATOR_OF(a))

///
/// Reset any allocator's statistics; see `allocator_reset_stats`.
///
/// a[in,out] : Pointer to any allocator (typed or `Allocator *`); evaluated once.
///
/// SUCCESS: All counters are 0 except `bytes_in_use`, which is kept, and `peak_bytes_in_use`,
///          which becomes `bytes_in_use`.
/// FAILURE: Aborts via `AllocFatal` when the allocator is NULL or uninitialised.
///
/// TAGS: Allocator, Stats
///
#define AllocatorResetStats(a) allocator_reset_stats(ALLOCATOR_OF(a))

///
/// Effective bytes live in an allocator right now (read-only).
///
/// a[in] : Pointer to any allocator.
///
/// TAGS: Allocator, Stats, Query
///
#define AllocatorBytesInUse(a) ((size_t)ALLOCATOR_OF(a)->stats.bytes_in_use)

///
/// Highest `bytes_in_use` since Init or the last reset (read-only).
///
/// a[in] : Pointer to any allocator.
///
/// TAGS: Allocator, Stats, Query
///
#define AllocatorPeakBytesInUse(a) ((size_t)ALLOCATOR_OF(a)->stats.peak_bytes_in_use)

///
/// Sum of all sizes requested from an allocator (read-only).
///
/// a[in] : Pointer to any allocator.
///
/// TAGS: Allocator, Stats, Query
///
#define AllocatorBytesRequested(a) ((size_t)ALLOCATOR_OF(a)->stats.bytes_requested)

///
/// Number of successful allocations of an allocator (read-only).
///
/// a[in] : Pointer to any allocator.
///
/// TAGS: Allocator, Stats, Query
///
#define AllocatorAllocations(a) ((uint64_t)ALLOCATOR_OF(a)->stats.allocations)

///
/// Number of successful resizes and remaps of an allocator (read-only).
///
/// a[in] : Pointer to any allocator.
///
/// TAGS: Allocator, Stats, Query
///
#define AllocatorReallocations(a) ((uint64_t)ALLOCATOR_OF(a)->stats.reallocations)

///
/// Number of blocks an allocator has released (read-only).
///
/// a[in] : Pointer to any allocator.
///
/// TAGS: Allocator, Stats, Query
///
#define AllocatorDeallocations(a) ((uint64_t)ALLOCATOR_OF(a)->stats.deallocations)

///
/// Number of allocation requests an allocator could not satisfy (read-only).
///
/// a[in] : Pointer to any allocator.
///
/// TAGS: Allocator, Stats, Query
///
#define AllocatorFailedAllocations(a) ((uint64_t)ALLOCATOR_OF(a)->stats.failed_allocations)

///
/// Bytes an allocator currently has mapped from the operating system, tables included (read-only).
///
/// a[in] : Pointer to any allocator.
///
/// TAGS: Allocator, Stats, Query, Memory
///
#define AllocatorFootprintBytes(a) ((size_t)ALLOCATOR_OF(a)->footprint_bytes)

ALLOC_END_DECLS

#ifdef __cplusplus
// C++ has no _Generic: the same dispatch as overloads. A typed pointer calls its allocator's
// function directly, `Allocator *` the validating dynamic path, any other type does not compile.
inline Allocator *allocator_of(Allocator *self) { return self; }
inline void *AllocatorAlloc(Allocator *self, size_t bytes, int8_t zeroed) {
    return allocator_alloc_any(self, bytes, zeroed);
}
inline int8_t AllocatorResize(Allocator *self, void *ptr, size_t new_size) {
    return allocator_resize_dyn(self, ptr, new_size);
}
inline void *AllocatorRemap(Allocator *self, void *ptr, size_t new_size) {
    return allocator_remap_dyn(self, ptr, new_size);
}
inline size_t AllocatorFree(Allocator *self, void *ptr) { return allocator_free_any(self, ptr); }

#define ALLOC_CXX_DISPATCH(Kind, prefix)                                                           \
    inline Allocator *allocator_of(Kind *self) { return reinterpret_cast<Allocator *>(self); }    \
    inline void *AllocatorAlloc(Kind *self, size_t bytes, int8_t zeroed) {                         \
        return prefix##_allocate(self, bytes, zeroed);                                             \
    }                                                                                              \
    inline int8_t AllocatorResize(Kind *self, void *ptr, size_t new_size) {                        \
        return prefix##_resize(self, ptr, new_size);                                               \
    }                                                                                              \
    inline void *AllocatorRemap(Kind *self, void *ptr, size_t new_size) {                          \
        return prefix##_remap(self, ptr, new_size);                                                \
    }                                                                                              \
    inline size_t AllocatorFree(Kind *self, void *ptr) { return prefix##_deallocate(self, ptr); }
ALLOC_CXX_DISPATCH(PageAllocator, page_allocator)
ALLOC_CXX_DISPATCH(HeapAllocator, heap_allocator)
ALLOC_CXX_DISPATCH(ArenaAllocator, arena_allocator)
ALLOC_CXX_DISPATCH(SlabAllocator, slab_allocator)
ALLOC_CXX_DISPATCH(BudgetAllocator, budget_allocator)
ALLOC_CXX_DISPATCH(DebugAllocator, debug_allocator)
#undef ALLOC_CXX_DISPATCH

#define ALLOCATOR_OF(allocator_ptr) allocator_of(allocator_ptr)
#endif // __cplusplus

#endif // ALLOC_ALLOCATOR_H
