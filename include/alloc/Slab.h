///
/// `SlabAllocator`: fixed-size slots carved from slabs mapped from the operating system, with O(1)
/// allocation and release, and every free checked (foreign, misaligned and double frees abort).
///
/// TAGS: Allocator, Slab, Memory
///
#ifndef ALLOC_SLAB_H
#define ALLOC_SLAB_H

#include "alloc/Allocator.h"

ALLOC_BEGIN_DECLS

///
/// Smallest slab a `SlabAllocator` maps: 64 KiB. A slab is a power of two in size and aligned to
/// its size, at least this, at least the page size and the alignment, and large enough for four
/// slots when the slots are large.
///
/// TAGS: Allocator, Slab, Config
///
#define SLAB_ALLOCATOR_MIN_SLAB_BYTES ((size_t)64 << 10)

///
/// Largest slot a `SlabAllocator` can serve: 256 MiB, after rounding up to the alignment (and the
/// largest alignment it accepts). A larger slot size makes the first allocation abort with
/// "invalid slot size".
///
/// TAGS: Allocator, Slab, Config
///
#define SLAB_ALLOCATOR_MAX_SLOT_BYTES ((size_t)256 << 20)

///
/// One row of a slab allocator's slab table: a slab it mapped from the OS. The table lives in its
/// own mapping, never inside a slab.
///
/// FIELDS:
/// - start   : First byte of the slab, aligned to `SlabAllocator.slab_bytes`; the first slot.
/// - touched : Slots of this slab ever handed out, which are the first `touched` ones (fresh
///             slots are handed out in address order); slots from `touched` on have never been
///             written and still read as zero.
///
/// TAGS: Allocator, Slab
///
typedef struct SlabInfo {
    char *start;
    uint32_t touched;
} SlabInfo;

