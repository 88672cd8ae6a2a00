// SPDX-License-Identifier: MIT
// The bookkeeping of DebugAllocator, all in memory it maps itself: the record table (one record
// per block), the open-addressing index from block address to record, and the quarantine ring
// of freed records, bounded in entries and in bytes. Entry points: debug_record_take,
// debug_index_*, debug_quarantine_*; see debug_internal.h.
#include "debug_internal.h"

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
                               : alloc_align_up(FIRST_RECORDS * sizeof(DebugRecord), self->page_size);
    size new_cap   = new_bytes / sizeof(DebugRecord);
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

// Whether `ptr` lies in the record's block or, with `with_pages`, in its mapping.
static bool contains(const DebugRecord *record, uintptr_t ptr, bool with_pages) {
    if (!record->ptr) return false;
    if (ptr >= record->ptr && ptr - record->ptr < (record->bytes ? record->bytes : 1)) return true;
    if (!with_pages || !debug_record_mapped(record) || record->released) return false;
    return ptr >= (uintptr_t)record->raw && ptr - (uintptr_t)record->raw < record->map_bytes;
}

DebugRecord *debug_find_containing(const DebugAllocator *self, uintptr_t ptr, bool with_pages) {
    DebugRecord *freed = NULL;
    for (u32 i = 0; i < self->record_used; ++i) {
        DebugRecord *record = debug_record_at(self, i);
        if (record->state == DEBUG_RECORD_UNUSED || !contains(record, ptr, with_pages)) continue;
        if (record->state == DEBUG_RECORD_LIVE) return record;
        if (!freed || record->serial > freed->serial) freed = record; // the latest free
    }
    return freed;
}

void debug_tables_release(DebugAllocator *self) {
    alloc_os_unmap(&self->base, self->records, self->records_bytes);
    alloc_os_unmap(&self->base, self->index, self->index_bytes);
    alloc_os_unmap(&self->base, self->quarantine, self->quarantine_bytes);
    debug_stacks_release(self);
}

// --- Quarantine -------------------------------------------------------------------------------

bool debug_quarantine_push(DebugAllocator *self, u32 index) {
    u32 cap = self->config.quarantine;
    if (cap == 0) return false;
    if (!self->quarantine) {
        size bytes = alloc_align_up((size)cap * sizeof(u32), self->page_size);
        self->quarantine = alloc_os_map(&self->base, bytes);
        if (!self->quarantine) return false; // no ring: forget the record at once
        self->quarantine_bytes = bytes;
    }
    if (self->quarantine_len == cap) return false; // the caller pops before it pushes
    self->quarantine[(self->quarantine_head + self->quarantine_len++) % cap] = index;
    self->quarantined_bytes += debug_record_at(self, index)->bytes;
    return true;
}

bool debug_quarantine_full(const DebugAllocator *self) {
    return self->quarantine_len != 0 && self->quarantine_len == self->config.quarantine;
}

bool debug_quarantine_over(const DebugAllocator *self) {
    return self->quarantine_len > 1 && self->config.quarantine_bytes &&
           self->quarantined_bytes > self->config.quarantine_bytes;
}

u32 debug_quarantine_pop(DebugAllocator *self) {
    // [ oldest | ... ] => [ ... ]: FIFO, the block freed first leaves first.
    u32 oldest            = self->quarantine[self->quarantine_head];
    self->quarantine_head = (self->quarantine_head + 1) % self->config.quarantine;
    self->quarantine_len -= 1;
    self->quarantined_bytes -= debug_record_at(self, oldest)->bytes;
    return oldest;
}

bool debug_quarantine_holds(const DebugAllocator *self, u32 index) {
    u32 cap = self->config.quarantine;
    for (u32 i = 0; i < self->quarantine_len; ++i)
        if (self->quarantine[(self->quarantine_head + i) % cap] == index) return true;
    return false;
}
