// SPDX-License-Identifier: MIT
// PageAllocator: every block is its own mapping of whole pages. Two out-of-band tables, mapped
// here with the OS layer: live blocks sorted by address (binary search finds a pointer and tells
// foreign, interior and misaligned pointers apart) and retained blocks sorted by size (a freed
// block kept mapped, reused for the same page-rounded size). Entry points: page_allocator_*,
// PageAllocatorDeinit/Check/PageSize and PageProtect.
#include "alloc/Page.h"
#include "internal.h"
#include "runs.h"
#include "sanitizer.h"

#include <stddef.h> // offsetof
#include <stdint.h> // uintptr_t, UINT32_MAX
#include <string.h> // memmove, memcpy, memset

_Static_assert(offsetof(PageAllocator, base) == 0, "PageAllocator must start with its Allocator");
_Static_assert((PAGE_ALLOCATOR_RETAIN_BLOCK_MAX_BYTES & (PAGE_ALLOCATOR_RETAIN_BLOCK_MAX_BYTES - 1)) == 0,
               "the per-block retention bound is a power of two");
_Static_assert(PAGE_ALLOCATOR_RETAIN_BLOCK_MAX_BYTES <= PAGE_ALLOCATOR_RETAIN_MAX_BYTES,
               "a retained block must fit in the retention bound");

#define TYPE_NAME "PageAllocator"

static inline Allocator *base_of(PageAllocator *self) { return (Allocator *)self; }

static inline void check_header(const PageAllocator *self, const char *function) {
    alloc_check_header((const Allocator *)self, PAGE_ALLOCATOR_MAGIC, TYPE_NAME, function);
}

// --- Sizes ------------------------------------------------------------------------------------

static inline size page_size_of(PageAllocator *self) {
    if (ALLOC_UNLIKELY(!self->cached_page_size)) self->cached_page_size = alloc_os_page_size();
    return self->cached_page_size;
}

// Every block starts on this boundary: the page size or the allocator's alignment if larger.
static inline size block_alignment(size page, size alignment) {
    return alignment > page ? alignment : page;
}

// `bytes` rounded up to whole pages; 0 when that overflows.
static inline size round_to_pages(PageAllocator *self, size bytes) {
    return alloc_align_up(bytes, page_size_of(self));
}

// --- Tables -----------------------------------------------------------------------------------
// Both tables are the library's page-run tables (runs.h) in their own mapping, grown by doubling
// the mapping (mremap on Linux, so growth copies nothing). The row counts are u32 (seed layout).

static bool table_reserve(PageAllocator *self, PageEntry **rows, u32 len, u32 *cap, size *mapped) {
    if (ALLOC_LIKELY(len < *cap)) return true;
    if (!runs_reserve(base_of(self), rows, mapped, len)) return false;
    size rows_mapped = *mapped / sizeof(PageEntry);
    *cap             = rows_mapped > UINT32_MAX ? UINT32_MAX : (u32)rows_mapped;
    return len < *cap;
}

// A row for the block [ptr, ptr + bytes): its whole mapping.
static PageEntry row_of(void *ptr, size bytes) { return (PageEntry){ptr, bytes, bytes}; }

// Open a hole at `at`: [ a | b | c ] => [ a | _ | b | c ]
static void rows_insert(PageEntry *rows, u32 *len, u32 at, void *ptr, size bytes) {
    runs_insert(rows, *len, at, row_of(ptr, bytes));
    *len += 1;
}

// Close the hole at `at`: [ a | b | c ] => [ a | c ]
static void rows_remove(PageEntry *rows, u32 *len, u32 at) {
    runs_erase(rows, *len, at);
    *len -= 1;
}

// Index of the first live row that starts above `address` (upper bound by address).
static u32 live_upper(const PageAllocator *self, uintptr_t address) {
    return (u32)runs_upper(self->entries, self->len, address);
}

// Index of the first retained row larger than `bytes` (upper bound by size).
static u32 retained_upper(const PageAllocator *self, size bytes) {
    return (u32)runs_upper_by_size(self->free_entries, self->free_len, bytes);
}

