// SPDX-License-Identifier: MIT
// Private interface of the malloc shim (src/shim/): the per-thread slots (shim_slot.c: each a
// set of heaps only its owner touches, an inbox of frees from other threads, a pool of queue
// nodes) and the address tables (shim_tables.c: which slot and heap own a pointer, and how large
// the block is). Every table and queue node lives in memory the shim maps itself, never inside a
// user block. Names carry `shim_`.
#ifndef ALLOC_SHIM_INTERNAL_H
#define ALLOC_SHIM_INTERNAL_H

#include "alloc/Heap.h"
#include "alloc/Types.h" // opt-in short names (size, u8, i8…)
#include "addrmap.h"     // a heap's segments, asked by the owner only
#include "internal.h"    // alloc_os_map, alloc_os_grow, alloc_os_page_size

#include <pthread.h> // pthread_mutex_t

enum {
    SHIM_SLOTS       = 128, // slot 0 is shared (under its lock) by threads beyond the other 127
    SHIM_HEAPS       = 23,  // heaps[k]: alignment 16 for k = 0, 2^(4 + k) above (up to 64 MiB)
    SHIM_HEAP_STRIDE = 32,  // owner id = slot * SHIM_HEAP_STRIDE + heap, + 1 in the tables
    SHIM_ID_BITS     = 12,  // owner id + 1 fits below the page-aligned part of a table entry
};
_Static_assert((SHIM_SLOTS - 1) * SHIM_HEAP_STRIDE + SHIM_HEAPS < (1 << SHIM_ID_BITS),
               "owner ids + 1 fit their bits");
_Static_assert(SHIM_HEAPS <= SHIM_HEAP_STRIDE, "a slot's heaps fit its id range");

// A free handed to another slot: which block, for which of its heaps, and whose node it is.
typedef struct ShimNode {
    struct ShimNode *next;
    void            *ptr;
    u32              home;  // slot whose pool the node returns to
    u16              heap;
    u16              large; // a page run (its page-table entry goes when it is freed)
} ShimNode;

// A window this slot marked with one of its segments (to clear it when the segment goes).
typedef struct ShimMark {
    uintptr_t window; // address >> HEAP_SEGMENT_SHIFT
    u32       heap;
} ShimMark;

// One thread's allocator state. Only the thread holding the slot (`taken`, or the lock for the
// shared slot) touches the heaps, the pool and the marks; any thread pushes onto `inbox` and
// `returned` (lock-free stacks; the owner takes a whole stack at once, so there is no ABA). What
// the owner reads on every call comes first, in one cache line; the two stacks other threads
// write have a line each, so their pushes do not evict it.
typedef struct Shim {
    u32             ready_heaps; // bit k: heaps[k] initialised
    u32             index;       // position in the slot array (set when taken)
    int             shared;      // slot 0: used under `lock`
    int             taken;       // a live thread owns it (atomic)
    size            segments[SHIM_HEAPS]; // heaps[k].segments.len when last looked at
    ShimNode       *pool;        // spare nodes (owner only)
    ShimMark       *marks;       // windows marked with this slot's segments
    size            marks_len;
    size            marks_bytes;
    pthread_mutex_t lock;
    _Alignas(64) ShimNode *inbox;    // atomic: frees of this slot's blocks by other slots
    _Alignas(64) ShimNode *returned; // atomic: nodes of this slot given back by the slots that drained
    _Alignas(64) HeapAllocator heaps[SHIM_HEAPS];
} Shim;

// Who owns a block, as the tables say: `known` is 0 for an address no heap gave out (its free
// goes to the caller's own heap, which reports it). `bytes` is the block's usable size when
// asked for (0 otherwise). `large`: a page run (found in the page table).
typedef struct ShimOwner {
    u32  known;
    u32  slot;
    u32  heap;
    u32  large;
    size bytes;
} ShimOwner;

// --- shim_tables.c --------------------------------------------------------------------------

// Map the tables (virtual: untouched pages cost nothing); 0 when the OS refuses.
int shim_tables_init(void);
// The owner of `ptr`; `want_bytes` also reads the block's size (for realloc and usable size).
ShimOwner shim_owner_of(const void *ptr, int want_bytes);
// Record that heap `heap` of `me` just returned `ptr` (a live block): marks its segment's window
// or records the run in the page table. 0 when the OS refuses a table page. Owner only.
int shim_note_block(Shim *me, u32 heap, void *ptr);
// `ptr`, a run of heap `heap` of `me`, is about to be freed or moved: forget it in the page table
// (returns the entry, to put back if the move fails). Owner only.
u64 shim_forget_run(Shim *me, u32 heap, const void *ptr);
// Put back an entry shim_forget_run took (the move failed: the run is still where it was).
void shim_restore_run(const void *ptr, u64 entry);
// shim_sweep's slow path: heap `heap` has fewer segments (`len`) than when last looked at.
void shim_sweep_windows(Shim *me, u32 heap, size len);

// After a free that may have unmapped a segment of heap `heap`: clear the windows of segments
// the heap no longer has. Owner only. Inline: it runs after every free, and almost always finds
// the segment count unchanged.
static inline void shim_sweep(Shim *me, u32 heap) {
    size len = me->heaps[heap].segments.len;
    if (ALLOC_LIKELY(len >= me->segments[heap])) me->segments[heap] = len;
    else shim_sweep_windows(me, heap, len);
}

// --- shim_slot.c ----------------------------------------------------------------------------

// Slot `slot` of the slot array (malloc_shim.c).
Shim *shim_slot_at(u32 slot);
// Initialise heap `heap` of `me` (its first use).
void shim_heap_init(Shim *me, u32 heap);

// Heap `heap` of `me`, initialised on first use.
static inline HeapAllocator *shim_heap(Shim *me, u32 heap) {
    if (ALLOC_UNLIKELY(!(me->ready_heaps >> heap & 1))) shim_heap_init(me, heap);
    return &me->heaps[heap];
}
// Allocate from heap `heap` of `me` and record the block in the tables.
void *shim_allocate(Shim *me, u32 heap, size bytes, i8 zeroed);
// Free any pointer: here when `me` owns it, else onto its owner's inbox.
void shim_free(Shim *me, void *ptr);
// realloc of a block of `me` (or of an unknown pointer, which the heap reports).
void *shim_remap(Shim *me, ShimOwner owner, void *ptr, size bytes);
// Free every block other slots handed to `me` since the last drain.
void shim_drain_all(Shim *me);

static inline void shim_drain(Shim *me) {
    if (ALLOC_UNLIKELY(__atomic_load_n(&me->inbox, __ATOMIC_RELAXED) != NULL)) shim_drain_all(me);
}

#endif // ALLOC_SHIM_INTERNAL_H
