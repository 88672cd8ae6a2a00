// SPDX-License-Identifier: MIT
// The OS layer: the only code in the library that asks the operating system for memory.
// mmap/munmap/mremap/mprotect/madvise on POSIX, VirtualAlloc/VirtualFree/VirtualProtect on
// Windows. Every mapping is charged to its owner's `footprint_bytes`.
#include "internal.h"

#ifdef _WIN32
#include <windows.h> // VirtualAlloc, VirtualFree, VirtualProtect, GetSystemInfo
#else
#include <sys/mman.h> // mmap, munmap, mremap, mprotect, madvise
#include <unistd.h>   // sysconf
#endif

// Test builds only (-DALLOC_FAULT_INJECTION): make chosen mapping calls fail, and keep a balance
// of bytes mapped. The production library has neither the hooks nor their global state.
#ifdef ALLOC_FAULT_INJECTION
#define ALLOC_FAULT_INJECTION_IMPLEMENT
#include "fault_injection.h" // alloc_fault_should_fail, alloc_fault_account
#define FAULT_FAILS()              alloc_fault_should_fail()
#define FAULT_ACCOUNT(bytes, sign) alloc_fault_account((bytes), (sign))
#else
#define FAULT_FAILS()              false
#define FAULT_ACCOUNT(bytes, sign) ((void)0)
#endif

static void charge(Allocator *owner, size bytes) {
    FAULT_ACCOUNT(bytes, +1);
    if (owner) owner->footprint_bytes += bytes;
}

static void refund(Allocator *owner, size bytes) {
    FAULT_ACCOUNT(bytes, -1);
    ALLOC_ASSERT(!owner || owner->footprint_bytes >= bytes);
    if (owner) owner->footprint_bytes -= bytes;
}

// The precondition of every call below: page-aligned start (NULL: not checked), whole pages.
static inline bool whole_pages(const void *ptr, size bytes) {
    size page = alloc_os_page_size();
    return bytes % page == 0 && alloc_is_aligned(ptr, page);
}

#ifdef _WIN32

size alloc_os_page_size(void) {
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    return (size)info.dwPageSize;
}

