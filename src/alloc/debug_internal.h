// SPDX-License-Identifier: MIT
// Private interface between the parts of DebugAllocator: Debug.c (entry points, block layout,
// canaries, pointer validation), debug_records.c (record table, address index, quarantine ring),
// debug_stacks.c (frame walk and the deduplicated backtrace store) and debug_report.c (report
// lines, symbolisation, leak groups). liballoc-debug.so (src/debugmalloc/) uses the entry points
// marked "for the debug malloc" to pass its own backtraces, allocation kinds and per-call
// alignments. Every name carries the `debug_` prefix; nothing here is public.
#ifndef ALLOC_DEBUG_INTERNAL_H
#define ALLOC_DEBUG_INTERNAL_H

#include "alloc/Debug.h"
#include "alloc/Types.h" // opt-in short names (size, u8, i8…)
#include "addrmap.h"  // the address index, read inline
#include "internal.h"

// Record states.
enum { DEBUG_RECORD_UNUSED = 0, DEBUG_RECORD_LIVE = 1, DEBUG_RECORD_FREED = 2 };

// How a block was allocated, so that a release by the wrong family is reported (the debug
// malloc's operator new/delete); the allocator's own API always uses DEBUG_KIND_PLAIN.
enum {
    DEBUG_KIND_PLAIN         = 0, // the Allocator API, malloc & co.
    DEBUG_KIND_NEW           = 1, // operator new
    DEBUG_KIND_NEW_ARRAY     = 2, // operator new[]
    DEBUG_KIND_NEW_ALIGNED   = 3, // operator new(size, align_val_t)
    DEBUG_KIND_ARRAY_ALIGNED = 4, // operator new[](size, align_val_t)
};

// What the allocator knows about one block; lives in the `records` table, never in the block.
// A record is LIVE from allocation to free, then FREED while its index is in the quarantine ring
// (still found by address, to report a double free), then UNUSED on the free list.
typedef struct DebugRecord {
    uintptr_t ptr;         // user address of the block
    size      bytes;       // requested size
    u8       *raw;         // heap block (canaries included), or the start of the block's mapping
    size      map_bytes;   // mapped blocks: length of the mapping, guard page included; 0 = heap
    size      data_bytes;  // mapped blocks: readable-writable part from `raw`; heap: usable size
    u64       serial;      // 1 for the allocator's first allocation, and so on
    u32       state;       // DEBUG_RECORD_*
    u32       next_free;   // free-list link, index + 1
    u32       alloc_stack; // backtrace id of the allocation, 0 = none
    u32       free_stack;  // backtrace id of the free, 0 = none
    u32       alignment;   // log2 of the alignment asked for
    u8        kind;        // DEBUG_KIND_*
    u8        guarded;     // sampled block against a guard page
    u8        released;    // mapped block unmapped early (could not be protected)
    u8        spare;
} DebugRecord;

_Static_assert(sizeof(DebugRecord) % sizeof(void *) == 0, "records must stay pointer-aligned");

static inline DebugRecord *debug_record_at(const DebugAllocator *self, u32 index) {
    return (DebugRecord *)(void *)self->records + index;
}

static inline bool debug_record_mapped(const DebugRecord *record) { return record->map_bytes != 0; }

// Start loading a record: both cache lines, since a 72-byte record may straddle two.
static inline void debug_record_prefetch(const DebugRecord *record) {
    __builtin_prefetch(record);
    __builtin_prefetch((const u8 *)(record + 1) - 1);
}

// --- Record table and index (debug_records.c) -------------------------------------------------

// debug_record_take when the index has room and the free list is empty or the tables must grow.
bool debug_record_take_slow(DebugAllocator *self, u32 *index_out);

// Take an unused record (zeroed), growing the tables when needed; false when the OS refuses
// memory. Inline: the common case (room in the index, a record on the free list) is a few moves.
static inline bool debug_record_take(DebugAllocator *self, u32 *index_out) {
    // Room for one more index entry, the map staying at most a quarter full (short probe chains
    // for the insert and the remove every block costs): the pending block's, stored when this
    // one's record is inserted (this one then waits in its place).
    if (ALLOC_UNLIKELY(4 * (self->index.len + 1) > addrmap_capacity(&self->index) ||
                       !self->record_free))
        return debug_record_take_slow(self, index_out);
    u32 index         = self->record_free - 1;
    self->record_free = debug_record_at(self, index)->next_free;
    memset(debug_record_at(self, index), 0, sizeof(DebugRecord));
    *index_out = index;
    return true;
}

