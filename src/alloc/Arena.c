// SPDX-License-Identifier: MIT
// ArenaAllocator: bump allocation in chunks mapped from the OS, with the chunk table and the
// block-start bitmaps (every block's size, out of band) in mappings of their own, never inside a
// chunk. Entry points: arena_allocator_{allocate,resize,remap,deallocate} and their vtable
// entries, ArenaAllocatorReset, ArenaAllocatorDeinit, ArenaAllocatorCheck. The fast path of
// arena_allocator_allocate is a bounds check, a bump and one bit set; moving to another chunk
// lives in the static slow path, and so does the remap of an older block (a move by copy).
// The header's inline fast paths stay out of this file: here the two functions get their one
// out-of-line definition, which calls the static helpers (not allowed in an inline definition).
#define ALLOC_ARENA_NO_INLINE
#include "alloc/Arena.h"
#include "internal.h"
#include "sanitizer.h"

#include <stddef.h> // offsetof

_Static_assert(offsetof(ArenaAllocator, base) == 0, "ArenaAllocator must start with its base");
_Static_assert(ARENA_ALLOCATOR_DEFAULT_CHUNK_BYTES <= ARENA_ALLOCATOR_MAX_GROWN_CHUNK_BYTES,
               "chunks grow from the default size");

static Allocator *base_of(ArenaAllocator *self) { return (Allocator *)self; }

// The whole header check (magic, vtable, alignment), which names the reason.
static void check_header(const ArenaAllocator *self, const char *function) {
    alloc_check_header((const Allocator *)self, ARENA_ALLOCATOR_MAGIC, "ArenaAllocator", function);
}

// The fast path's check: one compare; the slow path then checks in full.
static inline bool is_arena(const ArenaAllocator *self) {
    return self && self->base.magic == ARENA_ALLOCATOR_MAGIC;
}

// --- Block starts (one bit per alignment unit of a chunk) ---------------------------------------

static inline void mark_start(u64 *bits, size unit) { bits[unit >> 6] |= (u64)1 << (unit & 63); }

static inline void clear_start(u64 *bits, size unit) { bits[unit >> 6] &= ~((u64)1 << (unit & 63)); }

static inline bool is_start(const u64 *bits, size unit) { return (bits[unit >> 6] >> (unit & 63)) & 1; }

// Words of bitmap a chunk of `bytes` needs.
static size bound_words(const ArenaAllocator *self, size bytes) {
    return ((bytes >> self->shift) + 63) / 64;
}

// Set bits of a word, in registers (the builtin is a libgcc call without -mpopcnt).
static inline u64 bits_set(u64 x) {
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
    return (x * 0x0101010101010101ULL) >> 56;
}

// Block starts marked in the first `used` bytes of `chunk`.
static u64 count_starts(const ArenaAllocator *self, const ArenaChunk *chunk, size used) {
    const u64 *bits  = self->bounds + chunk->bound;
    u64        count = 0;
    for (size w = 0, words = bound_words(self, used); w < words; ++w) count += bits_set(bits[w]);
    return count;
}

// Live blocks: every block start marked, less the old starts of moved blocks.
static u64 live_blocks(const ArenaAllocator *self) {
    u64 marked = 0;
    for (u32 i = 0; i < self->len; ++i) {
        const ArenaChunk *chunk = &self->chunks[i];
        marked += count_starts(self, chunk,
                               i == self->current ? (size)(self->cursor - chunk->start) : chunk->used);
    }
    return marked - self->moved_blocks;
}

// Bytes from unit `unit` (a block start) to the next block start, or to `end` units (the end of
// the chunk's used part): the block's effective size.
static size block_extent(const ArenaAllocator *self, const u64 *bits, size unit, size end) {
    for (size i = unit + 1; i < end; i = (i | 63) + 1) {
        u64 word = bits[i >> 6] >> (i & 63);
        if (word) {
            size next = i + (size)__builtin_ctzll(word);
            return ((next < end ? next : end) - unit) << self->shift;
        }
    }
    return (end - unit) << self->shift;
}

// The header's inline fast path bumps up to `bump_limit`. A build that must see every allocation
// (the sanitizer hooks, the self-check after every operation) keeps it at the cursor: no room, so
// every inline call comes here.
#if ALLOC_ASAN || defined(ALLOC_VALGRIND) || ALLOC_DEBUG >= 3
#define INLINE_BUMP 0
#else
#define INLINE_BUMP 1
#endif

