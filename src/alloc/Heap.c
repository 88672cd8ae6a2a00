// SPDX-License-Identifier: MIT
// HeapAllocator, small blocks and the entry points. Requests up to HEAP_SMALL_MAX take a slot of
// a size class from a 64 KiB page of a 4 MiB aligned segment; a page's free slots are a stack of
// offsets, its live slots a bitmap, both out of band. Entry points: heap_allocator_allocate /
// _deallocate (small inline fast paths, named slow paths), _resize, _remap,
// HeapAllocatorUsableSize and the vtable entries. Page runs, the pointer diagnosis, the self-check and teardown: HeapLarge.c.
#include "alloc/Heap.h"
#include "heap_internal.h"
#include "sanitizer.h"

#include <string.h> // memset, memcpy

static const char TYPE_NAME[] = "HeapAllocator";

// Abort unless `self` is a live HeapAllocator: one inline compare on the fast paths; the full
// header check (vtable, alignment) runs on every slow path through check_header_full.
static inline void check_self(const HeapAllocator *self, const char *function) {
    if (ALLOC_UNLIKELY(!self || self->base.magic != HEAP_ALLOCATOR_MAGIC)) {
        alloc_check_header((const Allocator *)self, HEAP_ALLOCATOR_MAGIC, TYPE_NAME, function);
        __builtin_unreachable(); // it aborts on a NULL or foreign magic
    }
}

static inline void check_header_full(const HeapAllocator *self, const char *function) {
    if (ALLOC_UNLIKELY(!alloc_header_ok((const Allocator *)self, HEAP_ALLOCATOR_MAGIC)))
        alloc_check_header((const Allocator *)self, HEAP_ALLOCATOR_MAGIC, TYPE_NAME, function);
}

// --- Page free stacks and live bitmaps ------------------------------------------------------

// Pop the free slot on top of `page`'s stack (it has one: top > 0) and mark it live.
static inline char *page_take(HeapPage *page) {
    u32 top = page->top - 1;
    u32 off = page->stack[top];
    page->top = top;
    page->live[off >> 10] |= (u64)1 << ((off >> 4) & 63);
    return page->base + off;
}

// Offset of `ptr` in `page` if it starts a live slot there, else UINT32_MAX. A live bit is set
// only at the start of a live slot, so the one test rejects a misaligned, interior or freed
// pointer and one in the page's unused tail; (off & 15) catches what the granule index drops.
static inline u32 page_live_slot(const HeapPage *page, const void *ptr) {
    u32  off  = (u32)((uintptr_t)ptr & (HEAP_PAGE_SIZE - 1));
    bool live = ((off & 15) == 0) & (u32)((page->live[off >> 10] >> ((off >> 4) & 63)) & 1);
    return live ? off : UINT32_MAX;
}

// Free the live slot at offset `off`: clear its live bit and push it on the stack.
static inline void page_put(HeapPage *page, u32 off) {
    page->live[off >> 10] &= ~((u64)1 << ((off >> 4) & 63));
    page->stack[page->top++] = (u16)off;
}

// Set `page` up to serve class `c` with every slot free, the lowest offset on top; its slots
// start at the page's colour, a multiple of `unit` (the heap's alignment, at least 16).
static void page_format(HeapPage *page, u32 c, size unit) {
    u32 slot   = heap_class_size(c);
    u32 colour = heap_page_colour((uintptr_t)page->segment->base, page->index, c, slot, unit);
    u32 cap    = (u32)((HEAP_PAGE_SIZE - colour) / slot);
    page->stack = heap_page_stack(page->segment, page->index, cap);
    for (u32 i = 0; i < cap; ++i) page->stack[i] = (u16)(colour + (cap - 1 - i) * slot);
    memset(page->live, 0, sizeof page->live);
    page->top         = cap;
    page->capacity    = cap;
    page->slot_size   = slot;
    page->colour      = (u16)colour;
    page->limit       = cap - 2;
    page->class_index = (u8)c;
}

// --- Class lists (pages with a free slot; the head is the allocation page) -----------------