///
/// An allocator of fixed-size slots: every block has the same size, chosen at initialisation, and
/// allocation and release are O(1).
///
/// Use it for many objects of one type that come and go in any order: list or tree nodes,
/// connections, particles. The slot size is rounded up to the alignment; requests up to that
/// size are served (`SlabAllocatorSlotSize`), larger ones return NULL.
///
/// How it works, all bookkeeping out of band (never inside a slot):
/// - slabs are power-of-two regions aligned to their size (`slab_bytes`), so `ptr & ~(slab_bytes -
///   1)` names the slab a pointer would belong to; that address is looked up in `index` (a hash
///   table from slab address to slab number, at most half full) before any descriptor is read,
///   so a foreign pointer is rejected in O(1) without touching memory the allocator does not own;
/// - one live bit per slot (`live`) catches a double free every time, not by chance;
/// - a stack of free slot ids (`free_ids`, each `slab << id_shift | slot`) makes allocation a pop
///   and release a push; recently freed slots are reused first (LIFO, warm in cache).
///
/// Slabs are never returned to the OS before `SlabAllocatorDeinit`: the footprint grows to the peak
/// number of live slots and stays there, and a slab emptied by frees is reused as it is.
///
/// Not thread-safe: use one slab allocator from one thread at a time, or lock around it.
///
/// WARN: Do not copy a `SlabAllocator` once it has allocated: the copy shares the slabs and tables.
/// Pass it by pointer.
///
/// FIELDS:
/// - base           : The `Allocator` base (vtable, alignment, magic `"slaballc"`, statistics,
///                    footprint); first member, so `ALLOCATOR_OF(&slab)` is well defined.
/// - slot_size      : The slot size given to the Init macro, in bytes.
/// - stride         : Bytes from one slot to the next: `slot_size` rounded up to `base.alignment`;
///                    the effective size of every block. 0 until the first allocation sets it up.
/// - slab_bytes     : Size of every slab in bytes, a power of two; slabs are aligned to it. 0
///                    until the first allocation.
/// - slots_per_slab : Slots in one slab: `slab_bytes / stride`.
/// - bitmap_words   : 64-bit words of `live` per slab: `slots_per_slab + 1` rounded up to 64, / 64
///                    (the bit past the last slot stays clear: a pointer into the slab's tail
///                    fails the live test like a freed slot).
/// - recip          : Reciprocal of `stride`, `floor(2^recip_shift / stride) + 1`: a slot index is
///                    `offset * recip >> recip_shift`, exact for every offset inside a slab (no
///                    division on the free path).
/// - recip_shift    : 31 + ceil(log2(stride)).
/// - id_shift       : Bits of the slot part of a free id: the smallest with `1 << id_shift` ≥
///                    `slots_per_slab`.
/// - hot_start      : Start of the slab the last free found in `index`, or 1 (never a slab
///                    address) when there is none: the free fast path compares a pointer's slab
///                    with it before it looks anything up.
/// - hot_live       : The live bitmap of the slab at `hot_start` (NULL when none).
/// - hot_id         : `slab << id_shift` of the slab at `hot_start`.
/// - cached         : The slot freed last, kept out of the stack with its live bit still set (the
///                    next allocation takes it without decoding an id or touching a bitmap; every
///                    check compares a pointer with it before trusting that bit), or NULL.
/// - cached_id      : The free id of `cached`.
/// - slabs          : The slab table, one `SlabInfo` per slab in the order they were mapped; its
///                    own mapping, NULL before the first slab.
/// - len            : Number of slabs mapped (rows of `slabs` and `live` in use).
/// - slabs_bytes    : Length in bytes of the mapping that holds `slabs`.
/// - index          : The library's address map from a slab's start to its number in `slabs` plus
///                    1, consulted before any descriptor derived from a pointer is read.
/// - live           : The live bitmaps, `bitmap_words` words per slab (slab `i` first at
///                    `live + i * bitmap_words`); bit set = slot handed out, or `cached`.
/// - live_bytes     : Length in bytes of the mapping that holds `live`.
/// - free_ids       : Stack of the ids of free slots (top at `free_len - 1`); room for every slot.
/// - free_len       : Number of free slots on the stack.
/// - free_ids_bytes : Length in bytes of the mapping that holds `free_ids`.
///
/// USAGE:
///     typedef struct Node { struct Node *next; int value; } Node;
///     SlabAllocator nodes = SlabAllocatorInit(sizeof(Node));
///     Node *head = NULL;
///     for (int i = 0; i < 1000; ++i) {
///         Node *node = AllocatorAlloc(&nodes, sizeof(Node), 0);
///         node->value = i; node->next = head; head = node;
///     }
///     while (head) { Node *next = head->next; AllocatorFree(&nodes, head); head = next; }
///     SlabAllocatorDeinit(&nodes);
///
/// TAGS: Allocator, Slab, Memory
///
typedef struct SlabAllocator {
    Allocator base;
    size_t    slot_size;      // bytes, as given at init
    size_t    stride;         // bytes, slot_size rounded up to the alignment; 0 = not set up
    size_t    slab_bytes;     // bytes, power of two, >= page, alignment and 4 strides
    uint32_t  slots_per_slab; // slab_bytes / stride
    uint32_t  bitmap_words;   // words of `live` per slab
    uint64_t  recip;          // floor(2^recip_shift / stride) + 1
    uint8_t   recip_shift;    // 31 + ceil(log2(stride))
    uint8_t   id_shift;       // free id = slab << id_shift | slot
    uintptr_t hot_start;      // slab of the last free, 1 for none
    uint64_t *hot_live;       // its live bitmap
    uint32_t  hot_id;         // its number << id_shift
    char     *cached;         // last freed slot, or NULL
    uint32_t  cached_id;      // its free id
    SlabInfo *slabs;          // in mapping order
    uint32_t  len;            // slabs mapped
    size_t    slabs_bytes;    // bytes mapped for slabs
    AllocatorAddressMap index; // slab start -> slab number + 1
    uint64_t *live;           // bitmap_words per slab
    size_t    live_bytes;     // bytes mapped for live
    uint32_t *free_ids;       // stack of free slot ids
    uint32_t  free_len;       // ids on the stack
    size_t    free_ids_bytes; // bytes mapped for free_ids
} SlabAllocator;