// After the cursor moved: a build without the inline path keeps `bump_limit` on it.
static inline void cursor_moved(ArenaAllocator *self) {
    if (!INLINE_BUMP) self->bump_limit = self->cursor;
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
    cursor_moved(self);
    mark_start(self->bits, (size)(block - self->floor) >> self->shift);
    alloc_sanitize_allocated(self, block, effective, zeroed != 0);
    if (zeroed && (uintptr_t)block < (uintptr_t)self->dirty) {
        size dirty_bytes = (size)((uintptr_t)self->dirty - (uintptr_t)block);
        memset(block, 0, dirty_bytes < effective ? dirty_bytes : effective);
    }
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
    void *table = self->chunks;
    if (!alloc_os_grow(base_of(self), &table, &self->chunks_bytes, self->chunks_bytes + 1))
        return false;
    self->chunks = table;
    self->cap    = (u32)(self->chunks_bytes / sizeof(ArenaChunk));
    return true;
}

// Room in `bounds` for `words` more words (fresh words read as zero). The table may move: the
// caller enters a chunk afterwards, which points `bits` into it again.
static bool bounds_reserve(ArenaAllocator *self, size words) {
    void *table = self->bounds;
    if (!alloc_os_grow(base_of(self), &table, &self->bounds_bytes,
                       (self->bounds_len + words) * sizeof(u64)))
        return false;
    self->bounds = table;
    return true;
}

// Map a chunk of at least `need` bytes and append it to the table; its index, or -1.
static i64 map_chunk(ArenaAllocator *self, size need) {
    self->shift = (u32)__builtin_ctzll((unsigned long long)self->base.alignment);
    size bytes  = next_chunk_bytes(self, need);
    if (!bytes || !table_reserve_row(self) || !bounds_reserve(self, bound_words(self, bytes)))
        return -1;
    char *start = alloc_os_map_aligned(base_of(self), bytes, self->base.alignment);
    if (!start) return -1;
    alloc_sanitize_region_mapped(self, start, bytes);
    self->chunks[self->len] =
        (ArenaChunk){.start = start, .bytes = bytes, .used = 0, .dirty = 0, .bound = self->bounds_len};
    self->bounds_len += bound_words(self, bytes);
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
    self->bump_limit  = INLINE_BUMP ? self->limit : self->cursor;
    self->dirty       = chunk->start + chunk->dirty;
    self->last        = NULL;
    self->floor       = chunk->start;
    self->bits        = self->bounds + chunk->bound;
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

__attribute__((noinline)) static void *allocate_slow(ArenaAllocator *self, size bytes, i8 zeroed,
                                                     const char *function) {
    check_header(self, function);
    if (!bytes) return NULL;
    size effective = alloc_align_up(bytes, self->base.alignment);
    if (!effective || !advance_chunk(self, effective)) {
        alloc_stats_failed(base_of(self));
        return NULL;
    }
    return bump(self, bytes, effective, zeroed);
}

// --- Pointers that are not the most recent block ----------------------------------------------

// A block of this arena other than the most recent one, or what may be one.
typedef struct OlderBlock {
    const ArenaChunk *chunk;
    size              unit; // alignment units from the chunk's start
    size              used; // units in use in that chunk
} OlderBlock;

// Return normally iff `ptr` may be a block of this arena other than the most recent one (an
// aligned address inside the used part of a chunk); otherwise abort with the reason.
static OlderBlock check_older_block(const ArenaAllocator *self, const void *ptr,
                                    const char *function) {
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
        return (OlderBlock){chunk, (address - start) >> self->shift, used >> self->shift};
    }
    AllocFatal(function, "foreign pointer", ptr);
}

// The effective size of the older block `ptr`, found from the block starts; aborts when `ptr` is
// not a block (naming `function`).
static size older_block_bytes(const ArenaAllocator *self, const void *ptr, const char *function) {
    OlderBlock block = check_older_block(self, ptr, function);
    const u64 *bits  = self->bounds + block.chunk->bound;
    if (!is_start(bits, block.unit)) AllocFatal(function, "interior pointer", ptr);
    return block_extent(self, bits, block.unit, block.used);
}

