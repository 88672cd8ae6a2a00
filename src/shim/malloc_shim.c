// SPDX-License-Identifier: MIT
// liballoc-malloc.so: the C library's malloc family (malloc, free, calloc, realloc, reallocarray
// through realloc, posix_memalign, aligned_alloc, memalign, valloc, pvalloc, malloc_usable_size)
// on HeapAllocator, for LD_PRELOAD. One heap per alignment (16 for plain malloc), all behind one
// mutex; a shim-owned table says which aligned heap a pointer came from. It never calls malloc:
// a call that re-enters it from the same thread (backtrace() on the fatal path loading libgcc_s)
// is served from a static bootstrap buffer. Misuse (free of a foreign pointer, double free) stops
// the program with the heap's fatal line, e.g. "alloc: fatal: heap_allocator_deallocate: ...".
#include "alloc/Heap.h"
#include "internal.h" // alloc_os_map, alloc_os_unmap, alloc_os_page_size

#include <errno.h>   // ENOMEM, EINVAL
#include <pthread.h> // pthread_mutex_t, pthread_atfork
#include <string.h>  // memcpy

// The symbols this file defines (glibc declares them in <stdlib.h> and <malloc.h>; declared here
// so the file depends on no header's feature macros).
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

enum {
    MIN_ALIGN_LOG = 4,  // plain malloc: 16 bytes
    MAX_ALIGN_LOG = 26, // aligned requests up to 64 MiB
    HEAPS         = MAX_ALIGN_LOG - MIN_ALIGN_LOG + 1,
};

