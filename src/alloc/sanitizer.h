// SPDX-License-Identifier: MIT
// Sanitizer visibility inside the allocators' own pools (private). Heap, Slab and Arena carve user
// blocks out of regions they mapped themselves, so neither ASan nor valgrind can see a block's
// life on their own. These hooks tell them: under ASan (__SANITIZE_ADDRESS__ or
// __has_feature(address_sanitizer)) they poison and unpoison shadow memory; with -DALLOC_VALGRIND
// they issue memcheck mempool client requests (one pool per allocator, keyed by its address);
// otherwise they compile to nothing. Rules for callers:
//   - region_mapped when a region for user blocks is mapped (nothing in it is a block yet);
//   - allocated BEFORE the allocator writes into the block (zeroing, remap copies), freed AFTER
//     its last read of it; resized for an in-place resize, moved when the kernel moved a block;
//   - region_unmapping BEFORE a region is unmapped or reused for anything else (ASan keeps the
//     poison of unmapped memory: without it the next mapping at that address reads as poisoned);
//   - pool_destroy in Deinit and, followed by region_mapped per kept region, in an arena Reset.
#ifndef ALLOC_SANITIZER_H
#define ALLOC_SANITIZER_H

#include "alloc/Types.h"

#include <stdbool.h> // bool

#if defined(__SANITIZE_ADDRESS__)
#define ALLOC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ALLOC_ASAN 1
#endif
#endif
#ifndef ALLOC_ASAN
#define ALLOC_ASAN 0
#endif

#if ALLOC_ASAN
#include <sanitizer/asan_interface.h> // ASAN_POISON_MEMORY_REGION, ASAN_UNPOISON_MEMORY_REGION
#endif
#ifdef ALLOC_VALGRIND
#include <valgrind/memcheck.h> // VALGRIND_MAKE_MEM_*, VALGRIND_*MEMPOOL*
#endif

#ifdef ALLOC_VALGRIND
// The memcheck pool of allocator `pool`, created on first use (Init makes no call, so the pool
// cannot be created there).
static inline void alloc_sanitize_pool_ensure(const void *pool) {
    if (!VALGRIND_MEMPOOL_EXISTS(pool)) VALGRIND_CREATE_MEMPOOL(pool, 0, 0);
}
#endif

// `pool` (the allocator) mapped [ptr, ptr + bytes) to carve blocks from: no byte is a block yet,
// so any access to it is an error until alloc_sanitize_allocated.
static inline void alloc_sanitize_region_mapped(const void *pool, void *ptr, size bytes) {
    (void)pool, (void)ptr, (void)bytes;
#if ALLOC_ASAN
    ASAN_POISON_MEMORY_REGION(ptr, bytes);
#endif
#ifdef ALLOC_VALGRIND
    alloc_sanitize_pool_ensure(pool);
    VALGRIND_MAKE_MEM_NOACCESS(ptr, bytes);
#endif
}

// [ptr, ptr + bytes) is being unmapped (a retained block, the cut tail of a block shrunk by
// mremap, a region given back) or reused as something else than user blocks. ASan keeps the
// poison of unmapped memory, so without this the next mapping at that address reads as
// poisoned; valgrind tracks munmap itself and needs nothing.
static inline void alloc_sanitize_region_unmapping(const void *pool, void *ptr, size bytes) {
    (void)pool, (void)ptr, (void)bytes;
#if ALLOC_ASAN
    ASAN_UNPOISON_MEMORY_REGION(ptr, bytes);
#endif
}

// `pool` hands [ptr, ptr + bytes) to the user. `zeroed`: the bytes are known to be zero (fresh
// mapping or memset already done), so valgrind treats them as defined; else as undefined.
static inline void alloc_sanitize_allocated(const void *pool, void *ptr, size bytes, bool zeroed) {
    (void)pool, (void)ptr, (void)bytes, (void)zeroed;
#if ALLOC_ASAN
    ASAN_UNPOISON_MEMORY_REGION(ptr, bytes);
#endif
#ifdef ALLOC_VALGRIND
    alloc_sanitize_pool_ensure(pool);
    VALGRIND_MEMPOOL_ALLOC(pool, ptr, bytes);
    if (zeroed) VALGRIND_MAKE_MEM_DEFINED(ptr, bytes);
#endif
}

// The user gave back the block [ptr, ptr + bytes): any later access is a use after free.
static inline void alloc_sanitize_freed(const void *pool, void *ptr, size bytes) {
    (void)pool, (void)ptr, (void)bytes;
#if ALLOC_ASAN
    ASAN_POISON_MEMORY_REGION(ptr, bytes);
#endif
#ifdef ALLOC_VALGRIND
    VALGRIND_MEMPOOL_FREE(pool, ptr);
#endif
}

