// SPDX-License-Identifier: MIT
// liballoc-malloc.so: the C library's malloc family (malloc, free, calloc, realloc, posix_memalign,
// aligned_alloc, memalign, valloc, pvalloc, malloc_usable_size) on HeapAllocator, for LD_PRELOAD.
// Small requests go to the calling thread's own heap, large ones to one shared heap, over-aligned
// ones to a heap per alignment; each heap has its own mutex. A free finds the owning heap from
// the 4 MiB window of the address (a table the shim keeps), so any thread may free any block.
// It never calls malloc: a call that re-enters it on the same thread (backtrace() on the fatal
// path loading libgcc_s) is served from a static bootstrap buffer. Misuse (free of a foreign
// pointer, double free) stops the program with the heap's fatal line, e.g.
// "alloc: fatal: heap_allocator_deallocate: foreign pointer 0x...".
#include "alloc/Heap.h"
#include "alloc/Types.h" // opt-in short names (size, u8, i8…)
#include "addrmap.h"  // the over-aligned blocks' owners
#include "internal.h" // alloc_os_map, alloc_os_unmap, alloc_os_page_size

#include <errno.h>   // ENOMEM, EINVAL
#include <pthread.h> // pthread_mutex_t, pthread_atfork, pthread_key_create
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
//
// Why a window says who owns a block: a thread heap only ever serves requests up to
// HEAP_SMALL_MAX at alignment 16, which the heap takes from slots of 4 MiB-aligned segments, so
// each of its blocks lies in a window (address >> 22) that is one whole segment of that heap.
// Every larger block comes from the one shared heap. Each allocation writes its heap's number into
// the windows the block covers, so the last heap to allocate in a window is the one that owns
// every live block there. Over-aligned blocks are not in the windows: an exact table finds them.

enum {
    WINDOW_SHIFT  = 22,                // HEAP_SEGMENT_SIZE
    ADDRESS_BITS  = 47,                // user space on x86-64 and arm64 (4-level tables)
    WINDOWS       = 1 << (ADDRESS_BITS - WINDOW_SHIFT),
    THREAD_HEAPS  = 64,                // more threads than this share them round-robin
    SHARED_HEAP   = 0,                 // pool[0]: large blocks
    MIN_ALIGN_LOG = 4,                 // plain malloc: 16 bytes
    MAX_ALIGN_LOG = 26,                // aligned requests up to 64 MiB
    ALIGNED_HEAPS = MAX_ALIGN_LOG - MIN_ALIGN_LOG, // 32 .. 64 MiB
};
_Static_assert(((size)1 << WINDOW_SHIFT) == HEAP_SEGMENT_SIZE, "a window is a segment");

typedef struct Pooled {
    HeapAllocator   heap;
    pthread_mutex_t lock;
    int             taken; // a live thread uses it as its own (guarded by `global`)
} Pooled;

static Pooled          pool[1 + THREAD_HEAPS];        // [0] shared, [1..] per thread
static u16            *windows;                       // window -> pool index + 1; 0 = none
static HeapAllocator   aligned[ALIGNED_HEAPS];        // aligned[k]: alignment 2^(5+k)
static pthread_mutex_t aligned_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t global       = PTHREAD_MUTEX_INITIALIZER; // init and thread heap handout
static int             ready;                         // read without the lock once set
static pthread_key_t   thread_key;                    // its destructor hands the heap back
static u32             next_shared;                   // round-robin when the pool is exhausted

// Over-aligned blocks: the library's address map from block address to aligned[] index + 1,
// guarded by aligned_lock; `aligned_count` mirrors its length for the lock-free "none" test.
static AllocatorAddressMap owners;
static size                aligned_count;

// Per thread: the re-entrancy depth and the thread's own heap. initial-exec: no allocation.
#define THREAD_LOCAL static _Thread_local __attribute__((tls_model("initial-exec")))
THREAD_LOCAL int     depth;
THREAD_LOCAL Pooled *mine;

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

// --- Set-up, fork, threads --------------------------------------------------------------------

static void fork_prepare(void) {
    pthread_mutex_lock(&global);
    pthread_mutex_lock(&aligned_lock);
    for (int i = 0; i <= THREAD_HEAPS; ++i) pthread_mutex_lock(&pool[i].lock);
}

static void fork_release(void) {
    for (int i = THREAD_HEAPS; i >= 0; --i) pthread_mutex_unlock(&pool[i].lock);
    pthread_mutex_unlock(&aligned_lock);
    pthread_mutex_unlock(&global);
}

// A thread ends: its heap (and the blocks still in it) goes to the next thread that starts.
static void thread_done(void *pooled) {
    pthread_mutex_lock(&global);
    ((Pooled *)pooled)->taken = 0;
    pthread_mutex_unlock(&global);
}