static void class_push(HeapSizeClass *cls, HeapPage *page) {
    page->prev = NULL;
    page->next = cls->pages;
    if (cls->pages) cls->pages->prev = page;
    cls->pages   = page;
    page->listed = 1;
}

static void class_remove(HeapSizeClass *cls, HeapPage *page) {
    if (page->prev) page->prev->next = page->next;
    else cls->pages = page->next;
    if (page->next) page->next->prev = page->prev;
    page->prev = page->next = NULL;
    page->listed            = 0;
}

// --- Segments ---------------------------------------------------------------------------------

static void segment_list(HeapAllocator *self, HeapSegment *segment) {
    segment->prev = NULL;
    segment->next = self->free_segments;
    if (self->free_segments) self->free_segments->prev = segment;
    self->free_segments = segment;
    segment->listed     = 1;
}

static void segment_unlist(HeapAllocator *self, HeapSegment *segment) {
    if (segment->prev) segment->prev->next = segment->next;
    else self->free_segments = segment->next;
    if (segment->next) segment->next->prev = segment->prev;
    segment->prev = segment->next = NULL;
    segment->listed               = 0;
}

static HeapSegment *segment_new(HeapAllocator *self) {
    if (!addrmap_reserve(&self->segments, &self->base, 1)) return NULL;
    char *base = alloc_os_map_aligned(&self->base, HEAP_SEGMENT_SIZE, HEAP_SEGMENT_SIZE);
    if (!base) return NULL;
    size         desc_bytes = alloc_align_up(sizeof(HeapSegment), heap_os_page(self));
    HeapSegment *segment    = alloc_os_map(&self->base, desc_bytes);
    if (!segment) {
        alloc_os_unmap(&self->base, base, HEAP_SEGMENT_SIZE);
        return NULL;
    }
    alloc_sanitize_region_mapped(self, base, HEAP_SEGMENT_SIZE);
    segment->base       = base;
    segment->desc_bytes = desc_bytes;
    segment->free_pages = ~(u64)0; // page descriptors are set up on first use (page_new)
    addrmap_insert(&self->segments, &self->base, (uintptr_t)base, (uintptr_t)segment); // reserved
    segment_list(self, segment);
    self->empty_segments++;
    return segment;
}

static void segment_free(HeapAllocator *self, HeapSegment *segment) {
    if (self->hot_base == (uintptr_t)segment->base) { // the free fast path must not find it
        self->hot_base    = 1;
        self->hot_segment = NULL;
    }
    for (u64 used = segment->attached; used; used &= used - 1) // only those ever used are dirty
        self->dirty_pages -= segment->pages[__builtin_ctzll(used)].dirty;
    if (segment->listed) segment_unlist(self, segment);
    addrmap_remove(&self->segments, (uintptr_t)segment->base);
    alloc_sanitize_region_unmapping(self, segment->base, HEAP_SEGMENT_SIZE);
    alloc_os_unmap(&self->base, segment->base, HEAP_SEGMENT_SIZE);
    alloc_os_unmap(&self->base, segment, segment->desc_bytes);
}

// A segment with no page in use is kept within heap_empty_segments_max, else unmapped.
static void segment_emptied(HeapAllocator *self, HeapSegment *segment) {
    if (self->empty_segments < heap_empty_segments_max(self)) self->empty_segments++;
    else segment_free(self, segment);
}

// --- Pages ------------------------------------------------------------------------------------

static HeapPage *page_new(HeapAllocator *self, u32 c) {
    HeapSegment *segment = self->free_segments;
    if (!segment && !(segment = segment_new(self))) return NULL;
    u32 i = (u32)__builtin_ctzll(segment->free_pages);
    segment->free_pages &= segment->free_pages - 1;
    if (!segment->free_pages) segment_unlist(self, segment);
    if (segment->used_pages++ == 0) self->empty_segments--;
    if (++self->used_pages > self->peak_pages) self->peak_pages = self->used_pages;
    HeapPage *page = &segment->pages[i];
    if (!((segment->attached >> i) & 1)) {
        segment->attached |= (u64)1 << i;
        page->base    = segment->base + (size)i * HEAP_PAGE_SIZE;
        page->segment = segment;
        page->index   = (u8)i;
    }
    if (page->dirty) {
        page->dirty = 0;
        self->dirty_pages--;
    }
    page_format(page, c, self->base.alignment > 16 ? self->base.alignment : 16);
    return page;
}

