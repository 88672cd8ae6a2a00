// SPDX-License-Identifier: MIT
// SlabAllocator: fixed-size slots in power-of-two slabs aligned to their size, mapped from the OS.
// All bookkeeping is out of band: a slab table, a hash index from slab address to slab number (to
// validate a pointer in O(1) before reading any descriptor), one live bit per slot, and a stack of
// free slot ids. Entry points: slab_allocator_{allocate,resize,remap,deallocate} and their vtable
// adapters, SlabAllocatorSlotSize, SlabAllocatorDeinit, SlabAllocatorCheck.
#include "alloc/Slab.h"
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

static inline void check_header(const SlabAllocator *self, const char *function) {
    if (ALLOC_LIKELY(self && self->base.magic == SLAB_ALLOCATOR_MAGIC && self->base.allocate &&
                     self->base.resize && self->base.remap && self->base.deallocate &&
                     alloc_is_power_of_two(self->base.alignment)))
        return;
    alloc_check_header((const Allocator *)self, SLAB_ALLOCATOR_MAGIC, "SlabAllocator", function);
}

static u64 *bitmap_of(const SlabAllocator *self, u32 slab) {
    return self->live + (size)slab * self->bitmap_words;
}

// --- Geometry and growth ----------------------------------------------------------------------

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
    self->bitmap_words   = (u32)slots_bitmap_words(self->slots_per_slab);
    self->stride_shift   = slots_stride_shift(stride);
    self->id_shift       = 0;
    while (((size)1 << self->id_shift) < self->slots_per_slab) self->id_shift++;
}

// Make the table at `*table` (mapped length `*bytes`) at least `need` bytes; false on OS failure.
static bool reserve(SlabAllocator *self, void **table, size *bytes, size need) {
    if (need <= *bytes) return true;
    size grown = alloc_align_up(need > 2 * *bytes ? need : 2 * *bytes, alloc_os_page_size());
    void *moved = *table ? alloc_os_remap(base_of(self), *table, *bytes, grown, true)
                         : alloc_os_map(base_of(self), grown);
    if (!moved) return false;
    *table = moved;
    *bytes = grown;
    return true;
}

static bool reserve_tables(SlabAllocator *self, u32 slabs) {
    void *s = self->slabs, *l = self->live, *f = self->free_ids;
    bool ok =
        reserve(self, &s, &self->slabs_bytes, slabs * sizeof(SlabInfo)) &&
        reserve(self, &l, &self->live_bytes, (size)slabs * self->bitmap_words * sizeof(u64)) &&
        reserve(self, &f, &self->free_ids_bytes, (size)slabs * self->slots_per_slab * sizeof(u32));
    self->slabs = s, self->live = l, self->free_ids = f;
    return ok;
}

// --- The slab index: open addressing with linear probing, slab address -> slab number + 1 -----

// Fibonacci hashing: the top bits of the product depend on every bit of the address.
static inline u32 index_home(const SlabAllocator *self, uintptr_t start) {
    return (u32)(((u64)start * 0x9E3779B97F4A7C15ULL) >> (64 - self->index_bits));
}

// The number of the slab that starts at `start`, or UINT32_MAX. The table is at most half full,
// so the probe meets an empty entry.
static inline u32 index_find(const SlabAllocator *self, uintptr_t start) {
    if (!self->index) return UINT32_MAX;
    u32 mask = ((u32)1 << self->index_bits) - 1;
    for (u32 at = index_home(self, start);; at = (at + 1) & mask) {
        u32 entry = self->index[at];
        if (!entry) return UINT32_MAX;
        if ((uintptr_t)self->slabs[entry - 1].start == start) return entry - 1;
    }
}

static void index_insert(SlabAllocator *self, u32 slab) {
    u32 mask = ((u32)1 << self->index_bits) - 1;
    u32 at   = index_home(self, (uintptr_t)self->slabs[slab].start);
    while (self->index[at]) at = (at + 1) & mask;
    self->index[at] = slab + 1;
}

// Keep the index at most half full for `slabs` slabs: rehash into a table twice the size.
static bool index_reserve(SlabAllocator *self, u32 slabs) {
    if (self->index && (size)slabs * 2 <= (size)1 << self->index_bits) return true;
    u8 bits = self->index_bits;
    size page = alloc_os_page_size();
    while (((size)1 << bits) < (size)slabs * 2 || ((size)1 << bits) * sizeof(u32) < page) bits++;
    size bytes = ((size)1 << bits) * sizeof(u32);
    u32 *table = alloc_os_map(base_of(self), bytes);
    if (!table) return false;
    alloc_os_unmap(base_of(self), self->index, self->index_bytes);
    self->index       = table;
    self->index_bytes = bytes;
    self->index_bits  = bits;
    for (u32 slab = 0; slab < self->len; ++slab) index_insert(self, slab);
    return true;
}

