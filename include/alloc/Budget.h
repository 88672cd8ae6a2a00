///
/// `BudgetAllocator`: fixed-size slots in a buffer the caller supplies (a stack array, a static
/// array, a region of another allocator). It never calls the operating system, and returns NULL
/// when the buffer is full.
///
/// TAGS: Allocator, Budget, Memory
///
#ifndef ALLOC_BUDGET_H
#define ALLOC_BUDGET_H

#include "alloc/Allocator.h"

ALLOC_BEGIN_DECLS

///
/// Bytes a `BudgetAllocator` buffer needs for `n` slots of `slot` bytes aligned to `N`, wherever
/// the buffer starts.
///
/// The allocator carves its bookkeeping from the start of the buffer, before the first slot: a
/// live bitmap (one bit per slot, in 64-bit words) and a stack of free slot indices (4 bytes per
/// slot). This macro adds that, the worst-case padding to align the bitmap (7 bytes) and the
/// first slot (`N` - 1 bytes), and `n` slots of `slot` rounded up to `N`. It is a constant
/// expression when its arguments are, so it can size an array.
///
/// N[in]    : Alignment of every slot; a power of two, as given to `BudgetAllocatorInitAligned`.
/// n[in]    : Number of slots wanted.
/// slot[in] : Slot size in bytes, as given to the Init macro.
///
/// SUCCESS: A byte count; a buffer of at least that size gives a `BudgetAllocatorCapacity` of at
///          least `n`.
/// FAILURE: Cannot fail; overflows silently for absurd `n` or `slot` (check your inputs).
///
/// USAGE:
///     _Alignas(64) static unsigned char pool[BudgetAllocatorBufferBytesAligned(64, 100, 64)];
///     BudgetAllocator lines = BudgetAllocatorInitAligned(64, pool, sizeof pool, 64);
///
/// TAGS: Allocator, Budget, Config
///
#define BudgetAllocatorBufferBytesAligned(N, n, slot)                                              \
    ((size_t)7 + ((size_t)(n) + 63) / 64 * 8 + (size_t)(n) * 4 + ((size_t)(N) - 1) +               \
     (size_t)(n) * (((size_t)(slot) + (size_t)(N) - 1) / (size_t)(N) * (size_t)(N)))

///
/// Bytes a `BudgetAllocator` buffer needs for `n` slots of `slot` bytes with the default
/// alignment (`ALLOCATOR_DEFAULT_ALIGNMENT`); see `BudgetAllocatorBufferBytesAligned`.
///
/// n[in]    : Number of slots wanted.
/// slot[in] : Slot size in bytes.
///
/// SUCCESS: A byte count; a buffer of at least that size holds at least `n` slots.
/// FAILURE: Cannot fail.
///
/// USAGE:
///     unsigned char buffer[BudgetAllocatorBufferBytes(32, 48)];
///     BudgetAllocator budget = BudgetAllocatorInit(buffer, sizeof buffer, 48);
///     // BudgetAllocatorCapacity(&budget) >= 32
///
/// TAGS: Allocator, Budget, Config
///
#define BudgetAllocatorBufferBytes(n, slot)                                                        \
    BudgetAllocatorBufferBytesAligned(ALLOCATOR_DEFAULT_ALIGNMENT, (n), (slot))