// Give unused `page`'s contents back to the OS (it stays mapped). The discard may write the page
// (zeroing off Linux): unpoison it around that.
static void page_discard(HeapAllocator *self, HeapPage *page) {
    alloc_sanitize_region_unmapping(self, page->base, HEAP_PAGE_SIZE);
    alloc_os_discard(page->base, HEAP_PAGE_SIZE);
    alloc_sanitize_region_mapped(self, page->base, HEAP_PAGE_SIZE);
}

// Every segment with an unused page is on the free-segment list: the walk finds them all.
void heap_pages_decay(HeapAllocator *self) {
    self->page_clock = 0;
    self->peak_pages -= (self->peak_pages - self->used_pages) / 4;
    HeapSegment *next;
    for (HeapSegment *segment = self->free_segments; segment; segment = next) {
        next = segment->next;
        for (u64 used = segment->attached; used && self->dirty_pages > heap_dirty_pages_max(self);
             used &= used - 1) {
            HeapPage *page = &segment->pages[__builtin_ctzll(used)];
            if (!page->dirty) continue;
            page->dirty = 0;
            self->dirty_pages--;
            page_discard(self, page);
        }
        if (!segment->used_pages && self->empty_segments > heap_empty_segments_max(self)) {
            self->empty_segments--;
            segment_free(self, segment);
        }
    }
}

// Give an empty page back to its segment; its contents stay within heap_dirty_pages_max.
static void page_release(HeapAllocator *self, HeapPage *page) {
    HeapSegment *segment = page->segment;
    page->capacity       = 0; // slot_size stays: a later free of one of its slots is a double free
    page->top            = 0;
    page->limit          = 0;
    self->used_pages--;
    if (!segment->free_pages) segment_list(self, segment);
    segment->free_pages |= (u64)1 << page->index;
    if (self->dirty_pages < heap_dirty_pages_max(self)) {
        page->dirty = 1;
        self->dirty_pages++;
    } else {
        page_discard(self, page);
    }
    if (--segment->used_pages == 0) segment_emptied(self, segment);
    if (++self->page_clock >= HEAP_PAGE_DECAY_OPS) { // both hystereses (see HeapLarge.c)
        heap_pages_decay(self);
        heap_large_decay(self);
    }
}

// Hysteresis: the class's warm page stays when it empties (on the fast path: its limit is
// capacity - 1);
// another page that empties goes back to the segment if the warm page is empty too, otherwise
// it becomes the warm page. A class never keeps more than one empty page.
static void page_emptied(HeapAllocator *self, HeapSizeClass *cls, HeapPage *page) {
    HeapPage *warm = cls->warm;
    if (warm == page) return;
    if (warm && heap_page_used(warm) == 0) {
        class_remove(cls, page);
        page_release(self, page);
        return;
    }
    if (warm) warm->limit = warm->capacity - 2;
    page->limit = page->capacity - 1;
    cls->warm  = page;
}

// The class's allocation page, after dropping full pages from the list or adding a new page.
static HeapPage *class_page(HeapAllocator *self, u32 c) {
    HeapSizeClass *cls = &self->classes[c];
    HeapPage      *page;
    while ((page = cls->pages) && !page->top) class_remove(cls, page);
    if (page) return page;
    page = page_new(self, c);
    if (page) class_push(cls, page);
    return page;
}

// --- Allocation -------------------------------------------------------------------------------

// The size class for `bytes` under the heap's alignment, or HEAP_CLASS_COUNT for a page run.
static inline u32 small_class(const HeapAllocator *self, size bytes) {
    size align = self->base.alignment;
    if (bytes > HEAP_SMALL_MAX || align > HEAP_SMALL_MAX) return HEAP_CLASS_COUNT;
    if (align <= 16) return heap_class_of(bytes);
    u32 c = heap_class_of(alloc_align_up(bytes, align));
    while (heap_class_size(c) % align) c++; // ends at 8192 at the latest
    return c;
}

