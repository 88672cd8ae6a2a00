// SPDX-License-Identifier: MIT
// ArenaAllocator: bump allocation in chunks mapped from the OS, with the chunk table in a mapping
// of its own (never inside a chunk). Entry points: arena_allocator_{allocate,resize,remap,
// deallocate} and their vtable adapters, ArenaAllocatorReset, ArenaAllocatorDeinit,
// ArenaAllocatorCheck. The fast path of arena_allocator_allocate is a bounds check and a bump;
// moving to another chunk lives in the static slow path.
#include "alloc/Arena.h"
#include "internal.h"
#include "sanitizer.h"

#include <stddef.h> // offsetof

_Static_assert(offsetof(ArenaAllocator, base) == 0, "ArenaAllocator must start with its base");
_Static_assert(ARENA_ALLOCATOR_DEFAULT_CHUNK_BYTES <= ARENA_ALLOCATOR_MAX_GROWN_CHUNK_BYTES,
               "chunks grow from the default size");

static Allocator *base_of(ArenaAllocator *self) { return (Allocator *)self; }

// The header check of every entry point, inlined for the fast path: the full check (which names
// the reason) runs only when something is off.
static inline void check_header(const ArenaAllocator *self, const char *function) {
    if (ALLOC_LIKELY(self && self->base.magic == ARENA_ALLOCATOR_MAGIC && self->base.allocate &&
                     self->base.resize && self->base.remap && self->base.deallocate &&
                     alloc_is_power_of_two(self->base.alignment)))
        return;
    alloc_check_header((const Allocator *)self, ARENA_ALLOCATOR_MAGIC, "ArenaAllocator", function);
}

static size room_of(const ArenaAllocator *self) {
    return (size)((uintptr_t)self->limit - (uintptr_t)self->cursor);
}

// The cursor is about to move back: remember how far the chunk was dirtied first.
static void raise_dirty(ArenaAllocator *self) {
    if ((uintptr_t)self->cursor > (uintptr_t)self->dirty) self->dirty = self->cursor;
}

// Carve `effective` bytes (a multiple of the alignment that fits the chunk) at the cursor.
static inline char *bump(ArenaAllocator *self, size bytes, size effective, i8 zeroed) {
    char *block  = self->cursor;
    self->cursor = block + effective;
    self->last   = block;
    alloc_sanitize_allocated(self, block, effective, zeroed != 0);
    if (zeroed && (uintptr_t)block < (uintptr_t)self->dirty) {
        size dirty_bytes = (size)((uintptr_t)self->dirty - (uintptr_t)block);
        memset(block, 0, dirty_bytes < effective ? dirty_bytes : effective);
    }
    self->live_blocks += 1;
    alloc_stats_allocated(base_of(self), bytes, effective);
    return block;
}

// --- Chunks -----------------------------------------------------------------------------------

static size granule_of(const ArenaAllocator *self) {
    size page = alloc_os_page_size();
    return self->base.alignment > page ? self->base.alignment : page;
}

// Size of the next chunk to map: the first chunk size doubled once per chunk mapped so far, up to
// the growth bound, and at least `need`. 0 when that overflows.
static size next_chunk_bytes(const ArenaAllocator *self, size need) {
    size bytes = self->chunk_bytes ? self->chunk_bytes : ARENA_ALLOCATOR_DEFAULT_CHUNK_BYTES;
    for (u32 i = 0; i < self->len && bytes < ARENA_ALLOCATOR_MAX_GROWN_CHUNK_BYTES; ++i) bytes *= 2;
    if (bytes < need) bytes = need;
    return alloc_align_up(bytes, granule_of(self));
}

static bool table_reserve_row(ArenaAllocator *self) {
    if (self->len < self->cap) return true;
    size  page  = alloc_os_page_size();
    size  bytes = self->chunks_bytes ? self->chunks_bytes * 2 : page;
    void *table = self->chunks
                      ? alloc_os_remap(base_of(self), self->chunks, self->chunks_bytes, bytes, true)
                      : alloc_os_map(base_of(self), bytes);
    if (!table) return false;
    self->chunks       = table;
    self->chunks_bytes = bytes;
    self->cap          = (u32)(bytes / sizeof(ArenaChunk));
    return true;
}