// Map one more slab and push all its slots, last first, so they are handed out in address order.
static bool add_slab(SlabAllocator *self) {
    u64 max_slabs = (u64)1 << (32 - self->id_shift);
    if (self->len >= max_slabs - 1 || !reserve_tables(self, self->len + 1) ||
        !index_reserve(self, self->len + 1))
        return false;
    char *start = alloc_os_map_aligned(base_of(self), self->slab_bytes, self->slab_bytes);
    if (!start) return false;
    alloc_sanitize_region_mapped(self, start, self->slab_bytes);
    u32 index          = self->len;
    self->slabs[index] = (SlabInfo){.start = start, .touched = 0};
    memset(bitmap_of(self, index), 0, self->bitmap_words * sizeof(u64));
    index_insert(self, index);
    self->len += 1;
    for (u32 slot = self->slots_per_slab; slot-- > 0;)
        self->free_ids[self->free_len++] = index << self->id_shift | slot;
    return true;
}

// --- Slots ------------------------------------------------------------------------------------

static inline void *pop_slot(SlabAllocator *self, size bytes, i8 zeroed) {
    u32       id    = self->free_ids[--self->free_len];
    u32       slab  = id >> self->id_shift;
    u32       slot  = id & (((u32)1 << self->id_shift) - 1);
    SlabInfo *info  = &self->slabs[slab];
    char     *block = info->start + (size)slot * self->stride;
    slots_mark_live(bitmap_of(self, slab), slot);
    bool fresh = slot >= info->touched;
    alloc_sanitize_allocated(self, block, self->stride, fresh || zeroed);
    if (fresh) info->touched = slot + 1; // fresh: still zero from the OS
    else if (zeroed) memset(block, 0, self->stride);
    alloc_stats_allocated(base_of(self), bytes, self->stride);
    return block;
}

__attribute__((noinline)) static void *allocate_slow(SlabAllocator *self, size bytes, i8 zeroed,
                                                     const char *function) {
    if (!bytes) return NULL;
    if (!self->stride) set_up(self, function);
    if (bytes > self->stride || (!self->free_len && !add_slab(self))) {
        alloc_stats_failed(base_of(self));
        return NULL;
    }
    return pop_slot(self, bytes, zeroed);
}

// The slab of `ptr` and its slot index, after checking that it is a live slot; aborts otherwise.
// The slab is found from the address alone and confirmed in the index before anything is read.
static inline u32 live_slot(const SlabAllocator *self, const void *ptr, const char *function,
                            u32 *slab) {
    uintptr_t start = (uintptr_t)ptr & ~(uintptr_t)(self->slab_bytes - 1);
    *slab           = index_find(self, start);
    if (*slab == UINT32_MAX) AllocFatal(function, "foreign pointer", ptr);
    bool on_boundary;
    u32  slot =
        slots_index_of((uintptr_t)ptr - start, self->stride, self->stride_shift, &on_boundary);
    if (!on_boundary) AllocFatal(function, "misaligned pointer", ptr);
    if (slot >= self->slots_per_slab)
        AllocFatal(function, "foreign pointer", ptr); // the slab's tail
    if (ALLOC_UNLIKELY(!slots_is_live(bitmap_of(self, *slab), slot)))
        AllocFatal(function, slot < self->slabs[*slab].touched ? "double free" : "foreign pointer",
                   ptr);
    return slot;
}

static inline size release_slot(SlabAllocator *self, u32 slab, u32 slot) {
    alloc_sanitize_freed(self, self->slabs[slab].start + (size)slot * self->stride, self->stride);
    slots_mark_free(bitmap_of(self, slab), slot);
    self->free_ids[self->free_len++] = slab << self->id_shift | slot;
    alloc_stats_deallocated(base_of(self), self->stride);
    return self->stride;
}

// --- The typed interface ----------------------------------------------------------------------

void *slab_allocator_allocate(SlabAllocator *self, size bytes, i8 zeroed) {
    check_header(self, __func__);
    // `bytes - 1 < stride` is `0 < bytes <= stride`; a stride of 0 (not set up) sends every
    // request to the slow path.
    if (ALLOC_UNLIKELY(bytes - 1 >= self->stride || !self->free_len))
        return allocate_slow(self, bytes, zeroed, __func__);
    return pop_slot(self, bytes, zeroed);
}

i8 slab_allocator_resize(SlabAllocator *self, void *ptr, size new_size) {
    check_header(self, __func__);
    if (!ptr) return 0;
    u32 slab;
    live_slot(self, ptr, __func__, &slab);
    return slots_resize(base_of(self), self->stride, new_size);
}

void *slab_allocator_remap(SlabAllocator *self, void *ptr, size new_size) {
    check_header(self, __func__);
    if (!ptr) return new_size ? slab_allocator_allocate(self, new_size, 1) : NULL;
    u32 slab;
    u32 slot = live_slot(self, ptr, __func__, &slab);
    if (!new_size) {
        release_slot(self, slab, slot);
        return NULL;
    }
    return slots_remap(base_of(self), ptr, self->stride, new_size);
}