// Put a record back on the free list (it must not be in the index any more).
static inline void debug_record_give_back(DebugAllocator *self, u32 index) {
    DebugRecord *record = debug_record_at(self, index);
    memset(record, 0, sizeof *record);
    record->next_free = self->record_free;
    self->record_free = index + 1;
}
// Index the record under its `ptr` (it waits in `index_pending` until the next insert; every
// index function sees it); the slot is guaranteed (tables grow in debug_record_take).
void debug_index_insert(DebugAllocator *self, u32 index);
// Record index + 1 of the block at exactly `ptr`, or 0.
static inline u32 debug_index_find(const DebugAllocator *self, uintptr_t ptr) {
    if (self->index_pending && debug_record_at(self, self->index_pending - 1)->ptr == ptr)
        return self->index_pending;
    return (u32)addrmap_find(&self->index, ptr);
}
// Start loading the index slot where `ptr` would be found; changes nothing. The debug malloc
// calls it on entry to a free, so that the miss overlaps the backtrace.
static inline void debug_index_prefetch(const DebugAllocator *self, const void *ptr) {
    if (!self->index.slots) return;
    __builtin_prefetch(&self->index.slots[addrmap_home(&self->index, (uintptr_t)ptr)]);
}
// Remove the record of the block at `ptr` from the index.
void debug_index_remove(DebugAllocator *self, uintptr_t ptr);
// Remove `ptr` from the index when it names record `index` (one probe: the entry another
// record owns stays).
void debug_index_remove_record(DebugAllocator *self, uintptr_t ptr, u32 index);
// Record of a live or freed block whose bytes (or, with `with_pages`, whose mapping and guard
// page) contain `ptr`, or NULL; live records win over freed ones. Linear: for error paths.
DebugRecord *debug_find_containing(const DebugAllocator *self, uintptr_t ptr, bool with_pages);
// Unmap every table; the caller zeroes the struct.
void debug_tables_release(DebugAllocator *self);

// --- Quarantine (debug_records.c) -------------------------------------------------------------

// Position `offset` (< the ring's capacity) entries after the oldest: a compare, not a division
// (a free pays for several of these).
static inline u32 debug_ring_slot(const DebugAllocator *self, u32 offset) {
    u32 at = self->quarantine_head + offset;
    return at >= self->config.quarantine ? at - self->config.quarantine : at;
}
// Map the ring (its first push); false when the OS refuses.
bool debug_quarantine_map(DebugAllocator *self);
// Append a FREED record. Returns true when the ring holds it; false when it cannot (a zero-size
// quarantine, or no memory for the ring): the caller forgets it at once.
static inline bool debug_quarantine_push(DebugAllocator *self, u32 index) {
    u32 cap = self->config.quarantine;
    if (cap == 0) return false;
    if (ALLOC_UNLIKELY(!self->quarantine) && !debug_quarantine_map(self))
        return false; // no ring: forget the record at once
    if (self->quarantine_len == cap) return false; // the caller pops before it pushes
    self->quarantine[debug_ring_slot(self, self->quarantine_len++)] = index;
    self->quarantined_bytes += debug_record_at(self, index)->bytes;
    return true;
}
// Whether the ring holds config.quarantine entries: the oldest must leave before a push.
static inline bool debug_quarantine_full(const DebugAllocator *self) {
    return self->quarantine_len != 0 && self->quarantine_len == self->config.quarantine;
}
// Whether the ring holds more than config.quarantine_bytes in more than one block: the oldest
// must leave (the newest block stays, however large).
static inline bool debug_quarantine_over(const DebugAllocator *self) {
    return self->quarantine_len > 1 && self->config.quarantine_bytes &&
           self->quarantined_bytes > self->config.quarantine_bytes;
}
// Keep the PROT_NONE mapping [raw, raw + map_bytes) of a sampled block that left the quarantine
// for reuse; false when it is not kept (the caller unmaps it).
bool debug_spare_put(DebugAllocator *self, u8 *raw, size map_bytes);
// A kept mapping of exactly `map_bytes` (still PROT_NONE), or NULL.
u8 *debug_spare_take(DebugAllocator *self, size map_bytes);
// Remove and return the oldest entry (the ring must not be empty).
static inline u32 debug_quarantine_pop(DebugAllocator *self) {
    // [ oldest | ... ] => [ ... ]: FIFO, the block freed first leaves first.
    u32 oldest            = self->quarantine[self->quarantine_head];
    self->quarantine_head = debug_ring_slot(self, 1);
    self->quarantine_len -= 1;
    self->quarantined_bytes -= debug_record_at(self, oldest)->bytes;
    return oldest;
}
// Start loading what the next evictions will read (records, blocks, index slots); changes nothing.
void debug_quarantine_prefetch(const DebugAllocator *self);
// Whether a FREED record's index is in the ring (for DebugAllocatorCheck).
bool debug_quarantine_holds(const DebugAllocator *self, u32 index);

// --- Backtraces (debug_stacks.c) --------------------------------------------------------------

// A backtrace taken in an entry point, before it is stored.
typedef struct DebugTrace {
    void *frames[DEBUG_ALLOCATOR_MAX_BACKTRACE_DEPTH];
    u32   depth;
} DebugTrace;