///
/// Take a free slot.
///
/// O(1): pops the most recently freed slot (or the next fresh one); maps a new slab only when no
/// slot is free (the slow path). A request larger than the slot returns NULL rather than
/// aborting: code that takes any `Allocator *` may ask for any size.
///
/// self[in,out] : An initialised slab allocator.
/// bytes[in]    : Requested size in bytes: at most `SlabAllocatorSlotSize`; 0 returns NULL.
/// zeroed[in]   : Non-zero to get a zero-filled slot; honoured for fresh and recycled slots (only
///                a slot that was used before is cleared).
///
/// SUCCESS: Returns a slot aligned to `base.alignment` (slots are `stride` bytes apart from an
///          aligned slab start) with `stride` usable bytes. Counts one allocation of `bytes`
///          requested and `stride` bytes in use.
/// FAILURE: Returns NULL without counting a failure when `bytes` is 0. Returns NULL and counts one
///          `failed_allocations` when `bytes` exceeds the slot size, or when no slot is free and
///          the OS refuses a new slab or larger tables (or 2^32 slots exist). Aborts via
///          `AllocFatal` (naming `slab_allocator_allocate`) with "NULL allocator", "uninitialised
///          allocator", "type-confusion: not a SlabAllocator", "corrupted allocator: NULL function
///          pointer", "corrupted allocator: alignment is not a power of two", or, on first use,
///          "invalid slot size" when `slot_size` is 0 or the slot rounded up to the alignment (or
///          the alignment) exceeds `SLAB_ALLOCATOR_MAX_SLOT_BYTES`.
///
/// USAGE:
///     SlabAllocator slab = SlabAllocatorInit(64);
///     char *slot = slab_allocator_allocate(&slab, 64, 1);
///     slab_allocator_deallocate(&slab, slot); // returns 64
///     SlabAllocatorDeinit(&slab);
///
/// TAGS: Allocator, Slab, Allocation
///
ALLOC_API void *slab_allocator_allocate(SlabAllocator *self, size_t bytes, int8_t zeroed);

///
/// Change the size a slot is used for, in place: possible iff the new size fits in the slot.
///
/// self[in,out] : An initialised slab allocator.
/// ptr[in]      : A live slot of `self`; NULL returns 0.
/// new_size[in] : The wanted size in bytes; 0 returns 0 (free the slot instead).
///
/// SUCCESS: Returns 1 when `new_size` ≤ `SlabAllocatorSlotSize`: nothing moves or changes (the
///          effective size stays the slot size); counts one reallocation.
/// FAILURE: Returns 0 with the slot untouched when `ptr` is NULL, `new_size` is 0 or larger than
///          the slot; this is not counted as a failed allocation. Aborts via `AllocFatal` (naming
///          `slab_allocator_resize`) with the allocator reasons of `slab_allocator_allocate`, and
///          on a bad pointer with "foreign pointer" (not in any slab of this allocator, or a slot
///          never handed out), "misaligned pointer" (inside a slab but not on a slot boundary) or
///          "double free" (a slot that is free).
///
/// USAGE:
///     SlabAllocator slab = SlabAllocatorInit(128);
///     char *name = AllocatorAlloc(&slab, 40, 0);
///     if (AllocatorResize(&slab, name, 120)) { /* still fits the 128-byte slot */ }
///     AllocatorFree(&slab, name);
///     SlabAllocatorDeinit(&slab);
///
/// TAGS: Allocator, Slab, InPlace
///
ALLOC_API int8_t slab_allocator_resize(SlabAllocator *self, void *ptr, size_t new_size);

