///
/// `ArenaAllocator`: bump allocation in chunks mapped from the operating system. Blocks are carved
/// one after the other and released all at once with `ArenaAllocatorReset` or
/// `ArenaAllocatorDeinit`; only the most recent block can be freed, resized or moved on its own.
///
/// TAGS: Allocator, Arena, Memory
///
#ifndef ALLOC_ARENA_H
#define ALLOC_ARENA_H

#include "alloc/Allocator.h"

ALLOC_BEGIN_DECLS

///
/// Default size of an arena's first chunk: 64 KiB. Used by `ArenaAllocatorInit` and
/// `ArenaAllocatorInitAligned`, and by `ArenaAllocatorInitChunk(0)`.
///
/// TAGS: Allocator, Arena, Config
///
#define ARENA_ALLOCATOR_DEFAULT_CHUNK_BYTES ((size_t)64 << 10)

///
/// Largest size a chunk reaches by doubling: 64 MiB.
///
/// The chunk an arena maps when it already has `k` chunks is its chunk size times 2^k, up to this
/// bound (a chunk size chosen above it is kept as it is), or larger when the request that needs it
/// is larger. Doubling keeps the number of chunks small (about 11 up to 64 MiB with the default
/// chunk), so looking up which chunk a pointer belongs to stays cheap.
///
/// TAGS: Allocator, Arena, Config
///
#define ARENA_ALLOCATOR_MAX_GROWN_CHUNK_BYTES ((size_t)64 << 20)

///
/// One row of an arena's chunk table: a region the arena mapped from the OS and carves blocks
/// from. The table lives in its own mapping, never inside a chunk, so nothing a user writes
/// through a block pointer can reach it.
///
/// FIELDS:
/// - start : First byte of the chunk, aligned to the arena's alignment (and to the page size).
/// - bytes : Length of the chunk in bytes: a multiple of the page size and of the alignment.
/// - used  : Bytes handed out from `start`, for a chunk that is not the current one (chunks
///           after the current one are empty, so 0); the current chunk's live value is
///           `ArenaAllocator.cursor`.
/// - dirty : High-water mark in bytes from `start`: everything past it has never been handed out
///           since the chunk was mapped and still reads as zero. A request with `zeroed` set only
///           clears the part of its block below this mark.
/// - bound : Index in `ArenaAllocator.bounds` of the first word of this chunk's block-start
///           bitmap (one bit per alignment unit of the chunk, set where a block starts).
///
/// TAGS: Allocator, Arena
///
typedef struct ArenaChunk {
    char *start;
    size_t bytes;
    size_t used;
    size_t dirty;
    size_t bound;
} ArenaChunk;

