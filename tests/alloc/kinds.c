// The factory table of allocator kinds (see kinds.h). A kind gets an entry here when its header
// lands on main, never before. The first entry is a test-only reference allocator built on libc
// (exact out-of-band table, failure injection): it proves the conformance and differential
// harnesses pass on a correct allocator and gives the Vec tests an allocator that fails on cue.
#include "kinds.h"

#include "alloc/Allocator.h"
#include "alloc/Arena.h"
#include "alloc/Budget.h"
#include "alloc/Debug.h"
#include "alloc/Heap.h"
#include "alloc/Page.h"
#include "alloc/Slab.h"
#include "internal.h" // alloc_stats_*: the reference allocator counts exactly as the library does

#include <stdlib.h> // aligned_alloc, free, realloc (test code may use libc)
#include <string.h> // memset, memcpy, memmove

// --- the dynamic path ----------------------------------------------------------------------

static void *dyn_allocate(void *self, size bytes, i8 zeroed) {
    return AllocatorAlloc((Allocator *)self, bytes, zeroed);
}
static i8 dyn_resize(void *self, void *ptr, size new_size) {
    return AllocatorResize((Allocator *)self, ptr, new_size);
}
static void *dyn_remap(void *self, void *ptr, size new_size) {
    return AllocatorRemap((Allocator *)self, ptr, new_size);
}
static size dyn_deallocate(void *self, void *ptr) { return AllocatorFree((Allocator *)self, ptr); }

const KindOps KIND_DYNAMIC_OPS = {dyn_allocate, dyn_resize, dyn_remap, dyn_deallocate};

// Typed-path ops of a library kind: AllocatorAlloc on the typed pointer picks the typed function.
#define KIND_TYPED_OPS(Type, prefix)                                                               \
    static void *prefix##_typed_allocate(void *self, size bytes, i8 zeroed) {                     \
        return AllocatorAlloc((Type *)self, bytes, zeroed);                                        \
    }                                                                                              \
    static i8 prefix##_typed_resize(void *self, void *ptr, size new_size) {                        \
        return AllocatorResize((Type *)self, ptr, new_size);                                       \
    }                                                                                              \
    static void *prefix##_typed_remap(void *self, void *ptr, size new_size) {                      \
        return AllocatorRemap((Type *)self, ptr, new_size);                                        \
    }                                                                                              \
    static size prefix##_typed_deallocate(void *self, void *ptr) {                                 \
        return AllocatorFree((Type *)self, ptr);                                                   \
    }