///
/// Resize a slot: succeeds in place when the new size fits the slot; a slab cannot hold a larger
/// block, so a larger size returns NULL.
///
/// self[in,out] : An initialised slab allocator.
/// ptr[in]      : A live slot of `self`, or NULL to allocate a zero-filled slot.
/// new_size[in] : The wanted size in bytes; 0 frees `ptr` and returns NULL.
///
/// SUCCESS: Returns `ptr` itself (nothing is copied) when `new_size` ≤ `SlabAllocatorSlotSize`;
///          counts one reallocation (an allocation when `ptr` is NULL).
/// FAILURE: Returns NULL when `new_size` is 0 (after freeing `ptr`). Returns NULL, leaves the slot
///          untouched and counts one `failed_allocations` when `new_size` exceeds the slot size.
///          When `ptr` is NULL fails exactly as `slab_allocator_allocate`. Aborts via `AllocFatal`
///          (naming `slab_allocator_remap`) with the allocator and pointer reasons of
///          `slab_allocator_resize`.
///
/// USAGE:
///     SlabAllocator slab = SlabAllocatorInit(256);
///     char *text = AllocatorRemap(&slab, NULL, 100); // zero-filled slot
///     char *same = AllocatorRemap(&slab, text, 200); // same address
///     if (!AllocatorRemap(&slab, same, 1000)) { /* too big for a slot: `same` is still valid */ }
///     SlabAllocatorDeinit(&slab);
///
/// TAGS: Allocator, Slab, Reallocation
///
ALLOC_API void *slab_allocator_remap(SlabAllocator *self, void *ptr, size_t new_size);

///
/// Free a slot. O(1): a hash lookup of the slab (by address), a bit test and a push.
///
/// self[in,out] : An initialised slab allocator.
/// ptr[in]      : A live slot of `self`, or NULL (no-op).
///
/// SUCCESS: Returns the slot's effective size (`SlabAllocatorSlotSize`) and counts one
///          deallocation; the slot is reused first by the next allocation.
/// FAILURE: Returns 0 for NULL. Aborts via `AllocFatal` (naming `slab_allocator_deallocate`) with
///          the allocator reasons of `slab_allocator_allocate` and the pointer reasons of
///          `slab_allocator_resize` ("foreign pointer", "misaligned pointer", "double free").
///
/// USAGE:
///     SlabAllocator slab = SlabAllocatorInit(24);
///     void *slot = AllocatorAlloc(&slab, 24, 0);
///     size_t released = AllocatorFree(&slab, slot); // 32: 24 rounded up to 16
///     SlabAllocatorDeinit(&slab);
///
/// TAGS: Allocator, Slab, Deallocation
///
ALLOC_API size_t slab_allocator_deallocate(SlabAllocator *self, void *ptr);

///
/// Vtable entry: `slab_allocator_allocate`'s fast path with the `Allocator *` signature of
/// `AllocatorAllocateFn`, stored in `base.allocate` by the Init macros.
///
/// self[in,out] : The `base` of a `SlabAllocator`.
/// bytes[in]    : As for `slab_allocator_allocate`.
/// zeroed[in]   : As for `slab_allocator_allocate`.
///
/// SUCCESS: As `slab_allocator_allocate`.
/// FAILURE: As `slab_allocator_allocate`, except that a bad header aborts with the diagnostics
///          of `allocator_alloc_dyn` (any call off the fast path is checked as it checks) and a
///          failed allocation is retried per `effort`.
///
/// TAGS: Allocator, Slab, Allocation, Dispatch
///
ALLOC_API void *slab_allocator_vtable_allocate(Allocator *self, size_t bytes, int8_t zeroed);

///
/// Vtable adapter: `slab_allocator_resize` with the `Allocator *` signature of
/// `AllocatorResizeFn`, stored in `base.resize` by the Init macros.
///
/// self[in,out] : The `base` of a `SlabAllocator`.
/// ptr[in]      : As for `slab_allocator_resize`.
/// new_size[in] : As for `slab_allocator_resize`.
///
/// SUCCESS: As `slab_allocator_resize`.
/// FAILURE: As `slab_allocator_resize`.
///
/// TAGS: Allocator, Slab, InPlace, Dispatch
///
ALLOC_API int8_t slab_allocator_vtable_resize(Allocator *self, void *ptr, size_t new_size);

///
/// Vtable adapter: `slab_allocator_remap` with the `Allocator *` signature of
/// `AllocatorRemapFn`, stored in `base.remap` by the Init macros.
///
/// self[in,out] : The `base` of a `SlabAllocator`.
/// ptr[in]      : As for `slab_allocator_remap`.
/// new_size[in] : As for `slab_allocator_remap`.
///
/// SUCCESS: As `slab_allocator_remap`.
/// FAILURE: As `slab_allocator_remap`.
///
/// TAGS: Allocator, Slab, Reallocation, Dispatch
///
ALLOC_API void *slab_allocator_vtable_remap(Allocator *self, void *ptr, size_t new_size);