static void *os_reserve(size bytes) {
    return VirtualAlloc(NULL, bytes, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
}

static void os_release(void *ptr, size bytes) {
    (void)bytes;
    VirtualFree(ptr, 0, MEM_RELEASE);
}

void *alloc_os_remap(Allocator *owner, void *ptr, size old_bytes, size new_bytes, bool may_move) {
    // Windows cannot grow a reservation in place; moving is copy + release.
    if (!may_move || new_bytes == old_bytes) return new_bytes == old_bytes ? ptr : NULL;
    void *moved = alloc_os_map(owner, new_bytes);
    if (!moved) return NULL;
    memcpy(moved, ptr, old_bytes < new_bytes ? old_bytes : new_bytes);
    alloc_os_unmap(owner, ptr, old_bytes);
    return moved;
}

bool alloc_os_protect(void *ptr, size bytes, int prot) {
    DWORD flags = prot == ALLOC_PROT_NONE ? PAGE_NOACCESS
                : (prot & ALLOC_PROT_WRITE) ? PAGE_READWRITE : PAGE_READONLY;
    DWORD old;
    return VirtualProtect(ptr, bytes, flags, &old) != 0;
}

void alloc_os_discard(void *ptr, size bytes) {
    VirtualAlloc(ptr, bytes, MEM_RESET, PAGE_READWRITE);
}

void alloc_os_advise_huge(void *ptr, size bytes) { (void)ptr, (void)bytes; }

void *alloc_os_map_aligned(Allocator *owner, size bytes, size alignment) {
    if (FAULT_FAILS()) return NULL;
    // Reserve a larger range, find the aligned spot, then re-reserve exactly there.
    for (int attempt = 0; attempt < 8; ++attempt) {
        char *probe = VirtualAlloc(NULL, bytes + alignment, MEM_RESERVE, PAGE_NOACCESS);
        if (!probe) return NULL;
        uintptr_t aligned = ((uintptr_t)probe + alignment - 1) & ~(uintptr_t)(alignment - 1);
        VirtualFree(probe, 0, MEM_RELEASE);
        void *ptr = VirtualAlloc((void *)aligned, bytes, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
        if (ptr) {
            charge(owner, bytes);
            return ptr;
        }
    }
    return NULL;
}

#else

size alloc_os_page_size(void) {
    long page = sysconf(_SC_PAGESIZE);
    return page > 0 ? (size)page : 4096;
}

static void *os_reserve(size bytes) {
    void *ptr = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return ptr == MAP_FAILED ? NULL : ptr;
}

static void os_release(void *ptr, size bytes) { munmap(ptr, bytes); }

void *alloc_os_remap(Allocator *owner, void *ptr, size old_bytes, size new_bytes, bool may_move) {
    ALLOC_ASSERT(whole_pages(ptr, old_bytes) && whole_pages(NULL, new_bytes));
    if (new_bytes == old_bytes) return ptr;
    if (new_bytes < old_bytes) {
        os_release((char *)ptr + new_bytes, old_bytes - new_bytes);
        refund(owner, old_bytes - new_bytes);
        return ptr;
    }
    if (FAULT_FAILS()) return NULL;
#if defined(__linux__)
    void *moved = mremap(ptr, old_bytes, new_bytes, may_move ? MREMAP_MAYMOVE : 0);
    if (moved == MAP_FAILED) return NULL;
#else
    if (!may_move) return NULL;
    void *moved = os_reserve(new_bytes);
    if (!moved) return NULL;
    memcpy(moved, ptr, old_bytes);
    os_release(ptr, old_bytes);
#endif
    charge(owner, new_bytes - old_bytes);
    return moved;
}

bool alloc_os_protect(void *ptr, size bytes, int prot) {
    ALLOC_ASSERT(whole_pages(ptr, bytes));
    int flags = PROT_NONE;
    if (prot & ALLOC_PROT_READ) flags |= PROT_READ;
    if (prot & ALLOC_PROT_WRITE) flags |= PROT_READ | PROT_WRITE;
    return mprotect(ptr, bytes, flags) == 0;
}

void alloc_os_discard(void *ptr, size bytes) {
    ALLOC_ASSERT(whole_pages(ptr, bytes));
#if defined(__linux__)
    madvise(ptr, bytes, MADV_DONTNEED);
#else
    memset(ptr, 0, bytes);
#endif
}

void alloc_os_advise_huge(void *ptr, size bytes) {
    ALLOC_ASSERT(whole_pages(ptr, bytes));
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    madvise(ptr, bytes, MADV_HUGEPAGE);
#else
    (void)ptr, (void)bytes;
#endif
}

void *alloc_os_map_aligned(Allocator *owner, size bytes, size alignment) {
    size page = alloc_os_page_size();
    ALLOC_ASSERT(alloc_is_power_of_two(alignment));
    if (alignment <= page) return alloc_os_map(owner, bytes);
    if (bytes + alignment < bytes || FAULT_FAILS()) return NULL;
    // Over-map by `alignment`, then trim the unaligned head and the tail:
    // [ head | aligned block of `bytes` | tail ] => [ aligned block ]
    char *raw = os_reserve(bytes + alignment);
    if (!raw) return NULL;
    uintptr_t start = ((uintptr_t)raw + alignment - 1) & ~(uintptr_t)(alignment - 1);
    size      head  = (size)(start - (uintptr_t)raw);
    size      tail  = alignment - head;
    if (head) os_release(raw, head);
    if (tail) os_release((char *)start + bytes, tail);
    charge(owner, bytes);
    return (void *)start;
}

#endif

void *alloc_os_map(Allocator *owner, size bytes) {
    ALLOC_ASSERT(bytes != 0 && whole_pages(NULL, bytes));
    if (FAULT_FAILS()) return NULL;
    void *ptr = os_reserve(bytes);
    if (ptr) charge(owner, bytes);
    return ptr;
}

void alloc_os_unmap(Allocator *owner, void *ptr, size bytes) {
    if (!ptr) return;
    ALLOC_ASSERT(whole_pages(ptr, bytes));
    os_release(ptr, bytes);
    refund(owner, bytes);
}

bool alloc_os_grow(Allocator *owner, void **table, size *bytes, size need) {
    if (need <= *bytes) return true;
    size doubled = *bytes * 2 < *bytes ? 0 : *bytes * 2;
    size want    = alloc_align_up(need > doubled ? need : doubled, alloc_os_page_size());
    if (!want) return false;
    void *grown = *table ? alloc_os_remap(owner, *table, *bytes, want, true) : alloc_os_map(owner, want);
    if (!grown) return false;
    *table = grown;
    *bytes = want;
    return true;
}
