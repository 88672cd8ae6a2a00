// SPDX-License-Identifier: MIT
// The bookkeeping of DebugAllocator, all in memory it maps itself: the record table (one record
// per block), the index from block address to record (the library's address map), and the quarantine ring
// of freed records, bounded in entries and in bytes. Entry points: debug_record_take,
// debug_index_*, debug_quarantine_*; see debug_internal.h.
#include "addrmap.h"
#include "debug_internal.h"

enum { FIRST_RECORDS = 64 };

// --- Address index: the library's address map (addrmap.h), block address -> record index + 1 --
//
// The newest block waits in `index_pending` and enters the map at the next insert: its slot,
// prefetched now, has arrived by then (a fresh address is rarely in the cache), and a block freed
// before the next allocation is found without touching the map at all.

void debug_index_insert(DebugAllocator *self, u32 index) {
    if (self->index_pending) {
        u32  waiting = self->index_pending - 1;
        bool stored  = addrmap_insert(&self->index, &self->base, debug_record_at(self, waiting)->ptr,
                                      (uintptr_t)waiting + 1);
        ALLOC_ASSERT(stored); // room reserved by debug_record_take
        (void)stored;
    }
    self->index_pending = index + 1;
    debug_index_prefetch(self, (const void *)debug_record_at(self, index)->ptr);
}

void debug_index_remove(DebugAllocator *self, uintptr_t ptr) {
    if (self->index_pending && debug_record_at(self, self->index_pending - 1)->ptr == ptr)
        self->index_pending = 0;
    else addrmap_remove(&self->index, ptr);
}

void debug_index_remove_record(DebugAllocator *self, uintptr_t ptr, u32 index) {
    if (self->index_pending && debug_record_at(self, self->index_pending - 1)->ptr == ptr) {
        if (self->index_pending == index + 1) self->index_pending = 0;
        return;
    }
    uintptr_t found = addrmap_remove(&self->index, ptr);
    if (ALLOC_UNLIKELY(found && found != (uintptr_t)index + 1)) { // another record's: put it back
        bool stored = addrmap_insert(&self->index, &self->base, ptr, found); // the slot just freed
        ALLOC_ASSERT(stored);
        (void)stored;
    }
}

// --- Record table -----------------------------------------------------------------------------

// Double the record table (the first one holds FIRST_RECORDS).
static bool records_grow(DebugAllocator *self) {
    size old_bytes = self->records_bytes;
    size new_bytes = old_bytes ? 2 * old_bytes
                               : alloc_align_up(FIRST_RECORDS * sizeof(DebugRecord), self->page_size);
    size new_cap   = new_bytes / sizeof(DebugRecord);
    if (new_bytes < old_bytes || new_cap > (u32)-1 / 4) return false;
    u8 *records = old_bytes ? alloc_os_remap(&self->base, self->records, old_bytes, new_bytes, true)
                            : alloc_os_map(&self->base, new_bytes);
    if (!records) return false;
    // A large table read at random: huge pages for its part not touched yet (the hint is kept
    // across later remaps of the same mapping).
    if (new_bytes >= (size)2 << 20) alloc_os_advise_huge(records, new_bytes);
    self->records       = records;
    self->records_bytes = new_bytes;
    self->record_cap    = (u32)new_cap;
    return true;
}