///
/// A bump allocator: blocks are carved one after another from chunks of memory mapped from the
/// OS, and released together by `ArenaAllocatorReset` (keeps the chunks) or `ArenaAllocatorDeinit`
/// (returns them).
///
/// Use an arena for many small objects that die together: the nodes of a parse tree, the
/// temporary strings of one request, the scratch memory of one frame. Allocation is a bounds
/// check and a pointer increment. Every block starts on the arena's alignment and its size is
/// rounded up to it: that rounded size is the block's effective size.
///
/// Every block's size is kept out of band: a bitmap per chunk (`bounds`, one bit per alignment unit)
/// marks where each block starts, so a block ends where the next one starts (or at the cursor).
/// Only the most recent block (`last`) gives its bytes back on its own:
/// - `arena_allocator_deallocate` of the most recent block gives its bytes back to the arena; of
///   any other block of the arena it does nothing and returns 0 (the bytes stay in use until
///   `ArenaAllocatorReset`);
/// - `arena_allocator_resize` grows or shrinks the most recent block in place when its chunk has
///   room, and returns 0 for any other block (`remap` moves it);
/// - `arena_allocator_remap` moves any block when it cannot stay: the most recent one grows in
///   place when its chunk has room, else moves to a new chunk; an older one stays when `new_size`
///   fits its effective size, else moves to a new block (`min(old, new)` bytes copied, the old
///   bytes stay in use until `ArenaAllocatorReset`). So a `Vec`, or any number of them, or any
///   mix of blocks, works on one arena.
///
/// Chunks: the first chunk is `chunk_bytes` long (64 KiB by default) and each new one twice the
/// size of its predecessor in the sequence, up to `ARENA_ALLOCATOR_MAX_GROWN_CHUNK_BYTES`; a
/// request that does not fit gets a chunk large enough for it. The chunk table is a separate
/// mapping (rows `ArenaChunk`), never inside a chunk. A pointer outside every chunk is rejected as
/// "foreign pointer" before any memory it points to is read.
///
/// Not thread-safe: use one arena from one thread at a time, or lock around it.
///
/// WARN: Do not copy an `ArenaAllocator` once it has allocated: the copy shares the chunks, and
/// both would hand out the same memory. Pass it by pointer.
///
/// FIELDS:
/// - base         : The `Allocator` base (vtable, alignment, magic `"arenaalc"`, statistics,
///                  footprint); first member, so `ALLOCATOR_OF(&arena)` is well defined.
/// - cursor       : Next free byte of the current chunk, aligned to `base.alignment`; NULL
///                  before the first chunk is mapped.
/// - bump_limit   : How far the inline fast path of `arena_allocator_allocate` may bump the
///                  cursor: `limit` in a normal build of the library; equal to `cursor` (no room,
///                  every call goes to the library) before the first chunk and in a build that must
///                  see every allocation (AddressSanitizer, valgrind, ALLOC_DEBUG at 3).
/// - limit        : One past the last byte of the current chunk; NULL before the first chunk.
/// - dirty        : High-water mark of the current chunk: memory from the larger of `cursor` and
///                  `dirty` up to `limit` has never been handed out and reads as zero.
/// - last         : The most recent live block (the one that can be freed, resized or moved), or
///                  NULL when it was freed, after `ArenaAllocatorReset`, or before any allocation.
/// - chunks       : The chunk table, one `ArenaChunk` per mapped chunk, in a mapping of its own;
///                  chunks after `current` are empty. NULL until the first chunk is mapped.
/// - len          : Number of rows in use in `chunks` (chunks mapped).
/// - cap          : Number of rows `chunks` has room for; the table doubles when full.
/// - current      : Index in `chunks` of the chunk blocks are carved from now.
/// - chunks_bytes : Length in bytes of the mapping that holds `chunks`; 0 while it is NULL.
/// - chunk_bytes  : Size in bytes of the first chunk (later ones double from it); set by the
///                  Init macro, rounded up to whole pages and to the alignment when mapped.
/// - moved_blocks : Older blocks `arena_allocator_remap` moved since the last reset: their old
///                  starts stay marked in `bounds`, so the live blocks are the marked starts less
///                  this; `ArenaAllocatorReset` counts the live blocks as deallocations.
/// - floor        : First byte of the current chunk; NULL before the first chunk.
/// - bits         : The current chunk's block-start bitmap (inside `bounds`); NULL before the
///                  first chunk.
/// - shift        : log2 of `base.alignment`: bit `(block - floor) >> shift` marks a block start.
/// - bounds       : Every chunk's block-start bitmap, chunk after chunk (`ArenaChunk.bound`), in a
///                  mapping of its own; NULL until the first chunk is mapped.
/// - bounds_len   : Words of `bounds` in use.
/// - bounds_bytes : Length in bytes of the mapping that holds `bounds`.
///
/// USAGE:
///     ArenaAllocator arena = ArenaAllocatorInit();
///     for (int request = 0; request < 3; ++request) {
///         char *name = AllocatorAlloc(&arena, 32, 1);
///         int *ids = AllocatorAlloc(&arena, 100 * sizeof(int), 0);
///         ids[0] = request; name[0] = 'r';
///         ArenaAllocatorReset(&arena); // both blocks gone, chunks kept for the next request
///     }
///     ArenaAllocatorDeinit(&arena);
///
/// TAGS: Allocator, Arena, Memory
///
typedef struct ArenaAllocator {
    Allocator   base;
    char       *cursor;       // next free byte in the current chunk, aligned
    char       *bump_limit;   // end of the inline fast path's room: limit, or cursor for none
    char       *limit;        // end of the current chunk
    char       *dirty;        // high-water mark of the current chunk
    char       *last;         // most recent live block, or NULL
    ArenaChunk *chunks;       // chunk table (own mapping); rows after `current` are empty
    uint32_t    len;          // rows used in chunks
    uint32_t    cap;          // rows available in chunks
    uint32_t    current;      // index of the chunk being carved
    size_t      chunks_bytes; // bytes mapped for the table, multiple of the page size
    size_t      chunk_bytes;  // first chunk size in bytes; later chunks double
    uint64_t    moved_blocks; // older blocks moved by remap since the last reset
    char       *floor;        // start of the current chunk
    uint64_t   *bits;         // the current chunk's block-start bitmap
    uint32_t    shift;        // log2(alignment)
    uint64_t   *bounds;       // block-start bitmaps of every chunk (own mapping)
    size_t      bounds_len;   // words used in bounds
    size_t      bounds_bytes; // bytes mapped for bounds
} ArenaAllocator;