///
/// Vtable entry: `slab_allocator_deallocate`'s fast path with the `Allocator *` signature of
/// `AllocatorDeallocateFn`, stored in `base.deallocate` by the Init macros.
///
/// self[in,out] : The `base` of a `SlabAllocator`.
/// ptr[in]      : As for `slab_allocator_deallocate`.
///
/// SUCCESS: As `slab_allocator_deallocate`.
/// FAILURE: As `slab_allocator_deallocate`, except that a bad header aborts with the diagnostics
///          of `allocator_free_dyn` (any call off the fast path is checked as it checks).
///
/// TAGS: Allocator, Slab, Deallocation, Dispatch
///
ALLOC_API size_t slab_allocator_vtable_deallocate(Allocator *self, void *ptr);

///
/// The allocator `SlabAllocatorInitAligned` yields, returned by a function: what that macro
/// expands to in C++, which has no compound literals. C code uses the macro.
///
/// alignment[in] : Alignment in bytes of every slot; a power of two (checked on first use).
/// slot_bytes[in]: Slot size in bytes (checked by the first allocation).
///
/// SUCCESS: Returns `SlabAllocatorInitAligned(alignment, slot_bytes)` by value; no OS call.
/// FAILURE: Cannot fail; invalid arguments are reported by the first call on the allocator,
///          exactly as for the macro.
///
/// TAGS: Allocator, Slab, Init
///
ALLOC_API SlabAllocator slab_allocator_init(size_t alignment, size_t slot_bytes);

#ifdef __cplusplus
#define SlabAllocatorInitAligned(N, slot) slab_allocator_init((size_t)(N), (size_t)(slot))
#else
///
/// A `SlabAllocator` of `slot` -byte slots aligned to `N` bytes.
///
/// Expands to a compound literal: no system call, cannot fail, usable as an initializer. The
/// geometry (stride, slab size) is set up and checked by the first allocation. Any power of two
/// up to `SLAB_ALLOCATOR_MAX_SLOT_BYTES` is a valid `N`; the stride is the slot size rounded up
/// to `N`, so a large `N` costs memory for small slots.
///
/// N[in]    : Alignment in bytes of every slot; a power of two.
/// slot[in] : Slot size in bytes; 1 to `SLAB_ALLOCATOR_MAX_SLOT_BYTES`.
///
/// SUCCESS: A ready allocator with no memory mapped; `base.effort` is `ALLOCATOR_EFFORT_ONCE` and
///          `base.retry_limit` `ALLOCATOR_DEFAULT_RETRY_LIMIT`.
/// FAILURE: Cannot fail; an `N` that is not a power of two makes the first call abort with
///          "corrupted allocator: alignment is not a power of two", and a bad `slot` makes the
///          first allocation abort with "invalid slot size".
///
/// USAGE:
///     SlabAllocator lines = SlabAllocatorInitAligned(64, 64); // one cache line per slot
///     void *line = AllocatorAlloc(&lines, 64, 1);
///     SlabAllocatorDeinit(&lines);
///
/// TAGS: Allocator, Slab, Init
///
#define SlabAllocatorInitAligned(N, slot)                                                          \
    ((SlabAllocator){.base      = {.allocate    = slab_allocator_vtable_allocate,                 \
                                   .resize      = slab_allocator_vtable_resize,                   \
                                   .remap       = slab_allocator_vtable_remap,                    \
                                   .deallocate  = slab_allocator_vtable_deallocate,               \
                                   .alignment   = (size_t)(N),                                     \
                                   .effort      = ALLOCATOR_EFFORT_ONCE,                          \
                                   .retry_limit = ALLOCATOR_DEFAULT_RETRY_LIMIT,                  \
                                   .magic       = SLAB_ALLOCATOR_MAGIC,                           \
                                   .validates_itself = 1},                                        \
                     .slot_size = (size_t)(slot),                                                  \
                     .hot_start = 1})
#endif