///
/// An allocator of fixed-size slots inside one buffer that the caller owns: a hard memory budget
/// with no system call, usable on a stack or static buffer, in a signal handler (it takes no lock
/// and calls nothing but `memset`), or on systems without an OS allocator.
///
/// Layout of the buffer, set up by the first call that needs it (the Init macro touches nothing):
/// `[ padding | live bitmap | free-index stack | padding | slot 0 | slot 1 | … ]`. The bookkeeping
/// lives before the first slot, never inside a slot, so the number of slots
/// (`BudgetAllocatorCapacity`) is less than `buffer_bytes / slot size`; size a buffer with
/// `BudgetAllocatorBufferBytes`. A write past the end of one slot can reach the next slot but not
/// the bookkeeping, which lies below every slot.
///
/// Allocation takes the most recently freed slot, else the next never-used one; release checks
/// the pointer against the slot area, the slot grid and the live bitmap, so foreign, misaligned and
/// double frees abort every time. When every slot is live, allocation returns NULL and counts a
/// failed allocation: running out of budget is not an error.
///
/// The allocator never maps memory: `base.footprint_bytes` stays 0. Not thread-safe.
///
/// Under AddressSanitizer, and with memcheck in a library built with `-DALLOC_VALGRIND`, every
/// slot not handed out (never used, or freed) is marked inaccessible from set-up until
/// `BudgetAllocatorDeinit`, so a use after free, or a write past a slot into a slot that is not
/// live, is reported at the faulting access ("use-after-poison", "Invalid write").
///
/// WARN: The buffer must outlive the allocator and must not be used for anything else until
/// `BudgetAllocatorDeinit`; do not copy a `BudgetAllocator` once it is in use (both copies would
/// hand out the same slots).
///
/// FIELDS:
/// - base         : The `Allocator` base (vtable, alignment, magic `"budgetal"`, statistics, a
///                  `footprint_bytes` that stays 0); first member, so `ALLOCATOR_OF(&budget)` is
///                  well defined.
/// - buffer       : The caller's buffer, as given to the Init macro; never freed by the allocator.
/// - buffer_bytes : Length of `buffer` in bytes.
/// - slot_size    : The slot size given to the Init macro, in bytes.
/// - stride       : Bytes from one slot to the next: `slot_size` rounded up to `base.alignment`;
///                  the effective size of every block. 0 until the first call sets the buffer up.
/// - live         : The live bitmap inside the buffer's head: bit set = slot handed out.
/// - free_ids     : The stack of free slot indices inside the buffer's head (top at
///                  `free_len - 1`); holds only slots that were freed.
/// - slots        : Address of slot 0, aligned to `base.alignment`; slots follow every `stride`
///                  bytes.
/// - capacity     : Number of slots that fit after the bookkeeping (possibly 0).
/// - free_len     : Number of indices on the free stack.
/// - fresh        : Slots `fresh` to `capacity - 1` have never been handed out; they are used
///                  after the free stack is empty.
/// - stride_shift : log2 of `stride` when it is a power of two above 1, else 0 (offsets are then
///                  divided).
///
/// USAGE:
///     unsigned char storage[BudgetAllocatorBufferBytes(8, sizeof(double) * 4)];
///     BudgetAllocator budget = BudgetAllocatorInit(storage, sizeof storage, sizeof(double) * 4);
///     double *quad = AllocatorAlloc(&budget, sizeof(double) * 4, 1);
///     if (quad) { quad[3] = 1.0; AllocatorFree(&budget, quad); }
///     BudgetAllocatorDeinit(&budget);
///
/// TAGS: Allocator, Budget, Memory
///
typedef struct BudgetAllocator {
    Allocator base;
    void     *buffer;       // the caller's, never freed here
    size_t    buffer_bytes; // bytes
    size_t    slot_size;    // bytes, as given at init
    size_t    stride;       // bytes, slot_size rounded up to the alignment; 0 = not set up
    uint64_t *live;         // bitmap in the buffer's head
    uint32_t *free_ids;     // stack of freed slot indices in the buffer's head
    char     *slots;        // slot 0, aligned
    uint32_t  capacity;     // slots after the bookkeeping
    uint32_t  free_len;     // indices on the stack
    uint32_t  fresh;        // first never-used slot
    uint8_t   stride_shift; // log2(stride) or 0
} BudgetAllocator;

///
/// Take a free slot from the buffer. O(1); no system call.
///
/// self[in,out] : An initialised budget allocator.
/// bytes[in]    : Requested size in bytes: at most `BudgetAllocatorSlotSize`; 0 returns NULL.
/// zeroed[in]   : Non-zero to get a zero-filled slot (every slot is cleared, fresh ones too: the
///                caller's buffer may hold anything).
///
/// SUCCESS: Returns a slot aligned to `base.alignment` with `stride` usable bytes, inside the
///          buffer. Counts one allocation of `bytes` requested and `stride` bytes in use.
/// FAILURE: Returns NULL without counting a failure when `bytes` is 0. Returns NULL and counts one
///          `failed_allocations` when `bytes` exceeds the slot size or every slot is live (the
///          budget is spent); nothing else changes. Aborts via `AllocFatal` (naming
///          `budget_allocator_allocate`) with "NULL allocator", "uninitialised allocator",
///          "type-confusion: not a BudgetAllocator", "corrupted allocator: NULL function pointer",
///          "corrupted allocator: alignment is not a power of two", or, on first use,
///          "invalid slot size" (`slot_size` 0, or its rounding to the alignment overflows) or
///          "invalid buffer" (a NULL buffer with a non-zero size, or one that wraps around the
///          address space).
///
/// USAGE:
///     unsigned char stack_buffer[BudgetAllocatorBufferBytes(4, 16)];
///     BudgetAllocator budget = BudgetAllocatorInit(stack_buffer, sizeof stack_buffer, 16);
///     void *slot = budget_allocator_allocate(&budget, 16, 1);
///     budget_allocator_deallocate(&budget, slot);
///     BudgetAllocatorDeinit(&budget);
///
/// TAGS: Allocator, Budget, Allocation
///
ALLOC_API void *budget_allocator_allocate(BudgetAllocator *self, size_t bytes, int8_t zeroed);