///
/// Allocate `bytes` from the arena by bumping its cursor.
///
/// The size is rounded up to `base.alignment` (the block's effective size). When the current chunk
/// has no room, the arena moves to its next empty chunk that is large enough (after a reset) or
/// maps a new one; the rest of the old chunk stays unused until `ArenaAllocatorReset`. O(1) when
/// the chunk has room; the fast path is a bounds check and a pointer increment.
///
/// self[in,out] : An initialised arena.
/// bytes[in]    : Requested size in bytes; 0 returns NULL.
/// zeroed[in]   : Non-zero to get zero-filled memory; honoured for fresh chunks and for memory
///                reused after a free or `ArenaAllocatorReset` (only bytes that were handed out
///                before are cleared, fresh memory is already zero).
///
/// SUCCESS: Returns a pointer aligned to `base.alignment` with room for `bytes` rounded up to the
///          alignment; it becomes the arena's most recent block. Counts one allocation of `bytes`
///          requested and the rounded size in use.
/// FAILURE: Returns NULL without counting a failure when `bytes` is 0. Returns NULL and counts
///          one `failed_allocations` when the rounded size overflows or the OS refuses a new chunk
///          (or a larger chunk table); the arena is unchanged otherwise. Aborts via `AllocFatal`
///          (naming `arena_allocator_allocate`) with "NULL allocator", "uninitialised allocator",
///          "type-confusion: not an ArenaAllocator", "corrupted allocator: NULL function pointer"
///          or "corrupted allocator: alignment is not a power of two".
///
/// USAGE:
///     ArenaAllocator arena = ArenaAllocatorInit();
///     double *matrix = arena_allocator_allocate(&arena, 16 * sizeof(double), 1);
///     matrix[15] = 1.0;
///     ArenaAllocatorDeinit(&arena);
///
/// TAGS: Allocator, Arena, Allocation
///
ALLOC_API void *arena_allocator_allocate(ArenaAllocator *self, size_t bytes, int8_t zeroed);

///
/// Resize the arena's most recent block in place, never moving it.
///
/// Shrinking always succeeds and gives the tail back to the arena; growing succeeds when the
/// current chunk has room after the block. Any other block of the arena is not resized and
/// returns 0 (`arena_allocator_remap` moves it, or keeps it when it is large enough).
///
/// self[in,out] : An initialised arena.
/// ptr[in]      : A block of `self`; NULL returns 0.
/// new_size[in] : The wanted size in bytes; 0 returns 0 (free the block instead).
///
/// SUCCESS: Returns 1; the block keeps its address, its effective size becomes `new_size` rounded
///          up to the alignment, and its first `min(old, new)` bytes are unchanged; bytes past the
///          old size are not guaranteed to be zero. Counts one reallocation.
/// FAILURE: Returns 0 and leaves the block untouched when `ptr` is NULL, `new_size` is 0, `ptr`
///          is a block of the arena other than the most recent one, or the chunk has no room;
///          none of these counts as a failed allocation. Aborts via `AllocFatal` (naming
///          `arena_allocator_resize`) with the allocator reasons of `arena_allocator_allocate`,
///          and on a pointer that is not a block of this arena with "foreign pointer" (outside
///          every chunk: stack, libc, another allocator), "misaligned pointer" (inside a chunk but
///          not on the alignment) or "double free" (inside a chunk but past the memory in use:
///          the block was already released by a free or `ArenaAllocatorReset`).
///
/// USAGE:
///     ArenaAllocator arena = ArenaAllocatorInit();
///     char *line = AllocatorAlloc(&arena, 80, 0);
///     if (AllocatorResize(&arena, line, 160)) { /* line has 160 bytes, same address */ }
///     ArenaAllocatorDeinit(&arena);
///
/// TAGS: Allocator, Arena, InPlace
///
ALLOC_API int8_t arena_allocator_resize(ArenaAllocator *self, void *ptr, size_t new_size);