// Allocate a block without counting it; `*effective` receives its size.
static inline __attribute__((always_inline)) void *allocate_block(HeapAllocator *self, size bytes,
                                                                   i8 zeroed, size *effective) {
    u32 c = small_class(self, bytes);
    if (c == HEAP_CLASS_COUNT) return heap_large_allocate(self, bytes, zeroed, effective);
    HeapPage *page = self->classes[c].pages; // the warm page when it has a free slot, no call
    if (ALLOC_UNLIKELY(!page || !page->top)) page = class_page(self, c);
    if (!page) return NULL;
    char *ptr  = page_take(page);
    *effective = page->slot_size;
    alloc_sanitize_allocated(self, ptr, page->slot_size, zeroed != 0);
    if (zeroed) memset(ptr, 0, page->slot_size);
    return ptr;
}

// Inline (with allocate_block) into each slow path: one call layer less before a page run.
static inline __attribute__((always_inline)) void *allocate_counted(HeapAllocator *self, size bytes,
                                                                    i8 zeroed) {
    if (bytes == 0) return NULL;
    size  effective = 0;
    void *ptr       = allocate_block(self, bytes, zeroed, &effective);
    if (!ptr) {
        alloc_stats_failed(&self->base);
        return NULL;
    }
    alloc_stats_allocated(&self->base, bytes, effective);
    return ptr;
}

HEAP_COLD static void *allocate_slow(HeapAllocator *self, size bytes, i8 zeroed) {
    check_header_full(self, "heap_allocator_allocate");
    return allocate_counted(self, bytes, zeroed);
}

// What an inline path calls when it cannot finish: its entry's own slow path.
typedef void *(*AllocateSlow)(HeapAllocator *self, size bytes, i8 zeroed);
typedef size (*FreeSlow)(HeapAllocator *self, void *ptr);

// The allocation of a heap whose magic was checked: a slot from the class's warm page, else `slow`.
static inline __attribute__((always_inline)) void *allocate_with(HeapAllocator *self, size bytes,
                                                                 i8 zeroed, AllocateSlow slow) {
    if (ALLOC_LIKELY(bytes - 1 < self->small_limit)) {
        HeapPage *page = self->classes[heap_class_of(bytes)].pages;
        if (ALLOC_LIKELY(page && page->top)) {
            char *ptr = page_take(page);
            alloc_sanitize_allocated(self, ptr, page->slot_size, zeroed != 0);
            alloc_stats_allocated(&self->base, bytes, page->slot_size);
            if (zeroed) return memset(ptr, 0, page->slot_size);
            return ptr;
        }
    }
    return slow(self, bytes, zeroed);
}

void *heap_allocator_allocate(HeapAllocator *self, size bytes, i8 zeroed) {
    ALLOC_CHECK_ON_RETURN(self);
    check_self(self, __func__);
    return allocate_with(self, bytes, zeroed, allocate_slow);
}

// --- Release ----------------------------------------------------------------------------------

// Free the live slot at offset `off` of `page` when the page was full (it rejoins its class list)
// or holds its last live slot (hysteresis decides whether it stays). Returns the slot size.
static size release_slot(HeapAllocator *self, HeapPage *page, u32 off) {
    size           bytes = page->slot_size;
    HeapSizeClass *cls   = &self->classes[page->class_index];
    alloc_sanitize_freed(self, page->base + off, bytes);
    page_put(page, off);
    if (!page->listed) class_push(cls, page);
    if (page->top == page->capacity) page_emptied(self, cls, page);
    return bytes;
}

// Free a block known to be live, without counting; returns its effective size.
static size release_block(HeapAllocator *self, void *ptr) {
    HeapPage *page = heap_page_of(self, ptr);
    if (page) return release_slot(self, page, page_live_slot(page, ptr));
    return heap_large_release(self, (size)heap_large_find(self, ptr));
}

