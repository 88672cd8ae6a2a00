// SPDX-License-Identifier: MIT
// The shim's address tables: which slot and heap own a pointer, readable by every thread without
// a lock. A window table (one word per 4 MiB window: a heap segment's descriptor and its owner)
// covers small blocks; a two-level page table (one word per 4 KiB page where a run starts: its
// size and owner, leaves mapped on first use) covers page runs, which may share a window with
// other heaps' runs. Only a block's owner writes its entries, before it hands the block out and
// before it frees or moves it. Entry points: shim_tables_init, shim_owner_of, shim_note_block,
// shim_forget_run, shim_restore_run, shim_sweep_windows.
#include "heap_internal.h" // HeapSegment, HeapPage: a small block's size from its descriptor
#include "shim_internal.h"

enum {
    ADDRESS_BITS = 47, // user space on x86-64 and arm64 (4-level page tables)
    PAGE_SHIFT   = 12, // the page table's granule; every run starts on one
    LEAF_BITS    = 18, // a leaf covers 1 GiB: 2 MiB of entries
    TOP_BITS     = ADDRESS_BITS - PAGE_SHIFT - LEAF_BITS,
    WINDOWS      = 1 << (ADDRESS_BITS - HEAP_SEGMENT_SHIFT),
};
#define ID_MASK ((u64)((1u << SHIM_ID_BITS) - 1))

static u64  *windows; // window -> (HeapSegment * | owner id + 1), 0 = none
static u64 **leaves;  // top level: page >> LEAF_BITS -> leaf of run entries (bytes | id + 1)

int shim_tables_init(void) {
    windows = alloc_os_map(NULL, (size)WINDOWS * sizeof *windows);
    leaves  = alloc_os_map(NULL, ((size)1 << TOP_BITS) * sizeof *leaves);
    return windows && leaves;
}

static u32 id_of(const Shim *me, u32 heap) { return me->index * SHIM_HEAP_STRIDE + heap + 1; }

static int in_range(const void *ptr) { return ((uintptr_t)ptr >> ADDRESS_BITS) == 0; }

static u64 *window_entry(const void *ptr) {
    return &windows[(uintptr_t)ptr >> HEAP_SEGMENT_SHIFT];
}

// The page-table entry of `ptr`'s page; NULL when its leaf does not exist (and `create` is 0 or
// the OS refuses one). A new leaf is published with one compare-and-swap; the loser unmaps its own.
static u64 *page_entry(const void *ptr, int create) {
    uintptr_t page = (uintptr_t)ptr >> PAGE_SHIFT;
    u64     **top  = &leaves[page >> LEAF_BITS];
    u64      *leaf = __atomic_load_n(top, __ATOMIC_ACQUIRE);
    if (ALLOC_UNLIKELY(!leaf)) {
        size bytes = ((size)1 << LEAF_BITS) * sizeof *leaf;
        if (!create || !(leaf = alloc_os_map(NULL, bytes))) return NULL;
        u64 *none = NULL;
        if (!__atomic_compare_exchange_n(top, &none, leaf, false, __ATOMIC_ACQ_REL,
                                         __ATOMIC_ACQUIRE)) {
            alloc_os_unmap(NULL, leaf, bytes);
            leaf = none;
        }
    }
    return &leaf[page & (((uintptr_t)1 << LEAF_BITS) - 1)];
}

static ShimOwner owner_from(u64 entry, u32 large, size bytes) {
    u32 id = (u32)(entry & ID_MASK) - 1;
    return (ShimOwner){1, id / SHIM_HEAP_STRIDE, id % SHIM_HEAP_STRIDE, large, bytes};
}

ShimOwner shim_owner_of(const void *ptr, int want_bytes) {
    if (!in_range(ptr)) return (ShimOwner){0};
    const u64 *run   = page_entry(ptr, 0);
    u64        entry = run ? __atomic_load_n(run, __ATOMIC_ACQUIRE) : 0;
    if (entry) return owner_from(entry, 1, (size)(entry & ~ID_MASK));
    entry = __atomic_load_n(window_entry(ptr), __ATOMIC_ACQUIRE);
    if (!entry) return (ShimOwner){0};
    size bytes = 0;
    if (want_bytes) { // a live slot's page keeps its class while the slot lives
        HeapSegment *segment = (HeapSegment *)(uintptr_t)(entry & ~ID_MASK);
        bytes                = heap_segment_page(segment, ptr)->slot_size;
    }
    return owner_from(entry, 0, bytes);
}

// Remember that `me` marked `window` for heap `heap`; 0 when the OS refuses room for it.
static int mark_add(Shim *me, uintptr_t window, u32 heap) {
    void *marks = me->marks;
    if (!alloc_os_grow(NULL, &marks, &me->marks_bytes, (me->marks_len + 1) * sizeof(ShimMark)))
        return 0;
    me->marks                   = marks;
    me->marks[me->marks_len++] = (ShimMark){window, heap};
    return 1;
}

int shim_note_block(Shim *me, u32 heap, void *ptr) {
    u32  id     = id_of(me, heap);
    u64 *window = window_entry(ptr);
    if (ALLOC_LIKELY((__atomic_load_n(window, __ATOMIC_RELAXED) & ID_MASK) == id)) return 1;
    HeapAllocator *h       = &me->heaps[heap];
    uintptr_t      base    = heap_segment_base(ptr);
    uintptr_t      segment = addrmap_find(&h->segments, base);
    if (segment) { // a slot of a segment this heap has not marked yet
        if (!mark_add(me, base >> HEAP_SEGMENT_SHIFT, heap)) return 0;
        __atomic_store_n(window, (u64)segment | id, __ATOMIC_RELEASE);
        return 1;
    }
    u64 *run = page_entry(ptr, 1); // a page run
    if (!run) return 0;
    __atomic_store_n(run, (u64)HeapAllocatorUsableSize(h, ptr) | id, __ATOMIC_RELEASE);
    return 1;
}

u64 shim_forget_run(Shim *me, u32 heap, const void *ptr) {
    u64 *run   = in_range(ptr) ? page_entry(ptr, 0) : NULL;
    u64  entry = run ? __atomic_load_n(run, __ATOMIC_RELAXED) : 0;
    if (!entry || (entry & ID_MASK) != id_of(me, heap)) return 0;
    __atomic_store_n(run, 0, __ATOMIC_RELEASE);
    return entry;
}

void shim_restore_run(const void *ptr, u64 entry) {
    if (entry) __atomic_store_n(page_entry(ptr, 0), entry, __ATOMIC_RELEASE);
}

void shim_sweep_windows(Shim *me, u32 heap, size len) {
    HeapAllocator *h   = &me->heaps[heap];
    me->segments[heap] = len;
    u32  id            = id_of(me, heap);
    size kept          = 0;
    for (size i = 0; i < me->marks_len; ++i) {
        ShimMark mark  = me->marks[i];
        u64     *slot  = &windows[mark.window];
        u64      entry = __atomic_load_n(slot, __ATOMIC_RELAXED);
        bool     ours  = (entry & ID_MASK) == (mark.heap == heap ? id : id_of(me, mark.heap));
        if (ours && (mark.heap != heap ||
                     addrmap_find(&h->segments, mark.window << HEAP_SEGMENT_SHIFT) ==
                         (uintptr_t)(entry & ~ID_MASK))) {
            me->marks[kept++] = mark;
            continue;
        }
        if (ours) __atomic_compare_exchange_n(slot, &entry, 0, false, __ATOMIC_RELEASE, __ATOMIC_RELAXED);
    }
    me->marks_len = kept;
}