///
/// Resize any block of the arena, moving it when it cannot stay.
///
/// The most recent block grows or shrinks in place when the current chunk has room (as
/// `arena_allocator_resize`); otherwise it is copied to the start of the next chunk large enough
/// (mapped if needed) and its old bytes are released. An older block stays when `new_size` fits
/// its effective size (found from the block starts the arena records out of band); otherwise its
/// bytes are copied to a new block at the cursor (which becomes the most recent block) and the
/// old bytes stay unused until `ArenaAllocatorReset`. So any number of `Vec`s, or any mix of
/// blocks, grow on one arena. O(size of the block / 64) to find an older block's end.
///
/// self[in,out] : An initialised arena.
/// ptr[in]      : A block of the arena, or NULL to allocate `new_size` zero-filled bytes.
/// new_size[in] : The wanted size in bytes; 0 frees `ptr` (as `arena_allocator_deallocate`, so a
///                block other than the most recent one is left in place) and returns NULL.
///
/// SUCCESS: Returns the block's address (new when it moved; a moved block is the most recent
///          one) with `new_size` rounded up to the alignment as effective size (an older block that
///          stays keeps its own); the first `min(old, new)` bytes are preserved, bytes past them
///          are not guaranteed to be zero. Counts one reallocation (an allocation when `ptr` is
///          NULL).
/// FAILURE: Returns NULL when `new_size` is 0 (after freeing `ptr` if it was the most recent
///          block). Returns NULL, leaves the block untouched and counts one `failed_allocations`
///          when the rounded size overflows or the OS refuses a new chunk. When `ptr` is NULL
///          fails exactly as `arena_allocator_allocate`. Aborts via `AllocFatal` (naming
///          `arena_allocator_remap`) with the allocator and pointer reasons of
///          `arena_allocator_resize`.
///
/// USAGE:
///     ArenaAllocator arena = ArenaAllocatorInit();
///     size_t cap = 64;
///     char *text = AllocatorAlloc(&arena, cap, 0);
///     char *bigger = AllocatorRemap(&arena, text, cap * 4096); // moves to a chunk of its own
///     if (bigger) { text = bigger; cap *= 4096; }
///     ArenaAllocatorDeinit(&arena);
///
/// TAGS: Allocator, Arena, Reallocation
///
ALLOC_API void *arena_allocator_remap(ArenaAllocator *self, void *ptr, size_t new_size);

///
/// Free a block: gives the bytes back when it is the arena's most recent block, does nothing for
/// any other block of the arena.
///
/// Freeing the most recent block rewinds the cursor to its start, so the next allocation reuses
/// the memory; the block before it does not become "most recent" (the arena does not know its
/// size), so freeing blocks in reverse order releases only the last one. The bytes of other blocks
/// are released by `ArenaAllocatorReset` or `ArenaAllocatorDeinit`.
///
/// self[in,out] : An initialised arena.
/// ptr[in]      : A block of `self`, or NULL (no-op).
///
/// SUCCESS: Returns the block's effective size for the most recent block and counts one
///          deallocation; returns 0 and changes nothing for another block of the arena.
/// FAILURE: Returns 0 for NULL. Aborts via `AllocFatal` (naming `arena_allocator_deallocate`) with
///          the allocator reasons of `arena_allocator_allocate` and the pointer reasons of
///          `arena_allocator_resize` ("foreign pointer", "misaligned pointer", "double free").
///
/// USAGE:
///     ArenaAllocator arena = ArenaAllocatorInit();
///     char *scratch = AllocatorAlloc(&arena, 100, 0);
///     size_t released = AllocatorFree(&arena, scratch); // 112: 100 rounded up to 16
///     ArenaAllocatorDeinit(&arena);
///
/// TAGS: Allocator, Arena, Deallocation
///
ALLOC_API size_t arena_allocator_deallocate(ArenaAllocator *self, void *ptr);

///
/// Vtable entry: `arena_allocator_allocate`'s fast path with the `Allocator *` signature of
/// `AllocatorAllocateFn`, stored in `base.allocate` by the Init macros. Call
/// `arena_allocator_allocate` or `AllocatorAlloc` instead.
///
/// self[in,out] : The `base` of an `ArenaAllocator`.
/// bytes[in]    : As for `arena_allocator_allocate`.
/// zeroed[in]   : As for `arena_allocator_allocate`.
///
/// SUCCESS: As `arena_allocator_allocate`.
/// FAILURE: As `arena_allocator_allocate`, except that a bad header aborts with the diagnostics
///          of `allocator_alloc_dyn` (any call off the fast path is checked as it checks) and a
///          failed allocation is retried per `effort`.
///
/// TAGS: Allocator, Arena, Allocation, Dispatch
///
ALLOC_API void *arena_allocator_vtable_allocate(Allocator *self, size_t bytes, int8_t zeroed);

