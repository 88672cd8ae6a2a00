// SPDX-License-Identifier: MIT
// HeapAllocator, page runs: blocks above HEAP_SMALL_MAX are runs of OS pages recorded in a table
// in no order: a scan finds one while there are few, the library's address map once a heap has
// had more than HEAP_LARGE_SCAN_MAX (O(1) to find, insert and erase, however many are live). A run's mapping (`cap`) may be longer than the block
// (`bytes`): a block grows into it without a system call, and past it with mremap (in place, else
// moved; the pages are never copied). Freed runs are retained and reused best-fit (a mapping up
// to HEAP_RUN_REUSE_RATIO times the request), so a block that keeps growing and being freed finds
// its old mapping again, and a program with many large blocks in flight does not map, fault in and
// unmap one per block: the cache is bounded by a floor (HEAP_RETAINED_MAX runs,
// HEAP_RETAINED_MAX_BYTES) or the heap's high-water mark of live runs, which decays toward
// what is live every HEAP_RUN_DECAY_OPS large operations (hysteresis). Recently unmapped addresses
// are remembered for the double-free diagnosis. Entry points: heap_large_allocate, _find, _containing,
// _release, _resize (see heap_internal.h).
#include "alloc/Heap.h"
#include "heap_internal.h"
#include "runs.h"
#include "sanitizer.h"

#include <string.h> // memmove, memset

// --- Live runs: a table in no order, indexed by address past HEAP_LARGE_SCAN_MAX -------------

// The table grows with runs_reserve, and a row leaves by swapping the last one in, so no
// operation moves the table. While a heap has never had more than HEAP_LARGE_SCAN_MAX live runs
// a scan of the rows finds one; from then on the address map (run address -> row + 1) does, in
// O(1) however many runs are live.

static bool large_indexed(const HeapAllocator *self) { return self->large_index.slots != NULL; }

i64 heap_large_find(const HeapAllocator *self, const void *ptr) {
    if (large_indexed(self)) {
        uintptr_t row = addrmap_find(&self->large_index, (uintptr_t)ptr);
        return row ? (i64)(row - 1) : -1;
    }
    for (size i = 0; i < self->large_len; ++i)
        if (self->large[i].ptr == ptr) return (i64)i;
    return -1;
}

i64 heap_large_containing(const HeapAllocator *self, const void *ptr) {
    for (size i = 0; i < self->large_len; ++i) {
        const HeapRun *run = &self->large[i];
        if ((uintptr_t)ptr - (uintptr_t)run->ptr < run->bytes) return (i64)i;
    }
    return -1;
}

// Make room for one more live run in the table and, past HEAP_LARGE_SCAN_MAX runs, in its index
// (built from the rows the first time); both mapped from the OS.
static bool large_reserve(HeapAllocator *self) {
    if ((self->large_len + 1) * sizeof(HeapRun) > self->large_bytes) { // else no call
        if (!runs_reserve(&self->base, &self->large, &self->large_bytes, self->large_len)) return false;
        self->large_cap = self->large_bytes / sizeof(HeapRun);
    }
    if (large_indexed(self)) return addrmap_reserve(&self->large_index, &self->base, 1);
    if (self->large_len < HEAP_LARGE_SCAN_MAX) return true;
    if (!addrmap_reserve(&self->large_index, &self->base, self->large_len + 1)) return false;
    for (size i = 0; i < self->large_len; ++i) // reserved: cannot fail
        addrmap_insert(&self->large_index, &self->base, (uintptr_t)self->large[i].ptr, i + 1);
    return true;
}

// [ a | c ] + b => [ a | c | b ]   (room reserved by the caller); raises the high-water marks.
static inline __attribute__((always_inline)) void large_insert(HeapAllocator *self, void *ptr,
                                                               size bytes, size cap) {
    self->large[self->large_len] = (HeapRun){ptr, bytes, cap};
    if (large_indexed(self)) // reserved: cannot fail
        addrmap_insert(&self->large_index, &self->base, (uintptr_t)ptr, self->large_len + 1);
    self->large_len++;
    self->large_mapped += cap;
    if (self->large_len > self->peak_runs) self->peak_runs = self->large_len;
    if (self->large_mapped > self->peak_mapped) self->peak_mapped = self->large_mapped;
}

// [ a | b | c ] - b => [ a | c ]: the last row takes the freed one's place.
static inline __attribute__((always_inline)) void large_erase(HeapAllocator *self, size i) {
    self->large_mapped -= self->large[i].cap;
    bool indexed = large_indexed(self);
    if (indexed) addrmap_remove(&self->large_index, (uintptr_t)self->large[i].ptr);
    size last = --self->large_len;
    if (i == last) return;
    self->large[i] = self->large[last];
    if (!indexed) return;
    addrmap_remove(&self->large_index, (uintptr_t)self->large[i].ptr);
    addrmap_insert(&self->large_index, &self->base, (uintptr_t)self->large[i].ptr, i + 1); // room: one just left
}

// --- Freed addresses and retained runs (binned by mapped length) ---------------------------------