// First call of the process: maps the window table (virtual: untouched pages cost nothing).
// Runs with depth set, so allocations made by pthread_atfork land in the bootstrap buffer.
static int init(void) {
    pthread_mutex_lock(&global);
    if (!ready) {
        windows = alloc_os_map(NULL, (size)WINDOWS * sizeof *windows);
        for (int i = 0; i <= THREAD_HEAPS; ++i) {
            pool[i].heap = HeapAllocatorInit();
            pthread_mutex_init(&pool[i].lock, NULL);
        }
        for (int k = 0; k < ALIGNED_HEAPS; ++k)
            aligned[k] = HeapAllocatorInitAligned((size)1 << (MIN_ALIGN_LOG + 1 + k));
        pthread_key_create(&thread_key, thread_done);
        pthread_atfork(fork_prepare, fork_release, fork_release);
        __atomic_store_n(&ready, windows != NULL, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&global);
    return __atomic_load_n(&ready, __ATOMIC_ACQUIRE);
}

// The calling thread's heap: its own while the pool lasts, else one shared round-robin.
static Pooled *thread_heap(void) {
    if (ALLOC_LIKELY(mine != NULL)) return mine;
    pthread_mutex_lock(&global);
    for (int i = 1; i <= THREAD_HEAPS && !mine; ++i) {
        if (pool[i].taken) continue;
        pool[i].taken = 1;
        mine          = &pool[i];
        pthread_setspecific(thread_key, mine);
    }
    if (!mine) mine = &pool[1 + next_shared++ % THREAD_HEAPS];
    pthread_mutex_unlock(&global);
    return mine;
}

// Enter the shim: 0 when this call re-entered it (serve it from the bootstrap buffer instead).
static int enter(void) {
    if (depth) return 0;
    depth = 1;
    if (ALLOC_UNLIKELY(!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) && !init()) {
        depth = 0;
        return 0;
    }
    return 1;
}

static void leave(void) { depth = 0; }

// --- Windows ----------------------------------------------------------------------------------

static size window_of(const void *ptr) { return ((uintptr_t)ptr >> WINDOW_SHIFT) & (WINDOWS - 1); }

// Record that `owner` (a pool entry) allocated [ptr, ptr + bytes): `bytes` as requested (a
// thread heap's block never leaves its window; a large block's slack past the request is never
// passed to free). Caller holds owner's lock. One load when the window is already marked.
static void mark(const Pooled *owner, const void *ptr, size bytes) {
    u16  id   = (u16)(owner - pool + 1);
    size last = window_of((const char *)ptr + (bytes ? bytes - 1 : 0));
    for (size w = window_of(ptr); w <= last; ++w)
        if (__atomic_load_n(&windows[w], __ATOMIC_RELAXED) != id)
            __atomic_store_n(&windows[w], id, __ATOMIC_RELEASE);
}

// The pool entry whose heap owns `ptr`; for a pointer no heap gave out, the caller's own heap,
// which then reports it.
static Pooled *owner_of(const void *ptr) {
    u16 id = __atomic_load_n(&windows[window_of(ptr)], __ATOMIC_ACQUIRE);
    return id ? &pool[id - 1] : thread_heap();
}

// --- Over-aligned blocks (aligned_lock held) --------------------------------------------------

static int owner_add(void *ptr, u32 heap) {
    if (!addrmap_insert(&owners, NULL, (uintptr_t)ptr, heap + 1)) return 0;
    __atomic_store_n(&aligned_count, owners.len, __ATOMIC_RELAXED);
    return 1;
}

static void owner_remove(void *ptr) {
    addrmap_remove(&owners, (uintptr_t)ptr);
    __atomic_store_n(&aligned_count, owners.len, __ATOMIC_RELAXED);
}

// If `ptr` is an over-aligned block, lock aligned_lock and return its aligned[] index + 1; else
// 0 with nothing locked. Blocks are only added by allocations that happened before the free.
static u32 aligned_find_locked(const void *ptr) {
    if (!__atomic_load_n(&aligned_count, __ATOMIC_RELAXED)) return 0;
    pthread_mutex_lock(&aligned_lock);
    u32 k = (u32)addrmap_find(&owners, (uintptr_t)ptr);
    if (!k) pthread_mutex_unlock(&aligned_lock);
    return k;
}

// --- Allocation -------------------------------------------------------------------------------

static void *allocate_in(Pooled *from, size bytes, i8 zeroed) {
    pthread_mutex_lock(&from->lock);
    void *ptr = heap_allocator_allocate(&from->heap, bytes, zeroed);
    if (ptr) mark(from, ptr, bytes);
    pthread_mutex_unlock(&from->lock);
    return ptr;
}

static void *allocate_aligned(size bytes, size alignment, i8 zeroed) {
    u32 k = (u32)__builtin_ctzll((unsigned long long)alignment) - (MIN_ALIGN_LOG + 1);
    if (k >= ALIGNED_HEAPS) return NULL;
    pthread_mutex_lock(&aligned_lock);
    void *ptr = heap_allocator_allocate(&aligned[k], bytes, zeroed);
    if (ptr && !owner_add(ptr, k)) {
        heap_allocator_deallocate(&aligned[k], ptr);
        ptr = NULL;
    }
    pthread_mutex_unlock(&aligned_lock);
    return ptr;
}

// Allocate `bytes` aligned to `alignment` (a power of two); NULL and ENOMEM on failure.
static void *allocate(size bytes, size alignment, i8 zeroed) {
    if (!bytes) bytes = 1; // malloc(0) returns a unique pointer
    if (!enter()) return bootstrap_take(bytes, alignment);
    void *ptr;
    if (alignment > 16) ptr = allocate_aligned(bytes, alignment, zeroed);
    else if (bytes <= HEAP_SMALL_MAX) ptr = allocate_in(thread_heap(), bytes, zeroed);
    else ptr = allocate_in(&pool[SHARED_HEAP], bytes, zeroed);
    leave();
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
    if (!enter()) return; // re-entered from the fatal path: leak rather than deadlock
    u32 k1 = aligned_find_locked(ptr);
    if (k1) {
        owner_remove(ptr);
        heap_allocator_deallocate(&aligned[k1 - 1], ptr);
        pthread_mutex_unlock(&aligned_lock);
    } else {
        Pooled *owner = owner_of(ptr);
        pthread_mutex_lock(&owner->lock);
        heap_allocator_deallocate(&owner->heap, ptr);
        pthread_mutex_unlock(&owner->lock);
    }
    leave();
}

// --- realloc ----------------------------------------------------------------------------------

// realloc of a heap block re-entered from the fatal path (dlopen of libgcc_s grows its tables):
// copy into bootstrap memory and leave the old block alone. Reads the owner's heap without its
// lock: this thread may hold it already; the process is about to abort.
static void *realloc_reentered(void *ptr, size bytes) {
    Pooled *owner = owner_of(ptr);
    size    old   = HeapAllocatorUsableSize(&owner->heap, ptr);
    void   *moved = bootstrap_take(bytes, 16);
    if (moved) memcpy(moved, ptr, old < bytes ? old : bytes);
    return moved;
}

static void *realloc_aligned(u32 k1, void *ptr, size bytes) { // aligned_lock held
    void *moved = heap_allocator_remap(&aligned[k1 - 1], ptr, bytes);
    if (moved && moved != ptr) {
        owner_remove(ptr);
        owner_add(moved, k1 - 1); // cannot fail: an entry was just removed
    }
    pthread_mutex_unlock(&aligned_lock);
    return moved;
}

// A block of a thread heap that must grow past HEAP_SMALL_MAX moves to the shared heap.
static void *realloc_to_shared(Pooled *owner, void *ptr, size bytes) {
    void *moved = allocate_in(&pool[SHARED_HEAP], bytes, 0);
    if (!moved) return NULL;
    pthread_mutex_lock(&owner->lock);
    memcpy(moved, ptr, HeapAllocatorUsableSize(&owner->heap, ptr));
    heap_allocator_deallocate(&owner->heap, ptr);
    pthread_mutex_unlock(&owner->lock);
    return moved;
}

static void *realloc_in(Pooled *owner, void *ptr, size bytes) {
    if (owner != &pool[SHARED_HEAP] && bytes > HEAP_SMALL_MAX) {
        pthread_mutex_lock(&owner->lock);
        (void)HeapAllocatorUsableSize(&owner->heap, ptr); // aborts on a bad pointer, naming it
        pthread_mutex_unlock(&owner->lock);
        return realloc_to_shared(owner, ptr, bytes);
    }
    pthread_mutex_lock(&owner->lock);
    void *moved = heap_allocator_remap(&owner->heap, ptr, bytes); // a small block stays small
    if (moved) mark(owner, moved, bytes);
    pthread_mutex_unlock(&owner->lock);
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
    if (!enter()) return realloc_reentered(ptr, bytes);
    u32   k1    = aligned_find_locked(ptr);
    void *moved = k1 ? realloc_aligned(k1, ptr, bytes)
                                    : realloc_in(owner_of(ptr), ptr, bytes);
    leave();
    if (!moved) errno = ENOMEM;
    return moved;
}

// --- Queries and the aligned family -----------------------------------------------------------

size_t malloc_usable_size(void *ptr) {
    if (!ptr) return 0;
    if (from_bootstrap(ptr)) return bootstrap_room(ptr);
    if (!enter()) return 0;
    u32    k1 = aligned_find_locked(ptr);
    size_t n;
    if (k1) {
        n = HeapAllocatorUsableSize(&aligned[k1 - 1], ptr);
        pthread_mutex_unlock(&aligned_lock);
    } else {
        Pooled *owner = owner_of(ptr);
        pthread_mutex_lock(&owner->lock);
        n = HeapAllocatorUsableSize(&owner->heap, ptr);
        pthread_mutex_unlock(&owner->lock);
    }
    leave();
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