///
/// Vtable adapter: `arena_allocator_resize` with the `Allocator *` signature of
/// `AllocatorResizeFn`, stored in `base.resize` by the Init macros.
///
/// self[in,out] : The `base` of an `ArenaAllocator`.
/// ptr[in]      : As for `arena_allocator_resize`.
/// new_size[in] : As for `arena_allocator_resize`.
///
/// SUCCESS: As `arena_allocator_resize`.
/// FAILURE: As `arena_allocator_resize`.
///
/// TAGS: Allocator, Arena, InPlace, Dispatch
///
ALLOC_API int8_t arena_allocator_vtable_resize(Allocator *self, void *ptr, size_t new_size);

///
/// Vtable adapter: `arena_allocator_remap` with the `Allocator *` signature of
/// `AllocatorRemapFn`, stored in `base.remap` by the Init macros.
///
/// self[in,out] : The `base` of an `ArenaAllocator`.
/// ptr[in]      : As for `arena_allocator_remap`.
/// new_size[in] : As for `arena_allocator_remap`.
///
/// SUCCESS: As `arena_allocator_remap`.
/// FAILURE: As `arena_allocator_remap`.
///
/// TAGS: Allocator, Arena, Reallocation, Dispatch
///
ALLOC_API void *arena_allocator_vtable_remap(Allocator *self, void *ptr, size_t new_size);

///
/// Vtable entry: `arena_allocator_deallocate`'s fast path with the `Allocator *` signature of
/// `AllocatorDeallocateFn`, stored in `base.deallocate` by the Init macros.
///
/// self[in,out] : The `base` of an `ArenaAllocator`.
/// ptr[in]      : As for `arena_allocator_deallocate`.
///
/// SUCCESS: As `arena_allocator_deallocate`.
/// FAILURE: As `arena_allocator_deallocate`, except that a bad header aborts with the diagnostics
///          of `allocator_free_dyn` (any call off the fast path is checked as it checks).
///
/// TAGS: Allocator, Arena, Deallocation, Dispatch
///
ALLOC_API size_t arena_allocator_vtable_deallocate(Allocator *self, void *ptr);

///
/// The rest of `arena_allocator_allocate`, called by its inline fast path for every call that
/// path does not finish: no room below `bump_limit`, `bytes` 0 or too large, a zero-filled
/// request on reused memory, a bad header. Exported so the inline path has something to call;
/// call `arena_allocator_allocate` or `AllocatorAlloc` instead.
///
/// self[in,out] : As for `arena_allocator_allocate`.
/// bytes[in]    : As for `arena_allocator_allocate`.
/// zeroed[in]   : As for `arena_allocator_allocate`.
///
/// SUCCESS: As `arena_allocator_allocate`.
/// FAILURE: As `arena_allocator_allocate`, with the same diagnostics (naming
///          `arena_allocator_allocate`).
///
/// TAGS: Allocator, Arena, Allocation
///
ALLOC_API void *arena_allocator_allocate_slow(ArenaAllocator *self, size_t bytes, int8_t zeroed);

///
/// The rest of `arena_allocator_vtable_allocate`, called by its inline fast path for every call
/// that path does not finish. Exported so the inline path has something to call; call
/// `AllocatorAlloc` instead.
///
/// self[in,out] : As for `arena_allocator_vtable_allocate`.
/// bytes[in]    : As for `arena_allocator_vtable_allocate`.
/// zeroed[in]   : As for `arena_allocator_vtable_allocate`.
///
/// SUCCESS: As `arena_allocator_vtable_allocate`.
/// FAILURE: As `arena_allocator_vtable_allocate`, with the same diagnostics (naming
///          `allocator_alloc_dyn`) and the same retries per `effort`.
///
/// TAGS: Allocator, Arena, Allocation, Dispatch
///
ALLOC_API void *arena_allocator_vtable_allocate_slow(Allocator *self, size_t bytes, int8_t zeroed);

#if defined(__GNUC__) && !defined(ALLOC_ARENA_NO_INLINE)
///
/// How this header defines the inline fast paths of `arena_allocator_allocate` and
/// `arena_allocator_vtable_allocate`: GNU extern inline (gnu_inline), so a call is inlined
/// and a call that is not, or a pointer taken to the function, uses the exported out-of-line
/// function, which behaves the same. Defined with GCC and Clang unless the includer defines
/// ALLOC_ARENA_NO_INLINE (then every call goes to the library).
///
/// TAGS: Allocator, Arena, Config
///
#define ALLOC_ARENA_INLINE extern __inline__ __attribute__((__gnu_inline__, __always_inline__))