// Release the most recent block: [ .. | last ][ free ] => [ .. ][ free ]
static size release_last(ArenaAllocator *self) {
    size effective = (size)(self->cursor - self->last);
    clear_start(self->bits, (size)(self->last - self->floor) >> self->shift);
    raise_dirty(self);
    self->cursor = self->last;
    self->last   = NULL;
    cursor_moved(self);
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
    cursor_moved(self);
    alloc_sanitize_resized(self, self->last, old_effective, effective);
    alloc_stats_reallocated(base_of(self), new_size, old_effective, effective);
    return true;
}

// Carve a block of `effective` bytes (a multiple of the alignment) for a move, in a new chunk
// when the current one has no room; NULL (a failure counted) when the OS refuses. Not counted as
// an allocation: the caller counts the move.
static char *carve_for_move(ArenaAllocator *self, size new_size, size *effective) {
    *effective = alloc_align_up(new_size, self->base.alignment);
    if (!*effective || (*effective > room_of(self) && !advance_chunk(self, *effective))) {
        alloc_stats_failed(base_of(self));
        return NULL;
    }
    char *block  = self->cursor;
    self->cursor = block + *effective;
    self->last   = block;
    cursor_moved(self);
    mark_start(self->bits, (size)(block - self->floor) >> self->shift);
    alloc_sanitize_allocated(self, block, *effective, false);
    return block;
}

// Remap the most recent block (new_size > 0): in place when its chunk has room, else moved to
// another chunk: [ .. | old ] + [ new chunk ] => [ .. ] + [ copy of old | free ]
static void *remap_last(ArenaAllocator *self, size new_size) {
    if (resize_last(self, new_size)) return self->last;
    char *old           = self->last;
    size  old_effective = (size)(self->cursor - old);
    u32   old_index     = self->current;
    size  effective;
    char *block = carve_for_move(self, new_size, &effective); // always in a new chunk
    if (!block) return NULL;
    ArenaChunk *old_chunk = &self->chunks[old_index];
    old_chunk->used       = (size)(old - old_chunk->start);
    clear_start(self->bounds + old_chunk->bound, old_chunk->used >> self->shift);
    memcpy(block, old, old_effective);
    alloc_sanitize_freed(self, old, old_effective);
    alloc_stats_reallocated(base_of(self), new_size, old_effective, effective);
    return block;
}

// Remap an older block (new_size > 0): it stays when it is large enough, else its bytes move to a
// new block and the old ones stay in use until Reset: [ old ] .. [ new ] (old dead, not reused).
__attribute__((noinline)) static void *remap_older(ArenaAllocator *self, void *ptr, size new_size,
                                                   const char *function) {
    size old = older_block_bytes(self, ptr, function);
    if (new_size <= old) {
        alloc_stats_reallocated(base_of(self), new_size, old, old);
        return ptr;
    }
    size  effective;
    char *block = carve_for_move(self, new_size, &effective);
    if (!block) return NULL;
    self->moved_blocks += 1; // its old start stays marked until Reset
    memcpy(block, ptr, old);
    alloc_sanitize_freed(self, ptr, old);
    alloc_stats_reallocated(base_of(self), new_size, old, effective);
    return block;
}

// --- The typed interface ----------------------------------------------------------------------

// The out-of-line definition of the entry the header also defines inline (gnu_inline), what a
// call that is not inlined or a pointer to the function runs, and that inline path's fallback
// share one body.
static inline __attribute__((always_inline)) void *allocate_entry(ArenaAllocator *self,
                                                                  size bytes, i8 zeroed) {
    ALLOC_CHECK_ON_RETURN(self);
    // `bytes - 1 < room` is `0 < bytes <= room`; room is a multiple of the alignment, so the
    // rounded size fits too.
    if (ALLOC_UNLIKELY(!is_arena(self) || bytes - 1 >= room_of(self)))
        return allocate_slow(self, bytes, zeroed, "arena_allocator_allocate");
    size align = self->base.alignment;
    return bump(self, bytes, (bytes + align - 1) & ~(align - 1), zeroed);
}

void *arena_allocator_allocate(ArenaAllocator *self, size bytes, i8 zeroed) {
    return allocate_entry(self, bytes, zeroed);
}

void *arena_allocator_allocate_slow(ArenaAllocator *self, size bytes, i8 zeroed) {
    return allocate_entry(self, bytes, zeroed);
}

