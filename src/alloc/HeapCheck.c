// SPDX-License-Identifier: MIT
// HeapAllocator, the checks that walk it: heap_bad_pointer (the exact reason for any pointer
// that is not a live block: foreign, double free, interior, misaligned) and HeapAllocatorCheck
// (every invariant of the segments, pages, class lists, runs and statistics).
#include "alloc/Heap.h"
#include "heap_internal.h"

// --- Diagnosis of a bad pointer ---------------------------------------------------------------

// `off` is the pointer's offset from the page's first slot (below the first slot it wraps round).
static const char *small_reason(const HeapAllocator *self, const HeapPage *page, const void *ptr) {
    size off  = ((uintptr_t)ptr & (HEAP_PAGE_SIZE - 1)) - page->colour;
    size slot = page->slot_size;
    if (page->capacity == 0) // the page went back to its segment: only a stale slot is plausible
        return slot && off % slot == 0 && off / slot < (HEAP_PAGE_SIZE - page->colour) / slot
                   ? "double free"
                   : "foreign pointer";
    if (!alloc_is_aligned(ptr, self->base.alignment)) return "misaligned pointer";
    if (off >= HEAP_PAGE_SIZE) return "foreign pointer"; // before the first slot
    if (off % slot) return "interior pointer";
    if (off / slot >= page->capacity) return "foreign pointer"; // the page's unused tail
    return "double free";
}

static const char *large_reason(const HeapAllocator *self, const void *ptr) {
    if (heap_large_containing(self, ptr) >= 0)
        return alloc_is_aligned(ptr, self->base.alignment) ? "interior pointer" : "misaligned pointer";
    if (heap_retained_holds(self, ptr)) return "double free";
    for (size f = 0; f < HEAP_FREED_MAX; ++f)
        if (self->freed[f] == ptr) return "double free";
    return "foreign pointer";
}

_Noreturn void heap_bad_pointer(const HeapAllocator *self, const void *ptr, const char *function) {
    const HeapPage *page = heap_page_of(self, ptr);
    AllocFatal(function, page ? small_reason(self, page, ptr) : large_reason(self, ptr), ptr);
}

// --- Self-check -------------------------------------------------------------------------------

#define BROKEN(what) AllocFatal("HeapAllocatorCheck", "corrupted allocator: " what, self)

// What a walk of the segments found, for the totals checked at the end.
typedef struct Tally {
    size mapped;       // bytes mapped for segments, descriptors and the hash table
    size live;         // effective bytes of live slots
    size listed;       // pages marked listed
    size empty_segs;   // segments with no page in use
    size dirty;        // unused pages marked dirty
    size used_pages;   // pages serving a class
    size with_free;    // segments with an unused page
} Tally;

