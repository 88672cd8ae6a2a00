// SPDX-License-Identifier: MIT
// SlabAllocator: fixed-size slots in power-of-two slabs aligned to their size, mapped from the OS.
// All bookkeeping is out of band: a slab table, the address map from slab start to slab number (to
// validate a pointer in O(1) before reading any descriptor), one live bit per slot, and a stack of
// free slot ids. The fast paths are a pop (allocate) and, for a pointer in the slab the last free
// found, a reciprocal multiply, one bit test and a push (free); everything else is a named slow
// path. Entry points: slab_allocator_{allocate,resize,remap,deallocate} and their vtable entries,
// SlabAllocatorSlotSize, SlabAllocatorDeinit, SlabAllocatorCheck.
#include "alloc/Slab.h"
#include "addrmap.h"
#include "internal.h"
#include "sanitizer.h"
#include "slots_internal.h"

#include <stddef.h> // offsetof

_Static_assert(offsetof(SlabAllocator, base) == 0, "SlabAllocator must start with its base");
_Static_assert((SLAB_ALLOCATOR_MIN_SLAB_BYTES & (SLAB_ALLOCATOR_MIN_SLAB_BYTES - 1)) == 0,
               "slabs are powers of two");
_Static_assert(SLAB_ALLOCATOR_MAX_SLOT_BYTES * 4 <= ((size)1 << 31),
               "offsets inside a slab fit in 32 bits");

static Allocator *base_of(SlabAllocator *self) { return (Allocator *)self; }

// The whole header check: magic, vtable, alignment.
static void check_header(const SlabAllocator *self, const char *function) {
    alloc_check_header((const Allocator *)self, SLAB_ALLOCATOR_MAGIC, "SlabAllocator", function);
}

// The fast paths' check: one compare; anything else goes to a slow path that checks in full.
static inline bool is_slab(const SlabAllocator *self) {
    return self && self->base.magic == SLAB_ALLOCATOR_MAGIC;
}

static u64 *bitmap_of(const SlabAllocator *self, u32 slab) {
    return self->live + (size)slab * self->bitmap_words;
}

// --- Geometry and growth ----------------------------------------------------------------------

static u32 ceil_log2(size x) {
    u32 lg = 0;
    while (((size)1 << lg) < x) lg++;
    return lg;
}

// floor(2^shift / stride) + 1 with shift = 31 + ceil(log2(stride)): for every offset below 2^31,
// `offset * recip >> shift` is `offset / stride` exactly (the error recip * stride - 2^shift is at
// most stride <= 2^(shift - 31)), and the product stays below 2^63.
static u64 reciprocal(size stride, u8 shift) { return (((u64)1 << shift) / stride) + 1; }

// Bits of a free id's slot part: room for every slot and the one past the last (a pointer into
// the slab's tail indexes that bit, which is never set), and at least 6, so that slab `s` owns
// whole words of `live` and the live bit of id `s << id_shift | slot` is bit `id` of `live`.
static u32 id_bits(u32 slots) {
    u32 bits = ceil_log2((size)slots + 1);
    return bits < 6 ? 6 : bits;
}

// The slot at `offset` bytes into a slab (offset < slab_bytes <= 2^31).
static inline u32 slot_at(const SlabAllocator *self, u32 offset) {
    return (u32)(((u64)offset * self->recip) >> self->recip_shift);
}

// Work out stride and slab size on first use; abort when the slot size cannot be served.
static void set_up(SlabAllocator *self, const char *function) {
    size align  = self->base.alignment;
    size stride = alloc_align_up(self->slot_size, align);
    if (!self->slot_size || !stride || stride > SLAB_ALLOCATOR_MAX_SLOT_BYTES ||
        align > SLAB_ALLOCATOR_MAX_SLOT_BYTES)
        AllocFatal(function, "invalid slot size", self);
    size slab = SLAB_ALLOCATOR_MIN_SLAB_BYTES;
    while (slab < alloc_os_page_size() || slab < align || slab < 4 * stride) slab *= 2;
    self->stride         = stride;
    self->slab_bytes     = slab;
    self->slots_per_slab = (u32)(slab / stride);
    self->id_shift       = (u8)id_bits(self->slots_per_slab);
    self->bitmap_words   = (u32)1 << (self->id_shift - 6);
    self->recip_shift    = (u8)(31 + ceil_log2(stride));
    self->recip          = reciprocal(stride, self->recip_shift);
}

