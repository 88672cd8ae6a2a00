// SPDX-License-Identifier: MIT
// Private layout of the HeapAllocator: page and segment descriptors (mapped apart from the user
// memory they describe), the segment hash table, and the helpers Heap.c (small blocks, the fast
// paths) and HeapLarge.c (page runs) and HeapCheck.c (pointer diagnosis, self-check, teardown) share. Nothing here is public.
#ifndef ALLOC_HEAP_INTERNAL_H
#define ALLOC_HEAP_INTERNAL_H

#include "alloc/Heap.h"
#include "addrmap.h"
#include "internal.h"

// Geometry: a segment is HEAP_SEGMENT_SIZE bytes of user memory aligned to its size, cut into
// HEAP_PAGE_SIZE pages; each page serves one size class.
#define HEAP_SEGMENT_SHIFT 22
#define HEAP_PAGE_SHIFT    16
#define HEAP_PAGES_PER_SEGMENT (HEAP_SEGMENT_SIZE / HEAP_PAGE_SIZE)
#define HEAP_PAGE_WORDS    (HEAP_PAGE_SIZE / 16 / 64) // u64 words of a page's live bitmap
#define HEAP_PAGE_SLOTS_MAX (HEAP_PAGE_SIZE / 16)      // slots of the smallest class
#define HEAP_SHORT_STACK    128u                       // see HeapSegment.short_stacks

_Static_assert(((size)1 << HEAP_SEGMENT_SHIFT) == HEAP_SEGMENT_SIZE, "segment shift");
_Static_assert(((size)1 << HEAP_PAGE_SHIFT) == HEAP_PAGE_SIZE, "page shift");
_Static_assert(HEAP_PAGES_PER_SEGMENT == 64, "a segment's free-page set is one u64");
_Static_assert(HEAP_PAGE_SIZE <= 65536, "a slot's offset in its page fits a u16");

// Descriptor of one page. Its free slots are a LIFO stack of their byte offsets (allocation pops,
// a free pushes: O(1), no scan), and a bitmap with one bit per 16-byte granule marks where a live
// slot starts, so one bit test proves a pointer is a live slot (aligned, not interior, not in the
// tail, not freed) without a division. Invariants while the page serves a class (capacity > 0):
//   stack[0..top) are distinct slot offsets (colour + k * slot_size for k < capacity)
//   whose live bits are clear; popcount(live) + top == capacity; a live bit sits only at a slot
//   start; a page with a free slot is on its class's list; limit is capacity - 1 for the class's
//   warm page, capacity - 2 for the others.
// A page not in use has capacity 0, top 0, limit 0, no live bit, and keeps slot_size only to
// tell a double free apart.
// The slots start `colour` bytes into the page (heap_page_colour): pages are 64 KiB aligned, so
// without it the same slot of every page would fall in the same cache sets.
typedef struct HeapPage {
    u32               top;       // free slots: their offsets are stack[0..top)
    u32               capacity;  // slots in the page ((HEAP_PAGE_SIZE - colour) / slot_size);
                                 // 0 = unused
    u32               slot_size; // bytes, a multiple of 16, <= HEAP_SMALL_MAX
    u32               limit;     // a free leaves the fast path when top - 1 >= limit: capacity - 2
                                 // catches the last live slot and a full page, capacity - 1 only
                                 // a full one (the warm page)
    u8                class_index;
    u8                listed;    // on its class's list
    u8                dirty;     // unused and counted in HeapAllocator.dirty_pages
    u8                index;     // position in the segment
    u16               colour;    // offset of the first slot; kept with slot_size while unused
    char             *base;      // first byte of the page's user memory, HEAP_PAGE_SIZE aligned
    u16              *stack;     // offsets of the free slots, next one on top (in the segment's
                                 // descriptor: heap_page_stack)
    struct HeapPage  *prev;      // class list of pages with a free slot
    struct HeapPage  *next;
    struct HeapSegment *segment; // owning segment descriptor
    u64               live[HEAP_PAGE_WORDS]; // bit g set = a live slot starts at byte 16 * g
} HeapPage;