// The caller has reserved a row.
static void live_insert(PageAllocator *self, void *ptr, size bytes) {
    rows_insert(self->entries, &self->len, live_upper(self, (uintptr_t)ptr), ptr, bytes);
}

// --- Pointer validation -----------------------------------------------------------------------

// `ptr` is not the start of a live block: say what it is, in the words of the contract.
static _Noreturn void reject_pointer(const PageAllocator *self, const void *ptr, u32 upper,
                                     const char *function) {
    uintptr_t address = (uintptr_t)ptr;
    if (upper > 0) {
        const PageEntry *below  = &self->entries[upper - 1];
        uintptr_t        offset = address - (uintptr_t)below->ptr;
        if (offset < below->bytes) {
            bool aligned = (offset & (self->base.alignment - 1)) == 0;
            AllocFatal(function, aligned ? "interior pointer" : "misaligned pointer", ptr);
        }
    }
    for (u32 i = 0; i < self->free_len; ++i)
        if (self->free_entries[i].ptr == ptr) AllocFatal(function, "double free", ptr);
    AllocFatal(function, "foreign pointer", ptr);
}

// Row of the live block that starts at `ptr`, or abort naming `function`.
static inline u32 live_find(const PageAllocator *self, const void *ptr, const char *function) {
    u32 upper = live_upper(self, (uintptr_t)ptr);
    if (ALLOC_UNLIKELY(upper == 0 || self->entries[upper - 1].ptr != ptr))
        reject_pointer(self, ptr, upper, function);
    return upper - 1;
}

// --- Blocks -----------------------------------------------------------------------------------

static void zero_block(void *ptr, size bytes) {
    if (bytes <= PAGE_ALLOCATOR_MEMSET_MAX_BYTES) memset(ptr, 0, bytes);
    else alloc_os_discard(ptr, bytes);
}

// A retained block of exactly `bytes`, taken out of the retained table; NULL if none. Among
// equal sizes the last row is the most recently freed one (LIFO: its pages are warm).
static void *retained_take(PageAllocator *self, size bytes, i8 zeroed) {
    u32 at = (u32)runs_fit(self->free_entries, self->free_len, bytes, 1); // exact size only
    if (at == self->free_len) return NULL;
    void *ptr = self->free_entries[at].ptr;
    rows_remove(self->free_entries, &self->free_len, at);
    alloc_sanitize_allocated(self, ptr, bytes, zeroed != 0);
    if (zeroed) zero_block(ptr, bytes);
    return ptr;
}

static void *map_block(PageAllocator *self, size bytes) {
    size alignment = self->base.alignment;
    if (alignment > page_size_of(self)) return alloc_os_map_aligned(base_of(self), bytes, alignment);
    return alloc_os_map(base_of(self), bytes);
}

// A block of `bytes` (page-rounded) recorded in the live table; NULL when out of memory. Stats
// are the caller's.
static void *block_acquire(PageAllocator *self, size bytes, i8 zeroed) {
    if (!table_reserve(self, &self->entries, self->len, &self->cap, &self->entries_bytes))
        return NULL;
    void *ptr = retained_take(self, bytes, zeroed);
    if (!ptr) {
        ptr = map_block(self, bytes); // fresh mappings read as zero
        if (ptr) alloc_sanitize_allocated(self, ptr, bytes, true);
    }
    if (ptr) live_insert(self, ptr, bytes);
    return ptr;
}

// Bytes retained now, from the footprint identity
//   footprint = live + retained + tables, live = bytes_in_use + `uncounted`,
// where `uncounted` is live memory not yet in the statistics (a remap's new block).
static size retained_bytes(const PageAllocator *self, size uncounted) {
    return self->base.footprint_bytes - self->entries_bytes - self->free_entries_bytes -
           self->base.stats.bytes_in_use - uncounted;
}