static bool reserve_tables(SlabAllocator *self, u32 slabs) {
    if (!addrmap_reserve(&self->index, base_of(self), 1)) return false;
    void *s = self->slabs, *l = self->live, *f = self->free_ids;
    bool ok =
        alloc_os_grow(base_of(self), &s, &self->slabs_bytes, slabs * sizeof(SlabInfo)) &&
        alloc_os_grow(base_of(self), &l, &self->live_bytes,
                      (size)slabs * self->bitmap_words * sizeof(u64)) &&
        alloc_os_grow(base_of(self), &f, &self->free_ids_bytes,
                      (size)slabs * self->slots_per_slab * sizeof(u32));
    self->slabs = s, self->live = l, self->free_ids = f;
    self->hot_start = 1; // the live bitmaps may have moved
    self->hot_live  = NULL;
    return ok;
}

// Map one more slab and push all its slots, last first, so they are handed out in address order.
static bool add_slab(SlabAllocator *self) {
    u64 max_slabs = (u64)1 << (32 - self->id_shift);
    if (self->len >= max_slabs - 1 || !reserve_tables(self, self->len + 1)) return false;
    char *start = alloc_os_map_aligned(base_of(self), self->slab_bytes, self->slab_bytes);
    if (!start) return false;
    alloc_sanitize_region_mapped(self, start, self->slab_bytes);
    u32 index          = self->len;
    self->slabs[index] = (SlabInfo){.start = start, .touched = 0};
    memset(bitmap_of(self, index), 0, self->bitmap_words * sizeof(u64));
    addrmap_insert(&self->index, base_of(self), (uintptr_t)start, index + 1); // reserved
    self->len += 1;
    for (u32 slot = self->slots_per_slab; slot-- > 0;)
        self->free_ids[self->free_len++] = index << self->id_shift | slot;
    return true;
}

// --- Slots ------------------------------------------------------------------------------------

static inline void *pop_slot(SlabAllocator *self, size bytes, i8 zeroed) {
    u32       id    = self->free_ids[--self->free_len];
    u32       slot  = id & (((u32)1 << self->id_shift) - 1);
    SlabInfo *info  = &self->slabs[id >> self->id_shift];
    char     *block = info->start + (size)slot * self->stride;
    slots_mark_live(self->live, id); // the live bit of id is bit `id` of the whole bitmap
    bool fresh = slot >= info->touched;
    alloc_sanitize_allocated(self, block, self->stride, fresh || zeroed);
    alloc_stats_allocated(base_of(self), bytes, self->stride);
    if (ALLOC_UNLIKELY(fresh)) info->touched = slot + 1; // fresh: still zero from the OS
    else if (zeroed) return memset(block, 0, self->stride);
    return block;
}

// The slot freed last (it is not fresh: it was handed out before, so it is zeroed on request).
// Its live bit was never cleared: taking it touches no bitmap.
static inline void *take_cached(SlabAllocator *self, size bytes, i8 zeroed) {
    char *block  = self->cached;
    self->cached = NULL;
    alloc_sanitize_allocated(self, block, self->stride, zeroed != 0);
    alloc_stats_allocated(base_of(self), bytes, self->stride);
    return zeroed ? memset(block, 0, self->stride) : block;
}

__attribute__((noinline, cold)) static void *allocate_slow(SlabAllocator *self, size bytes,
                                                           i8 zeroed, const char *function) {
    check_header(self, function);
    if (!bytes) return NULL;
    if (!self->stride) set_up(self, function);
    if (bytes > self->stride || (!self->cached && !self->free_len && !add_slab(self))) {
        alloc_stats_failed(base_of(self));
        return NULL;
    }
    return self->cached ? take_cached(self, bytes, zeroed) : pop_slot(self, bytes, zeroed);
}