///
/// A `SlabAllocator` of `slot` -byte slots with the default alignment
/// (`ALLOCATOR_DEFAULT_ALIGNMENT`).
///
/// slot[in] : Slot size in bytes; rounded up to the alignment.
///
/// SUCCESS: A ready allocator with no memory mapped, as `SlabAllocatorInitAligned`.
/// FAILURE: Cannot fail; a bad `slot` makes the first allocation abort with "invalid slot size".
///
/// USAGE:
///     SlabAllocator slab = SlabAllocatorInit(48);
///     void *slot = AllocatorAlloc(&slab, 48, 0);
///     AllocatorFree(&slab, slot);
///     SlabAllocatorDeinit(&slab);
///
/// TAGS: Allocator, Slab, Init
///
#define SlabAllocatorInit(slot) SlabAllocatorInitAligned(ALLOCATOR_DEFAULT_ALIGNMENT, (slot))

///
/// The effective slot size: the slot size rounded up to the alignment. Requests up to it succeed;
/// it is what `slab_allocator_deallocate` returns.
///
/// self[in] : An initialised slab allocator.
///
/// SUCCESS: The slot size in bytes (0 if the rounding overflows).
/// FAILURE: Aborts via `AllocFatal` (naming `SlabAllocatorSlotSize`) with the allocator reasons
///          of `slab_allocator_allocate`.
///
/// TAGS: Allocator, Slab, Query
///
ALLOC_API size_t SlabAllocatorSlotSize(const SlabAllocator *self);

///
/// Release everything the slab allocator mapped and zero it.
///
/// Unmaps every slab (whatever slots are still live in them) and every table, then zeroes the
/// whole struct, so `base.footprint_bytes` reads 0 and any later call aborts with
/// "uninitialised allocator".
///
/// self[in,out] : An initialised slab allocator.
///
/// SUCCESS: All memory is returned to the OS and `*self` is all zero bytes.
/// FAILURE: Aborts via `AllocFatal` (naming `SlabAllocatorDeinit`) with the allocator reasons of
///          `slab_allocator_allocate` ("uninitialised allocator" for a second Deinit).
///
/// USAGE:
///     SlabAllocator slab = SlabAllocatorInit(32);
///     (void)AllocatorAlloc(&slab, 32, 0); // leaked: Deinit returns it
///     SlabAllocatorDeinit(&slab);
///
/// TAGS: Allocator, Slab, Cleanup
///
ALLOC_API void SlabAllocatorDeinit(SlabAllocator *self);

///
/// Verify every invariant of the slab allocator and abort on the first one broken.
///
/// Checks the header as every call does, then the geometry (stride, slab size, slots per slab,
/// shifts), the tables (large enough for `len` slabs and all their slots), `index` (one entry per
/// slab, each slab found at its own address, at most half full), each slab (aligned to
/// `slab_bytes`, no live bit at or past `touched`), the free stack (every id valid, free, and
/// listed once; free and live slots together are exactly all slots), and the counters
/// (`base.footprint_bytes` equals slabs plus tables; `bytes_in_use` equals live slots times the
/// stride). O(slots); meant for tests and debugging. It flips live bits while it runs and
/// restores them.
///
/// self[in] : An initialised slab allocator.
///
/// SUCCESS: Returns normally when every invariant holds.
/// FAILURE: Aborts via `AllocFatal` (naming `SlabAllocatorCheck`) with the allocator reasons of
///          `slab_allocator_allocate`, or with "corrupted allocator: geometry",
///          "corrupted allocator: tables", "corrupted allocator: slab index",
///          "corrupted allocator: slab", "corrupted allocator: free list",
///          "corrupted allocator: footprint" or "corrupted allocator: statistics".
///
/// USAGE:
///     SlabAllocator slab = SlabAllocatorInit(16);
///     void *slot = AllocatorAlloc(&slab, 16, 0);
///     SlabAllocatorCheck(&slab); // returns: all is well
///     AllocatorFree(&slab, slot);
///     SlabAllocatorDeinit(&slab);
///
/// TAGS: Allocator, Slab, Check
///
ALLOC_API void SlabAllocatorCheck(const SlabAllocator *self);

ALLOC_END_DECLS

#endif // ALLOC_SLAB_H