// Slots in use on `page`.
static inline u32 heap_page_used(const HeapPage *page) { return page->capacity - page->top; }

// Descriptor of one segment, mapped on its own (never inside the segment's user memory).
typedef struct HeapSegment {
    char               *base;       // user memory, HEAP_SEGMENT_SIZE bytes, aligned to that size
    u64                 free_pages; // bit i set iff pages[i] is unused
    u64                 attached;   // bit i set iff pages[i] was ever used: its fixed fields (base,
                                    // segment, index) are set; the others were never
                                    // written, so a segment costs the OS pages of what it serves
    u32                 used_pages; // 64 - popcount(free_pages)
    u32                 listed;     // on the heap's list of segments with a free page
    struct HeapSegment *prev;
    struct HeapSegment *next;
    size                desc_bytes; // mapped length of this descriptor
    _Alignas(64) HeapPage pages[HEAP_PAGES_PER_SEGMENT]; // each page's hot fields in one line
    // pages[i].stack, touched as used: a page of at most HEAP_SHORT_STACK slots (slots of 512
    // bytes or more) takes short_stacks[i], so the stacks of 16 such pages share one OS page
    // rather than each faulting in its own; the others take stacks[i].
    u16 short_stacks[HEAP_PAGES_PER_SEGMENT][HEAP_SHORT_STACK];
    u16 stacks[HEAP_PAGES_PER_SEGMENT][HEAP_PAGE_SLOTS_MAX];
} HeapSegment;

// The free stack of page `i` of `segment` when it holds `capacity` slots.
static inline u16 *heap_page_stack(HeapSegment *segment, u32 i, u32 capacity) {
    return capacity <= HEAP_SHORT_STACK ? segment->short_stacks[i] : segment->stacks[i];
}

_Static_assert(sizeof(HeapPage) % 64 == 0, "page descriptors stay cache-line aligned");
_Static_assert(offsetof(HeapPage, segment) + sizeof(void *) <= 64, "fast-path fields share a line");

// Size classes: 16..128 by 16, then four per doubling up to HEAP_SMALL_MAX. One table read per
// request, granule g (bytes 16g - 15 .. 16g, one class since every class size is a multiple of 16)
// to its class: no branch on the size, which random sizes would mispredict.
static inline u32 heap_class_of(size bytes) { // 1 <= bytes <= HEAP_SMALL_MAX
    static const u8 by_granule[HEAP_SMALL_MAX / 16 + 1] = {
         0,  0,  1,  2,  3,  4,  5,  6,  7,  8,  8,  9,  9, 10, 10, 11, 11, 12, 12, 12, 12, 13, 13,
        13, 13, 14, 14, 14, 14, 15, 15, 15, 15, 16, 16, 16, 16, 16, 16, 16, 16, 17, 17, 17, 17, 17,
        17, 17, 17, 18, 18, 18, 18, 18, 18, 18, 18, 19, 19, 19, 19, 19, 19, 19, 19, 20, 20, 20, 20,
        20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 21, 21, 21, 21, 21, 21, 21, 21, 21, 21, 21,
        21, 21, 21, 21, 21, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22, 23, 23,
        23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 23, 24, 24, 24, 24, 24, 24, 24, 24, 24,
        24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24,
        25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25,
        25, 25, 25, 25, 25, 25, 25, 25, 25, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26,
        26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 26, 27, 27, 27, 27, 27,
        27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27,
        27, 27, 27, 27, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 29,
        29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29,
        29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29,
        29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 30, 30, 30, 30, 30, 30,
        30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31,
        31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31,
        31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31,
        31, 31, 31, 31, 31, 31, 31
    };
    return by_granule[(bytes + 15) >> 4];
}

static inline u32 heap_class_size(u32 c) {
    if (c < 8) return (c + 1) * 16;
    u32 lg = 7 + (c - 8) / 4;
    return (5 + (c - 8) % 4) << (lg - 2);
}