///
/// Change the size a slot is used for, in place: possible iff the new size fits in the slot.
///
/// self[in,out] : An initialised budget allocator.
/// ptr[in]      : A live slot of `self`; NULL returns 0.
/// new_size[in] : The wanted size in bytes; 0 returns 0 (free the slot instead).
///
/// SUCCESS: Returns 1 when `new_size` ≤ `BudgetAllocatorSlotSize`: nothing moves or changes;
///          counts one reallocation.
/// FAILURE: Returns 0 with the slot untouched when `ptr` is NULL, `new_size` is 0 or larger than
///          the slot (not counted as a failed allocation). Aborts via `AllocFatal` (naming
///          `budget_allocator_resize`) with the allocator reasons of `budget_allocator_allocate`,
///          and on a bad pointer with "foreign pointer" (outside the buffer's slot area,
///          including the bookkeeping at its head, or a slot never handed out), "misaligned
///          pointer" (inside the slot area but not on a slot boundary) or "double free" (a slot
///          that is free).
///
/// USAGE:
///     unsigned char buffer[BudgetAllocatorBufferBytes(4, 64)];
///     BudgetAllocator budget = BudgetAllocatorInit(buffer, sizeof buffer, 64);
///     char *name = AllocatorAlloc(&budget, 10, 0);
///     if (AllocatorResize(&budget, name, 60)) { /* the 64-byte slot holds 60 */ }
///     BudgetAllocatorDeinit(&budget);
///
/// TAGS: Allocator, Budget, InPlace
///
ALLOC_API int8_t budget_allocator_resize(BudgetAllocator *self, void *ptr, size_t new_size);

///
/// Resize a slot: succeeds in place when the new size fits the slot; a larger size returns NULL
/// (a budget cannot hold a larger block).
///
/// self[in,out] : An initialised budget allocator.
/// ptr[in]      : A live slot of `self`, or NULL to allocate a zero-filled slot.
/// new_size[in] : The wanted size in bytes; 0 frees `ptr` and returns NULL.
///
/// SUCCESS: Returns `ptr` itself when `new_size` ≤ `BudgetAllocatorSlotSize`; counts one
///          reallocation (an allocation when `ptr` is NULL).
/// FAILURE: Returns NULL when `new_size` is 0 (after freeing `ptr`). Returns NULL, leaves the slot
///          untouched and counts one `failed_allocations` when `new_size` exceeds the slot size.
///          When `ptr` is NULL fails exactly as `budget_allocator_allocate`. Aborts via
///          `AllocFatal` (naming `budget_allocator_remap`) with the allocator and pointer reasons
///          of `budget_allocator_resize`.
///
/// USAGE:
///     unsigned char buffer[BudgetAllocatorBufferBytes(2, 128)];
///     BudgetAllocator budget = BudgetAllocatorInit(buffer, sizeof buffer, 128);
///     char *text = AllocatorRemap(&budget, NULL, 50); // zero-filled slot
///     text = AllocatorRemap(&budget, text, 120);      // same slot
///     BudgetAllocatorDeinit(&budget);
///
/// TAGS: Allocator, Budget, Reallocation
///
ALLOC_API void *budget_allocator_remap(BudgetAllocator *self, void *ptr, size_t new_size);

///
/// Free a slot. O(1): a range check, a bit test and a push.
///
/// self[in,out] : An initialised budget allocator.
/// ptr[in]      : A live slot of `self`, or NULL (no-op).
///
/// SUCCESS: Returns the slot's effective size (`BudgetAllocatorSlotSize`) and counts one
///          deallocation; the slot is reused first by the next allocation.
/// FAILURE: Returns 0 for NULL. Aborts via `AllocFatal` (naming `budget_allocator_deallocate`)
///          with the allocator reasons of `budget_allocator_allocate` and the pointer reasons of
///          `budget_allocator_resize` ("foreign pointer", "misaligned pointer", "double free").
///
/// USAGE:
///     unsigned char buffer[BudgetAllocatorBufferBytes(1, 20)];
///     BudgetAllocator budget = BudgetAllocatorInit(buffer, sizeof buffer, 20);
///     void *slot = AllocatorAlloc(&budget, 20, 0);
///     size_t released = AllocatorFree(&budget, slot); // 32: 20 rounded up to 16
///     BudgetAllocatorDeinit(&budget);
///
/// TAGS: Allocator, Budget, Deallocation
///
ALLOC_API size_t budget_allocator_deallocate(BudgetAllocator *self, void *ptr);