// debug_record_take past its inline fast path: reserve index room, grow the record table.
bool debug_record_take_slow(DebugAllocator *self, u32 *index_out) {
    u32 index;
    // A quarter full at most: room for len + 2 at half load is a table of 4 * (len + 1) slots.
    if (4 * (self->index.len + 1) > addrmap_capacity(&self->index) &&
        !addrmap_reserve(&self->index, &self->base, self->index.len + 2))
        return false;
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

// --- Spare mappings of sampled blocks ----------------------------------------------------------
//
// A sampled block costs a mapping, two protections and a page fault; reusing the mapping of one
// that left the quarantine costs one protection. A kept mapping stays PROT_NONE, so a late
// access to it still faults, as it would once unmapped. Only small mappings are kept (at most
// SPARE_MAX_PAGES pages, SPARE_MAX of them): sampled blocks are mostly small.
enum { SPARE_MAX = 128, SPARE_MAX_PAGES = 4 };

static size spares_bytes(const DebugAllocator *self) {
    return alloc_align_up(2 * SPARE_MAX * sizeof(uintptr_t), self->page_size);
}

bool debug_spare_put(DebugAllocator *self, u8 *raw, size map_bytes) {
    if (map_bytes > SPARE_MAX_PAGES * self->page_size || self->spare_count == SPARE_MAX)
        return false;
    if (!self->spares) {
        self->spares = alloc_os_map(&self->base, spares_bytes(self));
        if (!self->spares) return false;
    }
    self->spares[2 * self->spare_count]     = (uintptr_t)raw;
    self->spares[2 * self->spare_count + 1] = map_bytes;
    self->spare_count += 1;
    return true;
}

u8 *debug_spare_take(DebugAllocator *self, size map_bytes) {
    for (u32 i = self->spare_count; i-- > 0;) { // the most recent first
        if (self->spares[2 * i + 1] != map_bytes) continue;
        u8 *raw = (u8 *)self->spares[2 * i];
        self->spare_count -= 1; // the last pair fills the hole
        self->spares[2 * i]     = self->spares[2 * self->spare_count];
        self->spares[2 * i + 1] = self->spares[2 * self->spare_count + 1];
        return raw;
    }
    return NULL;
}

static void spares_release(DebugAllocator *self) {
    for (u32 i = 0; i < self->spare_count; ++i)
        alloc_os_unmap(&self->base, (void *)self->spares[2 * i], self->spares[2 * i + 1]);
    if (self->spares) alloc_os_unmap(&self->base, self->spares, spares_bytes(self));
    self->spares      = NULL;
    self->spare_count = 0;
}

void debug_tables_release(DebugAllocator *self) {
    spares_release(self);
    alloc_os_unmap(&self->base, self->records, self->records_bytes);
    addrmap_release(&self->index, &self->base);
    self->index_pending = 0;
    alloc_os_unmap(&self->base, self->quarantine, self->quarantine_bytes);
    debug_stacks_release(self);
}

// --- Quarantine -------------------------------------------------------------------------------

bool debug_quarantine_map(DebugAllocator *self) {
    size bytes       = alloc_align_up((size)self->config.quarantine * sizeof(u32), self->page_size);
    self->quarantine = alloc_os_map(&self->base, bytes);
    if (!self->quarantine) return false;
    self->quarantine_bytes = bytes;
    return true;
}

// How far ahead of the oldest entry the ring is prefetched: the record of the entry
// 2 * QUARANTINE_AHEAD frees away, the index slot and the two ends of the block (its canaries;
// the check reads on from the front one in order, which the hardware prefetches) of the one
// QUARANTINE_AHEAD away, whose record came in one stage earlier. A freed block leaves long
// after the program last touched it, so without this every eviction waits for memory three
// times over.
enum { QUARANTINE_AHEAD = 8 };

void debug_quarantine_prefetch(const DebugAllocator *self) {
    if (self->quarantine_len <= 2 * QUARANTINE_AHEAD) return;
    u32 far = self->quarantine[debug_ring_slot(self, 2 * QUARANTINE_AHEAD)];
    debug_record_prefetch(debug_record_at(self, far));
    const DebugRecord *near =
        debug_record_at(self, self->quarantine[debug_ring_slot(self, QUARANTINE_AHEAD)]);
    if (!near->ptr || debug_record_mapped(near)) return;
    debug_index_prefetch(self, (const void *)near->ptr);
    __builtin_prefetch((const u8 *)near->ptr - self->config.canary_bytes);
    __builtin_prefetch((const u8 *)near->ptr + near->bytes + self->config.canary_bytes - 1);
}

bool debug_quarantine_holds(const DebugAllocator *self, u32 index) {
    for (u32 i = 0; i < self->quarantine_len; ++i)
        if (self->quarantine[debug_ring_slot(self, i)] == index) return true;
    return false;
}