// Cache colouring. The colour of a page formatted for class `c` (slot bytes `slot`, alignment
// `unit`): a multiple of 64 bytes (rounded down to `unit`) below `heap_colour_span`, stepping by
// a prime per page index, class and segment, so the pages of one class, and the classes, start
// their slots on different cache sets of the L1 (its sets repeat every 4 KiB). The span is the
// page's unused tail plus, when the page holds at least 16 slots, one slot (a loss of at most
// 1/16 of the page), capped at 4 KiB: bigger slots colour only within their tail.
#define HEAP_COLOUR_MAX 4096u
static inline u32 heap_colour_span(u32 slot) {
    u32 tail = (u32)(HEAP_PAGE_SIZE % slot);
    u32 span = HEAP_PAGE_SIZE / slot >= 16 ? tail + slot : tail + 1;
    return span < HEAP_COLOUR_MAX ? span : HEAP_COLOUR_MAX;
}

static inline u32 heap_page_colour(uintptr_t segment_base, u32 index, u32 c, u32 slot, size unit) {
    u32 seq = index * 37u + c * 13u + (u32)(segment_base >> HEAP_SEGMENT_SHIFT) * 29u;
    return ((seq * 64u) % heap_colour_span(slot)) & ~(u32)(unit - 1);
}

static inline HeapPage *heap_segment_page(HeapSegment *segment, const void *ptr) {
    return &segment->pages[((uintptr_t)ptr >> HEAP_PAGE_SHIFT) & (HEAP_PAGES_PER_SEGMENT - 1)];
}

static inline uintptr_t heap_segment_base(const void *ptr) {
    return (uintptr_t)ptr & ~(uintptr_t)(HEAP_SEGMENT_SIZE - 1);
}

// The descriptor of segment `seg` when it sits in its home slot of the address map (the common
// case), else NULL. Reads only the heap's own map.
static inline HeapSegment *heap_segment_at_home(const HeapAllocator *self, uintptr_t seg) {
    return (HeapSegment *)addrmap_find_home(&self->segments, seg);
}

// The page descriptor for `ptr` when `ptr` lies in one of this heap's segments, else NULL.
static inline HeapPage *heap_page_of(const HeapAllocator *self, const void *ptr) {
    HeapSegment *segment = (HeapSegment *)addrmap_find(&self->segments, heap_segment_base(ptr));
    return segment ? heap_segment_page(segment, ptr) : NULL;
}

// The OS page size, asked of the OS once per heap (sysconf is a call through libc).
static inline size heap_os_page(HeapAllocator *self) {
    if (ALLOC_UNLIKELY(!self->os_page_size)) self->os_page_size = alloc_os_page_size();
    return self->os_page_size;
}

// The bounds of the unused pages kept with their contents and of the empty segments kept mapped:
// the floors, or what the decaying high-water mark of pages in use allows (HEAP_DIRTY_PAGES_MAX,
// HEAP_PAGE_DECAY_OPS).
static inline u32 heap_dirty_pages_max(const HeapAllocator *self) {
    return self->peak_pages > HEAP_DIRTY_PAGES_MAX ? self->peak_pages : HEAP_DIRTY_PAGES_MAX;
}

static inline u32 heap_empty_segments_max(const HeapAllocator *self) {
    return 1 + (heap_dirty_pages_max(self) - HEAP_DIRTY_PAGES_MAX) / HEAP_PAGES_PER_SEGMENT;
}

// The high-water mark of pages in use falls a quarter of the way to the pages in use; unused
// pages and empty segments past the lowered bounds are given back (Heap.c).
void heap_pages_decay(HeapAllocator *self);

// Keep a slow path out of line and out of the caller's register pressure.
#define HEAP_COLD __attribute__((noinline, cold))

// --- HeapLarge.c ----------------------------------------------------------------------------

