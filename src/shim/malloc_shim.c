// SPDX-License-Identifier: MIT
// liballoc-malloc.so: the C library's malloc family (malloc, free, calloc, realloc, posix_memalign,
// aligned_alloc, memalign, valloc, pvalloc, malloc_usable_size) on HeapAllocator, for LD_PRELOAD.
// Every thread owns heaps for every size and alignment (a Shim slot); only their owner touches
// them, so no path takes a lock. A free finds the owning heap from the address (shim_tables.c:
// 4 MiB windows for segments, a page table for runs); a block of another thread goes onto that
// thread's lock-free inbox, out of band, which the owner drains on its next call (the
// mimalloc/snmalloc design). It never calls malloc: a call that re-enters it on the same thread
// (backtrace() on the fatal path loading libgcc_s) is served from a static bootstrap buffer.
// Misuse (free of a foreign pointer, double free) stops the program with the heap's fatal line,
// e.g. "alloc: fatal: heap_allocator_deallocate: foreign pointer 0x...".
#include "shim_internal.h"

#include <errno.h>   // ENOMEM, EINVAL
#include <pthread.h> // pthread_key_create, pthread_setspecific, pthread_mutex_t
#include <string.h>  // memcpy

// The symbols this file defines (glibc declares them in <stdlib.h> and <malloc.h>).
void  *malloc(size_t bytes);
void   free(void *ptr);
void  *calloc(size_t count, size_t bytes);
void  *realloc(void *ptr, size_t bytes);
int    posix_memalign(void **out, size_t alignment, size_t bytes);
void  *aligned_alloc(size_t alignment, size_t bytes);
void  *memalign(size_t alignment, size_t bytes);
void  *valloc(size_t bytes);
void  *pvalloc(size_t bytes);
size_t malloc_usable_size(void *ptr);

// --- State ------------------------------------------------------------------------------------

static Shim          shims[SHIM_SLOTS];  // [0] shared by threads past the others (locked); zero
                                         // until taken (static storage, untouched pages)
static int           ready;              // read without a lock once set
static pthread_key_t thread_key;         // its destructor hands the slot back
static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER; // the first call only

// Per thread: the re-entrancy depth and the thread's slot. initial-exec: no allocation.
#define THREAD_LOCAL static _Thread_local __attribute__((tls_model("initial-exec")))
THREAD_LOCAL int   depth;
THREAD_LOCAL Shim *mine;

// Bootstrap memory for re-entrant calls: bump-allocated, never freed.
static _Alignas(64) char bootstrap[256 * 1024];
static size bootstrap_used;

// --- Bootstrap --------------------------------------------------------------------------------

static int from_bootstrap(const void *ptr) {
    return (const char *)ptr >= bootstrap && (const char *)ptr < bootstrap + sizeof bootstrap;
}

static void *bootstrap_take(size bytes, size alignment) {
    if (alignment < 16) alignment = 16;
    size at = __atomic_load_n(&bootstrap_used, __ATOMIC_RELAXED);
    for (;;) {
        size start = (at + alignment - 1) & ~(alignment - 1); // at <= sizeof bootstrap: no wrap
        if (alignment > sizeof bootstrap || start > sizeof bootstrap ||
            bytes > sizeof bootstrap - start)
            return NULL;
        if (__atomic_compare_exchange_n(&bootstrap_used, &at, start + bytes, false,
                                        __ATOMIC_RELAXED, __ATOMIC_RELAXED))
            return bootstrap + start; // static storage: already zero, never reused
    }
}

// Usable bytes of a bootstrap block: up to the end of what was handed out (an upper bound).
static size bootstrap_room(const void *ptr) {
    return __atomic_load_n(&bootstrap_used, __ATOMIC_RELAXED) - (size)((const char *)ptr - bootstrap);
}

// --- Set-up and threads -----------------------------------------------------------------------

// A thread ends: its slot (and the blocks still in it) goes to the next thread that starts.
static void thread_done(void *slot) {
    mine = NULL;
    __atomic_store_n(&((Shim *)slot)->taken, 0, __ATOMIC_RELEASE);
}

