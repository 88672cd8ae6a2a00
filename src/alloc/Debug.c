// SPDX-License-Identifier: MIT
// DebugAllocator: blocks carved from an embedded HeapAllocator (or, in page mode and for sampled
// blocks, given their own pages against a guard page), framed by canaries, with an out-of-band
// record (size, trace ids, state). Entry points: the typed functions
// debug_allocator_{allocate,resize,remap,deallocate}, their vtable adapters, the debug malloc's
// debug_*_with, and DebugAllocator{LeakCount,ReportLeaks,ReportFault,Check,ReleaseThread,Deinit}.
// This file owns the block layout, canaries, pointer validation, sampling and the thread check;
// debug_records.c the tables, debug_stacks.c the traces, debug_report.c the report lines.
#include "alloc/Debug.h"
#include "addrmap.h"
#include "debug_internal.h"

#ifdef ALLOC_VALGRIND
#include <valgrind/memcheck.h> // VALGRIND_MAKE_MEM_*: what memcheck may touch
#endif

enum {
    JUNK_BYTE  = 0xAA, // fills blocks not asked zeroed, and bytes gained by a resize
    FREED_BYTE = 0xDD, // fills freed blocks in normal mode; checked when they leave quarantine
};

// The thread identity: the address of a thread-local object is unique among live threads.
// Never written, so it is not mutable global state.
static _Thread_local char thread_token;

// The canary pattern: byte i is 0xCA ^ i (i < 64). A constant table, so that writing and checking
// a canary is one memcpy and one memcmp.
#define CANARY_ROW(i)                                                                              \
    0xCA ^ (i), 0xCA ^ (i + 1), 0xCA ^ (i + 2), 0xCA ^ (i + 3), 0xCA ^ (i + 4), 0xCA ^ (i + 5),     \
        0xCA ^ (i + 6), 0xCA ^ (i + 7)
static const u8 CANARY[DEBUG_ALLOCATOR_MAX_CANARY_BYTES] = {
    CANARY_ROW(0),  CANARY_ROW(8),  CANARY_ROW(16), CANARY_ROW(24),
    CANARY_ROW(32), CANARY_ROW(40), CANARY_ROW(48), CANARY_ROW(56)};
#undef CANARY_ROW

// One public call: its name (for fatal lines) and its backtrace (for reports).
typedef struct Call {
    const char *function;
    DebugTrace  trace;
} Call;

// A Call for `function` with a copy of the frames of `trace` in use (not its whole array).
static inline void call_copy(Call *call, const char *function, const DebugTrace *trace) {
    call->function    = function;
    call->trace.depth = trace->depth;
    memcpy(call->trace.frames, trace->frames, trace->depth * sizeof trace->frames[0]);
}

// --- Entry checks -------------------------------------------------------------------------------

static void first_use(DebugAllocator *self) {
    DebugAllocatorConfig *config = &self->config;
    if (config->canary_bytes > DEBUG_ALLOCATOR_MAX_CANARY_BYTES)
        config->canary_bytes = DEBUG_ALLOCATOR_MAX_CANARY_BYTES;
    if (config->quarantine > DEBUG_ALLOCATOR_MAX_QUARANTINE)
        config->quarantine = DEBUG_ALLOCATOR_MAX_QUARANTINE;
    if (config->backtrace_depth > DEBUG_ALLOCATOR_MAX_BACKTRACE_DEPTH)
        config->backtrace_depth = DEBUG_ALLOCATOR_MAX_BACKTRACE_DEPTH;
    self->page_size = alloc_os_page_size();
}

