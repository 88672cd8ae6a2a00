// SPDX-License-Identifier: MIT
// The bookkeeping of DebugAllocator, all in memory it maps itself: the record table (one record
// per block, with its backtraces), the open-addressing index from block address to record, the
// quarantine ring of freed records, and the report lines (backtrace capture and symbolisation,
// the stderr/callback sink). Entry points: debug_record_take, debug_index_*, debug_quarantine_push,
// debug_emit_*; see debug_internal.h.
#include "debug_internal.h"

#include <unistd.h> // write
#if defined(__GLIBC__)
#include <dlfcn.h>    // dladdr: symbol and module of a frame, without malloc
#include <execinfo.h> // backtrace
#endif

enum { FIRST_RECORDS = 64 };

// --- Address index ----------------------------------------------------------------------------

static u32 home_slot(uintptr_t ptr, u32 cap) {
    u64 x = (u64)ptr;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (u32)(x & (cap - 1));
}

static void index_put(u32 *slots, u32 cap, uintptr_t ptr, u32 index) {
    u32 slot = home_slot(ptr, cap);
    while (slots[slot]) slot = (slot + 1) & (cap - 1);
    slots[slot] = index + 1;
}

void debug_index_insert(DebugAllocator *self, u32 index) {
    index_put(self->index, self->index_cap, debug_record_at(self, index)->ptr, index);
}

static u32 index_slot_of(const DebugAllocator *self, uintptr_t ptr, u32 *slot_out) {
    if (!self->index) return 0;
    u32 mask = self->index_cap - 1;
    for (u32 slot = home_slot(ptr, self->index_cap);; slot = (slot + 1) & mask) {
        u32 entry = self->index[slot];
        if (!entry) return 0;
        if (debug_record_at(self, entry - 1)->ptr == ptr) {
            if (slot_out) *slot_out = slot;
            return entry;
        }
    }
}

u32 debug_index_find(const DebugAllocator *self, uintptr_t ptr) {
    return index_slot_of(self, ptr, NULL);
}

void debug_index_remove(DebugAllocator *self, uintptr_t ptr) {
    u32 hole = 0;
    if (!index_slot_of(self, ptr, &hole)) return;
    // Backward-shift deletion keeps every probe chain unbroken without tombstones:
    // [ hole ][ x (home <= hole) ] => [ x ][ hole ]
    u32 mask = self->index_cap - 1;
    self->index[hole] = 0;
    for (u32 slot = (hole + 1) & mask; self->index[slot]; slot = (slot + 1) & mask) {
        u32  home  = home_slot(debug_record_at(self, self->index[slot] - 1)->ptr, self->index_cap);
        bool stays = hole <= slot ? (home > hole && home <= slot) : (home > hole || home <= slot);
        if (stays) continue;
        self->index[hole] = self->index[slot];
        self->index[slot] = 0;
        hole              = slot;
    }
}

// --- Record table -----------------------------------------------------------------------------

// Map an index for `record_cap` records and fill it from the records in use.
static bool index_rebuild(DebugAllocator *self, u32 record_cap) {
    u32 cap = 16;
    while (cap < 2 * record_cap) cap *= 2;
    size bytes = alloc_align_up((size)cap * sizeof(u32), self->page_size);
    u32 *slots = alloc_os_map(&self->base, bytes);
    if (!slots) return false;
    for (u32 i = 0; i < self->record_used; ++i) {
        DebugRecord *record = debug_record_at(self, i);
        if (record->state != DEBUG_RECORD_UNUSED) index_put(slots, cap, record->ptr, i);
    }
    alloc_os_unmap(&self->base, self->index, self->index_bytes);
    self->index       = slots;
    self->index_bytes = bytes;
    self->index_cap   = cap;
    return true;
}