///
/// Vtable entry: `budget_allocator_allocate`'s fast path with the `Allocator *` signature of
/// `AllocatorAllocateFn`, stored in `base.allocate` by the Init macros.
///
/// self[in,out] : The `base` of a `BudgetAllocator`.
/// bytes[in]    : As for `budget_allocator_allocate`.
/// zeroed[in]   : As for `budget_allocator_allocate`.
///
/// SUCCESS: As `budget_allocator_allocate`.
/// FAILURE: As `budget_allocator_allocate`, except that a bad header aborts with the diagnostics
///          of `allocator_alloc_dyn` (any call off the fast path is checked as it checks) and a
///          failed allocation is retried per `effort`.
///
/// TAGS: Allocator, Budget, Allocation, Dispatch
///
ALLOC_API void *budget_allocator_vtable_allocate(Allocator *self, size_t bytes, int8_t zeroed);

///
/// Vtable adapter: `budget_allocator_resize` with the `Allocator *` signature of
/// `AllocatorResizeFn`, stored in `base.resize` by the Init macros.
///
/// self[in,out] : The `base` of a `BudgetAllocator`.
/// ptr[in]      : As for `budget_allocator_resize`.
/// new_size[in] : As for `budget_allocator_resize`.
///
/// SUCCESS: As `budget_allocator_resize`.
/// FAILURE: As `budget_allocator_resize`.
///
/// TAGS: Allocator, Budget, InPlace, Dispatch
///
ALLOC_API int8_t budget_allocator_vtable_resize(Allocator *self, void *ptr, size_t new_size);

///
/// Vtable adapter: `budget_allocator_remap` with the `Allocator *` signature of
/// `AllocatorRemapFn`, stored in `base.remap` by the Init macros.
///
/// self[in,out] : The `base` of a `BudgetAllocator`.
/// ptr[in]      : As for `budget_allocator_remap`.
/// new_size[in] : As for `budget_allocator_remap`.
///
/// SUCCESS: As `budget_allocator_remap`.
/// FAILURE: As `budget_allocator_remap`.
///
/// TAGS: Allocator, Budget, Reallocation, Dispatch
///
ALLOC_API void *budget_allocator_vtable_remap(Allocator *self, void *ptr, size_t new_size);

///
/// Vtable entry: `budget_allocator_deallocate`'s fast path with the `Allocator *` signature of
/// `AllocatorDeallocateFn`, stored in `base.deallocate` by the Init macros.
///
/// self[in,out] : The `base` of a `BudgetAllocator`.
/// ptr[in]      : As for `budget_allocator_deallocate`.
///
/// SUCCESS: As `budget_allocator_deallocate`.
/// FAILURE: As `budget_allocator_deallocate`, except that a bad header aborts with the diagnostics
///          of `allocator_free_dyn` (any call off the fast path is checked as it checks).
///
/// TAGS: Allocator, Budget, Deallocation, Dispatch
///
ALLOC_API size_t budget_allocator_vtable_deallocate(Allocator *self, void *ptr);

///
/// The allocator `BudgetAllocatorInitAligned` yields, returned by a function: what that macro
/// expands to in C++, which has no compound literals. C code uses the macro.
///
/// alignment[in]   : Alignment in bytes of every slot; a power of two (checked on first use).
/// buffer[in]      : The caller-owned buffer the slots live in.
/// buffer_bytes[in]: Length of `buffer` in bytes.
/// slot_bytes[in]  : Slot size in bytes (checked by the first allocation).
///
/// SUCCESS: Returns `BudgetAllocatorInitAligned(alignment, buffer, buffer_bytes, slot_bytes)` by value; no OS call.
/// FAILURE: Cannot fail; invalid arguments are reported by the first call on the allocator,
///          exactly as for the macro.
///
/// TAGS: Allocator, Budget, Init
///
ALLOC_API BudgetAllocator budget_allocator_init(size_t alignment, void *buffer, size_t buffer_bytes, size_t slot_bytes);

