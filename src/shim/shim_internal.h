// SPDX-License-Identifier: MIT
// Private interface of the malloc shim (src/shim/): the per-thread slots (shim_slot.c: each a
// set of heaps only its owner touches, an inbox of frees from other threads, a pool of queue
// nodes) and the address tables (shim_tables.c: which slot and heap own a pointer, and how large
// the block is). Every table and queue node lives in memory the shim maps itself, never inside a
// user block. Names carry `shim_`.
#ifndef ALLOC_SHIM_INTERNAL_H
#define ALLOC_SHIM_INTERNAL_H

#include "alloc/Heap.h"
#include "heap_internal.h" // HeapSegment, HEAP_SEGMENT_SHIFT: a small block's window and size
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

// The address tables, read inline by every malloc and free; shim_tables.c maps and writes them.
// A window table (one word per 4 MiB window: a heap segment's descriptor and its owner) covers
// small blocks; a two-level page table (one word per 4 KiB page where a run starts: its size and
// owner, leaves mapped on first use) covers page runs, which may share a window with other heaps'
// runs. Only a block's owner writes its entries, before it hands the block out and before it
// frees or moves it.
enum {
    SHIM_ADDRESS_BITS = 47, // user space on x86-64 and arm64 (4-level page tables)
    SHIM_PAGE_SHIFT   = 12, // the page table's granule; every run starts on one
    SHIM_LEAF_BITS    = 18, // a leaf covers 1 GiB: 2 MiB of entries
};
#define SHIM_ID_MASK ((u64)((1u << SHIM_ID_BITS) - 1))
extern u64  *shim_windows; // window -> (HeapSegment * | owner id + 1), 0 = none
extern u64 **shim_leaves;  // top level: page >> SHIM_LEAF_BITS -> leaf of run entries (bytes | id + 1)

// Map the tables (virtual: untouched pages cost nothing); 0 when the OS refuses.
int shim_tables_init(void);

// The id heap `heap` of `me` writes into the tables.
static inline u32 shim_id_of(const Shim *me, u32 heap) {
    return me->index * SHIM_HEAP_STRIDE + heap + 1;
}

static inline u64 *shim_window_entry(const void *ptr) {
    return &shim_windows[(uintptr_t)ptr >> HEAP_SEGMENT_SHIFT];
}

// The page-table entry of `ptr`'s page (an address below 2^SHIM_ADDRESS_BITS); NULL when its leaf
// does not exist yet.
static inline u64 *shim_run_entry(const void *ptr) {
    uintptr_t page = (uintptr_t)ptr >> SHIM_PAGE_SHIFT;
    u64      *leaf = __atomic_load_n(&shim_leaves[page >> SHIM_LEAF_BITS], __ATOMIC_ACQUIRE);
    return leaf ? &leaf[page & (((uintptr_t)1 << SHIM_LEAF_BITS) - 1)] : NULL;
}

static inline ShimOwner shim_owner_from(u64 entry, u32 large, size bytes) {
    u32 id = (u32)(entry & SHIM_ID_MASK) - 1;
    return (ShimOwner){1, id / SHIM_HEAP_STRIDE, id % SHIM_HEAP_STRIDE, large, bytes};
}

// The owner of `ptr`; `want_bytes` also reads the block's size (for realloc and usable size).
// The page table is asked first: a run's entry is written before the run is handed out, while a
// window may still name a segment its heap has just unmapped. A run starts on a page, so an
// address inside a page (most small blocks) skips that table.
static inline ShimOwner shim_owner_of(const void *ptr, int want_bytes) {
    if ((uintptr_t)ptr >> SHIM_ADDRESS_BITS) return (ShimOwner){0};
    if (!((uintptr_t)ptr & (((uintptr_t)1 << SHIM_PAGE_SHIFT) - 1))) {
        const u64 *run   = shim_run_entry(ptr);
        u64        entry = run ? __atomic_load_n(run, __ATOMIC_ACQUIRE) : 0;
        if (entry) return shim_owner_from(entry, 1, (size)(entry & ~SHIM_ID_MASK));
    }
    u64 entry = __atomic_load_n(shim_window_entry(ptr), __ATOMIC_ACQUIRE);
    if (!entry) return (ShimOwner){0};
    size bytes = 0;
    if (want_bytes) { // a live slot's page keeps its class while the slot lives
        HeapSegment *segment = (HeapSegment *)(uintptr_t)(entry & ~SHIM_ID_MASK);
        bytes                = heap_segment_page(segment, ptr)->slot_size;
    }
    return shim_owner_from(entry, 0, bytes);
}