// A block already out of the live table (still counted in bytes_in_use): keep it for reuse if
// the retention bounds allow, else unmap it.
static void block_retire(PageAllocator *self, void *ptr, size bytes, size uncounted) {
    alloc_sanitize_freed(self, ptr, bytes);
    size retained = retained_bytes(self, uncounted);
    if (bytes <= PAGE_ALLOCATOR_RETAIN_BLOCK_MAX_BYTES &&
        bytes <= PAGE_ALLOCATOR_RETAIN_MAX_BYTES - retained &&
        table_reserve(self, &self->free_entries, self->free_len, &self->free_cap,
                      &self->free_entries_bytes)) {
        rows_insert(self->free_entries, &self->free_len, retained_upper(self, bytes), ptr, bytes);
        return;
    }
    alloc_sanitize_region_unmapping(self, ptr, bytes);
    alloc_os_unmap(base_of(self), ptr, bytes);
}

// Release the live block in row `at`; returns its effective size. Stats are the caller's.
static size block_release(PageAllocator *self, u32 at) {
    PageEntry block = self->entries[at];
    rows_remove(self->entries, &self->len, at);
    block_retire(self, block.ptr, block.bytes, 0);
    return block.bytes;
}

// Grow a block whose alignment mremap would not keep: a new block, a copy, the old one freed.
static void *block_move(PageAllocator *self, void *ptr, size old_bytes, size new_bytes) {
    void *fresh = block_acquire(self, new_bytes, 0);
    if (!fresh) return NULL;
    memcpy(fresh, ptr, old_bytes < new_bytes ? old_bytes : new_bytes);
    rows_remove(self->entries, &self->len, live_upper(self, (uintptr_t)ptr) - 1);
    block_retire(self, ptr, old_bytes, new_bytes);
    return fresh;
}

// Give the live block in row `at` the page-rounded size `new_bytes`, moving it only when
// `may_move`; returns its address, or NULL with the block untouched.
static void *block_remap(PageAllocator *self, u32 at, size new_bytes, bool may_move) {
    PageEntry block = self->entries[at];
    if (new_bytes == block.bytes) return block.ptr;
    // mremap keeps page alignment only: above it, move by copy instead.
    bool  kernel_may_move = may_move && self->base.alignment <= page_size_of(self);
    void *moved = alloc_os_remap(base_of(self), block.ptr, block.bytes, new_bytes, kernel_may_move);
    if (!moved) return may_move && !kernel_may_move ? block_move(self, block.ptr, block.bytes, new_bytes)
                                                    : NULL;
    if (moved == block.ptr) {
        alloc_sanitize_resized(self, moved, block.bytes, new_bytes);
        if (new_bytes < block.bytes) // the tail was unmapped
            alloc_sanitize_region_unmapping(self, (char *)moved + new_bytes, block.bytes - new_bytes);
        self->entries[at] = row_of(moved, new_bytes);
    } else { // the kernel moved it: re-sort the row
        alloc_sanitize_moved(self, block.ptr, moved, new_bytes);
        rows_remove(self->entries, &self->len, at);
        live_insert(self, moved, new_bytes);
    }
    return moved;
}

// --- The vtable -------------------------------------------------------------------------------

// The bodies of the four entries, on a header already checked: the typed functions check it in
// full first; the vtable entries are reached through the dynamic path, which has validated the
// header (a known magic, the slot's function, the alignment), and compare only the magic, the one
// thing it leaves open (a foreign implementation may borrow this vtable): validated once, not
// again per layer. A mismatch gets the full check and its diagnostic.
static void *allocate_checked(PageAllocator *self, size bytes, i8 zeroed) {
    if (ALLOC_UNLIKELY(bytes == 0)) return NULL;
    size  rounded = round_to_pages(self, bytes);
    void *ptr     = rounded ? block_acquire(self, rounded, zeroed) : NULL;
    if (ALLOC_UNLIKELY(!ptr)) {
        alloc_stats_failed(base_of(self));
        return NULL;
    }
    alloc_stats_allocated(base_of(self), bytes, rounded);
    return ptr;
}

static i8 resize_checked(PageAllocator *self, void *ptr, size new_size) {
    if (!ptr) return 0;
    u32  at      = live_find(self, ptr, "page_allocator_resize");
    size old     = self->entries[at].bytes;
    size rounded = new_size ? round_to_pages(self, new_size) : 0;
    if (!rounded || !block_remap(self, at, rounded, false)) return 0;
    alloc_stats_reallocated(base_of(self), new_size, old, rounded);
    return 1;
}