#ifdef __cplusplus
#define BudgetAllocatorInitAligned(N, buf, bytes, slot) budget_allocator_init((size_t)(N), (buf), (size_t)(bytes), (size_t)(slot))
#else
///
/// A `BudgetAllocator` of `slot` -byte slots aligned to `N` bytes in the caller's buffer `buf`.
///
/// Expands to a compound literal: no system call, cannot fail, usable as an initializer; the
/// buffer is not touched until the first call that needs it. Any power of two is a valid `N`
/// (the natural limit is the buffer: the first slot may need up to `N` - 1 bytes of padding).
///
/// N[in]     : Alignment in bytes of every slot; a power of two.
/// buf[in]   : The buffer the slots and the bookkeeping live in; owned by the caller, who keeps
///             it alive and unused until `BudgetAllocatorDeinit`. May be NULL only with `bytes` 0.
/// bytes[in] : Length of `buf` in bytes; `BudgetAllocatorBufferBytesAligned` computes what a
///             number of slots needs.
/// slot[in]  : Slot size in bytes; at least 1.
///
/// SUCCESS: A ready allocator; `base.effort` is `ALLOCATOR_EFFORT_ONCE` (retrying cannot free a
///          slot) and `base.retry_limit` `ALLOCATOR_DEFAULT_RETRY_LIMIT`.
/// FAILURE: Cannot fail; an `N` that is not a power of two makes the first call abort with
///          "corrupted allocator: alignment is not a power of two", and a bad `slot` or `buf`
///          makes the first allocation abort with "invalid slot size" or "invalid buffer".
///
/// USAGE:
///     _Alignas(4096) static unsigned char pages[BudgetAllocatorBufferBytesAligned(4096, 4, 4096)];
///     BudgetAllocator budget = BudgetAllocatorInitAligned(4096, pages, sizeof pages, 4096);
///     void *page = AllocatorAlloc(&budget, 4096, 1); // page-aligned, inside `pages`
///     BudgetAllocatorDeinit(&budget);
///
/// TAGS: Allocator, Budget, Init
///
#define BudgetAllocatorInitAligned(N, buf, bytes, slot)                                            \
    ((BudgetAllocator){.base         = {.allocate    = budget_allocator_vtable_allocate,           \
                                        .resize      = budget_allocator_vtable_resize,             \
                                        .remap       = budget_allocator_vtable_remap,              \
                                        .deallocate  = budget_allocator_vtable_deallocate,         \
                                        .alignment   = (size_t)(N),                                \
                                        .effort      = ALLOCATOR_EFFORT_ONCE,                      \
                                        .retry_limit = ALLOCATOR_DEFAULT_RETRY_LIMIT,              \
                                        .magic       = BUDGET_ALLOCATOR_MAGIC,                     \
                                        .validates_itself = 1},                                    \
                       .buffer       = (buf),                                                      \
                       .buffer_bytes = (size_t)(bytes),                                            \
                       .slot_size    = (size_t)(slot)})
#endif

///
/// A `BudgetAllocator` of `slot` -byte slots with the default alignment
/// (`ALLOCATOR_DEFAULT_ALIGNMENT`) in the caller's buffer `buf`.
///
/// buf[in]   : The caller's buffer; see `BudgetAllocatorInitAligned`.
/// bytes[in] : Length of `buf` in bytes; see `BudgetAllocatorBufferBytes`.
/// slot[in]  : Slot size in bytes; rounded up to the alignment.
///
/// SUCCESS: A ready allocator, as `BudgetAllocatorInitAligned`.
/// FAILURE: Cannot fail; a bad `slot` or `buf` makes the first allocation abort.
///
/// USAGE:
///     static unsigned char events[BudgetAllocatorBufferBytes(256, 64)];
///     BudgetAllocator queue = BudgetAllocatorInit(events, sizeof events, 64);
///     void *event = AllocatorAlloc(&queue, 64, 0); // NULL once 256 events are live
///     BudgetAllocatorDeinit(&queue);
///
/// TAGS: Allocator, Budget, Init
///
#define BudgetAllocatorInit(buf, bytes, slot)                                                      \
    BudgetAllocatorInitAligned(ALLOCATOR_DEFAULT_ALIGNMENT, (buf), (bytes), (slot))