// First call of the process: maps the tables (virtual: untouched pages cost nothing). Runs with
// depth set, so allocations made by pthread_key_create land in the bootstrap buffer.
static int init(void) {
    pthread_mutex_lock(&init_lock);
    if (!__atomic_load_n(&ready, __ATOMIC_RELAXED)) {
        int ok = shim_tables_init();
        // The other slots stay as the loader zeroed them (3.6 MiB of untouched pages: writing
        // them would fault every page in every process); thread_slot numbers one when taken.
        shims[0].shared = 1;
        pthread_mutex_init(&shims[0].lock, NULL);
        pthread_key_create(&thread_key, thread_done);
        __atomic_store_n(&ready, ok, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&init_lock);
    return __atomic_load_n(&ready, __ATOMIC_ACQUIRE);
}

// The calling thread's slot: its own while there is a free one, else the shared slot 0.
static Shim *thread_slot(void) {
    if (ALLOC_LIKELY(mine != NULL)) return mine;
    for (u32 s = 1; s < SHIM_SLOTS && !mine; ++s) {
        int idle = 0;
        if (__atomic_compare_exchange_n(&shims[s].taken, &idle, 1, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED)) {
            mine        = &shims[s];
            mine->index = s; // the slot's owner alone writes it, before any block is noted
            pthread_setspecific(thread_key, mine);
        }
    }
    if (!mine) mine = &shims[0];
    return mine;
}

Shim *shim_slot_at(u32 slot) { return &shims[slot]; }

// enter's general path: the first call of the process or of a thread, the shared slot (locked),
// or a call that re-entered the shim (NULL: serve it from the bootstrap buffer instead).
static __attribute__((noinline)) Shim *enter_slow(void) {
    if (depth) return NULL;
    depth = 1;
    if (ALLOC_UNLIKELY(!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) && !init()) {
        depth = 0;
        return NULL;
    }
    Shim *me = thread_slot();
    if (ALLOC_UNLIKELY(me->shared)) pthread_mutex_lock(&me->lock);
    shim_drain(me);
    return me;
}

// Enter the shim: the caller's slot, locked if it is the shared one, its inbox drained; NULL when
// this call re-entered the shim. A thread with its own slot (so the shim is ready) takes the
// inline path: two thread-local loads, a flag and the inbox.
static inline Shim *enter(void) {
    Shim *me = mine;
    if (ALLOC_UNLIKELY(!me || depth || me->shared)) return enter_slow();
    depth = 1;
    shim_drain(me);
    return me;
}

static inline void leave(Shim *me) {
    if (ALLOC_UNLIKELY(me->shared)) pthread_mutex_unlock(&me->lock);
    depth = 0;
}

// --- Allocation -------------------------------------------------------------------------------

// Index of the slot's heap for `alignment` (a power of two), or SHIM_HEAPS when too large.
static u32 heap_for(size alignment) {
    if (alignment <= 16) return 0;
    u32 k = (u32)__builtin_ctzll((unsigned long long)alignment) - 4;
    return k < SHIM_HEAPS ? k : SHIM_HEAPS;
}

// Allocate `bytes` aligned to `alignment` (a power of two); NULL and ENOMEM on failure. Inlined
// into each entry, so malloc and calloc fold the alignment away.
static inline __attribute__((always_inline)) void *allocate(size bytes, size alignment, i8 zeroed) {
    if (!bytes) bytes = 1; // malloc(0) returns a unique pointer
    Shim *me = enter();
    if (!me) return bootstrap_take(bytes, alignment);
    u32   k   = heap_for(alignment);
    void *ptr = k < SHIM_HEAPS ? shim_allocate(me, k, bytes, zeroed) : NULL;
    leave(me);
    if (!ptr) errno = ENOMEM;
    return ptr;
}

void *malloc(size_t bytes) { return allocate(bytes, 16, 0); }

void *calloc(size_t count, size_t bytes) {
    size total;
    if (__builtin_mul_overflow(count, bytes, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    return allocate(total, 16, 1);
}

void free(void *ptr) {
    if (!ptr || from_bootstrap(ptr)) return;
    Shim *me = enter();
    if (!me) return; // re-entered from the fatal path: leak rather than deadlock
    shim_free(me, ptr);
    leave(me);
}

// --- realloc ----------------------------------------------------------------------------------

// A block of another slot (its owner alone may touch its heap): a new block here, min(old, new)
// bytes copied (the old size from the tables), the old block freed through its owner's inbox.
static void *realloc_foreign(Shim *me, ShimOwner owner, void *ptr, size bytes) {
    void *moved = shim_allocate(me, 0, bytes, 0);
    if (!moved) return NULL;
    memcpy(moved, ptr, owner.bytes < bytes ? owner.bytes : bytes);
    shim_free(me, ptr);
    return moved;
}

void *realloc(void *ptr, size_t bytes) {
    if (!ptr) return malloc(bytes);
    if (!bytes) {
        free(ptr);
        return NULL;
    }
    if (from_bootstrap(ptr)) {
        void *moved = malloc(bytes);
        size  room  = bootstrap_room(ptr);
        if (moved) memcpy(moved, ptr, room < bytes ? room : bytes);
        return moved;
    }
    Shim *me = enter();
    if (!me) { // re-entered from the fatal path (dlopen of libgcc_s grows its tables)
        ShimOwner owner = shim_owner_of(ptr, 1);
        void     *moved = bootstrap_take(bytes, 16);
        if (moved) memcpy(moved, ptr, owner.bytes < bytes ? owner.bytes : bytes);
        return moved;
    }
    ShimOwner owner = shim_owner_of(ptr, 1);
    void *moved = owner.slot == me->index || !owner.known ? shim_remap(me, owner, ptr, bytes)
                                                         : realloc_foreign(me, owner, ptr, bytes);
    leave(me);
    if (!moved) errno = ENOMEM;
    return moved;
}

// --- Queries and the aligned family -----------------------------------------------------------

size_t malloc_usable_size(void *ptr) {
    if (!ptr) return 0;
    if (from_bootstrap(ptr)) return bootstrap_room(ptr);
    Shim *me = enter();
    if (!me) return 0;
    ShimOwner owner = shim_owner_of(ptr, 1);
    size_t    n     = owner.slot == me->index || !owner.known
                          ? HeapAllocatorUsableSize(shim_heap(me, owner.known ? owner.heap : 0), ptr)
                          : owner.bytes;
    leave(me);
    return n;
}

int posix_memalign(void **out, size_t alignment, size_t bytes) {
    if (!alloc_is_power_of_two(alignment) || alignment % sizeof(void *)) return EINVAL;
    int   saved = errno;
    void *ptr   = allocate(bytes, alignment, 0);
    errno       = saved; // posix_memalign reports through its result only
    if (!ptr) return ENOMEM;
    *out = ptr;
    return 0;
}

void *aligned_alloc(size_t alignment, size_t bytes) {
    if (!alloc_is_power_of_two(alignment)) {
        errno = EINVAL;
        return NULL;
    }
    return allocate(bytes, alignment, 0);
}

// glibc's memalign rounds a non-power-of-two alignment up; so does this one.
void *memalign(size_t alignment, size_t bytes) {
    size a = 16;
    while (a < alignment && a) a <<= 1;
    if (!a) {
        errno = EINVAL;
        return NULL;
    }
    return allocate(bytes, a, 0);
}

void *valloc(size_t bytes) { return allocate(bytes, alloc_os_page_size(), 0); }

void *pvalloc(size_t bytes) {
    size page    = alloc_os_page_size();
    size rounded = alloc_align_up(bytes ? bytes : 1, page);
    if (!rounded) {
        errno = ENOMEM;
        return NULL;
    }
    return allocate(rounded, page, 0);
}
