// SPDX-License-Identifier: MIT
// The page-run table's operations (runs.h): binary searches by address and by mapped length,
// best fit, insertion and erasure in a sorted array, growth of the table's own mapping.
// Entry points: runs_upper, runs_find, runs_upper_by_size, runs_fit, runs_insert, runs_erase,
// runs_reserve.
#include "runs.h"

size runs_upper(const AllocatorRun *rows, size len, uintptr_t address) {
    size lo = 0, hi = len;
    while (lo < hi) {
        size mid = lo + (hi - lo) / 2;
        if ((uintptr_t)rows[mid].ptr <= address) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

size runs_find(const AllocatorRun *rows, size len, const void *ptr) {
    size upper = runs_upper(rows, len, (uintptr_t)ptr);
    return upper && rows[upper - 1].ptr == ptr ? upper - 1 : len;
}

size runs_upper_by_size(const AllocatorRun *rows, size len, size bytes) {
    size lo = 0, hi = len;
    while (lo < hi) {
        size mid = lo + (hi - lo) / 2;
        if (rows[mid].cap <= bytes) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

size runs_fit(const AllocatorRun *rows, size len, size bytes, size ratio) {
    size at = runs_upper_by_size(rows, len, bytes - 1); // first mapping of at least `bytes`
    if (at == len || rows[at].cap / ratio > bytes) return len;
    size last = runs_upper_by_size(rows, len, rows[at].cap) - 1; // the most recent of that length
    return last;
}

void runs_insert(AllocatorRun *rows, size len, size at, AllocatorRun row) {
    memmove(rows + at + 1, rows + at, (len - at) * sizeof *rows);
    rows[at] = row;
}

void runs_erase(AllocatorRun *rows, size len, size at) {
    memmove(rows + at, rows + at + 1, (len - at - 1) * sizeof *rows);
}

bool runs_reserve(Allocator *owner, AllocatorRun **rows, size *bytes, size len) {
    if ((len + 1) * sizeof **rows <= *bytes) return true;
    void *table = *rows;
    if (!alloc_os_grow(owner, &table, bytes, (len + 1) * sizeof **rows)) return false;
    *rows = table;
    return true;
}