i8 arena_allocator_resize(ArenaAllocator *self, void *ptr, size new_size) {
    ALLOC_CHECK_ON_RETURN(self);
    check_header(self, __func__);
    if (!ptr) return 0;
    if (ptr == self->last) return new_size && resize_last(self, new_size);
    check_older_block(self, ptr, __func__); // an older block never resizes: remap moves it
    return 0;
}

void *arena_allocator_remap(ArenaAllocator *self, void *ptr, size new_size) {
    ALLOC_CHECK_ON_RETURN(self);
    check_header(self, __func__);
    if (!ptr) return new_size ? arena_allocator_allocate(self, new_size, 1) : NULL;
    if (ptr == self->last) {
        if (new_size) return remap_last(self, new_size);
        release_last(self);
        return NULL;
    }
    if (new_size) return remap_older(self, ptr, new_size, __func__);
    check_older_block(self, ptr, __func__);
    return NULL; // a free of an older block: nothing to do
}

size arena_allocator_deallocate(ArenaAllocator *self, void *ptr) {
    ALLOC_CHECK_ON_RETURN(self);
    // The most recent block: one compare of the magic; anything else checks the header in full.
    if (ALLOC_LIKELY(is_arena(self) && ptr && ptr == self->last)) return release_last(self);
    check_header(self, __func__);
    if (!ptr) return 0;
    check_older_block(self, ptr, __func__);
    return 0;
}

// --- The vtable: the typed fast paths; the rest through the dynamic path's checks -------------

// Every call the entries' inline paths do not finish, a bad header included, goes through the
// dynamic path's checks to the typed function.
static void *allocate_typed(Allocator *self, size bytes, i8 zeroed) {
    return arena_allocator_allocate((ArenaAllocator *)self, bytes, zeroed);
}

static size deallocate_typed(Allocator *self, void *ptr) {
    return arena_allocator_deallocate((ArenaAllocator *)self, ptr);
}

// The vtable's allocation, likewise: its out-of-line entry and the inline path's fallback.
static inline __attribute__((always_inline)) void *vtable_allocate_entry(Allocator *base,
                                                                         size bytes, i8 zeroed) {
    ArenaAllocator *self = (ArenaAllocator *)base;
    ALLOC_CHECK_ON_RETURN(self);
    if (ALLOC_UNLIKELY(!is_arena(self) || bytes - 1 >= room_of(self)))
        return alloc_dyn_allocate_slow(base, bytes, zeroed, allocate_typed);
    size align = self->base.alignment;
    return bump(self, bytes, (bytes + align - 1) & ~(align - 1), zeroed);
}

void *arena_allocator_vtable_allocate(Allocator *base, size bytes, i8 zeroed) {
    return vtable_allocate_entry(base, bytes, zeroed);
}

void *arena_allocator_vtable_allocate_slow(Allocator *base, size bytes, i8 zeroed) {
    return vtable_allocate_entry(base, bytes, zeroed);
}

i8 arena_allocator_vtable_resize(Allocator *self, void *ptr, size new_size) {
    return arena_allocator_resize((ArenaAllocator *)self, ptr, new_size);
}

void *arena_allocator_vtable_remap(Allocator *self, void *ptr, size new_size) {
    return arena_allocator_remap((ArenaAllocator *)self, ptr, new_size);
}

size arena_allocator_vtable_deallocate(Allocator *base, void *ptr) {
    ArenaAllocator *self = (ArenaAllocator *)base;
    ALLOC_CHECK_ON_RETURN(self);
    if (ALLOC_UNLIKELY(!is_arena(self) || !ptr || ptr != self->last))
        return alloc_dyn_deallocate_slow(base, ptr, deallocate_typed);
    return release_last(self);
}

// --- Lifecycle --------------------------------------------------------------------------------