// The inline fast paths: a bump when the arena is live (its magic), `0 < bytes <= bump_limit -
// cursor` (the room is a multiple of the alignment, so the rounded size fits too) and, for
// `zeroed`, the memory has never been handed out (it reads as zero); the block's start is marked
// and it is counted exactly as the library's own fast path does. Anything else, a bad header
// included, goes to the library, which decides and diagnoses. The two bodies differ only in where
// they send the rest (gnu_inline functions cannot share a static helper).
ALLOC_ARENA_INLINE void *arena_allocator_allocate(ArenaAllocator *self, size_t bytes, int8_t zeroed) {
    if (__builtin_expect(
            !self || self->base.magic != ARENA_ALLOCATOR_MAGIC ||
                bytes - 1 >= (size_t)((uintptr_t)self->bump_limit - (uintptr_t)self->cursor) ||
                (zeroed && (uintptr_t)self->cursor < (uintptr_t)self->dirty),
            0))
        return arena_allocator_allocate_slow(self, bytes, zeroed);
    size_t align     = self->base.alignment;
    size_t effective = (bytes + align - 1) & ~(align - 1);
    char  *block     = self->cursor;
    size_t unit      = (size_t)((uintptr_t)block - (uintptr_t)self->floor) >> self->shift;
    self->cursor     = block + effective;
    self->last       = block;
    self->bits[unit >> 6] |= (uint64_t)1 << (unit & 63);
    // bytes_in_use first and on its own, as the library does (no merged 16-byte load).
    size_t in_use                 = self->base.stats.bytes_in_use + effective;
    self->base.stats.bytes_in_use = in_use;
    if (in_use > self->base.stats.peak_bytes_in_use) self->base.stats.peak_bytes_in_use = in_use;
    self->base.stats.allocations += 1;
    self->base.stats.bytes_requested += bytes;
    return block;
}

ALLOC_ARENA_INLINE void *arena_allocator_vtable_allocate(Allocator *base, size_t bytes, int8_t zeroed) {
    ArenaAllocator *self = (ArenaAllocator *)(void *)base;
    if (__builtin_expect(
            !self || self->base.magic != ARENA_ALLOCATOR_MAGIC ||
                bytes - 1 >= (size_t)((uintptr_t)self->bump_limit - (uintptr_t)self->cursor) ||
                (zeroed && (uintptr_t)self->cursor < (uintptr_t)self->dirty),
            0))
        return arena_allocator_vtable_allocate_slow(base, bytes, zeroed);
    size_t align     = self->base.alignment;
    size_t effective = (bytes + align - 1) & ~(align - 1);
    char  *block     = self->cursor;
    size_t unit      = (size_t)((uintptr_t)block - (uintptr_t)self->floor) >> self->shift;
    self->cursor     = block + effective;
    self->last       = block;
    self->bits[unit >> 6] |= (uint64_t)1 << (unit & 63);
    size_t in_use                 = self->base.stats.bytes_in_use + effective;
    self->base.stats.bytes_in_use = in_use;
    if (in_use > self->base.stats.peak_bytes_in_use) self->base.stats.peak_bytes_in_use = in_use;
    self->base.stats.allocations += 1;
    self->base.stats.bytes_requested += bytes;
    return block;
}
#endif

///
/// The allocator `ArenaAllocatorInitAlignedChunk` yields, returned by a function: what that macro
/// expands to in C++, which has no compound literals. C code uses the macro.
///
/// alignment[in]  : Alignment in bytes of every block; a power of two (checked on first use).
/// chunk_bytes[in]: Size of the first chunk; 0 means `ARENA_ALLOCATOR_DEFAULT_CHUNK_BYTES`.
///
/// SUCCESS: Returns `ArenaAllocatorInitAlignedChunk(alignment, chunk_bytes)` by value; no OS call.
/// FAILURE: Cannot fail; invalid arguments are reported by the first call on the allocator,
///          exactly as for the macro.
///
/// TAGS: Allocator, Arena, Init
///
ALLOC_API ArenaAllocator arena_allocator_init(size_t alignment, size_t chunk_bytes);