// Map a chunk of at least `need` bytes and append it to the table; its index, or -1.
static i64 map_chunk(ArenaAllocator *self, size need) {
    size bytes = next_chunk_bytes(self, need);
    if (!bytes || !table_reserve_row(self)) return -1;
    char *start = alloc_os_map_aligned(base_of(self), bytes, self->base.alignment);
    if (!start) return -1;
    alloc_sanitize_region_mapped(self, start, bytes);
    self->chunks[self->len] = (ArenaChunk){.start = start, .bytes = bytes, .used = 0, .dirty = 0};
    return self->len++;
}

// Record the current chunk's cursor and high-water mark in its row before leaving it.
static void save_current(ArenaAllocator *self) {
    if (!self->len) return;
    ArenaChunk *chunk = &self->chunks[self->current];
    raise_dirty(self);
    chunk->used  = (size)(self->cursor - chunk->start);
    chunk->dirty = (size)(self->dirty - chunk->start);
}

static void enter_chunk(ArenaAllocator *self, u32 index) {
    ArenaChunk *chunk = &self->chunks[index];
    self->current     = index;
    self->cursor      = chunk->start + chunk->used;
    self->limit       = chunk->start + chunk->bytes;
    self->dirty       = chunk->start + chunk->dirty;
    self->last        = NULL;
}

// Make an empty chunk of at least `need` bytes current: the first such chunk after the current
// one (kept from before a reset), else a new one. Chunks after the current one stay empty:
// [ .. cur | a | b(fits) | c ] => [ .. old | b | a | c ]. False (arena unchanged) on OS failure.
static bool advance_chunk(ArenaAllocator *self, size need) {
    save_current(self); // harmless if we fail: the row of the current chunk is not read
    u32 next = self->len ? self->current + 1 : 0;
    i64 fit  = -1;
    for (u32 i = next; i < self->len && fit < 0; ++i)
        if (self->chunks[i].bytes >= need) fit = i;
    if (fit < 0) fit = map_chunk(self, need);
    if (fit < 0) return false;
    ArenaChunk swap        = self->chunks[next];
    self->chunks[next]     = self->chunks[fit];
    self->chunks[(u32)fit] = swap;
    enter_chunk(self, next);
    return true;
}

__attribute__((noinline)) static void *allocate_slow(ArenaAllocator *self, size bytes, i8 zeroed) {
    if (!bytes) return NULL;
    size effective = alloc_align_up(bytes, self->base.alignment);
    if (!effective || !advance_chunk(self, effective)) {
        alloc_stats_failed(base_of(self));
        return NULL;
    }
    return bump(self, bytes, effective, zeroed);
}

// --- Pointers that are not the most recent block ----------------------------------------------

// Return normally iff `ptr` may be a block of this arena other than the most recent one (an
// aligned address inside the used part of a chunk); otherwise abort with the reason.
static void check_older_block(const ArenaAllocator *self, const void *ptr, const char *function) {
    uintptr_t address = (uintptr_t)ptr;
    for (u32 i = 0; i < self->len; ++i) {
        const ArenaChunk *chunk = &self->chunks[i];
        uintptr_t         start = (uintptr_t)chunk->start;
        if (address < start || address - start >= chunk->bytes) continue;
        if (!alloc_is_aligned(ptr, self->base.alignment))
            AllocFatal(function, "misaligned pointer", ptr);
        size used = i == self->current ? (size)((uintptr_t)self->cursor - start)
                  : i < self->current  ? chunk->used : 0;
        if (address - start >= used) AllocFatal(function, "double free", ptr);
        return;
    }
    AllocFatal(function, "foreign pointer", ptr);
}

// Release the most recent block: [ .. | last ][ free ] => [ .. ][ free ]
static size release_last(ArenaAllocator *self) {
    size effective = (size)(self->cursor - self->last);
    raise_dirty(self);
    self->cursor = self->last;
    self->last   = NULL;
    self->live_blocks -= 1;
    alloc_sanitize_freed(self, self->cursor, effective);
    alloc_stats_deallocated(base_of(self), effective);
    return effective;
}