// Retained runs, binned by mapped length (four bins per doubling of the page count, the first
// eight one page count each), each bin a page-run table sorted by length: inserting, taking the
// best fit and evicting the shortest move one bin's rows only, however many runs are retained.
// Mapped on the first retained run.
enum {
    HEAP_RETAINED_BINS  = 48,
    HEAP_LARGE_SCAN_MAX = 16, // live runs found by a scan of the table, before it gets an index
};
typedef struct HeapRetainedBins {
    HeapRun *rows[HEAP_RETAINED_BINS];
    size     len[HEAP_RETAINED_BINS];
    size     bytes[HEAP_RETAINED_BINS]; // mapped length of rows[b]
    u64      filled;                    // bit b: len[b] > 0
    size     self_bytes;                // mapped length of this struct
    // The row of the run retained last while no run has left the cache since (last_valid): the
    // last among its equals, so a request of exactly its length takes it without a search.
    size     last_at;
    u32      last_bin;
    u8       last_valid;
} HeapRetainedBins;

// The bin of a run of `cap` bytes (`page` the OS page size): every longer run is in this bin or a
// later one.
static inline u32 heap_retained_bin(size cap, size page) {
    size p = cap >> __builtin_ctzll((unsigned long long)page); // cap / page, no division
    if (p < 8) return (u32)p;
    u32 lg = 63u - (u32)__builtin_clzll((unsigned long long)p);
    u32 b  = 8 + (lg - 3) * 4 + (u32)((p >> (lg - 2)) & 3);
    return b < HEAP_RETAINED_BINS ? b : HEAP_RETAINED_BINS - 1;
}

// The bounds of the retained runs: the floors, or the decaying high-water marks of the live runs
// when those are higher (HEAP_RETAINED_MAX, HEAP_RUN_DECAY_OPS).
static inline size heap_retain_runs_max(const HeapAllocator *self) {
    return self->peak_runs > HEAP_RETAINED_MAX ? self->peak_runs : HEAP_RETAINED_MAX;
}

static inline size heap_retain_bytes_max(const HeapAllocator *self) {
    return self->peak_mapped > HEAP_RETAINED_MAX_BYTES ? self->peak_mapped : HEAP_RETAINED_MAX_BYTES;
}

// Map a run of at least `bytes` bytes (reusing a retained one when possible) and record it;
// NULL when the OS refuses. `*effective` receives the run's length. No statistics.
void *heap_large_allocate(HeapAllocator *self, size bytes, i8 zeroed, size *effective);
// Index of the live run whose block holds `ptr`, or -1 (a scan: for diagnosing a bad pointer).
i64 heap_large_containing(const HeapAllocator *self, const void *ptr);
// Index of the live run that starts exactly at `ptr`, or -1.
i64 heap_large_find(const HeapAllocator *self, const void *ptr);
// Whether `ptr` starts a retained run (a scan: for diagnosing a bad pointer).
bool heap_retained_holds(const HeapAllocator *self, const void *ptr);
// Unmap every retained run and the bins (teardown).
void heap_retained_release(HeapAllocator *self);
// The high-water marks of the live runs fall a quarter of the way to what is live; retained runs
// past the lowered bounds are unmapped, the shortest first.
void heap_large_decay(HeapAllocator *self);
// Release live run `index` (retain or unmap it). Returns its length. No statistics.
size heap_large_release(HeapAllocator *self, size index);
// Resize live run `index` to hold `new_size` bytes, moving it only when `may_move`.
// Returns the (possibly new) address, with its new length in `*effective`, or NULL (run
// untouched). No statistics.
void *heap_large_resize(HeapAllocator *self, size index, size new_size, bool may_move,
                        size *effective);
// --- HeapCheck.c ----------------------------------------------------------------------------

// Abort with the exact reason for a pointer that is not a live block of this heap.
_Noreturn void heap_bad_pointer(const HeapAllocator *self, const void *ptr, const char *function);

#endif // ALLOC_HEAP_INTERNAL_H