// shim_note_block's slow path: `ptr` is the first block of its window for this heap, or a run.
int shim_note_new(Shim *me, u32 heap, void *ptr);

// Record that heap `heap` of `me` just returned `ptr` (a live block): marks its segment's window
// or records the run in the page table. 0 when the OS refuses a table page. Owner only. Almost
// every block lands in a window its heap has marked already: one load and a compare.
static inline int shim_note_block(Shim *me, u32 heap, void *ptr) {
    u64 entry = __atomic_load_n(shim_window_entry(ptr), __ATOMIC_RELAXED);
    if (ALLOC_LIKELY((entry & SHIM_ID_MASK) == shim_id_of(me, heap))) return 1;
    return shim_note_new(me, heap, ptr);
}
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
// The fast paths of malloc and free are inline here, so a call costs the heap's own work and a
// few loads; what is rare (a heap's first use, a table page, a remote free) is out of line.

// Slot `slot` of the slot array (malloc_shim.c).
Shim *shim_slot_at(u32 slot);
// Initialise heap `heap` of `me` (its first use).
void shim_heap_init(Shim *me, u32 heap);

// Heap `heap` of `me`, initialised on first use.
static inline HeapAllocator *shim_heap(Shim *me, u32 heap) {
    if (ALLOC_UNLIKELY(!(me->ready_heaps >> heap & 1))) shim_heap_init(me, heap);
    return &me->heaps[heap];
}

// shim_allocate's slow path: the tables had no room for `ptr`; it is freed again (NULL).
void *shim_unallocate(Shim *me, u32 heap, void *ptr);

// Allocate from heap `heap` of `me` and record the block in the tables.
static inline void *shim_allocate(Shim *me, u32 heap, size bytes, i8 zeroed) {
    void *ptr = heap_allocator_allocate(shim_heap(me, heap), bytes, zeroed);
    if (ptr && ALLOC_UNLIKELY(!shim_note_block(me, heap, ptr))) return shim_unallocate(me, heap, ptr);
    return ptr;
}

// Free a block of `me` (or report a pointer that is none: the heap aborts); `large`: the tables
// found it in the page table.
static inline void shim_free_here(Shim *me, u32 heap, void *ptr, u32 large) {
    if (large) shim_forget_run(me, heap, ptr); // before the heap may unmap it for another thread to map
    heap_allocator_deallocate(shim_heap(me, heap), ptr);
    shim_sweep(me, heap);
}

// Hand a block of another slot (`owner`) to that slot's inbox.
void shim_free_remote(Shim *me, ShimOwner owner, void *ptr);

// Free any pointer: here when `me` owns it, else onto its owner's inbox.
static inline void shim_free(Shim *me, void *ptr) {
    ShimOwner owner = shim_owner_of(ptr, 0);
    if (ALLOC_LIKELY(!owner.known || owner.slot == me->index))
        shim_free_here(me, owner.known ? owner.heap : 0, ptr, owner.large); // unknown: the heap reports it
    else shim_free_remote(me, owner, ptr);
}

// realloc of a block of `me` (or of an unknown pointer, which the heap reports).
void *shim_remap(Shim *me, ShimOwner owner, void *ptr, size bytes);
// Free every block other slots handed to `me` since the last drain.
void shim_drain_all(Shim *me);

static inline void shim_drain(Shim *me) {
    if (ALLOC_UNLIKELY(__atomic_load_n(&me->inbox, __ATOMIC_RELAXED) != NULL)) shim_drain_all(me);
}

#endif // ALLOC_SHIM_INTERNAL_H