static void check_page(const HeapAllocator *self, const HeapSegment *seg, u32 i, Tally *t) {
    const HeapPage *page = &seg->pages[i];
    if ((seg->attached >> i) & 1
            ? page->base != seg->base + (size)i * HEAP_PAGE_SIZE || page->segment != seg ||
                  page->index != i ||
                  (page->stack != seg->stacks[i] && page->stack != seg->short_stacks[i])
            : page->base || page->segment || page->index || page->stack || page->dirty ||
                  page->slot_size || page->colour ||
                  !((seg->free_pages >> i) & 1)) // never used: never written
        BROKEN("segment table");
    if ((seg->free_pages >> i) & 1) {
        if (page->capacity || page->listed || page->top || page->limit) BROKEN("page count");
        for (u32 w = 0; w < HEAP_PAGE_WORDS; ++w)
            if (page->live[w]) BROKEN("page bitmap");
        t->dirty += page->dirty;
        return;
    }
    if (page->dirty || page->class_index >= HEAP_CLASS_COUNT ||
        page->slot_size != heap_class_size(page->class_index) ||
        page->colour >= heap_colour_span(page->slot_size) ||
        !alloc_is_aligned((void *)(uintptr_t)page->colour, self->base.alignment) ||
        page->capacity != (HEAP_PAGE_SIZE - page->colour) / page->slot_size ||
        page->top > page->capacity)
        BROKEN("page count");
    if (page->stack != heap_page_stack((HeapSegment *)seg, i, page->capacity)) BROKEN("page stack");
    // Every stacked offset is a distinct slot that is not live; every live bit starts a slot.
    // Offsets below the colour wrap round to huge values: they fail the `end` test.
    u32 slot = page->slot_size, colour = page->colour, end = page->capacity * slot;
    u64 stacked[HEAP_PAGE_WORDS] = {0};
    for (u32 k = 0; k < page->top; ++k) {
        u32 off = page->stack[k], w = off >> 10;
        u64 bit = (u64)1 << ((off >> 4) & 63);
        if ((off - colour) % slot || off - colour >= end || ((page->live[w] | stacked[w]) & bit))
            BROKEN("page stack");
        stacked[w] |= bit;
    }
    size live_slots = 0;
    for (u32 w = 0; w < HEAP_PAGE_WORDS; ++w) {
        for (u64 word = page->live[w]; word; word &= word - 1) {
            u32 off = (w * 64 + (u32)__builtin_ctzll(word)) * 16;
            if ((off - colour) % slot || off - colour >= end) BROKEN("page bitmap");
        }
        live_slots += (size)__builtin_popcountll(page->live[w]);
    }
    if (live_slots + page->top != page->capacity) BROKEN("page count");
    if (page->top && !page->listed) BROKEN("class list");
    bool warm = self->classes[page->class_index].warm == page;
    if (page->limit != page->capacity - 2 + warm)
        BROKEN("class list");
    t->listed += page->listed;
    t->live += live_slots * page->slot_size;
}

static void check_segments(const HeapAllocator *self, Tally *t) {
    size found = 0;
    if (!addrmap_is_sane(&self->segments)) BROKEN("segment table");
    for (size s = 0; s < addrmap_capacity(&self->segments); ++s) {
        const AllocatorAddressSlot *slot = &self->segments.slots[s];
        const HeapSegment          *seg  = (const HeapSegment *)slot->value;
        if (!slot->key) continue;
        found++;
        if (slot->key != (uintptr_t)seg->base ||
            !alloc_is_aligned(seg->base, HEAP_SEGMENT_SIZE) ||
            heap_page_of(self, seg->base) != &seg->pages[0])
            BROKEN("segment table");
        if (seg->used_pages != HEAP_PAGES_PER_SEGMENT - (u32)__builtin_popcountll(seg->free_pages) ||
            seg->listed != (seg->free_pages != 0))
            BROKEN("segment list");
        for (u32 i = 0; i < HEAP_PAGES_PER_SEGMENT; ++i) check_page(self, seg, i, t);
        t->mapped += HEAP_SEGMENT_SIZE + seg->desc_bytes;
        t->empty_segs += seg->used_pages == 0;
        t->used_pages += seg->used_pages;
        t->with_free += seg->listed;
    }
    if (found != self->segments.len) BROKEN("segment table");
    t->mapped += self->segments.bytes;
    size walked = 0;
    for (const HeapSegment *seg = self->free_segments; seg; seg = seg->next) {
        if (!seg->listed || (seg->next && seg->next->prev != seg) || ++walked > found)
            BROKEN("segment list");
    }
    if (walked != t->with_free || t->empty_segs != self->empty_segments) BROKEN("segment list");
    if (t->dirty != self->dirty_pages || t->dirty > heap_dirty_pages_max(self) ||
        t->used_pages != self->used_pages || self->peak_pages < self->used_pages ||
        self->empty_segments > heap_empty_segments_max(self))
        BROKEN("page count");
}

static void check_classes(const HeapAllocator *self, const Tally *t) {
    size walked = 0;
    for (u32 c = 0; c < HEAP_CLASS_COUNT; ++c) {
        const HeapSizeClass *cls = &self->classes[c];
        if (cls->pages && cls->pages->prev) BROKEN("class list");
        for (const HeapPage *page = cls->pages; page; page = page->next) {
            if (!page->listed || page->class_index != c || !page->capacity ||
                (page->next && page->next->prev != page) || ++walked > t->listed)
                BROKEN("class list");
        }
        if (cls->warm && (!cls->warm->capacity || cls->warm->class_index != c || cls->warm->limit != cls->warm->capacity - 1))
            BROKEN("class list");
    }
    if (walked != t->listed) BROKEN("class list");
}