static void *remap_checked(PageAllocator *self, void *ptr, size new_size) {
    if (!ptr) return allocate_checked(self, new_size, 1);
    u32 at = live_find(self, ptr, "page_allocator_remap");
    if (!new_size) {
        alloc_stats_deallocated(base_of(self), block_release(self, at));
        return NULL;
    }
    size  old     = self->entries[at].bytes;
    size  rounded = round_to_pages(self, new_size);
    void *moved   = rounded ? block_remap(self, at, rounded, true) : NULL;
    if (!moved) {
        alloc_stats_failed(base_of(self));
        return NULL;
    }
    alloc_stats_reallocated(base_of(self), new_size, old, rounded);
    return moved;
}

static size deallocate_checked(PageAllocator *self, void *ptr) {
    if (!ptr) return 0;
    u32  at    = live_find(self, ptr, "page_allocator_deallocate");
    size bytes = block_release(self, at);
    alloc_stats_deallocated(base_of(self), bytes);
    return bytes;
}

void *page_allocator_allocate(PageAllocator *self, size bytes, i8 zeroed) {
    ALLOC_CHECK_ON_RETURN(self);
    check_header(self, "page_allocator_allocate");
    return allocate_checked(self, bytes, zeroed);
}

i8 page_allocator_resize(PageAllocator *self, void *ptr, size new_size) {
    ALLOC_CHECK_ON_RETURN(self);
    check_header(self, "page_allocator_resize");
    return resize_checked(self, ptr, new_size);
}

void *page_allocator_remap(PageAllocator *self, void *ptr, size new_size) {
    ALLOC_CHECK_ON_RETURN(self);
    check_header(self, "page_allocator_remap");
    return remap_checked(self, ptr, new_size);
}

size page_allocator_deallocate(PageAllocator *self, void *ptr) {
    ALLOC_CHECK_ON_RETURN(self);
    check_header(self, "page_allocator_deallocate");
    return deallocate_checked(self, ptr);
}

// The vtable entries' check: the magic, else the full check naming the typed function (as before).
static inline PageAllocator *vtable_self(Allocator *self, const char *function) {
    PageAllocator *page = (PageAllocator *)self;
    if (ALLOC_UNLIKELY(!self || self->magic != PAGE_ALLOCATOR_MAGIC)) check_header(page, function);
    return page;
}

void *page_allocator_vtable_allocate(Allocator *self, size bytes, i8 zeroed) {
    return allocate_checked(vtable_self(self, "page_allocator_allocate"), bytes, zeroed);
}

i8 page_allocator_vtable_resize(Allocator *self, void *ptr, size new_size) {
    return resize_checked(vtable_self(self, "page_allocator_resize"), ptr, new_size);
}

void *page_allocator_vtable_remap(Allocator *self, void *ptr, size new_size) {
    return remap_checked(vtable_self(self, "page_allocator_remap"), ptr, new_size);
}

size page_allocator_vtable_deallocate(Allocator *self, void *ptr) {
    return deallocate_checked(vtable_self(self, "page_allocator_deallocate"), ptr);
}

// --- Lifecycle and queries --------------------------------------------------------------------

void PageAllocatorDeinit(PageAllocator *self) {
    check_header(self, "PageAllocatorDeinit");
    Allocator *base = base_of(self);
    for (u32 i = 0; i < self->len; ++i) alloc_os_unmap(base, self->entries[i].ptr, self->entries[i].bytes);
    for (u32 i = 0; i < self->free_len; ++i) {
        alloc_sanitize_region_unmapping(self, self->free_entries[i].ptr, self->free_entries[i].bytes);
        alloc_os_unmap(base, self->free_entries[i].ptr, self->free_entries[i].bytes);
    }
    alloc_sanitize_pool_destroy(self);
    alloc_os_unmap(base, self->entries, self->entries_bytes);
    alloc_os_unmap(base, self->free_entries, self->free_entries_bytes);
    memset(self, 0, sizeof *self);
}

size PageAllocatorPageSize(PageAllocator *self) {
    check_header(self, "PageAllocatorPageSize");
    return page_size_of(self);
}