#define KIND_TYPED(prefix)                                                                         \
    {prefix##_typed_allocate, prefix##_typed_resize, prefix##_typed_remap,                         \
     prefix##_typed_deallocate}

// Factory functions of a library kind: Init/InitAligned into the instance, Deinit, Check.
#define KIND_LIFECYCLE(Type, prefix, Init, InitAligned, Deinit, Check)                             \
    _Static_assert(sizeof(Type) <= KIND_INSTANCE_BYTES, #Type " fits a KindInstance");              \
    static Allocator *prefix##_init(KindInstance *where, size alignment) {                         \
        Type *self = (Type *)where->bytes;                                                         \
        *self      = alignment ? InitAligned(alignment) : Init();                                  \
        return ALLOCATOR_OF(self);                                                                 \
    }                                                                                              \
    static void prefix##_deinit(KindInstance *where) { Deinit((Type *)where->bytes); }             \
    static void prefix##_check(KindInstance *where) { Check((Type *)where->bytes); }               \
    KIND_TYPED_OPS(Type, prefix)

// --- the library's kinds -------------------------------------------------------------------

// Debug with its default settings, except that its reports (leaks at Deinit, the details it
// prints before a fatal line) are dropped: the death tests pin the fatal line as the first line;
// and its quarantine holds 64 blocks, so that it is full (and the footprint settles) within the
// rounds of footprint_returns_to_its_start_after_frees.
static void debug_report_nowhere(const char *line, void *context) { (void)line, (void)context; }
static DebugAllocatorConfig debug_kind_config(void) {
    DebugAllocatorConfig config = DebugAllocatorConfigDefault();
    config.report               = debug_report_nowhere;
    config.quarantine           = 64;
    config.symbolize            = 0; // the reports are dropped: no addr2line runs
    return config;
}
#define DEBUG_KIND_INIT()          DebugAllocatorInitWith(debug_kind_config())
#define DEBUG_KIND_INIT_ALIGNED(N) DebugAllocatorInitAlignedWith(N, debug_kind_config())
KIND_LIFECYCLE(DebugAllocator, debug, DEBUG_KIND_INIT, DEBUG_KIND_INIT_ALIGNED,
               DebugAllocatorDeinit, DebugAllocatorCheck)
KIND_LIFECYCLE(HeapAllocator, heap, HeapAllocatorInit, HeapAllocatorInitAligned,
               HeapAllocatorDeinit, HeapAllocatorCheck)

KIND_LIFECYCLE(ArenaAllocator, arena, ArenaAllocatorInit, ArenaAllocatorInitAligned,
               ArenaAllocatorDeinit, ArenaAllocatorCheck)
static void arena_reset(KindInstance *where) { ArenaAllocatorReset((ArenaAllocator *)where->bytes); }

// Slab: 1 KiB slots (every request up to 1 KiB, rounded up to the alignment, is one slot).
#define SLAB_KIND_SLOT              1024
#define SLAB_KIND_INIT()            SlabAllocatorInit(SLAB_KIND_SLOT)
#define SLAB_KIND_INIT_ALIGNED(N)   SlabAllocatorInitAligned(N, SLAB_KIND_SLOT)
KIND_LIFECYCLE(SlabAllocator, slab, SLAB_KIND_INIT, SLAB_KIND_INIT_ALIGNED, SlabAllocatorDeinit,
               SlabAllocatorCheck)

// Budget: 1 KiB slots in one static 1 MiB buffer (the tests never hold two Budget instances at
// once); enough for 128 slots even at a 64 KiB alignment, about 1000 at the default one.
#define BUDGET_KIND_SLOT 1024
static _Alignas(4096) unsigned char budget_buffer[(size)1 << 20];
#define BUDGET_KIND_INIT() BudgetAllocatorInit(budget_buffer, sizeof budget_buffer, BUDGET_KIND_SLOT)
#define BUDGET_KIND_INIT_ALIGNED(N)                                                                \
    BudgetAllocatorInitAligned(N, budget_buffer, sizeof budget_buffer, BUDGET_KIND_SLOT)
KIND_LIFECYCLE(BudgetAllocator, budget, BUDGET_KIND_INIT, BUDGET_KIND_INIT_ALIGNED,
               BudgetAllocatorDeinit, BudgetAllocatorCheck)

KIND_LIFECYCLE(PageAllocator, page, PageAllocatorInit, PageAllocatorInitAligned,
               PageAllocatorDeinit, PageAllocatorCheck)

// --- the reference allocator (test-only) ---------------------------------------------------
// Blocks come from aligned_alloc; an address-sorted table out of band holds each block's
// effective size (requested rounded up to 16) and capacity (1.5x, so some resizes succeed in
// place). Borrows the Page magic so the dynamic path accepts it; no typed Page function ever
// sees it.

typedef struct RefBlock {
    unsigned char *ptr;
    size           effective; // bytes counted in stats, multiple of 16
    size           capacity;  // bytes allocated, >= effective
} RefBlock;

typedef struct RefAllocator {
    Allocator base;
    RefBlock *blocks; // sorted by ptr
    size      len;
    size      cap;
    i64       fail_after; // successful allocations left before all fail; < 0 = never
} RefAllocator;

_Static_assert(sizeof(RefAllocator) <= KIND_INSTANCE_BYTES, "RefAllocator fits an instance");

// Larger requests fail as out of memory (before libc, whose sanitizer build would abort).
#define REF_LARGEST ((size)1 << 40)

static size ref_find(const RefAllocator *self, const void *ptr) { // index of first >= ptr
    size lo = 0, hi = self->len;
    while (lo < hi) {
        size mid = lo + (hi - lo) / 2;
        if ((uintptr_t)self->blocks[mid].ptr < (uintptr_t)ptr) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static size ref_lookup(const RefAllocator *self, const void *ptr, const char *function) {
    size at = ref_find(self, ptr);
    if (at == self->len || self->blocks[at].ptr != ptr) AllocFatal(function, "foreign pointer", ptr);
    return at;
}

static bool ref_may_allocate(RefAllocator *self) {
    if (self->fail_after == 0) return false;
    if (self->fail_after > 0) self->fail_after -= 1;
    return true;
}

// A new block, not counted in stats; NULL when injection says fail.
static unsigned char *ref_raw(RefAllocator *self, size bytes, RefBlock *out) {
    if (bytes > REF_LARGEST || !ref_may_allocate(self)) return NULL;
    size align     = self->base.alignment < 16 ? 16 : self->base.alignment;
    out->effective = alloc_align_up(bytes, 16);
    out->capacity  = alloc_align_up(out->effective + out->effective / 2, align);
    out->ptr       = aligned_alloc(align, out->capacity);
    if (!out->ptr) return NULL;
    memset(out->ptr, 0xCD, out->capacity); // garbage, so a missing zero-fill shows
    if (self->len == self->cap) {
        self->cap    = self->cap ? self->cap * 2 : 64;
        RefBlock *grown = realloc(self->blocks, self->cap * sizeof *self->blocks);
        if (!grown) abort(); // the test host is out of memory: nothing to test any more
        self->blocks = grown;
    }
    size at = ref_find(self, out->ptr);
    memmove(self->blocks + at + 1, self->blocks + at, (self->len - at) * sizeof *self->blocks);
    self->blocks[at] = *out;
    self->len += 1;
    self->base.footprint_bytes += out->capacity;
    return out->ptr;
}

static void ref_release(RefAllocator *self, size at) {
    self->base.footprint_bytes -= self->blocks[at].capacity;
    free(self->blocks[at].ptr);
    memmove(self->blocks + at, self->blocks + at + 1, (self->len - at - 1) * sizeof *self->blocks);
    self->len -= 1;
}

static void *ref_allocate(Allocator *opaque, size bytes, i8 zeroed) {
    RefAllocator *self = (RefAllocator *)opaque;
    if (bytes == 0) return NULL;
    RefBlock block;
    if (!ref_raw(self, bytes, &block)) {
        alloc_stats_failed(&self->base);
        return NULL;
    }
    if (zeroed) memset(block.ptr, 0, block.effective);
    alloc_stats_allocated(&self->base, bytes, block.effective);
    return block.ptr;
}

static i8 ref_resize(Allocator *opaque, void *ptr, size new_size) {
    RefAllocator *self = (RefAllocator *)opaque;
    size at = ref_lookup(self, ptr, "reference_resize");
    RefBlock *block = &self->blocks[at];
    size effective  = alloc_align_up(new_size, 16);
    if (new_size == 0 || new_size > REF_LARGEST || effective > block->capacity) return 0;
    if (effective > block->effective && self->fail_after == 0) return 0; // injected: no growth
    alloc_stats_reallocated(&self->base, new_size, block->effective, effective);
    block->effective = effective;
    return 1;
}

static size ref_deallocate(Allocator *opaque, void *ptr) {
    RefAllocator *self = (RefAllocator *)opaque;
    if (!ptr) return 0;
    size at       = ref_lookup(self, ptr, "reference_deallocate");
    size released = self->blocks[at].effective;
    ref_release(self, at);
    alloc_stats_deallocated(&self->base, released);
    return released;
}

static void *ref_remap(Allocator *opaque, void *ptr, size new_size) {
    RefAllocator *self = (RefAllocator *)opaque;
    if (!ptr) return new_size ? ref_allocate(opaque, new_size, 1) : NULL;
    if (new_size == 0) {
        ref_deallocate(opaque, ptr);
        return NULL;
    }
    if (ref_resize(opaque, ptr, new_size)) return ptr;
    size old_effective = self->blocks[ref_lookup(self, ptr, "reference_remap")].effective;
    RefBlock moved;
    if (!ref_raw(self, new_size, &moved)) {
        alloc_stats_failed(&self->base);
        return NULL;
    }
    memcpy(moved.ptr, ptr, old_effective < moved.effective ? old_effective : moved.effective);
    ref_release(self, ref_lookup(self, ptr, "reference_remap"));
    alloc_stats_reallocated(&self->base, new_size, old_effective, moved.effective);
    return moved.ptr;
}

static Allocator *ref_init(KindInstance *where, size alignment) {
    RefAllocator *self = (RefAllocator *)where->bytes;
    *self = (RefAllocator){
        .base = {.allocate = ref_allocate, .resize = ref_resize, .remap = ref_remap,
                 .deallocate = ref_deallocate,
                 .alignment = alignment ? alignment : ALLOCATOR_DEFAULT_ALIGNMENT,
                 .retry_limit = ALLOCATOR_DEFAULT_RETRY_LIMIT, .magic = PAGE_ALLOCATOR_MAGIC},
        .fail_after = -1};
    return &self->base;
}

static void ref_deinit(KindInstance *where) {
    RefAllocator *self = (RefAllocator *)where->bytes;
    while (self->len) ref_release(self, self->len - 1);
    free(self->blocks);
    memset(self, 0, sizeof *self);
}

static void ref_check(KindInstance *where) {
    RefAllocator *self = (RefAllocator *)where->bytes;
    size in_use = 0;
    for (size i = 0; i < self->len; ++i) {
        const RefBlock *b = &self->blocks[i];
        if (i + 1 < self->len && b->ptr + b->capacity > self->blocks[i + 1].ptr)
            AllocFatal("reference_check", "corrupted allocator: overlapping blocks", b->ptr);
        in_use += b->effective;
    }
    if (in_use != self->base.stats.bytes_in_use)
        AllocFatal("reference_check", "corrupted allocator: bytes_in_use", self);
}

// The reference's "typed path": its own functions called directly, not through the vtable.
static void *ref_typed_allocate(void *self, size bytes, i8 zeroed) {
    return ref_allocate(self, bytes, zeroed);
}
static i8 ref_typed_resize(void *self, void *ptr, size n) { return ref_resize(self, ptr, n); }
static void *ref_typed_remap(void *self, void *ptr, size n) { return ref_remap(self, ptr, n); }
static size ref_typed_deallocate(void *self, void *ptr) { return ref_deallocate(self, ptr); }

void kind_reference_fail_after(Allocator *reference, i64 n) {
    ((RefAllocator *)reference)->fail_after = n;
}

// --- the table -----------------------------------------------------------------------------

const Kind KINDS[] = {
    {.name = "Reference", .fn_prefix = "reference", .struct_size = sizeof(RefAllocator),
     .init = ref_init, .deinit = ref_deinit, .check = ref_check, .reset = NULL,
     .typed = KIND_TYPED(ref),
     .max_alignment = (size)1 << 20, .max_block = (size)1 << 30,
     .flags = KIND_FOOTPRINT_RETURNS | KIND_DETECTS_FOREIGN | KIND_REFERENCE},
    // Whole pages: any power-of-two alignment (over-map and trim above the page); retains freed
    // blocks up to a bound, so a repeated round reuses them; a double free is named as such
    // while the block is retained (always, for the small blocks the death test frees).
    {.name = "Page", .fn_prefix = "page_allocator", .struct_size = sizeof(PageAllocator),
     .init = page_init, .deinit = page_deinit, .check = page_check, .reset = NULL,
     .typed = KIND_TYPED(page), .max_alignment = (size)1 << 21, .max_block = (size)1 << 30,
     .flags = KIND_FOOTPRINT_RETURNS | KIND_DETECTS_DOUBLE_FREE | KIND_DETECTS_FOREIGN |
              KIND_OS_BACKED},
    // Per-block mappings with canaries and a quarantine of 128 freed blocks (so its footprint
    // settles once the quarantine is full). Its self-check walks every record and quarantined
    // fill byte, so the differential test runs it less often. One mapping per block makes its
    // differential run the slowest: ~4 s of CPU, mostly munmap's TLB shootdowns.
    {.name = "Debug", .fn_prefix = "debug_allocator", .struct_size = sizeof(DebugAllocator),
     .init = debug_init, .deinit = debug_deinit, .check = debug_check, .reset = NULL,
     .typed = KIND_TYPED(debug), .max_alignment = (size)1 << 21, .max_block = (size)1 << 30,
     .check_every = 8192,
     .flags = KIND_FOOTPRINT_RETURNS | KIND_DETECTS_DOUBLE_FREE | KIND_DETECTS_FOREIGN |
              KIND_OS_BACKED},
    // The default allocator: size classes in aligned segments, page runs for large blocks.
    {.name = "Heap", .fn_prefix = "heap_allocator", .struct_size = sizeof(HeapAllocator),
     .init = heap_init, .deinit = heap_deinit, .check = heap_check, .reset = NULL,
     .typed = KIND_TYPED(heap), .max_alignment = (size)1 << 21, .max_block = (size)1 << 30,
     .flags = KIND_FOOTPRINT_RETURNS | KIND_DETECTS_DOUBLE_FREE | KIND_DETECTS_FOREIGN |
              KIND_OS_BACKED},
    // Bump allocation in chunks: only the most recent block can be freed, resized or moved.
    {.name = "Arena", .fn_prefix = "arena_allocator", .struct_size = sizeof(ArenaAllocator),
     .init = arena_init, .deinit = arena_deinit, .check = arena_check, .reset = arena_reset,
     .typed = KIND_TYPED(arena), .max_alignment = (size)1 << 21, .max_block = (size)1 << 30,
     .flags = KIND_FOOTPRINT_RETURNS | KIND_LIFO_ONLY | KIND_DETECTS_FOREIGN | KIND_OS_BACKED},
    // Fixed 1 KiB slots: its natural limit is the slot (max_block); alignment is tested up to
    // 64 KiB (a slot is then one 64 KiB stride).
    {.name = "Slab", .fn_prefix = "slab_allocator", .struct_size = sizeof(SlabAllocator),
     .init = slab_init, .deinit = slab_deinit, .check = slab_check, .reset = NULL,
     .typed = KIND_TYPED(slab), .max_alignment = (size)1 << 16, .max_block = SLAB_KIND_SLOT,
     .flags = KIND_FOOTPRINT_RETURNS | KIND_DETECTS_DOUBLE_FREE | KIND_DETECTS_FOREIGN |
              KIND_OS_BACKED},
    // Fixed 1 KiB slots in a caller's buffer, no OS call: footprint stays 0; alignment is
    // limited by the buffer (64 KiB leaves 15 slots of the 1 MiB buffer).
    {.name = "Budget", .fn_prefix = "budget_allocator", .struct_size = sizeof(BudgetAllocator),
     .init = budget_init, .deinit = budget_deinit, .check = budget_check, .reset = NULL,
     .typed = KIND_TYPED(budget), .max_alignment = (size)1 << 16, .max_block = BUDGET_KIND_SLOT,
     .flags = KIND_FOOTPRINT_RETURNS | KIND_DETECTS_DOUBLE_FREE | KIND_DETECTS_FOREIGN},
};

const size KIND_COUNT = sizeof KINDS / sizeof KINDS[0];
const size KIND_INDICES[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
_Static_assert(sizeof KINDS / sizeof KINDS[0] <= 16, "KIND_INDICES covers the table");