// The free of a pointer outside every segment: NULL, a page run, or a bad pointer.
static size free_large(HeapAllocator *self, void *ptr, const char *function) {
    if (!ptr) return 0;
    i64 index = heap_large_find(self, ptr);
    if (index < 0) heap_bad_pointer(self, ptr, function);
    size bytes = heap_large_release(self, (size)index);
    alloc_stats_deallocated(&self->base, bytes);
    return bytes;
}

// Every free the inline path does not finish: NULL, a page run, a segment found past its home
// slot, a bad pointer, or a page that was full or is emptying.
HEAP_COLD static size free_slow(HeapAllocator *self, void *ptr, const char *function) {
    HeapPage *page = heap_page_of(self, ptr);
    if (!page) return free_large(self, ptr, function);
    u32 off = page_live_slot(page, ptr);
    if (off == UINT32_MAX) heap_bad_pointer(self, ptr, function);
    size bytes = release_slot(self, page, off);
    alloc_stats_deallocated(&self->base, bytes);
    return bytes;
}

// The whole free of `ptr` (NULL included) on a heap whose magic was checked: the inline part,
// then `slow` for everything it does not finish. It makes no call but tail calls, so it needs no
// saved registers.
static inline __attribute__((always_inline)) size free_checked(HeapAllocator *self, void *ptr,
                                                                FreeSlow slow) {
    // The segment of the previous free (hot_base is 1 when there is none, never a segment
    // address), else the home slot of the hash, which then becomes the hot segment. NULL, and any
    // pointer outside this heap's segments, ends in free_slow before a descriptor is read.
    uintptr_t    seg     = heap_segment_base(ptr);
    HeapSegment *segment = self->hot_segment;
    if (ALLOC_UNLIKELY(seg != self->hot_base)) {
        segment = heap_segment_at_home(self, seg);
        if (ALLOC_UNLIKELY(!segment)) return slow(self, ptr);
        self->hot_base    = seg;
        self->hot_segment = segment;
    }
    HeapPage *page = heap_segment_page(segment, ptr);
    u32 off = page_live_slot(page, ptr);
    // Off the fast path: a bad pointer, a full page, or the last live slot of a page that is not
    // its class's warm page.
    if (ALLOC_UNLIKELY((off == UINT32_MAX) | (page->top - 1 >= page->limit)))
        return slow(self, ptr);
    alloc_sanitize_freed(self, ptr, page->slot_size);
    page_put(page, off);
    alloc_stats_deallocated(&self->base, page->slot_size);
    return page->slot_size;
}

static size typed_free_slow(HeapAllocator *self, void *ptr) {
    return free_slow(self, ptr, "heap_allocator_deallocate");
}

static size remap_free_slow(HeapAllocator *self, void *ptr) {
    return free_slow(self, ptr, "heap_allocator_remap");
}

size heap_allocator_deallocate(HeapAllocator *self, void *ptr) {
    ALLOC_CHECK_ON_RETURN(self);
    check_self(self, __func__);
    return free_checked(self, ptr, typed_free_slow);
}

// --- Size queries, resize, remap --------------------------------------------------------------

// A live block: a slot of `page`, or (page NULL) the run large[run]; `bytes` is its size.
typedef struct BlockRef {
    HeapPage *page;
    size      run;
    size      bytes;
} BlockRef;

// The live block `ptr`, `page` its page descriptor (NULL outside every segment); aborts naming
// `function` when it is not one.
static inline __attribute__((always_inline)) BlockRef block_in(const HeapAllocator *self,
                                                               HeapPage *page, const void *ptr,
                                                               const char *function) {
    if (page) {
        if (page_live_slot(page, ptr) == UINT32_MAX) heap_bad_pointer(self, ptr, function);
        return (BlockRef){page, 0, page->slot_size};
    }
    i64 index = heap_large_find(self, ptr);
    if (index < 0) heap_bad_pointer(self, ptr, function);
    return (BlockRef){NULL, (size)index, self->large[index].bytes};
}