size slab_allocator_deallocate(SlabAllocator *self, void *ptr) {
    check_header(self, __func__);
    if (!ptr) return 0;
    u32 slab;
    u32 slot = live_slot(self, ptr, __func__, &slab);
    return release_slot(self, slab, slot);
}

// --- The vtable -------------------------------------------------------------------------------

void *slab_allocator_vtable_allocate(Allocator *self, size bytes, i8 zeroed) {
    return slab_allocator_allocate((SlabAllocator *)self, bytes, zeroed);
}

i8 slab_allocator_vtable_resize(Allocator *self, void *ptr, size new_size) {
    return slab_allocator_resize((SlabAllocator *)self, ptr, new_size);
}

void *slab_allocator_vtable_remap(Allocator *self, void *ptr, size new_size) {
    return slab_allocator_remap((SlabAllocator *)self, ptr, new_size);
}

size slab_allocator_vtable_deallocate(Allocator *self, void *ptr) {
    return slab_allocator_deallocate((SlabAllocator *)self, ptr);
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
    alloc_os_unmap(base_of(self), self->index, self->index_bytes);
    alloc_os_unmap(base_of(self), self->live, self->live_bytes);
    alloc_os_unmap(base_of(self), self->free_ids, self->free_ids_bytes);
    memset(self, 0, sizeof *self);
}

// --- Self-check -------------------------------------------------------------------------------

static void check_geometry(const SlabAllocator *self, const char *function) {
    if (!self->stride) {
        if (self->len || self->free_len || self->slabs || self->index || self->live ||
            self->free_ids)
            AllocFatal(function, "corrupted allocator: geometry", self);
        return;
    }
    size n  = self->slots_per_slab;
    bool ok = self->stride == alloc_align_up(self->slot_size, self->base.alignment) &&
              alloc_is_power_of_two(self->slab_bytes) && n == self->slab_bytes / self->stride &&
              n >= 1 && self->bitmap_words == slots_bitmap_words(n) &&
              self->stride_shift == slots_stride_shift(self->stride) &&
              ((size)1 << self->id_shift) >= n &&
              (self->id_shift == 0 || ((size)1 << (self->id_shift - 1)) < n);
    if (!ok) AllocFatal(function, "corrupted allocator: geometry", self);
    ok = self->slabs_bytes >= self->len * sizeof(SlabInfo) &&
         (self->index ? self->index_bytes >= ((size)1 << self->index_bits) * sizeof(u32) &&
                            (size)self->len * 2 <= (size)1 << self->index_bits
                      : !self->len && !self->index_bytes) &&
         self->live_bytes >= (size)self->len * self->bitmap_words * sizeof(u64) &&
         self->free_ids_bytes >= (size)self->len * n * sizeof(u32) &&
         self->free_len <= (size)self->len * n;
    if (!ok) AllocFatal(function, "corrupted allocator: tables", self);
}

// Each slab: aligned, found by the index, nothing live past touched. Returns the live slots.
static size check_slabs(const SlabAllocator *self, const char *function) {
    u32 entries = 0;
    for (size at = 0; self->index && at < (size)1 << self->index_bits; ++at) {
        if (self->index[at] > self->len)
            AllocFatal(function, "corrupted allocator: slab index", self->index);
        entries += self->index[at] != 0;
    }
    if (entries != self->len) AllocFatal(function, "corrupted allocator: slab index", self->index);
    size live = 0;
    for (u32 i = 0; i < self->len; ++i) {
        if (index_find(self, (uintptr_t)self->slabs[i].start) != i)
            AllocFatal(function, "corrupted allocator: slab index", self->index);
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
// yet), check that every bit is then set, and clear the marks again.
static void check_free_ids(const SlabAllocator *self, const char *function, size live) {
    u32 mask = ((u32)1 << self->id_shift) - 1;
    for (u32 i = 0; i < self->free_len; ++i) {
        u32 id = self->free_ids[i], slab = id >> self->id_shift, slot = id & mask;
        if (slab >= self->len || slot >= self->slots_per_slab ||
            slots_is_live(bitmap_of(self, slab), slot))
            AllocFatal(function, "corrupted allocator: free list", self->free_ids);
        slots_mark_live(bitmap_of(self, slab), slot);
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
    size mapped = (size)self->len * self->slab_bytes + self->slabs_bytes + self->index_bytes +
                  self->live_bytes + self->free_ids_bytes;
    if (self->base.footprint_bytes != mapped)
        AllocFatal(function, "corrupted allocator: footprint", self);
    if (self->base.stats.bytes_in_use != live * self->stride)
        AllocFatal(function, "corrupted allocator: statistics", self);
}

SlabAllocator slab_allocator_init(size_t alignment, size_t slot_bytes) {
    return SlabAllocatorInitAligned(alignment, slot_bytes);
}