// The slab of `ptr` and its slot index, after checking that it is a live slot; aborts otherwise
// with the reason. The slab is found from the address alone and confirmed in the index before
// anything is read.
static u32 live_slot(const SlabAllocator *self, const void *ptr, const char *function, u32 *slab) {
    uintptr_t start = (uintptr_t)ptr & ~(uintptr_t)(self->slab_bytes - 1);
    uintptr_t entry = self->stride ? addrmap_find(&self->index, start) : 0;
    if (!entry) AllocFatal(function, "foreign pointer", ptr);
    *slab    = (u32)(entry - 1);
    u32 off  = (u32)((uintptr_t)ptr - start);
    u32 slot = slot_at(self, off);
    if ((size)slot * self->stride != off) AllocFatal(function, "misaligned pointer", ptr);
    if (slot >= self->slots_per_slab) AllocFatal(function, "foreign pointer", ptr); // the tail
    // The cached slot is free although its bit is set.
    if (ALLOC_UNLIKELY(!slots_is_live(bitmap_of(self, *slab), slot) || ptr == self->cached))
        AllocFatal(function, slot < self->slabs[*slab].touched ? "double free" : "foreign pointer",
                   ptr);
    return slot;
}

static inline size release_slot(SlabAllocator *self, u64 *live, u32 id_base, u32 slot) {
    alloc_sanitize_freed(self, self->slabs[id_base >> self->id_shift].start + (size)slot * self->stride,
                         self->stride);
    slots_mark_free(live, slot);
    self->free_ids[self->free_len++] = id_base | slot;
    alloc_stats_deallocated(base_of(self), self->stride);
    return self->stride;
}

// Every free the fast path does not finish: NULL, a pointer outside the hot slab (which then
// becomes the hot slab), a bad pointer (aborts), or a bad allocator (aborts).
__attribute__((noinline)) static size free_slow(SlabAllocator *self, void *ptr, const char *function) {
    check_header(self, function);
    if (!ptr) return 0;
    u32 slab;
    u32 slot        = live_slot(self, ptr, function, &slab);
    self->hot_start = (uintptr_t)self->slabs[slab].start;
    self->hot_live  = bitmap_of(self, slab);
    self->hot_id    = slab << self->id_shift;
    return release_slot(self, self->hot_live, self->hot_id, slot);
}

// --- The fast paths, shared by the typed and the `Allocator *` entries -----------------------

// What a fast path calls when it cannot finish: the entry's own slow path.
typedef void *(*AllocateSlow)(SlabAllocator *self, size bytes, i8 zeroed);
typedef size (*FreeSlow)(SlabAllocator *self, void *ptr);

// The allocation of an allocator whose magic was checked. `bytes - 1 < stride` is
// `0 < bytes <= stride`; a stride of 0 (not set up) sends every request to `slow`.
static inline __attribute__((always_inline)) void *allocate_with(SlabAllocator *self, size bytes,
                                                                 i8 zeroed, AllocateSlow slow) {
    if (ALLOC_UNLIKELY(bytes - 1 >= self->stride)) return slow(self, bytes, zeroed);
    if (ALLOC_LIKELY(self->cached != NULL)) return take_cached(self, bytes, zeroed);
    if (ALLOC_UNLIKELY(!self->free_len)) return slow(self, bytes, zeroed);
    return pop_slot(self, bytes, zeroed);
}