// Fill `trace` with up to config.backtrace_depth frames: `pc` (the caller's return address) as
// frame #0, then the frames found by walking from `frame` (the caller's frame record: the address
// holding its saved frame pointer and return address) upward, below `stack_top` (0: the
// allocator finds the calling thread's stack top itself and caches it).
void debug_capture(DebugAllocator *self, DebugTrace *trace, void *pc, void *const *frame,
                   uintptr_t stack_top);
// The frame-pointer walk itself: `pc` as frame #0, then the return addresses of the frame
// records from `fp` (the record of pc's function) upward, each above `low` and below
// `stack_top` (0: the calling thread's, cached). A fault handler passes the faulting registers.
void debug_capture_frames(DebugAllocator *self, DebugTrace *trace, void *pc, uintptr_t fp,
                          uintptr_t low, uintptr_t stack_top);
// The capture of an entry point: frame #0 is the code that called it.
#define DEBUG_CAPTURE(self, trace)                                                                 \
    debug_capture((self), (trace), __builtin_return_address(0),                                    \
                  (void *const *)__builtin_frame_address(0), 0)
// The highest address of the calling thread's stack, which holds address `near` (the main
// thread's from glibc's __libc_stack_end, else from pthread_getattr_np); 0 when unknown.
uintptr_t debug_thread_stack_top(uintptr_t near);
// Store a trace once: returns its id (same frames, same id), or 0 for an empty trace or when
// the OS refuses memory for the store.
u32 debug_stack_store(DebugAllocator *self, const DebugTrace *trace);
// The frames of a stored trace; `*depth` gets their count (0 for id 0).
void *const *debug_stack_frames(const DebugAllocator *self, u32 id, u32 *depth);
// Sampled mode: whether the block just allocated from stack `id` is among the first
// config.sample_first of that stack (counted: true once per call until the count is reached).
bool debug_stack_take_sample(DebugAllocator *self, u32 id);
// Unmap the store.
void debug_stacks_release(DebugAllocator *self);

// --- Reports (debug_report.c) -----------------------------------------------------------------

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
// Emit `title` (a line of its own) then one line per frame of stored trace `id`:
// "alloc: debug:     #I 0xADDR in function file:line" (symbolised) or
// "alloc: debug:     #I 0xADDR function+0xOFF (module+0xOFF)".
void debug_emit_stack(const DebugAllocator *self, const char *title, u32 id);
// The same for frames not stored; `pc_first`: frames[0] is the pc of a faulting instruction,
// not a return address.
void debug_emit_frames(const DebugAllocator *self, const char *title, void *const *frames,
                       u32 depth, bool pc_first);
// Emit the head line of a bug report: "alloc: debug: ERROR: <bug>: 0xADDR: ..." saying where
// `address` lies relative to `record` (offset in, bytes before or past an N-byte block), or that
// no block contains it when `record` is NULL.
void debug_emit_bug(const DebugAllocator *self, const char *bug, const void *address,
                    const DebugRecord *record);
// Emit the traces of a block: "freed at:" (freed blocks) then "allocated at:".
void debug_emit_block_traces(const DebugAllocator *self, const DebugRecord *record);
// Report the live blocks grouped by allocation stack, largest group first, then the summary
// line; `keep(self, record, context)` filters (NULL: every live block). Returns the blocks
// reported; nothing is printed when there are none. Uses scratch memory mapped for the call.
typedef bool (*DebugLeakFilter)(const DebugAllocator *self, u32 index, void *context);
u32 debug_report_leak_groups(DebugAllocator *self, DebugLeakFilter keep, void *context);

// --- Entry points for the debug malloc (Debug.c) ----------------------------------------------

// As debug_allocator_allocate with a per-call alignment (a power of two, at least the
// allocator's), an allocation kind and a trace taken by the caller; `function` names the call
// in fatal lines. Counts stats like the public entry points.
void *debug_allocate_with(DebugAllocator *self, size bytes, i8 zeroed, size alignment, u8 kind,
                          const DebugTrace *trace, const char *function);
// As debug_allocator_deallocate, checking that the block was allocated with `kind` and (when
// `alignment` is not 0) that alignment; `trace` is the free's.
size debug_deallocate_with(DebugAllocator *self, void *ptr, u8 kind, size alignment,
                           const DebugTrace *trace, const char *function);
// realloc: NULL allocates, size 0 frees (returns NULL), otherwise moves the block (always) and
// quarantines the old one. NULL with the block untouched when memory is refused.
void *debug_reallocate_with(DebugAllocator *self, void *ptr, size bytes, const DebugTrace *trace,
                            const char *function);
// Requested size of a live block (malloc_usable_size); aborts on a bad pointer.
size debug_block_size(DebugAllocator *self, const void *ptr, const char *function);
// Check every live block's canaries and every quarantined block's fill (at exit).
void debug_check_blocks(DebugAllocator *self, const char *function);

#endif // ALLOC_DEBUG_INTERNAL_H