void ArenaAllocatorReset(ArenaAllocator *self) {
    ALLOC_CHECK_ON_RETURN(self);
    check_header(self, __func__);
    AllocatorStats *stats = &self->base.stats;
    stats->bytes_in_use   = 0;
    if (!self->len) return;
    save_current(self);
    alloc_sanitize_pool_destroy(self); // every block is gone: poison each chunk whole again
    // Every live block is released at once: the block starts marked, less the old starts of
    // moved blocks (counted rather than kept per allocation on the fast path).
    u64 marked = 0;
    for (u32 i = 0; i < self->len; ++i) {
        ArenaChunk *chunk = &self->chunks[i];
        marked += count_starts(self, chunk, chunk->used);
        memset(self->bounds + chunk->bound, 0, bound_words(self, chunk->used) * sizeof(u64));
        chunk->used = 0;
        alloc_sanitize_region_mapped(self, chunk->start, chunk->bytes);
    }
    stats->deallocations += marked - self->moved_blocks;
    self->moved_blocks = 0;
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
    alloc_os_unmap(base_of(self), self->bounds, self->bounds_bytes);
    memset(self, 0, sizeof *self);
}

// --- Self-check -------------------------------------------------------------------------------

// A chunk's block starts: its bitmap lies inside `bounds`, its used part starts with a block, and
// no block starts past the used part.
static void check_starts(const ArenaAllocator *self, const char *function, const ArenaChunk *chunk,
                         size used) {
    size words = bound_words(self, chunk->bytes);
    if (chunk->bound > self->bounds_len || words > self->bounds_len - chunk->bound)
        AllocFatal(function, "corrupted allocator: block starts", self->bounds);
    const u64 *bits = self->bounds + chunk->bound;
    size       end  = used >> self->shift;
    if (end && !is_start(bits, 0)) AllocFatal(function, "corrupted allocator: block starts", bits);
    for (size w = end / 64; w < words; ++w) {
        u64 stray = bits[w] & (w == end / 64 ? ~(((u64)1 << (end & 63)) - 1) : ~(u64)0);
        if (stray) AllocFatal(function, "corrupted allocator: block starts", bits);
    }
}

static void check_chunks(const ArenaAllocator *self, const char *function, size *mapped,
                         size *used, size *words) {
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
        check_starts(self, function, chunk, chunk_used);
        *mapped += chunk->bytes;
        *used += chunk_used;
        *words += bound_words(self, chunk->bytes);
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
        if (self->cursor || self->limit || self->dirty || self->last || self->bump_limit)
            AllocFatal(function, "corrupted allocator: cursor", self->cursor);
    } else {
        const ArenaChunk *chunk = &self->chunks[self->current];
        bool cursor_ok =
            self->cursor >= chunk->start && self->limit == chunk->start + chunk->bytes &&
            self->cursor <= self->limit && self->dirty >= chunk->start &&
            self->dirty <= self->limit && alloc_is_aligned(self->cursor, self->base.alignment) &&
            self->bump_limit == (INLINE_BUMP ? self->limit : self->cursor);
        if (!cursor_ok) AllocFatal(function, "corrupted allocator: cursor", self->cursor);
        if (self->last && (self->last < chunk->start || self->last >= self->cursor ||
                           !alloc_is_aligned(self->last, self->base.alignment)))
            AllocFatal(function, "corrupted allocator: last block", self->last);
        if (self->floor != chunk->start || self->bits != self->bounds + chunk->bound ||
            self->shift != (u32)__builtin_ctzll((unsigned long long)self->base.alignment) ||
            (self->last && !is_start(self->bits, (size)(self->last - self->floor) >> self->shift)))
            AllocFatal(function, "corrupted allocator: block starts", self->bits);
    }
    size mapped = 0, used = 0, words = 0;
    check_chunks(self, function, &mapped, &used, &words);
    if (words != self->bounds_len || self->bounds_len * sizeof(u64) > self->bounds_bytes)
        AllocFatal(function, "corrupted allocator: block starts", self->bounds);
    if (self->base.footprint_bytes != mapped + self->chunks_bytes + self->bounds_bytes)
        AllocFatal(function, "corrupted allocator: footprint", self);
    const AllocatorStats *stats = &self->base.stats;
    u64                   live  = live_blocks(self); // after check_chunks: the bitmaps are sound
    if (stats->bytes_in_use > used || live > (used >> self->shift) || (live == 0 && stats->bytes_in_use != 0) ||
        (self->last && live == 0))
        AllocFatal(function, "corrupted allocator: statistics", self);
}

ArenaAllocator arena_allocator_init(size_t alignment, size_t chunk_bytes) {
    return ArenaAllocatorInitAlignedChunk(alignment, chunk_bytes);
}