// Mapped bytes of the live runs, the retained runs and their tables; live bytes in `*live`.
static size check_runs(const HeapAllocator *self, size *live) {
    size page = alloc_os_page_size();
    size mapped = self->large_bytes + self->large_index.bytes + self->retained_table;
    size caps = 0;
    if (self->os_page_size && self->os_page_size != page) BROKEN("run table");
    if (self->large_len > self->large_cap || self->large_cap * sizeof(HeapRun) > self->large_bytes ||
        !addrmap_is_sane(&self->large_index) ||
        self->large_index.len != (self->large_index.slots ? self->large_len : 0))
        BROKEN("run table");
    for (size i = 0; i < self->large_len; ++i) {
        const HeapRun *run = &self->large[i];
        if (!run->ptr || !run->bytes || run->bytes % page || run->cap < run->bytes ||
            run->cap % page ||
            !alloc_is_aligned(run->ptr, self->base.alignment > page ? self->base.alignment : page))
            BROKEN("run table");
        if (heap_large_find(self, run->ptr) != (i64)i) BROKEN("run table");
        for (size j = 0; j < i; ++j) { // mappings never overlap (the table is in no order)
            const HeapRun *other = &self->large[j];
            if ((uintptr_t)run->ptr - (uintptr_t)other->ptr < other->cap ||
                (uintptr_t)other->ptr - (uintptr_t)run->ptr < run->cap)
                BROKEN("run table");
        }
        *live += run->bytes;
        mapped += run->cap;
        caps += run->cap;
    }
    if (caps != self->large_mapped || self->peak_runs < self->large_len ||
        self->peak_mapped < self->large_mapped)
        BROKEN("run table");
    size retained = 0, runs = 0, tables = 0;
    const HeapRetainedBins *bins = self->retained;
    if (bins) {
        tables = bins->self_bytes;
        for (u32 b = 0; b < HEAP_RETAINED_BINS; ++b) {
            if (bins->len[b] * sizeof(HeapRun) > bins->bytes[b] ||
                ((bins->filled >> b & 1) != (bins->len[b] != 0)))
                BROKEN("retained runs");
            tables += bins->bytes[b];
            for (size i = 0; i < bins->len[b]; ++i) {
                const HeapRun *run = &bins->rows[b][i];
                if (!run->ptr || run->cap % page || run->bytes != run->cap ||
                    heap_retained_bin(run->cap, page) != b || (i && bins->rows[b][i - 1].cap > run->cap))
                    BROKEN("retained runs");
                retained += run->cap;
                runs++;
            }
        }
    }
    if (runs != self->retained_len || tables != self->retained_table ||
        runs > heap_retain_runs_max(self) || retained != self->retained_bytes ||
        retained > heap_retain_bytes_max(self))
        BROKEN("retained runs");
    return mapped + retained;
}

void HeapAllocatorCheck(const HeapAllocator *self) {
    alloc_check_header((const Allocator *)self, HEAP_ALLOCATOR_MAGIC, "HeapAllocator", __func__);
    Tally t = {0};
    // The free fast path trusts the hot segment: it must be a live segment of this heap, or none.
    if (self->hot_base == 1 ? self->hot_segment != NULL
                            : !self->hot_segment ||
                                  addrmap_find(&self->segments, self->hot_base) !=
                                      (uintptr_t)self->hot_segment ||
                                  (uintptr_t)self->hot_segment->base != self->hot_base)
        BROKEN("segment table");
    check_segments(self, &t);
    check_classes(self, &t);
    size live   = t.live;
    size mapped = t.mapped + check_runs(self, &live);
    if (live != self->base.stats.bytes_in_use) BROKEN("bytes in use");
    if (mapped != self->base.footprint_bytes) BROKEN("footprint");
}