// Double the record table (the first one holds FIRST_RECORDS) and re-index.
static bool records_grow(DebugAllocator *self) {
    size old_bytes = self->records_bytes;
    size new_bytes = old_bytes ? 2 * old_bytes
                               : alloc_align_up(FIRST_RECORDS * self->record_stride, self->page_size);
    size new_cap   = new_bytes / self->record_stride;
    if (new_bytes < old_bytes || new_cap > (u32)-1 / 4) return false;
    u8 *records = old_bytes ? alloc_os_remap(&self->base, self->records, old_bytes, new_bytes, true)
                            : alloc_os_map(&self->base, new_bytes);
    if (!records) return false;
    self->records       = records;
    self->records_bytes = new_bytes;
    if (!index_rebuild(self, (u32)new_cap)) return false; // the larger table stays, unused
    self->record_cap = (u32)new_cap;
    return true;
}

bool debug_record_take(DebugAllocator *self, u32 *index_out) {
    u32 index;
    if (self->record_free) {
        index             = self->record_free - 1;
        self->record_free = debug_record_at(self, index)->next_free;
    } else {
        if (self->record_used == self->record_cap && !records_grow(self)) return false;
        index = self->record_used++;
    }
    memset(debug_record_at(self, index), 0, sizeof(DebugRecord));
    *index_out = index;
    return true;
}

void debug_record_give_back(DebugAllocator *self, u32 index) {
    DebugRecord *record = debug_record_at(self, index);
    memset(record, 0, sizeof *record);
    record->next_free = self->record_free;
    self->record_free = index + 1;
}

DebugRecord *debug_find_containing(const DebugAllocator *self, uintptr_t ptr) {
    for (u32 i = 0; i < self->record_used; ++i) {
        DebugRecord *record = debug_record_at(self, i);
        if (record->state == DEBUG_RECORD_UNUSED) continue;
        if (ptr >= record->ptr && ptr - record->ptr < (record->bytes ? record->bytes : 1)) return record;
    }
    return NULL;
}

void debug_tables_release(DebugAllocator *self) {
    alloc_os_unmap(&self->base, self->records, self->records_bytes);
    alloc_os_unmap(&self->base, self->index, self->index_bytes);
    alloc_os_unmap(&self->base, self->quarantine, self->quarantine_bytes);
}

// --- Quarantine -------------------------------------------------------------------------------

u32 debug_quarantine_push(DebugAllocator *self, u32 index) {
    u32 cap = self->config.quarantine;
    if (cap == 0) return index + 1;
    if (!self->quarantine) {
        size bytes = alloc_align_up((size)cap * sizeof(u32), self->page_size);
        self->quarantine = alloc_os_map(&self->base, bytes);
        if (!self->quarantine) return index + 1; // no ring: forget the record at once
        self->quarantine_bytes = bytes;
    }
    if (self->quarantine_len < cap) {
        self->quarantine[(self->quarantine_head + self->quarantine_len++) % cap] = index;
        return 0;
    }
    // Full ring: [ oldest | ... ] => [ ... | index ], the oldest comes back to the caller.
    u32 oldest                             = self->quarantine[self->quarantine_head];
    self->quarantine[self->quarantine_head] = index;
    self->quarantine_head                   = (self->quarantine_head + 1) % cap;
    return oldest + 1;
}

bool debug_quarantine_holds(const DebugAllocator *self, u32 index) {
    u32 cap = self->config.quarantine;
    for (u32 i = 0; i < self->quarantine_len; ++i)
        if (self->quarantine[(self->quarantine_head + i) % cap] == index) return true;
    return false;
}

// --- Backtraces -------------------------------------------------------------------------------

// Frames to drop: debug_capture itself and the public entry point that called it.
enum { SKIPPED_FRAMES = 2 };

__attribute__((noinline)) void debug_capture(DebugTrace *trace, u32 depth) {
    trace->depth = 0;
#if defined(__GLIBC__)
    if (depth == 0) return;
    void *all[DEBUG_ALLOCATOR_MAX_BACKTRACE_DEPTH + SKIPPED_FRAMES];
    int   got = backtrace(all, (int)depth + SKIPPED_FRAMES);
    if (got <= SKIPPED_FRAMES) return;
    trace->depth = (u32)got - SKIPPED_FRAMES;
    memcpy(trace->frames, all + SKIPPED_FRAMES, trace->depth * sizeof(void *));
#else
    (void)depth;
#endif
}