static void freed_remember(HeapAllocator *self, void *ptr) {
    self->freed[self->freed_next] = ptr;
    self->freed_next              = (self->freed_next + 1) % HEAP_FREED_MAX;
}

static void freed_forget(HeapAllocator *self, const void *ptr) {
    for (size i = 0; i < HEAP_FREED_MAX; ++i)
        if (self->freed[i] == ptr) self->freed[i] = NULL;
}

static void unmap_run(HeapAllocator *self, void *ptr, size bytes) {
    alloc_sanitize_region_unmapping(self, ptr, bytes); // a freed (poisoned) run
    alloc_os_unmap(&self->base, ptr, bytes);
    freed_remember(self, ptr);
}

// Take row `i` of bin `b` out of the cache. Inline: it runs on every reuse.
static inline __attribute__((always_inline)) HeapRun retained_remove(HeapAllocator *self, u32 b, size i) {
    HeapRetainedBins *bins = self->retained;
    HeapRun           run  = bins->rows[b][i];
    runs_erase(bins->rows[b], bins->len[b], i);
    if (--bins->len[b] == 0) bins->filled &= ~((u64)1 << b);
    bins->last_valid = 0; // rows after it moved down
    self->retained_len--;
    self->retained_bytes -= run.cap;
    return run;
}

// The bin holding the shortest retained run (the cache is not empty).
static u32 retained_shortest_bin(const HeapAllocator *self) {
    return (u32)__builtin_ctzll(self->retained->filled);
}

// The retained run that fits `bytes` best (the shortest mapping of at least `bytes`, at most
// HEAP_RUN_REUSE_RATIO times longer; the most recent among equals), taken out of the cache; its
// mapped length in `*cap`. NULL if none fits. The fit is in the request's bin or, failing that,
// is the shortest run of the first filled bin after it. A request of exactly the length of the
// run retained last (freed and allocated again) takes that row without a search: it is the fit.
static void *retained_take(HeapAllocator *self, size bytes, size *cap) {
    HeapRetainedBins *bins = self->retained;
    if (!self->retained_len) return NULL;
    if (bins->last_valid && bins->rows[bins->last_bin][bins->last_at].cap == bytes) {
        HeapRun run = retained_remove(self, bins->last_bin, bins->last_at);
        *cap        = run.cap;
        return run.ptr;
    }
    u32 b    = heap_retained_bin(bytes, heap_os_page(self));
    size at  = runs_fit(bins->rows[b], bins->len[b], bytes, HEAP_RUN_REUSE_RATIO);
    if (at == bins->len[b]) {
        u64 later = b + 1 < 64 ? bins->filled & ~(((u64)2 << b) - 1) : 0;
        if (!later) return NULL;
        b  = (u32)__builtin_ctzll(later);
        at = runs_fit(bins->rows[b], bins->len[b], bytes, HEAP_RUN_REUSE_RATIO);
        if (at == bins->len[b]) return NULL; // longer than the reuse ratio allows
    }
    HeapRun run = retained_remove(self, b, at);
    *cap        = run.cap;
    return run.ptr;
}

// Would `extra_runs` more runs of `extra_bytes` in all exceed the bounds?
static bool retain_over(const HeapAllocator *self, size extra_runs, size extra_bytes) {
    return self->retained_len + extra_runs > heap_retain_runs_max(self) ||
           self->retained_bytes + extra_bytes > heap_retain_bytes_max(self);
}

// Room for one more run in bin `b` (the bins mapped first if need be); false when the OS refuses.
static bool retained_reserve(HeapAllocator *self, u32 b) {
    if (!self->retained) {
        size bytes = alloc_align_up(sizeof(HeapRetainedBins), heap_os_page(self));
        HeapRetainedBins *bins = alloc_os_map(&self->base, bytes); // reads as zero
        if (!bins) return false;
        bins->self_bytes     = bytes;
        self->retained       = bins;
        self->retained_table = bytes;
    }
    HeapRetainedBins *bins = self->retained;
    size              had  = bins->bytes[b];
    if ((bins->len[b] + 1) * sizeof(HeapRun) <= had) return true; // the common case, no call
    if (!runs_reserve(&self->base, &bins->rows[b], &bins->bytes[b], bins->len[b])) return false;
    self->retained_table += bins->bytes[b] - had;
    return true;
}

// Keep a freed run of `bytes` mapped bytes for reuse. Within the bounds the shortest runs go
// first (the longest are the dearest to map and fault in again); a run shorter than every
// retained one when the cache is full, one over HEAP_RETAINED_MAX_BYTES, or one the table has no
// room for is unmapped itself.
static void retain(HeapAllocator *self, void *ptr, size bytes) {
    u32 b = heap_retained_bin(bytes, heap_os_page(self));
    if (bytes > HEAP_RETAINED_MAX_BYTES || !retained_reserve(self, b)) {
        unmap_run(self, ptr, bytes);
        return;
    }
    HeapRetainedBins *bins = self->retained;
    if (retain_over(self, 1, bytes)) { // else (the common case) no eviction to consider
        while (self->retained_len && retain_over(self, 1, bytes)) {
            u32 shortest = retained_shortest_bin(self);
            if (bins->rows[shortest][0].cap > bytes) break; // every retained run is longer
            HeapRun evicted = retained_remove(self, shortest, 0);
            unmap_run(self, evicted.ptr, evicted.cap);
        }
        if (retain_over(self, 1, bytes)) {
            unmap_run(self, ptr, bytes);
            return;
        }
    }
    size at = runs_upper_by_size(bins->rows[b], bins->len[b], bytes);
    runs_insert(bins->rows[b], bins->len[b], at, (HeapRun){ptr, bytes, bytes});
    bins->last_at    = at;
    bins->last_bin   = b;
    bins->last_valid = 1;
    bins->len[b]++;
    bins->filled |= (u64)1 << b;
    self->retained_len++;
    self->retained_bytes += bytes;
}

