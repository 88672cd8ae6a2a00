// SPDX-License-Identifier: MIT
// HeapAllocator, page runs: blocks above HEAP_SMALL_MAX are runs of OS pages recorded in a table
// sorted by address (binary search). A run's mapping (`cap`) may be longer than the block
// (`bytes`): a block grows into it without a system call, and past it with mremap (in place, else
// moved; the pages are never copied). Freed runs are retained in a small bounded cache and reused
// best-fit (a mapping up to HEAP_RUN_REUSE_RATIO times the request), so a block that keeps
// growing and being freed finds its old mapping again; recently unmapped addresses are
// remembered for the double-free diagnosis. Entry points: heap_large_allocate, _upper, _find,
// _release, _resize (see heap_internal.h).
#include "alloc/Heap.h"
#include "heap_internal.h"
#include "sanitizer.h"

#include <string.h> // memmove, memset

// --- Run table ----------------------------------------------------------------------------------

// Index of the first live run whose base is above `ptr`.
size heap_large_upper(const HeapAllocator *self, const void *ptr) {
    size lo = 0, hi = self->large_len;
    while (lo < hi) {
        size mid = lo + (hi - lo) / 2;
        if ((uintptr_t)self->large[mid].base <= (uintptr_t)ptr) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

i64 heap_large_find(const HeapAllocator *self, const void *ptr) {
    size i = heap_large_upper(self, ptr);
    return i && self->large[i - 1].base == ptr ? (i64)(i - 1) : -1;
}

// Make room for one more live run, doubling the table (mapped directly from the OS).
static bool large_reserve(HeapAllocator *self) {
    if (self->large_len < self->large_cap) return true;
    size     bytes = self->large_bytes ? self->large_bytes * 2 : heap_os_page(self);
    HeapRun *table = alloc_os_map(&self->base, bytes);
    if (!table) return false;
    if (self->large) {
        memcpy(table, self->large, self->large_len * sizeof *table);
        alloc_os_unmap(&self->base, self->large, self->large_bytes);
    }
    self->large       = table;
    self->large_cap   = bytes / sizeof *table;
    self->large_bytes = bytes;
    return true;
}

// [ a | c ] + b => [ a | b | c ]   (room reserved by the caller)
static void large_insert(HeapAllocator *self, void *base, size bytes, size cap) {
    size i = heap_large_upper(self, base);
    if (i < self->large_len)
        memmove(&self->large[i + 1], &self->large[i], (self->large_len - i) * sizeof(HeapRun));
    self->large[i] = (HeapRun){base, bytes, cap};
    self->large_len++;
}

// [ a | b | c ] - b => [ a | c ]
static void large_erase(HeapAllocator *self, size i) {
    if (i + 1 < self->large_len)
        memmove(&self->large[i], &self->large[i + 1], (self->large_len - i - 1) * sizeof(HeapRun));
    self->large_len--;
}

// --- Freed addresses and retained runs ------------------------------------------------------

static void freed_remember(HeapAllocator *self, void *base) {
    self->freed[self->freed_next] = base;
    self->freed_next              = (self->freed_next + 1) % HEAP_FREED_MAX;
}

static void freed_forget(HeapAllocator *self, const void *base) {
    for (size i = 0; i < HEAP_FREED_MAX; ++i)
        if (self->freed[i] == base) self->freed[i] = NULL;
}

static void unmap_run(HeapAllocator *self, void *base, size bytes) {
    alloc_sanitize_region_unmapping(self, base, bytes); // a freed (poisoned) run
    alloc_os_unmap(&self->base, base, bytes);
    freed_remember(self, base);
}

static HeapRun retained_remove(HeapAllocator *self, size i) {
    HeapRun run = self->retained[i];
    if (i + 1 < self->retained_len)
        memmove(&self->retained[i], &self->retained[i + 1],
                (self->retained_len - i - 1) * sizeof(HeapRun));
    self->retained_len--;
    self->retained_bytes -= run.cap;
    return run;
}

// The retained run that fits `bytes` best (the shortest mapping of at least `bytes`, at most
// HEAP_RUN_REUSE_RATIO times longer; the most recent among equals), taken out of the cache; its
// mapped length in `*cap`. NULL if none fits.
static void *retained_take(HeapAllocator *self, size bytes, size *cap) {
    size best = HEAP_RETAINED_MAX;
    for (size i = 0; i < self->retained_len; ++i) {
        size c = self->retained[i].cap;
        if (c >= bytes && c / HEAP_RUN_REUSE_RATIO <= bytes &&
            (best == HEAP_RETAINED_MAX || c <= self->retained[best].cap))
            best = i;
    }
    if (best == HEAP_RETAINED_MAX) return NULL;
    HeapRun run = retained_remove(self, best);
    *cap        = run.cap;
    return run.base;
}

// Keep a freed run for reuse, evicting the oldest runs to stay within the bounds.
static void retain(HeapAllocator *self, void *base, size bytes) {
    if (bytes > HEAP_RETAINED_MAX_BYTES) {
        unmap_run(self, base, bytes);
        return;
    }
    while (self->retained_len == HEAP_RETAINED_MAX ||
           self->retained_bytes + bytes > HEAP_RETAINED_MAX_BYTES) {
        HeapRun old = retained_remove(self, 0);
        unmap_run(self, old.base, old.cap);
    }
    self->retained[self->retained_len++] = (HeapRun){base, bytes, bytes};
    self->retained_bytes += bytes;
}

// --- Runs ---------------------------------------------------------------------------------------

static void *map_run(HeapAllocator *self, size bytes) {
    size align = self->base.alignment;
    return align > heap_os_page(self) ? alloc_os_map_aligned(&self->base, bytes, align)
                             : alloc_os_map(&self->base, bytes);
}

void *heap_large_allocate(HeapAllocator *self, size bytes, i8 zeroed, size *effective) {
    size len = alloc_align_up(bytes, heap_os_page(self));
    if (!len || !large_reserve(self)) return NULL;
    size  cap  = len;
    void *base = retained_take(self, len, &cap);
    if (base) { // the rest of its mapping, [len, cap), stays poisoned: not part of the block
        alloc_sanitize_allocated(self, base, len, zeroed != 0);
        if (zeroed) memset(base, 0, len);
    } else {
        if (!(base = map_run(self, len))) return NULL; // fresh mappings read as zero
        alloc_sanitize_allocated(self, base, len, true);
        freed_forget(self, base);
    }
    large_insert(self, base, len, cap);
    *effective = len;
    return base;
}

size heap_large_release(HeapAllocator *self, size index) {
    HeapRun run = self->large[index];
    large_erase(self, index);
    alloc_sanitize_freed(self, run.base, run.bytes);
    retain(self, run.base, run.cap); // the whole mapping
    return run.bytes;
}

// Grow or shrink run `index` within its mapping: no system call. [ block | room ] => [ block+ | room- ]
static void *resize_within(HeapAllocator *self, HeapRun *run, size len) {
    alloc_sanitize_resized(self, run->base, run->bytes, len);
    run->bytes = len;
    return run->base;
}

// Shrink run `index` to `len` bytes and give the rest of its mapping back to the OS.
static void *shrink_mapping(HeapAllocator *self, HeapRun *run, size len) {
    alloc_sanitize_resized(self, run->base, run->bytes, len);
    alloc_sanitize_region_unmapping(self, (char *)run->base + len, run->cap - len);
    alloc_os_remap(&self->base, run->base, run->cap, len, false); // unmaps the tail: cannot fail
    run->bytes = run->cap = len;
    return run->base;
}

// Grow run `index` past its mapping with mremap: in place, else (when `may_move`) moved with its
// page tables; the pages are never copied. NULL (run untouched) when neither is possible.
static void *grow_mapping(HeapAllocator *self, size index, size len, bool may_move) {
    HeapRun *run  = &self->large[index];
    char    *room = (char *)run->base + run->bytes;
    alloc_sanitize_region_unmapping(self, room, run->cap - run->bytes); // about to change hands
    void *moved = alloc_os_remap(&self->base, run->base, run->cap, len, may_move);
    if (!moved) {
        alloc_sanitize_region_mapped(self, room, run->cap - run->bytes);
        return NULL;
    }
    if (moved == run->base) {
        alloc_sanitize_resized(self, moved, run->bytes, len);
        run->bytes = run->cap = len;
        return moved;
    }
    alloc_sanitize_moved(self, run->base, moved, len);
    freed_remember(self, run->base); // the old address is now a freed block
    freed_forget(self, moved);
    large_erase(self, index);
    large_insert(self, moved, len, len);
    return moved;
}

void *heap_large_resize(HeapAllocator *self, size index, size new_size, bool may_move,
                        size *effective) {
    HeapRun *run = &self->large[index];
    size     len = alloc_align_up(new_size, heap_os_page(self));
    if (!len) return NULL;
    *effective = len;
    if (len < run->bytes) return shrink_mapping(self, run, len);
    if (len <= run->cap) return resize_within(self, run, len);
    return grow_mapping(self, index, len, may_move);
}