///
/// Number of slots the buffer holds after its bookkeeping.
///
/// Sets the buffer up if no call did yet (writes the bookkeeping; no system call).
///
/// self[in,out] : An initialised budget allocator.
///
/// SUCCESS: The number of slots, live or free; 0 when the buffer is too small for one slot.
/// FAILURE: Aborts via `AllocFatal` (naming `BudgetAllocatorCapacity`) with the allocator reasons
///          of `budget_allocator_allocate`, including "invalid slot size" and "invalid buffer".
///
/// USAGE:
///     unsigned char buffer[1024];
///     BudgetAllocator budget = BudgetAllocatorInit(buffer, sizeof buffer, 32);
///     size_t slots = BudgetAllocatorCapacity(&budget); // 27 or 28, not 32: the bookkeeping's share
///
/// TAGS: Allocator, Budget, Query
///
ALLOC_API size_t BudgetAllocatorCapacity(BudgetAllocator *self);

///
/// The effective slot size: the slot size rounded up to the alignment. Requests up to it succeed;
/// it is what `budget_allocator_deallocate` returns.
///
/// self[in] : An initialised budget allocator.
///
/// SUCCESS: The slot size in bytes (0 if the rounding overflows).
/// FAILURE: Aborts via `AllocFatal` (naming `BudgetAllocatorSlotSize`) with the allocator reasons
///          of `budget_allocator_allocate` other than "invalid slot size" and "invalid buffer".
///
/// TAGS: Allocator, Budget, Query
///
ALLOC_API size_t BudgetAllocatorSlotSize(const BudgetAllocator *self);

///
/// Stop using the buffer and zero the allocator.
///
/// Zeroes the whole struct, so any later call aborts with "uninitialised allocator". The buffer
/// is not freed, written or otherwise touched: it belongs to the caller, who may reuse it (its
/// head holds stale bookkeeping). Slots still live are simply forgotten. Under ASan or memcheck
/// the slots that were marked inaccessible become accessible again.
///
/// self[in,out] : An initialised budget allocator.
///
/// SUCCESS: `*self` is all zero bytes.
/// FAILURE: Aborts via `AllocFatal` (naming `BudgetAllocatorDeinit`) with the allocator reasons of
///          `budget_allocator_allocate` ("uninitialised allocator" for a second Deinit).
///
/// USAGE:
///     unsigned char buffer[BudgetAllocatorBufferBytes(4, 16)];
///     BudgetAllocator budget = BudgetAllocatorInit(buffer, sizeof buffer, 16);
///     (void)AllocatorAlloc(&budget, 16, 0);
///     BudgetAllocatorDeinit(&budget); // `buffer` is the caller's again
///
/// TAGS: Allocator, Budget, Cleanup
///
ALLOC_API void BudgetAllocatorDeinit(BudgetAllocator *self);

///
/// Verify every invariant of the budget allocator and abort on the first one broken.
///
/// Checks the header as every call does, then the layout (bookkeeping and slots where the buffer
/// geometry puts them, all inside the buffer, the largest capacity that fits), the counters
/// (`free_len` ≤ `fresh` ≤ `capacity`; live slots = `fresh - free_len`, none at or past `fresh`),
/// the free stack (every index below `fresh`, free, and listed once) and the statistics
/// (`footprint_bytes` is 0; `bytes_in_use` equals live slots times the stride). O(capacity);
/// meant for tests and debugging. It flips live bits while it runs and restores them.
///
/// self[in] : An initialised budget allocator.
///
/// SUCCESS: Returns normally when every invariant holds.
/// FAILURE: Aborts via `AllocFatal` (naming `BudgetAllocatorCheck`) with the allocator reasons of
///          `budget_allocator_allocate`, or with "corrupted allocator: layout",
///          "corrupted allocator: counters", "corrupted allocator: live bitmap",
///          "corrupted allocator: free list", "corrupted allocator: footprint" or
///          "corrupted allocator: statistics".
///
/// USAGE:
///     unsigned char buffer[BudgetAllocatorBufferBytes(8, 24)];
///     BudgetAllocator budget = BudgetAllocatorInit(buffer, sizeof buffer, 24);
///     (void)AllocatorAlloc(&budget, 24, 0);
///     BudgetAllocatorCheck(&budget); // returns: all is well
///     BudgetAllocatorDeinit(&budget);
///
/// TAGS: Allocator, Budget, Check
///
ALLOC_API void BudgetAllocatorCheck(const BudgetAllocator *self);

ALLOC_END_DECLS

#endif // ALLOC_BUDGET_H
