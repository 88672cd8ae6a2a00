// SPDX-License-Identifier: MIT
// The shim's per-thread slots: a slot's heaps (one per alignment, made on first use), the free of
// any pointer (here when the slot owns it, else pushed onto the owner's inbox: a lock-free stack
// of out-of-band nodes the owner takes whole and drains on its next call), realloc of the slot's
// own blocks, and the node pool (nodes go back to the slot that made them through its `returned`
// stack). The fast paths (shim_allocate, shim_free) are inline in shim_internal.h. Entry points:
// shim_heap_init, shim_unallocate, shim_free_remote, shim_remap, shim_drain_all.
#include "shim_internal.h"

enum { NODE_BLOCK_BYTES = 64 << 10 }; // nodes mapped at a time

void shim_heap_init(Shim *me, u32 heap) {
    me->heaps[heap] = heap ? HeapAllocatorInitAligned((size)1 << (4 + heap)) : HeapAllocatorInit();
    me->ready_heaps |= 1u << heap;
}

void *shim_unallocate(Shim *me, u32 heap, void *ptr) {
    heap_allocator_deallocate(&me->heaps[heap], ptr);
    shim_sweep(me, heap);
    return NULL;
}

// --- Nodes and inboxes ------------------------------------------------------------------------

static ShimNode *node_take(Shim *me) {
    if (!me->pool) me->pool = __atomic_exchange_n(&me->returned, NULL, __ATOMIC_ACQUIRE);
    if (!me->pool) {
        ShimNode *block = alloc_os_map(NULL, NODE_BLOCK_BYTES);
        if (!block) return NULL;
        for (size i = 0; i < NODE_BLOCK_BYTES / sizeof *block; ++i) {
            block[i] = (ShimNode){.next = me->pool, .home = me->index};
            me->pool = &block[i];
        }
    }
    ShimNode *node = me->pool;
    me->pool       = node->next;
    return node;
}

// Push the chain first..last onto the lock-free stack at `top`, with one compare-and-swap:
// [ top | a | b ] => [ first .. last | a | b ]
static void stack_push_chain(ShimNode **top, ShimNode *first, ShimNode *last) {
    ShimNode *head = __atomic_load_n(top, __ATOMIC_RELAXED);
    do last->next = head;
    while (!__atomic_compare_exchange_n(top, &head, first, true, __ATOMIC_RELEASE, __ATOMIC_RELAXED));
}

static void stack_push(ShimNode **top, ShimNode *node) { stack_push_chain(top, node, node); }

// Free every node's block, and give the nodes back to their slots a chain at a time (one
// compare-and-swap on the other slot's line per run of nodes from it, not one per node).
void shim_drain_all(Shim *me) {
    ShimNode *node  = __atomic_exchange_n(&me->inbox, NULL, __ATOMIC_ACQUIRE);
    ShimNode *first = NULL, *last = NULL; // drained nodes of first->home, not yet given back
    while (node) {
        ShimNode *next = node->next;
        shim_free_here(me, node->heap, node->ptr, node->large);
        if (first && first->home != node->home) {
            stack_push_chain(&shim_slot_at(first->home)->returned, first, last);
            first = NULL;
        }
        if (!first) last = node;
        node->next = first;
        first      = node;
        node       = next;
    }
    if (first) stack_push_chain(&shim_slot_at(first->home)->returned, first, last);
}

void shim_free_remote(Shim *me, ShimOwner owner, void *ptr) {
    ShimNode *node = node_take(me);
    if (!node) return; // no memory for a node: the block leaks rather than the program stops
    node->ptr   = ptr;
    node->heap  = (u16)owner.heap;
    node->large = (u16)owner.large;
    stack_push(&shim_slot_at(owner.slot)->inbox, node);
}

// --- realloc ----------------------------------------------------------------------------------

void *shim_remap(Shim *me, ShimOwner owner, void *ptr, size bytes) {
    u32            heap = owner.known ? owner.heap : 0;
    HeapAllocator *h    = shim_heap(me, heap);
    u64            run  = owner.large ? shim_forget_run(me, heap, ptr) : 0; // it may move
    void          *moved = heap_allocator_remap(h, ptr, bytes);
    if (!moved) {
        shim_restore_run(ptr, run);
        return NULL;
    }
    // The old block is gone, so a table the OS refuses to extend cannot be reported as NULL.
    if (!shim_note_block(me, heap, moved)) AllocFatal("realloc", "out of memory for the shim's tables", moved);
    shim_sweep(me, heap);
    return moved;
}