static void check_thread(DebugAllocator *self, const char *function) {
    const void *me    = &thread_token;
    const void *owner = __atomic_load_n(&self->owner_thread, __ATOMIC_ACQUIRE);
    if (ALLOC_LIKELY(owner == me)) return;
    if (!owner && __atomic_compare_exchange_n(&self->owner_thread, &owner, me, false,
                                              __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return;
    AllocFatal(function, "wrong thread", self);
}

// Every public function starts here: header, lazy setup, thread affinity. The whole header
// check (function pointers, alignment) runs at first use and in DebugAllocatorCheck; later calls
// compare the magic, which also catches NULL, uninitialised and type-confused allocators.
static inline void enter(DebugAllocator *self, const char *function) {
    if (ALLOC_UNLIKELY(!self || self->base.magic != DEBUG_ALLOCATOR_MAGIC || !self->page_size)) {
        alloc_check_header((const Allocator *)(const void *)self, DEBUG_ALLOCATOR_MAGIC,
                           "DebugAllocator", function);
        if (!self->page_size) first_use(self);
    }
    if (self->config.check_thread) check_thread(self, function);
}

// The embedded heap maps and unmaps on its own: fold its footprint into ours after each call.
static void sync_heap(DebugAllocator *self) {
    size now = self->heap.base.footprint_bytes;
    self->base.footprint_bytes += now - self->heap_footprint; // wraps correctly when it shrank
    self->heap_footprint = now;
}

// --- Memcheck's view (ALLOC_VALGRIND builds) ------------------------------------------------------
//
// The embedded heap tells memcheck about its slots; inside a slot, the canaries and a
// quarantined block are the allocator's own: no access for the program, opened only while the
// allocator itself reads or writes them. A fresh block's junk counts as uninitialised, as
// malloc's. ASan builds get nothing more: the allocator's own checks would then be ASan's
// (a deliberate write after free in a test would stop there, before the allocator's report).

#ifdef ALLOC_VALGRIND
static void memcheck_canaries(const DebugAllocator *self, const DebugRecord *record, bool open) {
    size n     = self->config.canary_bytes;
    u8  *front = (u8 *)record->ptr - n, *back = (u8 *)record->ptr + record->bytes;
    if (open) {
        VALGRIND_MAKE_MEM_DEFINED(front, n);
        VALGRIND_MAKE_MEM_DEFINED(back, n);
    } else {
        VALGRIND_MAKE_MEM_NOACCESS(front, n);
        VALGRIND_MAKE_MEM_NOACCESS(back, n);
    }
}
static void memcheck_block(const DebugAllocator *self, const DebugRecord *record, int state) {
    size n = self->config.canary_bytes;
    u8  *p = (u8 *)record->ptr - n;
    if (state == 0) VALGRIND_MAKE_MEM_NOACCESS(p, record->bytes + 2 * n); // quarantined
    if (state == 1) VALGRIND_MAKE_MEM_DEFINED(p, record->bytes + 2 * n);  // read by a check
    if (state == 2) VALGRIND_MAKE_MEM_UNDEFINED((void *)record->ptr, record->bytes); // junk
}
#else
static void memcheck_canaries(const DebugAllocator *self, const DebugRecord *record, bool open) {
    (void)self, (void)record, (void)open;
}
static void memcheck_block(const DebugAllocator *self, const DebugRecord *record, int state) {
    (void)self, (void)record, (void)state;
}
#endif

// --- Canaries and fills -------------------------------------------------------------------------

// The 8 bytes at `p` as one (unaligned) word, and back: a fixed-size memcpy is one move.
static inline u64 load_word(const u8 *p) {
    u64 word;
    memcpy(&word, p, sizeof word);
    return word;
}
static inline void store_word(u8 *p, u64 word) { memcpy(p, &word, sizeof word); }

// Copy the first n canary bytes to `to`, a word at a time (n is small: no call to memcpy); the
// default 16 bytes in two moves.
static inline void put_canary(u8 *to, size n) {
    if (ALLOC_LIKELY(n == DEBUG_ALLOCATOR_DEFAULT_CANARY_BYTES)) {
        store_word(to, load_word(CANARY));
        store_word(to + 8, load_word(CANARY + 8));
        return;
    }
    size at = 0;
    for (; at + 8 <= n; at += 8) store_word(to + at, load_word(CANARY + at));
    for (; at < n; ++at) to[at] = CANARY[at];
}

__attribute__((always_inline)) static inline void write_canaries(const DebugAllocator *self,
                                                                  const DebugRecord *record) {
    size n = self->config.canary_bytes;
    memcheck_canaries(self, record, true);
    put_canary((u8 *)record->ptr - n, n);
    put_canary((u8 *)record->ptr + record->bytes, n);
    memcheck_canaries(self, record, false);
}

// Whether [p, p + n) equals the first n canary bytes, word by word (n is small: no call to
// memcmp); the default 16 bytes in two compares and one branch.
static inline bool intact_canary(const u8 *p, size n) {
    if (ALLOC_LIKELY(n == DEBUG_ALLOCATOR_DEFAULT_CANARY_BYTES))
        return ((load_word(p) ^ load_word(CANARY)) | (load_word(p + 8) ^ load_word(CANARY + 8))) == 0;
    size at = 0;
    for (; at + 8 <= n; at += 8)
        if (load_word(p + at) != load_word(CANARY + at)) return false;
    for (; at < n; ++at)
        if (p[at] != CANARY[at]) return false;
    return true;
}

// The first changed byte of a canary, or NULL. `from_end`: the one closest to the block.
static inline const u8 *canary_damage(const u8 *canary, size n, bool from_end) {
    if (ALLOC_LIKELY(intact_canary(canary, n))) return NULL;
    if (!from_end) {
        for (size i = 0; i < n; ++i)
            if (canary[i] != CANARY[i]) return canary + i;
    }
    for (size i = n; i-- > 0;)
        if (canary[i] != CANARY[i]) return canary + i;
    return NULL;
}

// FREED_BYTE repeated: freed blocks are compared with it a row at a time (memcmp is vectorised).
#define FREED_8  FREED_BYTE, FREED_BYTE, FREED_BYTE, FREED_BYTE, FREED_BYTE, FREED_BYTE, FREED_BYTE, FREED_BYTE
#define FREED_64 FREED_8, FREED_8, FREED_8, FREED_8, FREED_8, FREED_8, FREED_8, FREED_8
static const u8 FREED_ROW[256] = {FREED_64, FREED_64, FREED_64, FREED_64};
#undef FREED_64
#undef FREED_8

// Offset of the first byte of [p, p + n) that is not FREED_BYTE, or n.
static size first_not_freed(const u8 *p, size n) {
    size at = 0;
    for (; at < n; at += sizeof FREED_ROW) {
        size row = n - at < sizeof FREED_ROW ? n - at : sizeof FREED_ROW;
        if (ALLOC_UNLIKELY(memcmp(p + at, FREED_ROW, row) != 0)) break;
    }
    while (at < n && p[at] == FREED_BYTE) at += 1;
    return at < n ? at : n;
}

static void emit_call(const DebugAllocator *self, const Call *call) {
    if (call) debug_emit_frames(self, "called at:", call->trace.frames, call->trace.depth, false);
}

// Report which canary byte changed and where the block came from, then abort.
_Noreturn static void canary_broken(const DebugAllocator *self, const DebugRecord *record,
                                    bool after, const u8 *where, const Call *call) {
    debug_emit_bug(self, after ? "buffer overflow (canary after the block overwritten)"
                               : "buffer underflow (canary before the block overwritten)",
                   where, record);
    emit_call(self, call);
    debug_emit_block_traces(self, record);
    AllocFatal(call->function,
               after ? "buffer overflow: canary after block overwritten"
                     : "buffer underflow: canary before block overwritten",
               (const void *)record->ptr);
}

__attribute__((always_inline)) static inline void check_canaries(const DebugAllocator *self,
                                                                  const DebugRecord *record,
                                                                  const Call *call) {
    size n = self->config.canary_bytes;
    memcheck_canaries(self, record, true);
    const u8 *after = canary_damage((const u8 *)record->ptr + record->bytes, n, false);
    if (ALLOC_UNLIKELY(after)) canary_broken(self, record, true, after, call);
    const u8 *before = canary_damage((const u8 *)record->ptr - n, n, true);
    if (ALLOC_UNLIKELY(before)) canary_broken(self, record, false, before, call);
    memcheck_canaries(self, record, false);
}

// A freed heap block must still hold FREED_BYTE everywhere, and its canaries, when it leaves
// quarantine (mapped blocks are PROT_NONE: any touch faulted already).
__attribute__((always_inline)) static inline void check_freed(const DebugAllocator *self,
                                                               DebugRecord *record, const Call *call) {
    if (debug_record_mapped(record) || !record->ptr) return;
    memcheck_block(self, record, 1);
    const u8 *block = (const u8 *)record->ptr;
    // A block of at most one row, intact: one memcmp, no call to the scan.
    size at = record->bytes <= sizeof FREED_ROW && memcmp(block, FREED_ROW, record->bytes) == 0
                  ? record->bytes
                  : first_not_freed(block, record->bytes);
    const u8 *where = at < record->bytes ? block + at : NULL;
    size      n     = self->config.canary_bytes;
    if (!where) where = canary_damage(block + record->bytes, n, false);
    if (!where) where = canary_damage(block - n, n, true);
    if (ALLOC_LIKELY(!where)) {
        memcheck_block(self, record, 0);
        return;
    }
    debug_emit_bug(self, "use after free (freed block written)", where, record);
    emit_call(self, call);
    debug_emit_block_traces(self, record);
    AllocFatal(call->function, "use after free: freed block written", block);
}

// --- Pointer validation -------------------------------------------------------------------------

_Noreturn static void double_free(const DebugAllocator *self, DebugRecord *record, const Call *call) {
    debug_emit_bug(self, "double free", (const void *)record->ptr, record);
    emit_call(self, call);
    debug_emit_stack(self, "first freed at:", record->free_stack);
    debug_emit_stack(self, "allocated at:", record->alloc_stack);
    AllocFatal(call->function, "double free", (const void *)record->ptr);
}

_Noreturn static void bad_pointer(const DebugAllocator *self, const char *bug, const char *reason,
                                  const void *ptr, const DebugRecord *record, const Call *call) {
    debug_emit_bug(self, bug, ptr, record);
    emit_call(self, call);
    if (record) debug_emit_block_traces(self, record);
    AllocFatal(call->function, reason, ptr);
}

// Index of the live record of `ptr`, given what the index holds for it (`found`); aborts with
// the precise reason when there is none.
__attribute__((always_inline)) static inline u32 live_record_found(const DebugAllocator *self,
                                                                    const void *ptr, u32 found,
                                                                    const Call *call) {
    if (ALLOC_UNLIKELY(!found)) {
        const DebugRecord *around = debug_find_containing(self, (uintptr_t)ptr, false);
        if (!alloc_is_aligned(ptr, self->base.alignment))
            bad_pointer(self, "free of a misaligned pointer", "misaligned pointer", ptr, around, call);
        if (around)
            bad_pointer(self, "free of an interior pointer", "interior pointer", ptr, around, call);
        bad_pointer(self, "free of a pointer that is not a block", "foreign pointer", ptr, NULL, call);
    }
    DebugRecord *record = debug_record_at(self, found - 1);
    if (ALLOC_UNLIKELY(record->state != DEBUG_RECORD_LIVE)) double_free(self, record, call);
    return found - 1;
}

static u32 live_record(const DebugAllocator *self, const void *ptr, const Call *call) {
    return live_record_found(self, ptr, debug_index_find(self, (uintptr_t)ptr), call);
}

// The debug malloc's family check: operator delete of a malloc block, free of a new[] block…
static void check_kind(const DebugAllocator *self, DebugRecord *record, u8 kind, size alignment,
                       const Call *call) {
    bool wrong_kind  = record->kind != kind;
    bool wrong_align = alignment && ((size)1 << record->alignment) != alignment;
    if (ALLOC_LIKELY(!wrong_kind && !wrong_align)) return;
    debug_emit_bug(self,
                   wrong_kind ? "mismatched free (the block was allocated by another family)"
                              : "mismatched free (the alignment differs from the allocation's)",
                   (const void *)record->ptr, record);
    emit_call(self, call);
    debug_emit_block_traces(self, record);
    AllocFatal(call->function, wrong_kind ? "mismatched free" : "mismatched alignment",
               (const void *)record->ptr);
}

// --- Blocks -------------------------------------------------------------------------------------

static size log2_of(size power) { return (size)__builtin_ctzll((unsigned long long)power); }

// Mapped geometry (C = canary, pad < alignment): [ rest | C | block | C | pad ][ guard page ]
// Returns false when the sizes overflow.
static bool mapped_geometry(const DebugAllocator *self, size bytes, size alignment, bool guard,
                            size *data_bytes, size *map_bytes) {
    size canary = self->config.canary_bytes;
    size need   = canary + (alignment - 1) + canary;
    if (alignment > (size)-1 / 4 || bytes > (size)-1 / 4 - need) return false;
    *data_bytes = alloc_align_up(need + bytes, self->page_size);
    *map_bytes  = *data_bytes + (guard ? self->page_size : 0);
    return *data_bytes != 0 && *map_bytes >= *data_bytes;
}

// Forget a freed record for good: check and release its block, drop it from the index.
static void record_forget(DebugAllocator *self, u32 index, const Call *call) {
    DebugRecord *record = debug_record_at(self, index);
    check_freed(self, record, call);
    if (debug_record_mapped(record)) {
        bool kept = !record->released && record->guarded &&
                    debug_spare_put(self, record->raw, record->map_bytes); // PROT_NONE since its free
        if (!record->released && !kept) alloc_os_unmap(&self->base, record->raw, record->map_bytes);
        if (record->guarded) self->guarded_count -= 1;
    } else {
        heap_allocator_deallocate(&self->heap, record->raw);
        sync_heap(self);
    }
    if (record->ptr) debug_index_remove_record(self, record->ptr, index);
    debug_record_give_back(self, index);
}

// A quarantined record whose mapped block was unmapped early (it could not be protected) may
// see its address handed out again: it leaves the index so that the new block owns the address;
// the ring still holds it until it is pushed out.
static void record_supersede(DebugAllocator *self, uintptr_t ptr) {
    u32 stale = debug_index_find(self, ptr);
    if (!stale) return;
    debug_index_remove(self, ptr);
    debug_record_at(self, stale - 1)->ptr = 0;
}

// A kept mapping for a sampled block, its data part made accessible again (its guard page stays
// PROT_NONE); NULL when none fits.
static u8 *spare_mapping(DebugAllocator *self, size map_bytes, size data_bytes, size alignment) {
    if (self->config.page_mode || alignment > self->page_size) return NULL;
    u8 *map = debug_spare_take(self, map_bytes);
    if (map && !alloc_os_protect(map, data_bytes, ALLOC_PROT_READ | ALLOC_PROT_WRITE)) {
        alloc_os_unmap(&self->base, map, map_bytes);
        return NULL;
    }
    return map;
}

// Pages of its own for a block, ending against a guard page when asked. NULL when refused.
static bool block_map(DebugAllocator *self, DebugRecord *record, size bytes, size alignment,
                      bool guard) {
    size data_bytes, map_bytes;
    if (!mapped_geometry(self, bytes, alignment, guard, &data_bytes, &map_bytes)) return false;
    u8 *map = spare_mapping(self, map_bytes, data_bytes, alignment);
    if (!map) {
        map = alloc_os_map_aligned(&self->base, map_bytes, alignment);
        if (!map) return false;
        if (map_bytes > data_bytes) alloc_os_protect(map + data_bytes, map_bytes - data_bytes, ALLOC_PROT_NONE);
    }
    uintptr_t end    = (uintptr_t)map + data_bytes - self->config.canary_bytes - bytes;
    record->ptr        = end & ~(uintptr_t)(alignment - 1);
    record->raw        = map;
    record->map_bytes  = map_bytes;
    record->data_bytes = data_bytes;
    return true;
}

// A slot of the embedded heap: [ pad | C | block | C | slack ]. false when refused. Inlined in
// both places block_create uses it: the common allocation then makes one call fewer.
__attribute__((always_inline)) static inline bool block_carve(DebugAllocator *self, DebugRecord *record, size bytes, size alignment) {
    size canary = self->config.canary_bytes;
    size front  = alignment <= self->base.alignment ? alloc_align_up(canary, alignment)
                                                    : canary + alignment - 1;
    if (front > (size)-1 / 4 || bytes > (size)-1 / 4 - front - canary) return false;
    u8 *raw = heap_allocator_allocate(&self->heap, front + bytes + canary, 0);
    sync_heap(self);
    if (!raw) return false;
    record->raw = raw;
    record->ptr = alloc_align_up((uintptr_t)raw + canary, alignment);
    return true;
}

// Whether sampled mode guards this block (the stack's first blocks, then one in sample_rate).
static bool sampled(DebugAllocator *self, size bytes, u32 stack) {
    const DebugAllocatorConfig *config = &self->config;
    if (!config->sample_rate || config->page_mode || bytes > DEBUG_ALLOCATOR_SAMPLE_MAX_BYTES ||
        self->guarded_count >= config->sample_limit)
        return false;
    if (debug_stack_take_sample(self, stack)) return true;
    return self->serial % config->sample_rate == 0;
}

// Make and record a new block; NULL when memory (for the block or the tables) is refused.
static void *block_create(DebugAllocator *self, size bytes, i8 zeroed, size alignment, u8 kind,
                          const DebugTrace *trace) {
    u32 index;
    if (alignment < self->base.alignment) alignment = self->base.alignment;
    if (!debug_record_take(self, &index)) return NULL;
    DebugRecord *record = debug_record_at(self, index);
    u32          stack  = debug_stack_store(self, trace);
    self->serial += 1;
    bool guard = self->config.page_mode ? self->config.guard_page : sampled(self, bytes, stack);
    bool made  = self->config.page_mode || guard ? block_map(self, record, bytes, alignment, guard)
                                                 : block_carve(self, record, bytes, alignment);
    if (!made && guard && !self->config.page_mode) made = block_carve(self, record, bytes, alignment);
    if (!made) {
        debug_record_give_back(self, index);
        return NULL;
    }
    if (debug_record_mapped(record)) record_supersede(self, record->ptr);
    record->bytes       = bytes;
    record->serial      = self->serial;
    record->state       = DEBUG_RECORD_LIVE;
    record->alloc_stack = stack;
    record->alignment   = (u32)log2_of(alignment);
    record->kind        = kind;
    record->guarded     = (u8)(debug_record_mapped(record) && !self->config.page_mode);
    if (record->guarded) self->guarded_count += 1;
    memset((void *)record->ptr, zeroed ? 0 : JUNK_BYTE, bytes);
    if (!zeroed) memcheck_block(self, record, 2);
    write_canaries(self, record);
    debug_index_insert(self, index);
    self->live_count += 1;
    return (void *)record->ptr;
}

// Free a live block: keep it and its record (with the free trace `free_stack`) in quarantine.
// Heap blocks are filled with FREED_BYTE (checked when they leave); mapped ones turn PROT_NONE.
static void block_retire(DebugAllocator *self, u32 index, const Call *call, u32 free_stack) {
    DebugRecord *record = debug_record_at(self, index);
    record->free_stack  = free_stack;
    record->state       = DEBUG_RECORD_FREED;
    self->live_count -= 1;
    if (!debug_record_mapped(record)) {
        memset((void *)record->ptr, FREED_BYTE, record->bytes);
        memcheck_block(self, record, 0);
    } else if (!alloc_os_protect(record->raw, record->data_bytes, ALLOC_PROT_NONE)) {
        alloc_os_unmap(&self->base, record->raw, record->map_bytes); // cannot protect: drop it
        record->released = 1;
    }
    debug_quarantine_prefetch(self);
    while (debug_quarantine_full(self)) record_forget(self, debug_quarantine_pop(self), call);
    if (!debug_quarantine_push(self, index)) {
        record_forget(self, index, call);
        return;
    }
    while (debug_quarantine_over(self)) record_forget(self, debug_quarantine_pop(self), call);
}

// --- Operations shared by the public entry points and the debug malloc --------------------------

static void *allocate(DebugAllocator *self, size bytes, i8 zeroed, size alignment, u8 kind,
                      const DebugTrace *trace) {
    if (bytes == 0) return NULL;
    void *ptr = block_create(self, bytes, zeroed, alignment, kind, trace);
    if (ALLOC_UNLIKELY(!ptr)) {
        alloc_stats_failed(&self->base);
        return NULL;
    }
    alloc_stats_allocated(&self->base, bytes, bytes);
    return ptr;
}

// live_record for a block being freed, with the free trace's id in `free_stack`: stored while
// the record loads (a block freed is rarely in the cache, the stack table mostly is).
__attribute__((always_inline)) static inline u32 record_to_free(DebugAllocator *self,
                                                                 const void *ptr, const Call *call,
                                                                 u32 *free_stack) {
    u32 found = debug_index_find(self, (uintptr_t)ptr);
    if (found) debug_record_prefetch(debug_record_at(self, found - 1));
    *free_stack = debug_stack_store(self, &call->trace);
    return live_record_found(self, ptr, found, call);
}

static size deallocate(DebugAllocator *self, void *ptr, u8 kind, size alignment, const Call *call) {
    if (!ptr) return 0;
    u32          free_stack;
    u32          index  = record_to_free(self, ptr, call, &free_stack);
    DebugRecord *record = debug_record_at(self, index);
    check_canaries(self, record, call);
    check_kind(self, record, kind, alignment, call);
    size bytes = record->bytes;
    block_retire(self, index, call, free_stack);
    alloc_stats_deallocated(&self->base, bytes);
    return bytes;
}

// Move a live block (never in place, so a stale pointer to the old one is caught).
static void *reallocate(DebugAllocator *self, void *ptr, size new_size, u8 kind, const Call *call) {
    if (!ptr) {
        if (new_size == 0) return NULL;
        void *fresh = block_create(self, new_size, 1, self->base.alignment, kind, &call->trace);
        if (fresh) alloc_stats_allocated(&self->base, new_size, new_size);
        else alloc_stats_failed(&self->base);
        return fresh;
    }
    u32 free_stack;
    u32 index = record_to_free(self, ptr, call, &free_stack);
    check_canaries(self, debug_record_at(self, index), call);
    size old = debug_record_at(self, index)->bytes;
    if (new_size == 0) {
        block_retire(self, index, call, free_stack);
        alloc_stats_deallocated(&self->base, old);
        return NULL;
    }
    size  alignment = (size)1 << debug_record_at(self, index)->alignment;
    void *moved     = block_create(self, new_size, 0, alignment, kind, &call->trace);
    if (ALLOC_UNLIKELY(!moved)) { // the record table may have moved: nothing kept from it
        alloc_stats_failed(&self->base);
        return NULL;
    }
    memcpy(moved, ptr, old < new_size ? old : new_size);
    block_retire(self, index, call, free_stack);
    alloc_stats_reallocated(&self->base, new_size, old, new_size);
    return moved;
}

// --- Typed entry points and vtable adapters -----------------------------------------------------

void *debug_allocator_allocate(DebugAllocator *self, size bytes, i8 zeroed) {
    ALLOC_CHECK_ON_RETURN(self); // level 3: DebugAllocatorCheck after the call
    enter(self, __func__);
    if (bytes == 0) return NULL;
    DebugTrace trace;
    DEBUG_CAPTURE(self, &trace);
    return allocate(self, bytes, zeroed, self->base.alignment, DEBUG_KIND_PLAIN, &trace);
}

i8 debug_allocator_resize(DebugAllocator *self, void *ptr, size new_size) {
    ALLOC_CHECK_ON_RETURN(self); // level 3: DebugAllocatorCheck after the call
    enter(self, __func__);
    if (!ptr) return 0;
    Call call; // not zeroed: the capture sets the depth and the frames it reads
    call.function = __func__;
    DEBUG_CAPTURE(self, &call.trace);
    DebugRecord *record = debug_record_at(self, live_record(self, ptr, &call));
    check_canaries(self, record, &call);
    size offset = (size)(record->ptr - (uintptr_t)record->raw);
    size canary = self->config.canary_bytes;
    size room   = debug_record_mapped(record) ? record->data_bytes - offset
                                              : HeapAllocatorUsableSize(&self->heap, record->raw) - offset;
    if (new_size == 0 || room < canary) return 0;
    if (new_size > room - canary) {
        if (debug_record_mapped(record) || new_size > (size)-1 / 4 ||
            !heap_allocator_resize(&self->heap, record->raw, offset + new_size + canary))
            return 0;
        sync_heap(self);
    }
    size old = record->bytes;
    // [ block | C ] => [ block | junk | C ] (grow) or [ block | C | stale ] (shrink)
    memcheck_canaries(self, record, true); // the old back canary becomes block bytes
    if (new_size > old) memset((u8 *)ptr + old, JUNK_BYTE, new_size - old);
    record->bytes = new_size;
    write_canaries(self, record);
    alloc_stats_reallocated(&self->base, new_size, old, new_size);
    return 1;
}

void *debug_allocator_remap(DebugAllocator *self, void *ptr, size new_size) {
    ALLOC_CHECK_ON_RETURN(self); // level 3: DebugAllocatorCheck after the call
    enter(self, __func__);
    if (!ptr && new_size == 0) return NULL;
    Call call; // not zeroed: the capture sets the depth and the frames it reads
    call.function = __func__;
    DEBUG_CAPTURE(self, &call.trace);
    return reallocate(self, ptr, new_size, DEBUG_KIND_PLAIN, &call);
}

size debug_allocator_deallocate(DebugAllocator *self, void *ptr) {
    ALLOC_CHECK_ON_RETURN(self); // level 3: DebugAllocatorCheck after the call
    enter(self, __func__);
    if (!ptr) return 0;
    Call call; // not zeroed: the capture sets the depth and the frames it reads
    call.function = __func__;
    DEBUG_CAPTURE(self, &call.trace);
    return deallocate(self, ptr, DEBUG_KIND_PLAIN, 0, &call);
}

// The adapters take the trace themselves: frame #0 is the code that called through the vtable.
void *debug_allocator_vtable_allocate(Allocator *self, size bytes, i8 zeroed) {
    DebugAllocator *debug = (DebugAllocator *)(void *)self;
    enter(debug, "debug_allocator_allocate");
    if (bytes == 0) return NULL;
    DebugTrace trace;
    DEBUG_CAPTURE(debug, &trace);
    return allocate(debug, bytes, zeroed, debug->base.alignment, DEBUG_KIND_PLAIN, &trace);
}

i8 debug_allocator_vtable_resize(Allocator *self, void *ptr, size new_size) {
    return debug_allocator_resize((DebugAllocator *)(void *)self, ptr, new_size);
}

void *debug_allocator_vtable_remap(Allocator *self, void *ptr, size new_size) {
    DebugAllocator *debug = (DebugAllocator *)(void *)self;
    enter(debug, "debug_allocator_remap");
    if (!ptr && new_size == 0) return NULL;
    Call call; // not zeroed: the capture sets the depth and the frames it reads
    call.function = "debug_allocator_remap";
    DEBUG_CAPTURE(debug, &call.trace);
    return reallocate(debug, ptr, new_size, DEBUG_KIND_PLAIN, &call);
}

size debug_allocator_vtable_deallocate(Allocator *self, void *ptr) {
    DebugAllocator *debug = (DebugAllocator *)(void *)self;
    enter(debug, "debug_allocator_deallocate");
    if (!ptr) return 0;
    Call call; // not zeroed: the capture sets the depth and the frames it reads
    call.function = "debug_allocator_deallocate";
    DEBUG_CAPTURE(debug, &call.trace);
    return deallocate(debug, ptr, DEBUG_KIND_PLAIN, 0, &call);
}

DebugAllocatorConfig debug_allocator_config_default(void) { return DebugAllocatorConfigDefault(); }

DebugAllocator debug_allocator_init(size_t alignment, DebugAllocatorConfig settings) {
    return DebugAllocatorInitAlignedWith(alignment, settings);
}

// --- Entry points for the debug malloc ----------------------------------------------------------

void *debug_allocate_with(DebugAllocator *self, size bytes, i8 zeroed, size alignment, u8 kind,
                          const DebugTrace *trace, const char *function) {
    enter(self, function);
    return allocate(self, bytes, zeroed, alignment, kind, trace);
}

size debug_deallocate_with(DebugAllocator *self, void *ptr, u8 kind, size alignment,
                           const DebugTrace *trace, const char *function) {
    enter(self, function);
    Call call;
    call_copy(&call, function, trace);
    return deallocate(self, ptr, kind, alignment, &call);
}

void *debug_reallocate_with(DebugAllocator *self, void *ptr, size bytes, const DebugTrace *trace,
                            const char *function) {
    enter(self, function);
    Call call;
    call_copy(&call, function, trace);
    return reallocate(self, ptr, bytes, DEBUG_KIND_PLAIN, &call);
}

size debug_block_size(DebugAllocator *self, const void *ptr, const char *function) {
    enter(self, function);
    if (!ptr) return 0;
    Call call = {.function = function};
    return debug_record_at(self, live_record(self, ptr, &call))->bytes;
}

void debug_check_blocks(DebugAllocator *self, const char *function) {
    enter(self, function);
    Call call = {.function = function};
    for (u32 i = 0; i < self->record_used; ++i) {
        DebugRecord *record = debug_record_at(self, i);
        if (record->state == DEBUG_RECORD_LIVE) check_canaries(self, record, &call);
        if (record->state == DEBUG_RECORD_FREED) check_freed(self, record, &call);
    }
}

// --- Faults -------------------------------------------------------------------------------------

int8_t DebugAllocatorReportFault(DebugAllocator *self, const void *address, int8_t is_write,
                                 const void *pc, const void *frame) {
    enter(self, __func__);
    DebugRecord *record = debug_find_containing(self, (uintptr_t)address, true);
    if (!record || !debug_record_mapped(record)) return 0;
    bool freed = record->state == DEBUG_RECORD_FREED;
    bool after = (uintptr_t)address >= record->ptr + record->bytes;
    bool before = (uintptr_t)address < record->ptr;
    const char *bug = freed ? (is_write ? "use after free (write)" : "use after free (read)")
                      : after  ? (is_write ? "buffer overflow (write)" : "buffer overflow (read)")
                      : before ? (is_write ? "buffer underflow (write)" : "buffer underflow (read)")
                               : (is_write ? "invalid write" : "invalid read");
    debug_emit_bug(self, bug, address, record);
    DebugTrace trace = {.depth = 0};
    if (pc)
        debug_capture_frames(self, &trace, (void *)(uintptr_t)pc, (uintptr_t)frame,
                             (uintptr_t)frame - 1, 0);
    debug_emit_frames(self, "the access at:", trace.frames, trace.depth, true);
    debug_emit_block_traces(self, record);
    return 1;
}

// --- Queries, check, teardown -------------------------------------------------------------------

u32 DebugAllocatorLeakCount(DebugAllocator *self) {
    enter(self, __func__);
    return self->live_count;
}

u32 DebugAllocatorReportLeaks(DebugAllocator *self) {
    enter(self, __func__);
    return debug_report_leak_groups(self, NULL, NULL);
}

typedef struct RecordCounts {
    u32  live, freed, guarded; // records in each state, sampled blocks
    size in_use, quarantined;  // bytes of the live blocks, of the freed ones
} RecordCounts;

// Every used record: indexed under its address, canaries intact (live), in the ring (freed).
static RecordCounts check_records(const DebugAllocator *self, const Call *call) {
    RecordCounts counts = {0, 0, 0, 0, 0};
    for (u32 i = 0; i < self->record_used; ++i) {
        DebugRecord *record = debug_record_at(self, i);
        if (record->state == DEBUG_RECORD_UNUSED) continue;
        bool indexed = record->ptr && debug_index_find(self, record->ptr) == i + 1;
        counts.guarded += record->guarded;
        if (record->state == DEBUG_RECORD_LIVE && indexed) {
            check_canaries(self, record, call);
            counts.live += 1;
            counts.in_use += record->bytes;
        } else if (record->state == DEBUG_RECORD_FREED && (indexed || !record->ptr)) {
            if (!debug_quarantine_holds(self, i))
                AllocFatal(call->function, "corrupted allocator: quarantine", self);
            check_freed(self, record, call);
            counts.freed += 1;
            counts.quarantined += record->bytes;
        } else {
            AllocFatal(call->function, "corrupted allocator: record index", self);
        }
    }
    return counts;
}

// The unused records, and only they, are on the free list, once each.
static void check_free_list(const DebugAllocator *self, u32 unused, const char *function) {
    u32 seen = 0;
    for (u32 next = self->record_free; next; next = debug_record_at(self, next - 1)->next_free) {
        bool bad = next > self->record_used || ++seen > unused ||
                   debug_record_at(self, next - 1)->state != DEBUG_RECORD_UNUSED;
        if (bad) AllocFatal(function, "corrupted allocator: free list", self);
    }
    if (seen != unused) AllocFatal(function, "corrupted allocator: free list", self);
}

void DebugAllocatorCheck(DebugAllocator *self) {
    enter(self, __func__);
    alloc_check_header(&self->base, DEBUG_ALLOCATOR_MAGIC, "DebugAllocator", __func__);
    Call call; // not zeroed: the capture sets the depth and the frames it reads
    call.function = __func__;
    DEBUG_CAPTURE(self, &call.trace);
    if (!addrmap_is_sane(&self->index)) AllocFatal(__func__, "corrupted allocator: record index", self);
    RecordCounts counts = check_records(self, &call);
    if (counts.live != self->live_count)
        AllocFatal(__func__, "corrupted allocator: live count", self);
    if (counts.freed != self->quarantine_len || counts.quarantined != self->quarantined_bytes)
        AllocFatal(__func__, "corrupted allocator: quarantine", self);
    if (counts.guarded != self->guarded_count)
        AllocFatal(__func__, "corrupted allocator: guarded count", self);
    check_free_list(self, self->record_used - counts.live - counts.freed, __func__);
    if (counts.in_use != self->base.stats.bytes_in_use)
        AllocFatal(__func__, "corrupted allocator: bytes in use", self);
    if (self->heap.base.magic) HeapAllocatorCheck(&self->heap);
}

void DebugAllocatorReleaseThread(DebugAllocator *self) {
    enter(self, __func__);
    __atomic_store_n(&self->owner_thread, NULL, __ATOMIC_RELEASE);
}

void DebugAllocatorDeinit(DebugAllocator *self) {
    enter(self, __func__);
    Call call; // not zeroed: the capture sets the depth and the frames it reads
    call.function = __func__;
    DEBUG_CAPTURE(self, &call.trace);
    if (self->config.report_leaks_at_deinit) debug_report_leak_groups(self, NULL, NULL);
    for (u32 i = 0; i < self->record_used; ++i) {
        DebugRecord *record = debug_record_at(self, i);
        if (record->state == DEBUG_RECORD_FREED) check_freed(self, record, &call);
        if (record->state != DEBUG_RECORD_UNUSED && debug_record_mapped(record) && !record->released)
            alloc_os_unmap(&self->base, record->raw, record->map_bytes);
    }
    debug_tables_release(self);
    if (self->heap.base.magic) HeapAllocatorDeinit(&self->heap); // every carved block at once
    memset(self, 0, sizeof *self);
}
