// SPDX-License-Identifier: MIT
// The one page-run table of the library (PageAllocator's live and retained tables, the heap's
// large blocks and retained runs): arrays of AllocatorRun mapped from the OS with alloc_os_grow,
// kept sorted by address for PageAllocator's live blocks (binary search finds a pointer and what
// lies below it) or by mapped length for retained runs (binary search finds the best fit); the
// heap's live runs use the growth only (in no order, found through an address map). The policies
// (what to retain, what to evict) stay with each allocator. Names carry `runs_`.
#ifndef ALLOC_RUNS_H
#define ALLOC_RUNS_H

#include "internal.h"

// Inline: they run on every large allocation and free; the tables are short.

// Index of the first row whose `ptr` is above `address` (rows sorted by address).
static inline size runs_upper(const AllocatorRun *rows, size len, uintptr_t address) {
    size lo = 0, hi = len;
    while (lo < hi) {
        size mid = lo + (hi - lo) / 2;
        if ((uintptr_t)rows[mid].ptr <= address) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

// Index of the row that starts exactly at `ptr` (rows sorted by address), or `len`.
static inline size runs_find(const AllocatorRun *rows, size len, const void *ptr) {
    size upper = runs_upper(rows, len, (uintptr_t)ptr);
    return upper && rows[upper - 1].ptr == ptr ? upper - 1 : len;
}

// Index of the first row whose `cap` is above `bytes` (rows sorted by mapped length).
static inline size runs_upper_by_size(const AllocatorRun *rows, size len, size bytes) {
    size lo = 0, hi = len;
    while (lo < hi) {
        size mid = lo + (hi - lo) / 2;
        if (rows[mid].cap <= bytes) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

// The best fit for `bytes` (> 0) in rows sorted by mapped length: the shortest mapping of at
// least `bytes` and at most `ratio` times `bytes` (the last, most recent, among equals); `len` if
// none.
static inline size runs_fit(const AllocatorRun *rows, size len, size bytes, size ratio) {
    ALLOC_ASSERT(bytes != 0 && ratio != 0);
    size at = runs_upper_by_size(rows, len, bytes - 1); // the first mapping of at least `bytes`
    if (at == len || rows[at].cap / ratio > bytes) return len;
    while (at + 1 < len && rows[at + 1].cap == rows[at].cap) at++;
    return at;
}

// Open a hole at `at` and put `row` there: [ a | c ] => [ a | row | c ]. The caller counts it.
static inline void runs_insert(AllocatorRun *rows, size len, size at, AllocatorRun row) {
    ALLOC_ASSERT(at <= len); // room for len + 1 rows: runs_reserve came first
    if (at < len) memmove(rows + at + 1, rows + at, (len - at) * sizeof *rows);
    rows[at] = row;
}

// Close the hole at `at`: [ a | b | c ] => [ a | c ]. The caller counts it.
static inline void runs_erase(AllocatorRun *rows, size len, size at) {
    ALLOC_ASSERT(at < len);
    if (at + 1 < len) memmove(rows + at, rows + at + 1, (len - at - 1) * sizeof *rows);
}

// Room for `len + 1` rows in the table at `*rows` (mapped length `*bytes`, grown by alloc_os_grow
// and charged to `owner`); false when the OS refuses, the table untouched.
bool runs_reserve(Allocator *owner, AllocatorRun **rows, size *bytes, size len);

#endif // ALLOC_RUNS_H