#ifdef __cplusplus
#define ArenaAllocatorInitAlignedChunk(N, chunk) arena_allocator_init((size_t)(N), (size_t)(chunk))
#else
///
/// An `ArenaAllocator` with alignment `N` whose first chunk is `chunk` bytes.
///
/// Expands to a compound literal: no system call, cannot fail, usable as an initializer. The
/// first chunk is mapped by the first allocation. `N` may exceed the page size (chunks are then
/// mapped on an `N` boundary); every block is rounded up to `N`, so a large `N` wastes memory on
/// small blocks. `N` must be a power of two, which is checked on first use.
///
/// N[in]     : Alignment in bytes of every block; a power of two.
/// chunk[in] : Size in bytes of the first chunk; rounded up to whole pages and to `N`; 0 means
///             `ARENA_ALLOCATOR_DEFAULT_CHUNK_BYTES`.
///
/// SUCCESS: A ready arena with no memory mapped; `base.effort` is `ALLOCATOR_EFFORT_ONCE` and
///          `base.retry_limit` `ALLOCATOR_DEFAULT_RETRY_LIMIT`.
/// FAILURE: Cannot fail; an `N` that is not a power of two makes the first call on the arena
///          abort with "corrupted allocator: alignment is not a power of two".
///
/// USAGE:
///     ArenaAllocator small = ArenaAllocatorInitAlignedChunk(64, 4096); // cache-line blocks
///     void *line = AllocatorAlloc(&small, 10, 0);                      // 64 bytes, 64-aligned
///     ArenaAllocatorDeinit(&small);
///
/// TAGS: Allocator, Arena, Init
///
#define ArenaAllocatorInitAlignedChunk(N, chunk)                                                   \
    ((ArenaAllocator){.base        = {.allocate    = arena_allocator_vtable_allocate,              \
                                      .resize      = arena_allocator_vtable_resize,                \
                                      .remap       = arena_allocator_vtable_remap,                 \
                                      .deallocate  = arena_allocator_vtable_deallocate,            \
                                      .alignment   = (size_t)(N),                                  \
                                      .effort      = ALLOCATOR_EFFORT_ONCE,                        \
                                      .retry_limit = ALLOCATOR_DEFAULT_RETRY_LIMIT,                \
                                      .magic       = ARENA_ALLOCATOR_MAGIC,                        \
                                      .validates_itself = 1},                                      \
                      .chunk_bytes = (size_t)(chunk)})
#endif

///
/// An `ArenaAllocator` with the default alignment (`ALLOCATOR_DEFAULT_ALIGNMENT`) and first chunk
/// (`ARENA_ALLOCATOR_DEFAULT_CHUNK_BYTES`).
///
/// Expands to a compound literal: no system call, cannot fail. Release it with
/// `ArenaAllocatorDeinit`.
///
/// SUCCESS: A ready arena with no memory mapped, as `ArenaAllocatorInitAlignedChunk`.
/// FAILURE: Cannot fail.
///
/// USAGE:
///     ArenaAllocator arena = ArenaAllocatorInit();
///     int *values = AllocatorAlloc(&arena, 10 * sizeof(int), 1);
///     ArenaAllocatorDeinit(&arena);
///
/// TAGS: Allocator, Arena, Init
///
#define ArenaAllocatorInit() ArenaAllocatorInitAlignedChunk(ALLOCATOR_DEFAULT_ALIGNMENT, 0)

///
/// An `ArenaAllocator` whose blocks are aligned to `N` bytes, with the default first chunk.
///
/// N[in] : Alignment in bytes of every block; a power of two (larger than the page size is
///         allowed).
///
/// SUCCESS: A ready arena with no memory mapped, as `ArenaAllocatorInitAlignedChunk`.
/// FAILURE: Cannot fail; an `N` that is not a power of two makes the first call abort with
///          "corrupted allocator: alignment is not a power of two".
///
/// USAGE:
///     ArenaAllocator pages = ArenaAllocatorInitAligned(4096);
///     void *page = AllocatorAlloc(&pages, 4096, 0); // on a page boundary
///     ArenaAllocatorDeinit(&pages);
///
/// TAGS: Allocator, Arena, Init
///
#define ArenaAllocatorInitAligned(N) ArenaAllocatorInitAlignedChunk((N), 0)

///
/// An `ArenaAllocator` with the default alignment whose first chunk is `chunk` bytes.
///
/// chunk[in] : Size in bytes of the first chunk; rounded up to whole pages; 0 means
///             `ARENA_ALLOCATOR_DEFAULT_CHUNK_BYTES`.
///
/// SUCCESS: A ready arena with no memory mapped, as `ArenaAllocatorInitAlignedChunk`.
/// FAILURE: Cannot fail.
///
/// USAGE:
///     ArenaAllocator big = ArenaAllocatorInitChunk(1 << 20); // 1 MiB first chunk
///     void *scratch = AllocatorAlloc(&big, 500000, 0);
///     ArenaAllocatorDeinit(&big);
///
/// TAGS: Allocator, Arena, Init
///
#define ArenaAllocatorInitChunk(chunk)                                                             \
    ArenaAllocatorInitAlignedChunk(ALLOCATOR_DEFAULT_ALIGNMENT, (chunk))