// Find the live block `ptr`; aborts naming `function` when it is not one.
static BlockRef block_of(const HeapAllocator *self, const void *ptr, const char *function) {
    return block_in(self, heap_page_of(self, ptr), ptr, function);
}

// block_of for resize and remap: the segment of the last free (or resize) first, then its home
// slot, which becomes the hot segment as in free_checked, then the full lookup. A block resized
// again and again (a growing buffer) finds its page without hashing.
static inline __attribute__((always_inline)) BlockRef block_of_hot(HeapAllocator *self,
                                                                   const void *ptr,
                                                                   const char *function) {
    uintptr_t seg  = heap_segment_base(ptr);
    HeapPage *page = NULL;
    if (ALLOC_LIKELY(seg == self->hot_base)) {
        page = heap_segment_page(self->hot_segment, ptr);
    } else {
        HeapSegment *segment = heap_segment_at_home(self, seg);
        if (segment) {
            self->hot_base    = seg;
            self->hot_segment = segment;
            page              = heap_segment_page(segment, ptr);
        } else {
            page = heap_page_of(self, ptr);
        }
    }
    return block_in(self, page, ptr, function);
}

size HeapAllocatorUsableSize(const HeapAllocator *self, const void *ptr) {
    check_self(self, __func__);
    if (!ptr) return 0;
    return block_of(self, ptr, __func__).bytes;
}

i8 heap_allocator_resize(HeapAllocator *self, void *ptr, size new_size) {
    ALLOC_CHECK_ON_RETURN(self);
    check_header_full(self, __func__);
    if (!ptr) return 0;
    BlockRef block     = block_of_hot(self, ptr, __func__);
    size     effective = block.bytes;
    if (new_size == 0) return 0;
    if (block.page ? new_size > block.bytes
                   : !heap_large_resize(self, block.run, new_size, false, &effective))
        return 0;
    alloc_stats_reallocated(&self->base, new_size, block.bytes, effective);
    return 1;
}

// Allocate anew, copy min(old, new) bytes, free the old block: [ old ] => [ new ] (old freed).
// `page` is the old block's page (NULL for a run): a slot is freed without finding it again.
static void *move_block(HeapAllocator *self, void *ptr, HeapPage *page, size old, size new_size) {
    size  effective = 0;
    void *fresh     = allocate_block(self, new_size, 0, &effective);
    if (!fresh) {
        alloc_stats_failed(&self->base);
        return NULL;
    }
    memcpy(fresh, ptr, old < new_size ? old : new_size);
    if (page) release_slot(self, page, page_live_slot(page, ptr)); // the segment stays: ptr is live
    else release_block(self, ptr);
    alloc_stats_reallocated(&self->base, new_size, old, effective);
    return fresh;
}

void *heap_allocator_remap(HeapAllocator *self, void *ptr, size new_size) {
    ALLOC_CHECK_ON_RETURN(self);
    check_header_full(self, __func__);
    if (!ptr) return allocate_counted(self, new_size, 1);
    if (new_size == 0) {
        free_checked(self, ptr, remap_free_slow);
        return NULL;
    }
    BlockRef block = block_of_hot(self, ptr, __func__);
    size     old   = block.bytes;
    if (block.page) {
        if (new_size > old) return move_block(self, ptr, block.page, old, new_size);
        alloc_stats_reallocated(&self->base, new_size, old, old);
        return ptr;
    }
    // A run grows into its mapping, else with mremap (in place or moving its page tables, never
    // copying); mremap keeps only page alignment, so an over-aligned heap's runs move by copy.
    bool  may_move  = self->base.alignment <= heap_os_page(self);
    size  effective = 0;
    void *moved     = heap_large_resize(self, block.run, new_size, may_move, &effective);
    if (moved) {
        alloc_stats_reallocated(&self->base, new_size, old, effective);
        return moved;
    }
    if (may_move) {
        alloc_stats_failed(&self->base);
        return NULL;
    }
    return move_block(self, ptr, NULL, old, new_size);
}

// --- The vtable: the same inline paths; the rest through the dynamic path's checks -----------

