// SPDX-License-Identifier: MIT
// Private interface between Debug.c (the DebugAllocator entry points, block layout and canaries)
// and debug_records.c (the record table, the address index, the quarantine ring, backtraces and
// the report lines). Every name carries the `debug_` prefix; nothing here is public.
#ifndef ALLOC_DEBUG_INTERNAL_H
#define ALLOC_DEBUG_INTERNAL_H

#include "alloc/Debug.h"
#include "internal.h"

// Record states.
enum { DEBUG_RECORD_UNUSED = 0, DEBUG_RECORD_LIVE = 1, DEBUG_RECORD_FREED = 2 };

// What the allocator knows about one block; lives in the `records` table, never in the block.
// A record is LIVE from allocation to free, then FREED while its index is in the quarantine ring
// (still found by address, to report a double free), then UNUSED on the free list.
typedef struct DebugRecord {
    uintptr_t ptr;         // user address of the block
    size      bytes;       // requested size
    u8       *map;         // start of the block's mapping; NULL once unmapped
    size      map_bytes;   // length of the mapping, guard page included
    size      data_bytes;  // readable-writable part of the mapping, from `map`
    u64       serial;      // 1 for the allocator's first allocation, and so on
    u32       state;       // DEBUG_RECORD_*
    u32       next_free;   // free-list link, index + 1
    u32       alloc_depth; // frames in the allocation trace
    u32       free_depth;  // frames in the free trace
    void     *frames[];    // config.backtrace_depth allocation frames, then as many free frames
} DebugRecord;

_Static_assert(sizeof(DebugRecord) % sizeof(void *) == 0, "records must stay pointer-aligned");

static inline DebugRecord *debug_record_at(const DebugAllocator *self, u32 index) {
    return (DebugRecord *)(void *)(self->records + (size)index * self->record_stride);
}

static inline void **debug_free_frames(const DebugAllocator *self, DebugRecord *record) {
    return record->frames + self->config.backtrace_depth;
}

// --- Record table and index (debug_records.c) -------------------------------------------------

// Take an unused record, growing the tables when needed; false when the OS refuses memory.
bool debug_record_take(DebugAllocator *self, u32 *index_out);
// Put a record back on the free list (it must not be in the index any more).
void debug_record_give_back(DebugAllocator *self, u32 index);
// Index the record under its `ptr`; the slot is guaranteed (tables grow in debug_record_take).
void debug_index_insert(DebugAllocator *self, u32 index);
// Record index + 1 of the block at exactly `ptr`, or 0.
u32 debug_index_find(const DebugAllocator *self, uintptr_t ptr);
// Remove the record of the block at `ptr` from the index.
void debug_index_remove(DebugAllocator *self, uintptr_t ptr);
// Record of a live or freed block whose bytes contain `ptr` (interior pointers), or NULL.
DebugRecord *debug_find_containing(const DebugAllocator *self, uintptr_t ptr);
// Unmap every table; the caller zeroes the struct.
void debug_tables_release(DebugAllocator *self);

// --- Quarantine (debug_records.c) -------------------------------------------------------------

// Append a FREED record; returns the index + 1 of the record pushed out (oldest), or 0. With a
// zero-size quarantine the record itself comes back at once.
u32 debug_quarantine_push(DebugAllocator *self, u32 index);
// Whether a FREED record's index is in the ring (for DebugAllocatorCheck).
bool debug_quarantine_holds(const DebugAllocator *self, u32 index);

// --- Backtraces and reports (debug_records.c) -------------------------------------------------

// A backtrace taken in a public entry point, before it is stored in a record.
typedef struct DebugTrace {
    void *frames[DEBUG_ALLOCATOR_MAX_BACKTRACE_DEPTH];
    u32   depth;
} DebugTrace;
// Capture up to `depth` frames into `trace`, starting with the caller of the function that calls
// debug_capture (call it directly from the public entry point: its caller is the user's code).
void debug_capture(DebugTrace *trace, u32 depth);
// A report line under construction: "alloc: debug: " then appended text.
typedef struct DebugLine {
    char text[384];
    size len;
} DebugLine;
void debug_line_start(DebugLine *line);
void debug_line_text(DebugLine *line, const char *text);
void debug_line_number(DebugLine *line, u64 value);
void debug_line_pointer(DebugLine *line, const void *pointer);
// Hand the line to the configured sink (default: stderr via write(2)).
void debug_line_emit(const DebugAllocator *self, DebugLine *line);
// Emit one line per frame: "alloc: debug:     #I 0xADDR function+0xOFF (module+0xOFF)".
void debug_emit_trace(const DebugAllocator *self, void *const *frames, u32 depth);
// Emit "alloc: debug: <what>: N bytes at P allocated at:" and the allocation trace.
void debug_emit_block(const DebugAllocator *self, const char *what, const DebugRecord *record);

#endif // ALLOC_DEBUG_INTERNAL_H