///
/// Release every block of the arena at once, keeping its chunks mapped for reuse.
///
/// All chunks stay mapped (none is returned to the OS: the next cycle of allocations runs without
/// system calls; call `ArenaAllocatorDeinit` to return them) and carving restarts at the first
/// chunk. Memory reused after a reset is dirty, but `zeroed` requests are still honoured: each
/// chunk remembers how far it was ever used, and only that part is cleared when a zeroed block
/// covers it. Every pointer handed out before is invalid afterwards.
///
/// self[in,out] : An initialised arena.
///
/// SUCCESS: No block is live; `base.stats.bytes_in_use` drops to 0 and `deallocations` grows by
///          the number of blocks that were live. `base.footprint_bytes` is unchanged. O(number of
///          chunks).
/// FAILURE: Aborts via `AllocFatal` (naming `ArenaAllocatorReset`) with the allocator reasons of
///          `arena_allocator_allocate`.
///
/// USAGE:
///     ArenaAllocator frame = ArenaAllocatorInit();
///     for (int tick = 0; tick < 60; ++tick) {
///         float *vertices = AllocatorAlloc(&frame, 1024 * sizeof(float), 1);
///         vertices[0] = (float)tick;
///         ArenaAllocatorReset(&frame);
///     }
///     ArenaAllocatorDeinit(&frame);
///
/// TAGS: Allocator, Arena, Reset
///
ALLOC_API void ArenaAllocatorReset(ArenaAllocator *self);

///
/// Release everything the arena mapped and zero it.
///
/// Unmaps every chunk (whatever blocks are still in them) and the chunk table, then zeroes the
/// whole struct, so `base.footprint_bytes` reads 0 and any later call aborts with "uninitialised
/// allocator". Re-initialise with an Init macro to use it again.
///
/// self[in,out] : An initialised arena.
///
/// SUCCESS: All memory is returned to the OS and `*self` is all zero bytes.
/// FAILURE: Aborts via `AllocFatal` (naming `ArenaAllocatorDeinit`) with the allocator reasons of
///          `arena_allocator_allocate` ("uninitialised allocator" for a second Deinit).
///
/// USAGE:
///     ArenaAllocator arena = ArenaAllocatorInit();
///     (void)AllocatorAlloc(&arena, 1000, 0); // never freed: Deinit returns it
///     ArenaAllocatorDeinit(&arena);
///
/// TAGS: Allocator, Arena, Cleanup
///
ALLOC_API void ArenaAllocatorDeinit(ArenaAllocator *self);

///
/// Verify every invariant of the arena and abort on the first one broken.
///
/// Checks the header as every call does, then the chunk table (mapped iff it has rows, `len` ≤
/// `cap`, rows within its mapping), each chunk (aligned, non-empty, `used` ≤ `dirty` ≤ `bytes`
/// for chunks before the current one, empty chunks after it, no two overlapping), the cursor
/// (inside the current chunk, aligned, `limit` at the chunk's end), the most recent block (inside
/// the used part of the current chunk, aligned), and the counters (`base.footprint_bytes` equals
/// the chunks plus the table; `bytes_in_use` fits in the used memory; no bytes in use without a
/// live block). Costs O(chunks²); meant for tests and debugging.
///
/// self[in] : An initialised arena.
///
/// SUCCESS: Returns normally when every invariant holds.
/// FAILURE: Aborts via `AllocFatal` (naming `ArenaAllocatorCheck`) with the allocator reasons of
///          `arena_allocator_allocate`, or with "corrupted allocator: chunk table",
///          "corrupted allocator: chunk", "corrupted allocator: overlapping chunks",
///          "corrupted allocator: cursor", "corrupted allocator: last block",
///          "corrupted allocator: footprint" or "corrupted allocator: statistics".
///
/// USAGE:
///     ArenaAllocator arena = ArenaAllocatorInit();
///     (void)AllocatorAlloc(&arena, 48, 0);
///     ArenaAllocatorCheck(&arena); // returns: all is well
///     ArenaAllocatorDeinit(&arena);
///
/// TAGS: Allocator, Arena, Check
///
ALLOC_API void ArenaAllocatorCheck(const ArenaAllocator *self);

ALLOC_END_DECLS

#endif // ALLOC_ARENA_H