// --- Report lines -----------------------------------------------------------------------------

void debug_line_start(DebugLine *line) {
    line->len = 0;
    debug_line_text(line, "alloc: debug: ");
}

void debug_line_text(DebugLine *line, const char *text) {
    while (*text && line->len + 2 < sizeof line->text) line->text[line->len++] = *text++;
    line->text[line->len] = '\0';
}

static void line_digits(DebugLine *line, u64 value, u32 base) {
    char digits[24];
    int  n = 0;
    do {
        digits[n++] = "0123456789abcdef"[value % base];
        value /= base;
    } while (value);
    char text[24];
    int  at = 0;
    while (n) text[at++] = digits[--n];
    text[at] = '\0';
    debug_line_text(line, text);
}

void debug_line_number(DebugLine *line, u64 value) { line_digits(line, value, 10); }

void debug_line_pointer(DebugLine *line, const void *pointer) {
    if (!pointer) {
        debug_line_text(line, "(nil)");
        return;
    }
    debug_line_text(line, "0x");
    line_digits(line, (u64)(uintptr_t)pointer, 16);
}

static void write_all(const char *text, size len) {
    while (len) {
        ssize_t written = write(2, text, len);
        if (written <= 0) return;
        text += written;
        len -= (size)written;
    }
}

void debug_line_emit(const DebugAllocator *self, DebugLine *line) {
    if (self->config.report) {
        self->config.report(line->text, self->config.report_context);
        return;
    }
    line->text[line->len] = '\n'; // room kept by debug_line_text
    write_all(line->text, line->len + 1);
    line->text[line->len] = '\0';
}

static void line_frame_symbol(DebugLine *line, void *frame) {
#if defined(__GLIBC__)
    Dl_info info;
    if (!dladdr(frame, &info)) return;
    if (info.dli_sname && info.dli_saddr) {
        debug_line_text(line, " ");
        debug_line_text(line, info.dli_sname);
        debug_line_text(line, "+0x");
        line_digits(line, (u64)((uintptr_t)frame - (uintptr_t)info.dli_saddr), 16);
    }
    if (info.dli_fname && info.dli_fbase) {
        debug_line_text(line, " (");
        debug_line_text(line, info.dli_fname);
        debug_line_text(line, "+0x");
        line_digits(line, (u64)((uintptr_t)frame - (uintptr_t)info.dli_fbase), 16);
        debug_line_text(line, ")");
    }
#else
    (void)line;
    (void)frame;
#endif
}

void debug_emit_trace(const DebugAllocator *self, void *const *frames, u32 depth) {
    DebugLine line;
    if (depth == 0) {
        debug_line_start(&line);
        debug_line_text(&line, "    (no backtrace recorded)");
        debug_line_emit(self, &line);
    }
    for (u32 i = 0; i < depth; ++i) {
        debug_line_start(&line);
        debug_line_text(&line, "    #");
        debug_line_number(&line, i);
        debug_line_text(&line, " ");
        debug_line_pointer(&line, frames[i]);
        line_frame_symbol(&line, frames[i]);
        debug_line_emit(self, &line);
    }
}

void debug_emit_block(const DebugAllocator *self, const char *what, const DebugRecord *record) {
    DebugLine line;
    debug_line_start(&line);
    debug_line_text(&line, what);
    debug_line_text(&line, ": ");
    debug_line_number(&line, record->bytes);
    debug_line_text(&line, " bytes at ");
    debug_line_pointer(&line, (const void *)record->ptr);
    debug_line_text(&line, " allocated at:");
    debug_line_emit(self, &line);
    debug_emit_trace(self, record->frames, record->alloc_depth);
}