// The block at `ptr` was resized in place from `old_bytes` to `new_bytes`; a grown tail holds
// undefined bytes, a cut tail becomes inaccessible.
static inline void alloc_sanitize_resized(const void *pool, void *ptr, size old_bytes, size new_bytes) {
    (void)pool, (void)ptr, (void)old_bytes, (void)new_bytes;
#if ALLOC_ASAN
    if (new_bytes < old_bytes) ASAN_POISON_MEMORY_REGION((char *)ptr + new_bytes, old_bytes - new_bytes);
    else ASAN_UNPOISON_MEMORY_REGION(ptr, new_bytes);
#endif
#ifdef ALLOC_VALGRIND
    VALGRIND_MEMPOOL_CHANGE(pool, ptr, ptr, new_bytes);
    if (new_bytes < old_bytes) VALGRIND_MAKE_MEM_NOACCESS((char *)ptr + new_bytes, old_bytes - new_bytes);
    else VALGRIND_MAKE_MEM_UNDEFINED((char *)ptr + old_bytes, new_bytes - old_bytes);
#endif
}

// The kernel moved a live block (mremap) from `old_ptr` to `new_ptr`, now `bytes` long, contents
// kept. ASan needs nothing (the block was unpoisoned and its new range is unpoisoned below).
static inline void alloc_sanitize_moved(const void *pool, void *old_ptr, void *new_ptr, size bytes) {
    (void)pool, (void)old_ptr, (void)new_ptr, (void)bytes;
#if ALLOC_ASAN
    ASAN_UNPOISON_MEMORY_REGION(new_ptr, bytes);
#endif
#ifdef ALLOC_VALGRIND
    VALGRIND_MEMPOOL_CHANGE(pool, old_ptr, new_ptr, bytes);
#endif
}

// Forget every block of `pool` at once (Deinit; Reset before re-poisoning its regions).
static inline void alloc_sanitize_pool_destroy(const void *pool) {
    (void)pool;
#ifdef ALLOC_VALGRIND
    if (VALGRIND_MEMPOOL_EXISTS(pool)) VALGRIND_DESTROY_MEMPOOL(pool);
#endif
}

// --- Borrowed memory -----------------------------------------------------------------------------
// An allocator that carves blocks from memory it was lent (BudgetAllocator: a caller's buffer,
// perhaps itself a block of another allocator or of malloc) marks addressability only. No memcheck
// pool: its chunks would overlap the lender's block, and memcheck's leak search aborts on
// overlapping pool chunks; a slot left live is not a leak of the program either.

// [ptr, ptr + bytes) of the lent memory is not handed out (never yet, or freed): no access.
static inline void alloc_sanitize_borrowed_closed(void *ptr, size bytes) {
    (void)ptr, (void)bytes;
#if ALLOC_ASAN
    ASAN_POISON_MEMORY_REGION(ptr, bytes);
#endif
#ifdef ALLOC_VALGRIND
    VALGRIND_MAKE_MEM_NOACCESS(ptr, bytes);
#endif
}

// [ptr, ptr + bytes) is handed out; `zeroed` as for alloc_sanitize_allocated. Call it BEFORE the
// allocator writes into the block.
static inline void alloc_sanitize_borrowed_opened(void *ptr, size bytes, bool zeroed) {
    (void)ptr, (void)bytes, (void)zeroed;
#if ALLOC_ASAN
    ASAN_UNPOISON_MEMORY_REGION(ptr, bytes);
#endif
#ifdef ALLOC_VALGRIND
    if (zeroed) VALGRIND_MAKE_MEM_DEFINED(ptr, bytes);
    else VALGRIND_MAKE_MEM_UNDEFINED(ptr, bytes);
#endif
}

// The allocator gives closed memory back to its lender (Deinit): addressable again, and memcheck
// makes no claim on its bytes (what the lender had there before is unknown by now).
static inline void alloc_sanitize_borrowed_returned(void *ptr, size bytes) {
    (void)ptr, (void)bytes;
#if ALLOC_ASAN
    ASAN_UNPOISON_MEMORY_REGION(ptr, bytes);
#endif
#ifdef ALLOC_VALGRIND
    VALGRIND_MAKE_MEM_DEFINED(ptr, bytes);
#endif
}

#endif // ALLOC_SANITIZER_H