// Resize the most recent block in place to `new_size` (> 0); false when the chunk has no room.
static bool resize_last(ArenaAllocator *self, size new_size) {
    size room = (size)((uintptr_t)self->limit - (uintptr_t)self->last);
    if (new_size > room) return false;
    size old_effective = (size)(self->cursor - self->last);
    size effective     = alloc_align_up(new_size, self->base.alignment); // fits: room is aligned
    if (effective < old_effective) raise_dirty(self);
    self->cursor = self->last + effective;
    alloc_sanitize_resized(self, self->last, old_effective, effective);
    alloc_stats_reallocated(base_of(self), new_size, old_effective, effective);
    return true;
}

// --- The typed interface ----------------------------------------------------------------------

void *arena_allocator_allocate(ArenaAllocator *self, size bytes, i8 zeroed) {
    check_header(self, __func__);
    // `bytes - 1 < room` is `0 < bytes <= room`; room is a multiple of the alignment, so the
    // rounded size fits too.
    if (ALLOC_UNLIKELY(bytes - 1 >= room_of(self))) return allocate_slow(self, bytes, zeroed);
    size align = self->base.alignment;
    return bump(self, bytes, (bytes + align - 1) & ~(align - 1), zeroed);
}

i8 arena_allocator_resize(ArenaAllocator *self, void *ptr, size new_size) {
    check_header(self, __func__);
    if (!ptr) return 0;
    if (ptr != self->last) {
        check_older_block(self, ptr, __func__);
        return 0;
    }
    return new_size && resize_last(self, new_size);
}

void *arena_allocator_remap(ArenaAllocator *self, void *ptr, size new_size) {
    check_header(self, __func__);
    if (!ptr) return new_size ? arena_allocator_allocate(self, new_size, 1) : NULL;
    if (ptr != self->last) {
        check_older_block(self, ptr, __func__);
        if (new_size) AllocFatal(__func__, "remap of a block that is not the most recent", ptr);
        return NULL; // a free of an older block: nothing to do
    }
    if (!new_size) {
        release_last(self);
        return NULL;
    }
    if (resize_last(self, new_size)) return ptr;
    // Move to another chunk: [ .. | old ] + [ new chunk ] => [ .. ] + [ copy of old | free ]
    char *old           = self->last;
    size  old_effective = (size)(self->cursor - old);
    u32   old_index     = self->current;
    size  effective     = alloc_align_up(new_size, self->base.alignment);
    if (!effective || !advance_chunk(self, effective)) {
        alloc_stats_failed(base_of(self));
        return NULL;
    }
    ArenaChunk *old_chunk = &self->chunks[old_index];
    old_chunk->used       = (size)(old - old_chunk->start);
    char *block           = self->cursor;
    self->cursor          = block + effective;
    self->last            = block;
    alloc_sanitize_allocated(self, block, effective, false);
    memcpy(block, old, old_effective);
    alloc_sanitize_freed(self, old, old_effective);
    alloc_stats_reallocated(base_of(self), new_size, old_effective, effective);
    return block;
}

size arena_allocator_deallocate(ArenaAllocator *self, void *ptr) {
    check_header(self, __func__);
    if (!ptr) return 0;
    if (ALLOC_LIKELY(ptr == self->last)) return release_last(self);
    check_older_block(self, ptr, __func__);
    return 0;
}

// --- The vtable -------------------------------------------------------------------------------

void *arena_allocator_vtable_allocate(Allocator *self, size bytes, i8 zeroed) {
    return arena_allocator_allocate((ArenaAllocator *)self, bytes, zeroed);
}

i8 arena_allocator_vtable_resize(Allocator *self, void *ptr, size new_size) {
    return arena_allocator_resize((ArenaAllocator *)self, ptr, new_size);
}

void *arena_allocator_vtable_remap(Allocator *self, void *ptr, size new_size) {
    return arena_allocator_remap((ArenaAllocator *)self, ptr, new_size);
}

size arena_allocator_vtable_deallocate(Allocator *self, void *ptr) {
    return arena_allocator_deallocate((ArenaAllocator *)self, ptr);
}

// --- Lifecycle --------------------------------------------------------------------------------