i8 PageProtect(void *ptr, size bytes, PageProtection prot) {
    size page = alloc_os_page_size();
    if (!ptr || !alloc_is_aligned(ptr, page) || bytes == 0) return 0;
    size rounded = alloc_align_up(bytes, page);
    if (!rounded) return 0;
    int flags;
    switch (prot) {
    case PAGE_PROTECT_NONE: flags = ALLOC_PROT_NONE; break;
    case PAGE_PROTECT_READ: flags = ALLOC_PROT_READ; break;
    case PAGE_PROTECT_READ_WRITE: flags = ALLOC_PROT_READ | ALLOC_PROT_WRITE; break;
    default: return 0;
    }
    return alloc_os_protect(ptr, rounded, flags) ? 1 : 0;
}

// --- Self-check -------------------------------------------------------------------------------

static _Noreturn void corrupted(const PageAllocator *self, const char *what) {
    char reason[64] = "corrupted allocator: ";
    strncat(reason, what, sizeof reason - strlen(reason) - 1);
    AllocFatal("PageAllocatorCheck", reason, self);
}

// Pointer, capacity and mapped length of one table agree.
static bool table_is_sane(const PageEntry *rows, u32 len, u32 cap, size mapped, size page) {
    if ((rows == NULL) != (cap == 0) || (rows == NULL) != (mapped == 0)) return false;
    if (len > cap || (size)cap > mapped / sizeof *rows) return false;
    return mapped == 0 || (page && mapped % page == 0);
}

static bool block_is_sane(const PageEntry *block, size page, size alignment) {
    return alloc_is_aligned(block->ptr, block_alignment(page, alignment)) && block->bytes != 0 &&
           block->cap == block->bytes &&
           block->bytes % page == 0;
}

// Sum of the live blocks; aborts unless they are sane, sorted and disjoint.
static size check_live(const PageAllocator *self, size page) {
    size total = 0;
    for (u32 i = 0; i < self->len; ++i) {
        const PageEntry *block = &self->entries[i];
        if (!block_is_sane(block, page, self->base.alignment)) corrupted(self, "live block");
        if (i > 0 && (uintptr_t)block[-1].ptr + block[-1].bytes > (uintptr_t)block->ptr)
            corrupted(self, "live table order");
        total += block->bytes;
    }
    return total;
}

// Sum of the retained blocks; aborts unless they are sane, sorted by size and not live.
static size check_retained(const PageAllocator *self, size page) {
    size total = 0;
    for (u32 i = 0; i < self->free_len; ++i) {
        const PageEntry *block = &self->free_entries[i];
        if (i > 0 && block[-1].bytes > block->bytes) corrupted(self, "retained table order");
        uintptr_t start = (uintptr_t)block->ptr;
        u32       upper = live_upper(self, start + block->bytes - 1);
        bool overlaps   = upper > 0 && (uintptr_t)self->entries[upper - 1].ptr +
                                              self->entries[upper - 1].bytes > start;
        if (!block_is_sane(block, page, self->base.alignment) || overlaps ||
            block->bytes > PAGE_ALLOCATOR_RETAIN_BLOCK_MAX_BYTES)
            corrupted(self, "retained block");
        total += block->bytes;
    }
    return total;
}

void PageAllocatorCheck(const PageAllocator *self) {
    check_header(self, "PageAllocatorCheck");
    size page = self->cached_page_size;
    if (page ? !alloc_is_power_of_two(page) : (self->entries || self->free_entries))
        corrupted(self, "page size");
    if (!table_is_sane(self->entries, self->len, self->cap, self->entries_bytes, page))
        corrupted(self, "live table");
    if (!table_is_sane(self->free_entries, self->free_len, self->free_cap, self->free_entries_bytes, page))
        corrupted(self, "retained table");
    size live     = check_live(self, page);
    size retained = check_retained(self, page);
    if (retained > PAGE_ALLOCATOR_RETAIN_MAX_BYTES) corrupted(self, "retained bytes");
    if (live != self->base.stats.bytes_in_use) corrupted(self, "bytes in use");
    if (live + retained + self->entries_bytes + self->free_entries_bytes != self->base.footprint_bytes)
        corrupted(self, "footprint");
}

PageAllocator page_allocator_init(size_t alignment) {
    return PageAllocatorInitAligned(alignment);
}