// The free of an allocator whose magic was checked. A pointer in the hot slab (or in one the
// index holds in its home slot, which becomes the hot slab): its slot by a reciprocal multiply,
// then one live-bit test and a compare with the cached slot (free, bit still set) prove it is a
// live slot (not misaligned, not freed, not in the tail, whose bit is never set); anything else
// goes to `slow`. The slot becomes the cached one with its bit left set; the
// slot cached before it is the one that gets its bit cleared and goes on the stack.
static inline __attribute__((always_inline)) size free_with(SlabAllocator *self, void *ptr,
                                                            FreeSlow slow) {
    uintptr_t start = (uintptr_t)ptr & ~(uintptr_t)(self->slab_bytes - 1);
    if (ALLOC_UNLIKELY(start != self->hot_start)) {
        // Another slab: found in the home slot of the index, it becomes the hot slab. NULL, a
        // pointer outside every slab (and any free before set-up) misses and goes to `slow`.
        uintptr_t entry = addrmap_find_home(&self->index, start);
        if (ALLOC_UNLIKELY(!entry)) return slow(self, ptr);
        u32 slab        = (u32)(entry - 1);
        self->hot_start = start;
        self->hot_live  = bitmap_of(self, slab);
        self->hot_id    = slab << self->id_shift;
    }
    u32   off    = (u32)((uintptr_t)ptr - start);
    u32   slot   = slot_at(self, off);
    char *cached = self->cached;
    if (ALLOC_UNLIKELY(!slots_is_live(self->hot_live, slot))) return slow(self, ptr);
    if (ALLOC_UNLIKELY((size)slot * self->stride != off)) return slow(self, ptr);
    if (ALLOC_UNLIKELY(ptr == cached)) return slow(self, ptr);
    alloc_sanitize_freed(self, ptr, self->stride);
    if (ALLOC_UNLIKELY(cached != NULL)) { // the older cached slot is freed for good
        slots_mark_free(self->live, self->cached_id);
        self->free_ids[self->free_len++] = self->cached_id;
    }
    self->cached    = ptr;
    self->cached_id = self->hot_id | slot;
    alloc_stats_deallocated(base_of(self), self->stride);
    return self->stride;
}

// --- The typed interface ----------------------------------------------------------------------

static void *typed_allocate_slow(SlabAllocator *self, size bytes, i8 zeroed) {
    return allocate_slow(self, bytes, zeroed, "slab_allocator_allocate");
}

static size typed_free_slow(SlabAllocator *self, void *ptr) {
    return free_slow(self, ptr, "slab_allocator_deallocate");
}

void *slab_allocator_allocate(SlabAllocator *self, size bytes, i8 zeroed) {
    ALLOC_CHECK_ON_RETURN(self);
    if (ALLOC_UNLIKELY(!is_slab(self))) return typed_allocate_slow(self, bytes, zeroed);
    return allocate_with(self, bytes, zeroed, typed_allocate_slow);
}

i8 slab_allocator_resize(SlabAllocator *self, void *ptr, size new_size) {
    ALLOC_CHECK_ON_RETURN(self);
    check_header(self, __func__);
    if (!ptr) return 0;
    u32 slab;
    live_slot(self, ptr, __func__, &slab);
    return slots_resize(base_of(self), self->stride, new_size);
}

void *slab_allocator_remap(SlabAllocator *self, void *ptr, size new_size) {
    ALLOC_CHECK_ON_RETURN(self);
    check_header(self, __func__);
    if (!ptr) return new_size ? slab_allocator_allocate(self, new_size, 1) : NULL;
    u32 slab;
    u32 slot = live_slot(self, ptr, __func__, &slab);
    if (!new_size) {
        release_slot(self, bitmap_of(self, slab), slab << self->id_shift, slot);
        return NULL;
    }
    return slots_remap(base_of(self), ptr, self->stride, new_size);
}

size slab_allocator_deallocate(SlabAllocator *self, void *ptr) {
    ALLOC_CHECK_ON_RETURN(self);
    if (ALLOC_UNLIKELY(!is_slab(self))) return typed_free_slow(self, ptr);
    return free_with(self, ptr, typed_free_slow);
}

// --- The vtable: the same fast paths; the rest through the dynamic path's checks --------------

static void *allocate_typed(Allocator *self, size bytes, i8 zeroed) {
    return slab_allocator_allocate((SlabAllocator *)self, bytes, zeroed);
}

static size deallocate_typed(Allocator *self, void *ptr) {
    return slab_allocator_deallocate((SlabAllocator *)self, ptr);
}

static void *dyn_allocate_slow(SlabAllocator *self, size bytes, i8 zeroed) {
    return alloc_dyn_allocate_slow(base_of(self), bytes, zeroed, allocate_typed);
}