bool heap_retained_holds(const HeapAllocator *self, const void *ptr) {
    for (u32 b = 0; self->retained && b < HEAP_RETAINED_BINS; ++b)
        for (size i = 0; i < self->retained->len[b]; ++i)
            if (self->retained->rows[b][i].ptr == ptr) return true;
    return false;
}

void heap_retained_release(HeapAllocator *self) {
    HeapRetainedBins *bins = self->retained;
    if (!bins) return;
    for (u32 b = 0; b < HEAP_RETAINED_BINS; ++b) {
        for (size i = 0; i < bins->len[b]; ++i) {
            alloc_sanitize_region_unmapping(self, bins->rows[b][i].ptr, bins->rows[b][i].cap);
            alloc_os_unmap(&self->base, bins->rows[b][i].ptr, bins->rows[b][i].cap);
        }
        alloc_os_unmap(&self->base, bins->rows[b], bins->bytes[b]);
    }
    alloc_os_unmap(&self->base, bins, bins->self_bytes);
    self->retained = NULL;
    self->retained_len = self->retained_bytes = self->retained_table = 0;
}

void heap_large_decay(HeapAllocator *self) {
    self->decay_clock = 0;
    self->peak_runs -= (self->peak_runs - self->large_len) / 4;
    self->peak_mapped -= (self->peak_mapped - self->large_mapped) / 4;
    while (self->retained_len && retain_over(self, 0, 0)) {
        HeapRun shortest = retained_remove(self, retained_shortest_bin(self), 0);
        unmap_run(self, shortest.ptr, shortest.cap);
    }
}

// Count one large operation; every HEAP_RUN_DECAY_OPS of them both hystereses decay (so a heap
// that goes on with small blocks only still gives back the runs of a burst, and the reverse).
static void decay_tick(HeapAllocator *self) {
    if (++self->decay_clock < HEAP_RUN_DECAY_OPS) return;
    heap_large_decay(self);
    heap_pages_decay(self);
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
    decay_tick(self);
    *effective = len;
    return base;
}

size heap_large_release(HeapAllocator *self, size index) {
    HeapRun run = self->large[index];
    large_erase(self, index);
    alloc_sanitize_freed(self, run.ptr, run.bytes);
    retain(self, run.ptr, run.cap); // the whole mapping
    decay_tick(self);
    return run.bytes;
}

// Grow or shrink run `index` within its mapping: no system call. [ block | room ] => [ block+ | room- ]
static void *resize_within(HeapAllocator *self, HeapRun *run, size len) {
    alloc_sanitize_resized(self, run->ptr, run->bytes, len);
    run->bytes = len;
    return run->ptr;
}

// Shrink run `index` to `len` bytes and give the rest of its mapping back to the OS.
static void *shrink_mapping(HeapAllocator *self, HeapRun *run, size len) {
    alloc_sanitize_resized(self, run->ptr, run->bytes, len);
    alloc_sanitize_region_unmapping(self, (char *)run->ptr + len, run->cap - len);
    alloc_os_remap(&self->base, run->ptr, run->cap, len, false); // unmaps the tail: cannot fail
    self->large_mapped -= run->cap - len;
    run->bytes = run->cap = len;
    return run->ptr;
}

// Grow run `index` past its mapping with mremap: in place, else (when `may_move`) moved with its
// page tables; the pages are never copied. NULL (run untouched) when neither is possible.
static void *grow_mapping(HeapAllocator *self, size index, size len, bool may_move) {
    HeapRun *run  = &self->large[index];
    char    *room = (char *)run->ptr + run->bytes;
    alloc_sanitize_region_unmapping(self, room, run->cap - run->bytes); // about to change hands
    void *moved = alloc_os_remap(&self->base, run->ptr, run->cap, len, may_move);
    if (!moved) {
        alloc_sanitize_region_mapped(self, room, run->cap - run->bytes);
        return NULL;
    }
    if (moved == run->ptr) {
        alloc_sanitize_resized(self, moved, run->bytes, len);
        self->large_mapped += len - run->cap;
        if (self->large_mapped > self->peak_mapped) self->peak_mapped = self->large_mapped;
        run->bytes = run->cap = len;
        return moved;
    }
    alloc_sanitize_moved(self, run->ptr, moved, len);
    freed_remember(self, run->ptr); // the old address is now a freed block
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