// heaps[0] serves every request aligned to at most 16; heaps[k] those aligned to 2^(4+k).
static HeapAllocator   heaps[HEAPS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int             ready; // heaps initialised and the fork handlers registered

// Blocks of the aligned heaps: open addressing (linear probing) from address to heap index + 1,
// in memory mapped from the OS. Empty slot: ptr == NULL.
typedef struct Owner {
    void *ptr;
    u32   heap;
} Owner;
static Owner *owners;
static size   owners_cap; // slots, power of two; 0 while unmapped
static size   owners_len; // slots used

// Depth of shim calls on this thread: non-zero means a call re-entered the shim (from the fatal
// path's backtrace) and must not take the lock again. initial-exec: reading it never allocates.
static _Thread_local __attribute__((tls_model("initial-exec"))) int depth;

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

// --- Locking ----------------------------------------------------------------------------------

static void fork_prepare(void) { pthread_mutex_lock(&lock); }
static void fork_release(void) { pthread_mutex_unlock(&lock); }

// Initialise under the lock (caller holds it). pthread_atfork may allocate: that call re-enters
// with depth set and is served from the bootstrap buffer.
static void init_locked(void) {
    for (int k = 0; k < HEAPS; ++k) heaps[k] = HeapAllocatorInitAligned((size)1 << (MIN_ALIGN_LOG + k));
    ready = 1;
    pthread_atfork(fork_prepare, fork_release, fork_release);
}

// Enter the shim: returns 0 when this call re-entered it (use the bootstrap buffer instead).
static int enter(void) {
    if (depth) return 0;
    depth = 1;
    pthread_mutex_lock(&lock);
    if (ALLOC_UNLIKELY(!ready)) init_locked();
    return 1;
}

static void leave(void) {
    pthread_mutex_unlock(&lock);
    depth = 0;
}

// --- Owner table (lock held) ------------------------------------------------------------------

static size owner_slot(const void *ptr) {
    uintptr_t h = (uintptr_t)ptr >> 4;
    h ^= h >> 17;
    h *= (uintptr_t)0x9E3779B97F4A7C15ULL;
    return (size)(h >> 7) & (owners_cap - 1);
}

static int owners_grow(void) {
    size   cap   = owners_cap ? owners_cap * 2 : 1024;
    Owner *table = alloc_os_map(NULL, cap * sizeof(Owner));
    if (!table) return 0;
    Owner *old = owners;
    size   n   = owners_cap;
    owners     = table;
    owners_cap = cap;
    for (size i = 0; i < n; ++i) {
        if (!old[i].ptr) continue;
        size s = owner_slot(old[i].ptr);
        while (owners[s].ptr) s = (s + 1) & (cap - 1);
        owners[s] = old[i];
    }
    if (old) alloc_os_unmap(NULL, old, n * sizeof(Owner));
    return 1;
}

static int owner_add(void *ptr, u32 heap) {
    if ((owners_len + 1) * 2 > owners_cap && !owners_grow()) return 0;
    size s = owner_slot(ptr);
    while (owners[s].ptr) s = (s + 1) & (owners_cap - 1);
    owners[s] = (Owner){ptr, heap};
    owners_len++;
    return 1;
}

// Index of `ptr`'s slot, or owners_cap when absent.
static size owner_find(const void *ptr) {
    if (!owners_len) return owners_cap;
    size s = owner_slot(ptr);
    while (owners[s].ptr) {
        if (owners[s].ptr == ptr) return s;
        s = (s + 1) & (owners_cap - 1);
    }
    return owners_cap;
}

// Remove slot `s`, shifting later members of its cluster back (no tombstones).
static void owner_remove(size s) {
    size mask = owners_cap - 1;
    owners[s].ptr = NULL;
    owners_len--;
    for (size i = (s + 1) & mask; owners[i].ptr; i = (i + 1) & mask) {
        size home = owner_slot(owners[i].ptr);
        // Move the entry at i into the hole s unless its home lies cyclically in (s, i].
        if (((i - home) & mask) >= ((i - s) & mask)) {
            owners[s]     = owners[i];
            owners[i].ptr = NULL;
            s             = i;
        }
    }
}

// The heap that owns `ptr` (a live block, or the heap that will diagnose it): an aligned heap if
// the table knows it, else the plain one. *slot is the table slot or owners_cap.
static HeapAllocator *owner_of(const void *ptr, size *slot) {
    *slot = owner_find(ptr);
    return *slot < owners_cap ? &heaps[owners[*slot].heap] : &heaps[0];
}

// --- The malloc family ------------------------------------------------------------------------

// Allocate `bytes` aligned to `alignment` (a power of two); NULL on failure.
static void *allocate(size bytes, size alignment, i8 zeroed) {
    if (!bytes) bytes = 1; // malloc(0) returns a unique pointer
    if (!enter()) return bootstrap_take(bytes, alignment);
    void *ptr;
    if (alignment <= 16) {
        ptr = heap_allocator_allocate(&heaps[0], bytes, zeroed);
    } else {
        u32 k = (u32)__builtin_ctzll((unsigned long long)alignment) - MIN_ALIGN_LOG;
        ptr   = k < HEAPS ? heap_allocator_allocate(&heaps[k], bytes, zeroed) : NULL;
        if (ptr && !owner_add(ptr, k)) {
            heap_allocator_deallocate(&heaps[k], ptr);
            ptr = NULL;
        }
    }
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
    size           slot;
    HeapAllocator *heap = owner_of(ptr, &slot);
    if (slot < owners_cap) owner_remove(slot);
    heap_allocator_deallocate(heap, ptr);
    leave();
}

// Usable bytes of a bootstrap block: up to the end of what was handed out (an upper bound).
static size bootstrap_room(const void *ptr) {
    return bootstrap_used - (size)((const char *)ptr - bootstrap);
}

// realloc of a heap block re-entered from the fatal path (dlopen of libgcc_s grows its tables):
// this thread already holds the lock, so the heap may be read; copy into bootstrap memory and
// leave the old block alone.
static void *realloc_reentered(void *ptr, size bytes) {
    size  slot;
    size  old   = HeapAllocatorUsableSize(owner_of(ptr, &slot), ptr);
    void *moved = bootstrap_take(bytes, 16);
    if (moved) memcpy(moved, ptr, old < bytes ? old : bytes);
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
    size           slot;
    HeapAllocator *heap  = owner_of(ptr, &slot);
    void          *moved = heap_allocator_remap(heap, ptr, bytes);
    if (moved && moved != ptr && slot < owners_cap) {
        u32 k = owners[slot].heap;
        owner_remove(slot);
        if (!owner_add(moved, k)) { // cannot fail: a slot was just freed
            heap_allocator_deallocate(heap, moved);
            moved = NULL;
        }
    }
    leave();
    if (!moved) errno = ENOMEM;
    return moved;
}

size_t malloc_usable_size(void *ptr) {
    if (!ptr) return 0;
    if (from_bootstrap(ptr)) return bootstrap_room(ptr);
    if (!enter()) return 0;
    size  slot;
    size_t n = HeapAllocatorUsableSize(owner_of(ptr, &slot), ptr);
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

// glibc's memalign rounds a non-power-of-two alignment up; do the same.
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