// A free of this slab's own off the hot slab: once the dynamic path has checked the header,
// straight to the slow path the typed free would reach.
static size free_validated(Allocator *self, void *ptr) {
    return free_slow((SlabAllocator *)self, ptr, "slab_allocator_deallocate");
}

static size dyn_free_slow(SlabAllocator *self, void *ptr) {
    return alloc_dyn_deallocate_slow(base_of(self), ptr, free_validated);
}

void *slab_allocator_vtable_allocate(Allocator *base, size bytes, i8 zeroed) {
    SlabAllocator *self = (SlabAllocator *)base;
    ALLOC_CHECK_ON_RETURN(self);
    if (ALLOC_UNLIKELY(!is_slab(self))) return dyn_allocate_slow(self, bytes, zeroed);
    return allocate_with(self, bytes, zeroed, dyn_allocate_slow);
}

i8 slab_allocator_vtable_resize(Allocator *self, void *ptr, size new_size) {
    return slab_allocator_resize((SlabAllocator *)self, ptr, new_size);
}

void *slab_allocator_vtable_remap(Allocator *self, void *ptr, size new_size) {
    return slab_allocator_remap((SlabAllocator *)self, ptr, new_size);
}

size slab_allocator_vtable_deallocate(Allocator *base, void *ptr) {
    SlabAllocator *self = (SlabAllocator *)base;
    ALLOC_CHECK_ON_RETURN(self);
    if (ALLOC_UNLIKELY(!is_slab(self)))
        return alloc_dyn_deallocate_slow(base, ptr, deallocate_typed);
    return free_with(self, ptr, dyn_free_slow);
}

// --- Queries and lifecycle --------------------------------------------------------------------

size SlabAllocatorSlotSize(const SlabAllocator *self) {
    check_header(self, __func__);
    return alloc_align_up(self->slot_size, self->base.alignment);
}

void SlabAllocatorDeinit(SlabAllocator *self) {
    check_header(self, __func__);
    for (u32 i = 0; i < self->len; ++i) {
        alloc_sanitize_region_unmapping(self, self->slabs[i].start, self->slab_bytes);
        alloc_os_unmap(base_of(self), self->slabs[i].start, self->slab_bytes);
    }
    alloc_sanitize_pool_destroy(self);
    alloc_os_unmap(base_of(self), self->slabs, self->slabs_bytes);
    addrmap_release(&self->index, base_of(self));
    alloc_os_unmap(base_of(self), self->live, self->live_bytes);
    alloc_os_unmap(base_of(self), self->free_ids, self->free_ids_bytes);
    memset(self, 0, sizeof *self);
}

// --- Self-check -------------------------------------------------------------------------------

static void check_geometry(const SlabAllocator *self, const char *function) {
    if (!self->stride) {
        if (self->len || self->free_len || self->slabs || self->index.slots || self->live ||
            self->free_ids)
            AllocFatal(function, "corrupted allocator: geometry", self);
        return;
    }
    size n  = self->slots_per_slab;
    bool ok = self->stride == alloc_align_up(self->slot_size, self->base.alignment) &&
              alloc_is_power_of_two(self->slab_bytes) && n == self->slab_bytes / self->stride &&
              n >= 1 && self->id_shift == id_bits((u32)n) &&
              self->bitmap_words == (u32)1 << (self->id_shift - 6) &&
              self->recip_shift == 31 + ceil_log2(self->stride) &&
              self->recip == reciprocal(self->stride, self->recip_shift);
    if (!ok) AllocFatal(function, "corrupted allocator: geometry", self);
    ok = self->slabs_bytes >= self->len * sizeof(SlabInfo) &&
         (self->index.slots || !self->len) &&
         self->live_bytes >= (size)self->len * self->bitmap_words * sizeof(u64) &&
         self->free_ids_bytes >= (size)self->len * n * sizeof(u32) &&
         self->free_len <= (size)self->len * n;
    if (!ok) AllocFatal(function, "corrupted allocator: tables", self);
}

