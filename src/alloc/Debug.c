// SPDX-License-Identifier: MIT
// DebugAllocator: every block in its own OS mapping, framed by canaries, with an out-of-band
// record (size, mapping, allocation and free backtraces). Entry points: the vtable functions
// debug_allocator_{allocate,resize,remap,deallocate} and DebugAllocator{LeakCount,ReportLeaks,
// Check,ReleaseThread,Deinit}. This file owns the block layout, canaries, pointer validation and
// the thread check; debug_records.c owns the tables and the report lines.
#include "alloc/Debug.h"
#include "debug_internal.h"

enum {
    JUNK_BYTE  = 0xAA, // fills blocks not asked zeroed, and bytes gained by a resize
    FREED_BYTE = 0xDD, // fills freed blocks in normal mode; checked when they leave quarantine
};

// The thread identity: the address of a thread-local object is unique among live threads.
// Never written, so it is not mutable global state.
static _Thread_local char thread_token;

static u8 canary_byte(size i) { return (u8)(0xCA ^ (i & 0x3F)); }

// --- Entry checks -----------------------------------------------------------------------------

static void first_use(DebugAllocator *self) {
    DebugAllocatorConfig *config = &self->config;
    if (config->canary_bytes > DEBUG_ALLOCATOR_MAX_CANARY_BYTES)
        config->canary_bytes = DEBUG_ALLOCATOR_MAX_CANARY_BYTES;
    if (config->quarantine > DEBUG_ALLOCATOR_MAX_QUARANTINE)
        config->quarantine = DEBUG_ALLOCATOR_MAX_QUARANTINE;
    if (config->backtrace_depth > DEBUG_ALLOCATOR_MAX_BACKTRACE_DEPTH)
        config->backtrace_depth = DEBUG_ALLOCATOR_MAX_BACKTRACE_DEPTH;
    self->record_stride = sizeof(DebugRecord) + 2 * (size)config->backtrace_depth * sizeof(void *);
    self->page_size     = alloc_os_page_size();
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

// Every public function starts here: header, lazy setup, thread affinity.
static void enter(DebugAllocator *self, const char *function) {
    alloc_check_header((const Allocator *)(const void *)self, DEBUG_ALLOCATOR_MAGIC,
                       "DebugAllocator", function);
    if (ALLOC_UNLIKELY(!self->page_size)) first_use(self);
    if (self->config.check_thread) check_thread(self, function);
}

// --- Canaries ---------------------------------------------------------------------------------

static void write_canaries(const DebugAllocator *self, const DebugRecord *record) {
    size n     = self->config.canary_bytes;
    u8  *front = (u8 *)record->ptr - n;
    u8  *back  = (u8 *)record->ptr + record->bytes;
    for (size i = 0; i < n; ++i) {
        front[i] = canary_byte(i);
        back[i]  = canary_byte(i);
    }
}

// Report which canary byte changed and where the block came from, then abort.
_Noreturn static void canary_broken(const DebugAllocator *self, const DebugRecord *record,
                                    bool after, const u8 *where, const char *function) {
    DebugLine line;
    debug_line_start(&line);
    debug_line_text(&line, after ? "buffer overflow: canary after" : "buffer underflow: canary before");
    debug_line_text(&line, " block overwritten at ");
    debug_line_pointer(&line, where);
    debug_line_emit(self, &line);
    debug_emit_block(self, after ? "buffer overflow" : "buffer underflow", record);
    AllocFatal(function,
               after ? "buffer overflow: canary after block overwritten"
                     : "buffer underflow: canary before block overwritten",
               (const void *)record->ptr);
}

static void check_canaries(const DebugAllocator *self, const DebugRecord *record,
                           const char *function) {
    size      n     = self->config.canary_bytes;
    const u8 *front = (const u8 *)record->ptr - n;
    const u8 *back  = (const u8 *)record->ptr + record->bytes;
    for (size i = 0; i < n; ++i)
        if (ALLOC_UNLIKELY(back[i] != canary_byte(i))) canary_broken(self, record, true, back + i, function);
    for (size i = n; i-- > 0;)
        if (ALLOC_UNLIKELY(front[i] != canary_byte(i))) canary_broken(self, record, false, front + i, function);
}

// --- Pointer validation -----------------------------------------------------------------------

static void emit_free_trace(const DebugAllocator *self, DebugRecord *record, const char *title) {
    DebugLine line;
    debug_line_start(&line);
    debug_line_text(&line, title);
    debug_line_emit(self, &line);
    debug_emit_trace(self, debug_free_frames(self, record), record->free_depth);
}

_Noreturn static void double_free(const DebugAllocator *self, DebugRecord *record,
                                  const char *function) {
    debug_emit_block(self, "double free", record);
    emit_free_trace(self, record, "first freed at:");
    AllocFatal(function, "double free", (const void *)record->ptr);
}

// Normal mode: a freed block must still hold FREED_BYTE everywhere when it leaves quarantine.
static void check_freed(const DebugAllocator *self, DebugRecord *record, const char *function) {
    if (self->config.page_mode || !record->map || !record->ptr) return;
    const u8 *block = (const u8 *)record->ptr;
    size      at    = 0;
    while (at < record->bytes && block[at] == FREED_BYTE) at += 1;
    if (ALLOC_LIKELY(at == record->bytes)) return;
    DebugLine line;
    debug_line_start(&line);
    debug_line_text(&line, "use after free: freed block written at ");
    debug_line_pointer(&line, block + at);
    debug_line_emit(self, &line);
    debug_emit_block(self, "use after free", record);
    emit_free_trace(self, record, "freed at:");
    AllocFatal(function, "use after free: freed block written", block);
}

// Index of the live record of `ptr`; aborts with the precise reason when there is none.
static u32 live_record(const DebugAllocator *self, const void *ptr, const char *function) {
    if (ALLOC_UNLIKELY(!alloc_is_aligned(ptr, self->base.alignment)))
        AllocFatal(function, "misaligned pointer", ptr);
    u32 found = debug_index_find(self, (uintptr_t)ptr);
    if (ALLOC_UNLIKELY(!found)) {
        if (debug_find_containing(self, (uintptr_t)ptr)) AllocFatal(function, "interior pointer", ptr);
        AllocFatal(function, "foreign pointer", ptr);
    }
    DebugRecord *record = debug_record_at(self, found - 1);
    if (ALLOC_UNLIKELY(record->state != DEBUG_RECORD_LIVE)) double_free(self, record, function);
    return found - 1;
}

// --- Blocks -----------------------------------------------------------------------------------

// Geometry of a block's mapping (C = canary, pad < alignment):
//   normal: [ pad | C | block | C | rest of the page ]
//   page:   [ rest | C | block | C | pad ][ guard page ]
// Returns false when the sizes overflow.
static bool block_geometry(const DebugAllocator *self, size bytes, size *data_bytes,
                           size *map_bytes) {
    size canary = self->config.canary_bytes;
    size need   = canary + (self->base.alignment - 1) + canary;
    if (need > (size)-1 / 2 || bytes > (size)-1 / 2 - need) return false;
    *data_bytes = alloc_align_up(need + bytes, self->page_size);
    bool guard  = self->config.page_mode && self->config.guard_page;
    *map_bytes  = *data_bytes + (guard ? self->page_size : 0);
    return *data_bytes != 0 && *map_bytes >= *data_bytes;
}

static uintptr_t block_address(const DebugAllocator *self, const u8 *map, size data_bytes,
                               size bytes) {
    size canary = self->config.canary_bytes;
    if (!self->config.page_mode) return (uintptr_t)map + alloc_align_up(canary, self->base.alignment);
    uintptr_t end = (uintptr_t)map + data_bytes - canary - bytes;
    return end & ~(uintptr_t)(self->base.alignment - 1);
}

// Forget a freed record for good: check and unmap its block, drop it from the index.
static void record_forget(DebugAllocator *self, u32 index, const char *function) {
    DebugRecord *record = debug_record_at(self, index);
    check_freed(self, record, function);
    if (record->map) alloc_os_unmap(&self->base, record->map, record->map_bytes);
    if (record->ptr && debug_index_find(self, record->ptr) == index + 1)
        debug_index_remove(self, record->ptr);
    debug_record_give_back(self, index);
}

// A quarantined record whose block was unmapped early (page mode could not protect it) may see
// its address handed out again: it leaves the index so that the new block owns the address;
// the ring still holds it until it is pushed out.
static void record_supersede(DebugAllocator *self, uintptr_t ptr) {
    u32 stale = debug_index_find(self, ptr);
    if (!stale) return;
    debug_index_remove(self, ptr);
    DebugRecord *record = debug_record_at(self, stale - 1);
    record->ptr         = 0;
}

// Map and record a new block; NULL when memory (for the block or the tables) is refused.
static void *block_create(DebugAllocator *self, size bytes, i8 zeroed, const DebugTrace *trace) {
    size data_bytes, map_bytes;
    u32  index;
    if (!block_geometry(self, bytes, &data_bytes, &map_bytes)) return NULL;
    if (!debug_record_take(self, &index)) return NULL;
    u8 *map = alloc_os_map_aligned(&self->base, map_bytes, self->base.alignment);
    if (!map) {
        debug_record_give_back(self, index);
        return NULL;
    }
    if (map_bytes > data_bytes) alloc_os_protect(map + data_bytes, map_bytes - data_bytes, ALLOC_PROT_NONE);
    uintptr_t ptr = block_address(self, map, data_bytes, bytes);
    record_supersede(self, ptr);
    DebugRecord *record = debug_record_at(self, index);
    *record = (DebugRecord){.ptr = ptr, .bytes = bytes, .map = map, .map_bytes = map_bytes,
                            .data_bytes = data_bytes, .serial = ++self->serial,
                            .state = DEBUG_RECORD_LIVE};
    record->alloc_depth = trace->depth;
    memcpy(record->frames, trace->frames, trace->depth * sizeof(void *));
    if (!zeroed) memset((void *)ptr, JUNK_BYTE, bytes);
    write_canaries(self, record);
    debug_index_insert(self, index);
    self->live_count += 1;
    return (void *)ptr;
}

// Free a live block: keep it and its record (with the free trace) in quarantine. Normal mode
// fills it with FREED_BYTE (checked when it leaves); page mode makes it PROT_NONE.
static void block_retire(DebugAllocator *self, u32 index, const DebugTrace *trace,
                         const char *function) {
    DebugRecord *record = debug_record_at(self, index);
    record->free_depth  = trace->depth;
    memcpy(debug_free_frames(self, record), trace->frames, trace->depth * sizeof(void *));
    record->state       = DEBUG_RECORD_FREED;
    self->live_count -= 1;
    if (!self->config.page_mode) {
        memset((void *)record->ptr, FREED_BYTE, record->bytes);
    } else if (!alloc_os_protect(record->map, record->data_bytes, ALLOC_PROT_NONE)) {
        alloc_os_unmap(&self->base, record->map, record->map_bytes); // cannot protect: drop it
        record->map = NULL;
    }
    u32 evicted = debug_quarantine_push(self, index);
    if (evicted) record_forget(self, evicted - 1, function);
}

// --- Vtable -----------------------------------------------------------------------------------

void *debug_allocator_allocate(DebugAllocator *self, size bytes, i8 zeroed) {
    enter(self, __func__);
    if (bytes == 0) return NULL;
    DebugTrace trace;
    debug_capture(&trace, self->config.backtrace_depth);
    void *ptr = block_create(self, bytes, zeroed, &trace);
    if (ALLOC_UNLIKELY(!ptr)) {
        alloc_stats_failed(&self->base);
        return NULL;
    }
    alloc_stats_allocated(&self->base, bytes, bytes);
    return ptr;
}

i8 debug_allocator_resize(DebugAllocator *self, void *ptr, size new_size) {
    enter(self, __func__);
    if (!ptr) return 0;
    DebugRecord *record = debug_record_at(self, live_record(self, ptr, __func__));
    check_canaries(self, record, __func__);
    size room = record->data_bytes - (size)(record->ptr - (uintptr_t)record->map);
    if (new_size == 0 || new_size > room - self->config.canary_bytes) return 0;
    size old = record->bytes;
    // [ block | C ] => [ block | junk | C ] (grow) or [ block | C | stale ] (shrink)
    if (new_size > old) memset((u8 *)ptr + old, JUNK_BYTE, new_size - old);
    record->bytes = new_size;
    write_canaries(self, record);
    alloc_stats_reallocated(&self->base, new_size, old, new_size);
    return 1;
}

void *debug_allocator_remap(DebugAllocator *self, void *ptr, size new_size) {
    enter(self, __func__);
    if (!ptr && new_size == 0) return NULL;
    DebugTrace trace;
    debug_capture(&trace, self->config.backtrace_depth);
    if (!ptr) {
        void *fresh = block_create(self, new_size, 1, &trace);
        if (fresh) alloc_stats_allocated(&self->base, new_size, new_size);
        else alloc_stats_failed(&self->base);
        return fresh;
    }
    u32 index = live_record(self, ptr, __func__);
    check_canaries(self, debug_record_at(self, index), __func__);
    size old = debug_record_at(self, index)->bytes;
    if (new_size == 0) {
        block_retire(self, index, &trace, __func__);
        alloc_stats_deallocated(&self->base, old);
        return NULL;
    }
    void *moved = block_create(self, new_size, 0, &trace); // may move the record table
    if (ALLOC_UNLIKELY(!moved)) {
        alloc_stats_failed(&self->base);
        return NULL;
    }
    memcpy(moved, ptr, old < new_size ? old : new_size);
    block_retire(self, index, &trace, __func__);
    alloc_stats_reallocated(&self->base, new_size, old, new_size);
    return moved;
}

size debug_allocator_deallocate(DebugAllocator *self, void *ptr) {
    enter(self, __func__);
    if (!ptr) return 0;
    u32 index = live_record(self, ptr, __func__);
    check_canaries(self, debug_record_at(self, index), __func__);
    size bytes = debug_record_at(self, index)->bytes;
    DebugTrace trace;
    debug_capture(&trace, self->config.backtrace_depth);
    block_retire(self, index, &trace, __func__);
    alloc_stats_deallocated(&self->base, bytes);
    return bytes;
}

// --- Queries, check, teardown -----------------------------------------------------------------

u32 DebugAllocatorLeakCount(DebugAllocator *self) {
    enter(self, __func__);
    return self->live_count;
}

static u32 report_leaks(const DebugAllocator *self) {
    u32  count = 0;
    size bytes = 0;
    for (u32 i = 0; i < self->record_used; ++i) {
        const DebugRecord *record = debug_record_at(self, i);
        if (record->state != DEBUG_RECORD_LIVE) continue;
        debug_emit_block(self, "leak", record);
        count += 1;
        bytes += record->bytes;
    }
    if (count == 0) return 0;
    DebugLine line;
    debug_line_start(&line);
    debug_line_number(&line, count);
    debug_line_text(&line, count == 1 ? " leaked block, " : " leaked blocks, ");
    debug_line_number(&line, bytes);
    debug_line_text(&line, " bytes");
    debug_line_emit(self, &line);
    return count;
}

u32 DebugAllocatorReportLeaks(DebugAllocator *self) {
    enter(self, __func__);
    return report_leaks(self);
}

typedef struct RecordCounts {
    u32  live, freed; // records in each state
    size in_use;      // bytes of the live blocks
} RecordCounts;

// Every used record: indexed under its address, canaries intact (live), in the ring (freed).
static RecordCounts check_records(const DebugAllocator *self, const char *function) {
    RecordCounts counts = {0, 0, 0};
    for (u32 i = 0; i < self->record_used; ++i) {
        DebugRecord *record = debug_record_at(self, i);
        if (record->state == DEBUG_RECORD_UNUSED) continue;
        bool indexed = record->ptr && debug_index_find(self, record->ptr) == i + 1;
        if (record->state == DEBUG_RECORD_LIVE && indexed) {
            check_canaries(self, record, function);
            counts.live += 1;
            counts.in_use += record->bytes;
        } else if (record->state == DEBUG_RECORD_FREED && (indexed || !record->ptr)) {
            if (!debug_quarantine_holds(self, i))
                AllocFatal(function, "corrupted allocator: quarantine", self);
            check_freed(self, record, function);
            counts.freed += 1;
        } else {
            AllocFatal(function, "corrupted allocator: record index", self);
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
    RecordCounts counts = check_records(self, __func__);
    if (counts.live != self->live_count)
        AllocFatal(__func__, "corrupted allocator: live count", self);
    if (counts.freed != self->quarantine_len)
        AllocFatal(__func__, "corrupted allocator: quarantine", self);
    check_free_list(self, self->record_used - counts.live - counts.freed, __func__);
    if (counts.in_use != self->base.stats.bytes_in_use)
        AllocFatal(__func__, "corrupted allocator: bytes in use", self);
}

void DebugAllocatorReleaseThread(DebugAllocator *self) {
    enter(self, __func__);
    __atomic_store_n(&self->owner_thread, NULL, __ATOMIC_RELEASE);
}

void DebugAllocatorDeinit(DebugAllocator *self) {
    enter(self, __func__);
    if (self->config.report_leaks_at_deinit) report_leaks(self);
    for (u32 i = 0; i < self->record_used; ++i) {
        DebugRecord *record = debug_record_at(self, i);
        if (record->state == DEBUG_RECORD_FREED) check_freed(self, record, __func__);
        if (record->state != DEBUG_RECORD_UNUSED && record->map)
            alloc_os_unmap(&self->base, record->map, record->map_bytes);
    }
    debug_tables_release(self);
    memset(self, 0, sizeof *self);
}