void ArenaAllocatorReset(ArenaAllocator *self) {
    check_header(self, __func__);
    AllocatorStats *stats = &self->base.stats;
    stats->deallocations += self->live_blocks; // every live block is released at once
    stats->bytes_in_use = 0;
    self->live_blocks   = 0;
    if (!self->len) return;
    save_current(self);
    alloc_sanitize_pool_destroy(self); // every block is gone: poison each chunk whole again
    for (u32 i = 0; i < self->len; ++i) {
        self->chunks[i].used = 0;
        alloc_sanitize_region_mapped(self, self->chunks[i].start, self->chunks[i].bytes);
    }
    enter_chunk(self, 0);
}

void ArenaAllocatorDeinit(ArenaAllocator *self) {
    check_header(self, __func__);
    for (u32 i = 0; i < self->len; ++i) {
        alloc_sanitize_region_unmapping(self, self->chunks[i].start, self->chunks[i].bytes);
        alloc_os_unmap(base_of(self), self->chunks[i].start, self->chunks[i].bytes);
    }
    alloc_sanitize_pool_destroy(self);
    alloc_os_unmap(base_of(self), self->chunks, self->chunks_bytes);
    memset(self, 0, sizeof *self);
}

// --- Self-check -------------------------------------------------------------------------------

static void check_chunks(const ArenaAllocator *self, const char *function, size *mapped,
                         size *used) {
    size align = self->base.alignment;
    for (u32 i = 0; i < self->len; ++i) {
        const ArenaChunk *chunk = &self->chunks[i];
        size chunk_used = i == self->current ? (size)(self->cursor - chunk->start) : chunk->used;
        bool ok = chunk->start && chunk->bytes && chunk->bytes % align == 0 &&
                  alloc_is_aligned(chunk->start, align) && chunk->used <= chunk->bytes &&
                  chunk->dirty <= chunk->bytes && (i <= self->current || chunk->used == 0) &&
                  (i >= self->current || chunk->used <= chunk->dirty);
        if (!ok) AllocFatal(function, "corrupted allocator: chunk", chunk->start);
        for (u32 j = 0; j < i; ++j) {
            const ArenaChunk *other = &self->chunks[j];
            if (chunk->start < other->start + other->bytes &&
                other->start < chunk->start + chunk->bytes)
                AllocFatal(function, "corrupted allocator: overlapping chunks", chunk->start);
        }
        *mapped += chunk->bytes;
        *used += chunk_used;
    }
}

void ArenaAllocatorCheck(const ArenaAllocator *self) {
    const char *function = __func__;
    check_header(self, function);
    bool table_ok = (self->chunks == NULL) == (self->cap == 0) &&
                    (self->chunks == NULL) == (self->chunks_bytes == 0) && self->len <= self->cap &&
                    (size)self->cap * sizeof(ArenaChunk) <= self->chunks_bytes &&
                    (self->len == 0 || self->current < self->len);
    if (!table_ok) AllocFatal(function, "corrupted allocator: chunk table", self->chunks);
    if (!self->len) {
        if (self->cursor || self->limit || self->dirty || self->last)
            AllocFatal(function, "corrupted allocator: cursor", self->cursor);
    } else {
        const ArenaChunk *chunk = &self->chunks[self->current];
        bool cursor_ok =
            self->cursor >= chunk->start && self->limit == chunk->start + chunk->bytes &&
            self->cursor <= self->limit && self->dirty >= chunk->start &&
            self->dirty <= self->limit && alloc_is_aligned(self->cursor, self->base.alignment);
        if (!cursor_ok) AllocFatal(function, "corrupted allocator: cursor", self->cursor);
        if (self->last && (self->last < chunk->start || self->last >= self->cursor ||
                           !alloc_is_aligned(self->last, self->base.alignment)))
            AllocFatal(function, "corrupted allocator: last block", self->last);
    }
    size mapped = 0, used = 0;
    check_chunks(self, function, &mapped, &used);
    if (self->base.footprint_bytes != mapped + self->chunks_bytes)
        AllocFatal(function, "corrupted allocator: footprint", self);
    const AllocatorStats *stats = &self->base.stats;
    if (stats->bytes_in_use > used || (self->live_blocks == 0 && stats->bytes_in_use != 0) ||
        (self->last && self->live_blocks == 0))
        AllocFatal(function, "corrupted allocator: statistics", self);
}

ArenaAllocator arena_allocator_init(size_t alignment, size_t chunk_bytes) {
    return ArenaAllocatorInitAlignedChunk(alignment, chunk_bytes);
}