// Each slab: aligned, found by the index, nothing live past touched. Returns the set live bits.
static size check_slabs(const SlabAllocator *self, const char *function) {
    if (!addrmap_is_sane(&self->index) || self->index.len != self->len)
        AllocFatal(function, "corrupted allocator: slab index", self->index.slots);
    if (self->hot_start != 1 &&
        (addrmap_find(&self->index, self->hot_start) == 0 ||
         self->hot_live != bitmap_of(self, (u32)addrmap_find(&self->index, self->hot_start) - 1) ||
         self->hot_id != ((u32)addrmap_find(&self->index, self->hot_start) - 1) << self->id_shift))
        AllocFatal(function, "corrupted allocator: slab index", self->index.slots);
    size live = 0;
    for (u32 i = 0; i < self->len; ++i) {
        if (addrmap_find(&self->index, (uintptr_t)self->slabs[i].start) != (uintptr_t)i + 1)
            AllocFatal(function, "corrupted allocator: slab index", self->index.slots);
        const SlabInfo *info  = &self->slabs[i];
        const u64      *bits  = bitmap_of(self, i);
        u32             count = 0, highest = 0;
        for (u32 w = 0; w < self->bitmap_words; ++w) {
            count += slots_popcount(bits[w]);
            if (bits[w]) highest = w * 64 + 64 - (u32)__builtin_clzll(bits[w]);
        }
        if (!alloc_is_aligned(info->start, self->slab_bytes) ||
            info->touched > self->slots_per_slab || highest > info->touched)
            AllocFatal(function, "corrupted allocator: slab", info->start);
        live += count;
    }
    return live;
}

// Free and live slots are disjoint and cover every slot: mark each free id live (it must not be
// yet), check that every bit is then set, and clear the marks again. `live` counts the set bits,
// the cached slot's included.
static void check_free_ids(const SlabAllocator *self, const char *function, size live) {
    u32 mask = ((u32)1 << self->id_shift) - 1;
    for (u32 i = 0; i < self->free_len; ++i) {
        u32 id = self->free_ids[i], slab = id >> self->id_shift, slot = id & mask;
        if (slab >= self->len || slot >= self->slots_per_slab ||
            slots_is_live(bitmap_of(self, slab), slot))
            AllocFatal(function, "corrupted allocator: free list", self->free_ids);
        slots_mark_live(bitmap_of(self, slab), slot);
    }
    if (self->cached) { // the cached slot: free with its bit set, at the address its id says
        u32 slab = self->cached_id >> self->id_shift, slot = self->cached_id & mask;
        if (slab >= self->len || slot >= self->slots_per_slab ||
            !slots_is_live(bitmap_of(self, slab), slot) ||
            self->cached != self->slabs[slab].start + (size)slot * self->stride)
            AllocFatal(function, "corrupted allocator: free list", self->free_ids);
    }
    bool complete = live + self->free_len == (size)self->len * self->slots_per_slab;
    for (u32 i = 0; i < self->free_len; ++i) {
        u32 id = self->free_ids[i];
        slots_mark_free(bitmap_of(self, id >> self->id_shift), id & mask);
    }
    if (!complete) AllocFatal(function, "corrupted allocator: free list", self->free_ids);
}

void SlabAllocatorCheck(const SlabAllocator *self) {
    const char *function = __func__;
    check_header(self, function);
    check_geometry(self, function);
    size live = check_slabs(self, function);
    check_free_ids(self, function, live);
    size mapped = (size)self->len * self->slab_bytes + self->slabs_bytes + self->index.bytes +
                  self->live_bytes + self->free_ids_bytes;
    if (self->base.footprint_bytes != mapped)
        AllocFatal(function, "corrupted allocator: footprint", self);
    if (self->base.stats.bytes_in_use != (live - (self->cached != NULL)) * self->stride)
        AllocFatal(function, "corrupted allocator: statistics", self);
}

SlabAllocator slab_allocator_init(size_t alignment, size_t slot_bytes) {
    return SlabAllocatorInitAligned(alignment, slot_bytes);
}
