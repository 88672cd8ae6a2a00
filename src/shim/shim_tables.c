// SPDX-License-Identifier: MIT
// The shim's address tables (described in shim_internal.h, whose inline readers serve malloc and
// free): mapping them, the slow path of noting a block (a window's first block, a page run, a
// leaf mapped on first use), forgetting and restoring runs, and clearing the windows of segments
// a heap has unmapped. Entry points: shim_tables_init, shim_note_new, shim_forget_run,
// shim_restore_run, shim_sweep_windows.
#include "shim_internal.h"

enum {
    TOP_BITS = SHIM_ADDRESS_BITS - SHIM_PAGE_SHIFT - SHIM_LEAF_BITS,
    WINDOWS  = 1 << (SHIM_ADDRESS_BITS - HEAP_SEGMENT_SHIFT),
};

u64  *shim_windows;
u64 **shim_leaves;

int shim_tables_init(void) {
    shim_windows = alloc_os_map(NULL, (size)WINDOWS * sizeof *shim_windows);
    shim_leaves  = alloc_os_map(NULL, ((size)1 << TOP_BITS) * sizeof *shim_leaves);
    return shim_windows && shim_leaves;
}

// The page-table entry of `ptr`'s page, its leaf mapped if it has none yet; NULL when the OS
// refuses one. A new leaf is published with one compare-and-swap; the loser unmaps its own.
static u64 *run_entry_created(const void *ptr) {
    u64 *entry = shim_run_entry(ptr);
    if (ALLOC_LIKELY(entry != NULL)) return entry;
    u64 **top   = &shim_leaves[(uintptr_t)ptr >> SHIM_PAGE_SHIFT >> SHIM_LEAF_BITS];
    size  bytes = ((size)1 << SHIM_LEAF_BITS) * sizeof **top;
    u64  *leaf  = alloc_os_map(NULL, bytes);
    if (!leaf) return NULL;
    u64 *none = NULL;
    if (!__atomic_compare_exchange_n(top, &none, leaf, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        alloc_os_unmap(NULL, leaf, bytes);
    return shim_run_entry(ptr);
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

int shim_note_new(Shim *me, u32 heap, void *ptr) {
    u32            id      = shim_id_of(me, heap);
    u64           *window  = shim_window_entry(ptr);
    HeapAllocator *h       = &me->heaps[heap];
    uintptr_t      base    = heap_segment_base(ptr);
    uintptr_t      segment = addrmap_find(&h->segments, base);
    if (segment) { // a slot of a segment this heap has not marked yet
        if (!mark_add(me, base >> HEAP_SEGMENT_SHIFT, heap)) return 0;
        __atomic_store_n(window, (u64)segment | id, __ATOMIC_RELEASE);
        return 1;
    }
    u64 *run = run_entry_created(ptr); // a page run
    if (!run) return 0;
    __atomic_store_n(run, (u64)HeapAllocatorUsableSize(h, ptr) | id, __ATOMIC_RELEASE);
    return 1;
}

u64 shim_forget_run(Shim *me, u32 heap, const void *ptr) {
    u64 *run   = (uintptr_t)ptr >> SHIM_ADDRESS_BITS ? NULL : shim_run_entry(ptr);
    u64  entry = run ? __atomic_load_n(run, __ATOMIC_RELAXED) : 0;
    if (!entry || (entry & SHIM_ID_MASK) != shim_id_of(me, heap)) return 0;
    __atomic_store_n(run, 0, __ATOMIC_RELEASE);
    return entry;
}

void shim_restore_run(const void *ptr, u64 entry) {
    if (entry) __atomic_store_n(shim_run_entry(ptr), entry, __ATOMIC_RELEASE);
}

void shim_sweep_windows(Shim *me, u32 heap, size len) {
    HeapAllocator *h   = &me->heaps[heap];
    me->segments[heap] = len;
    u32  id            = shim_id_of(me, heap);
    size kept          = 0;
    for (size i = 0; i < me->marks_len; ++i) {
        ShimMark mark  = me->marks[i];
        u64     *slot  = &shim_windows[mark.window];
        u64      entry = __atomic_load_n(slot, __ATOMIC_RELAXED);
        bool     ours  = (entry & SHIM_ID_MASK) == (mark.heap == heap ? id : shim_id_of(me, mark.heap));
        if (ours && (mark.heap != heap ||
                     addrmap_find(&h->segments, mark.window << HEAP_SEGMENT_SHIFT) ==
                         (uintptr_t)(entry & ~SHIM_ID_MASK))) {
            me->marks[kept++] = mark;
            continue;
        }
        if (ours) __atomic_compare_exchange_n(slot, &entry, 0, false, __ATOMIC_RELEASE, __ATOMIC_RELAXED);
    }
    me->marks_len = kept;
}