// A heap of another magic goes to the typed functions, which name the type confusion.
static void *allocate_typed(Allocator *self, size bytes, i8 zeroed) {
    return heap_allocator_allocate((HeapAllocator *)self, bytes, zeroed);
}

static size deallocate_typed(Allocator *self, void *ptr) {
    return heap_allocator_deallocate((HeapAllocator *)self, ptr);
}

// A heap's own calls off the inline paths (page runs, new pages, bad pointers): once the dynamic
// path has checked the header, straight to the slow paths the typed functions would reach.
static void *allocate_validated(Allocator *self, size bytes, i8 zeroed) {
    return allocate_counted((HeapAllocator *)self, bytes, zeroed);
}

static size free_validated(Allocator *self, void *ptr) {
    return free_slow((HeapAllocator *)self, ptr, "heap_allocator_deallocate");
}

HEAP_COLD static void *dyn_allocate_slow(HeapAllocator *self, size bytes, i8 zeroed) {
    return alloc_dyn_allocate_slow(&self->base, bytes, zeroed, allocate_validated);
}

HEAP_COLD static size dyn_free_slow(HeapAllocator *self, void *ptr) {
    return alloc_dyn_deallocate_slow(&self->base, ptr, free_validated);
}

static inline bool is_heap(const HeapAllocator *self) {
    return self && self->base.magic == HEAP_ALLOCATOR_MAGIC;
}

void *heap_allocator_vtable_allocate(Allocator *base, size bytes, i8 zeroed) {
    HeapAllocator *self = (HeapAllocator *)base;
    ALLOC_CHECK_ON_RETURN(self);
    if (ALLOC_UNLIKELY(!is_heap(self)))
        return alloc_dyn_allocate_slow(base, bytes, zeroed, allocate_typed);
    return allocate_with(self, bytes, zeroed, dyn_allocate_slow);
}

i8 heap_allocator_vtable_resize(Allocator *self, void *ptr, size new_size) {
    return heap_allocator_resize((HeapAllocator *)self, ptr, new_size);
}

void *heap_allocator_vtable_remap(Allocator *self, void *ptr, size new_size) {
    return heap_allocator_remap((HeapAllocator *)self, ptr, new_size);
}

size heap_allocator_vtable_deallocate(Allocator *base, void *ptr) {
    HeapAllocator *self = (HeapAllocator *)base;
    ALLOC_CHECK_ON_RETURN(self);
    if (ALLOC_UNLIKELY(!is_heap(self)))
        return alloc_dyn_deallocate_slow(base, ptr, deallocate_typed);
    return free_checked(self, ptr, dyn_free_slow);
}

// --- Teardown ---------------------------------------------------------------------------------

void HeapAllocatorDeinit(HeapAllocator *self) {
    alloc_check_header((const Allocator *)self, HEAP_ALLOCATOR_MAGIC, "HeapAllocator", __func__);
    for (size s = 0; s < addrmap_capacity(&self->segments); ++s) {
        HeapSegment *seg = (HeapSegment *)self->segments.slots[s].value;
        if (!seg) continue;
        alloc_sanitize_region_unmapping(self, seg->base, HEAP_SEGMENT_SIZE);
        alloc_os_unmap(&self->base, seg->base, HEAP_SEGMENT_SIZE);
        alloc_os_unmap(&self->base, seg, seg->desc_bytes);
    }
    addrmap_release(&self->segments, &self->base);
    for (size i = 0; i < self->large_len; ++i) {
        alloc_sanitize_region_unmapping(self, self->large[i].ptr, self->large[i].cap);
        alloc_os_unmap(&self->base, self->large[i].ptr, self->large[i].cap);
    }
    heap_retained_release(self);
    alloc_sanitize_pool_destroy(self);
    alloc_os_unmap(&self->base, self->large, self->large_bytes);
    addrmap_release(&self->large_index, &self->base);
    memset(self, 0, sizeof *self);
}

HeapAllocator heap_allocator_init(size_t alignment) {
    return HeapAllocatorInitAligned(alignment);
}
