// SPDX-License-Identifier: MIT
// The one page-run table of the library (PageAllocator's live and retained tables, the heap's
// large blocks and retained runs): arrays of AllocatorRun kept sorted, by address for live
// blocks (binary search finds a pointer and what lies below it) or by mapped length for retained
// runs (binary search finds the best fit), mapped from the OS with alloc_os_grow. The policies
// (what to retain, what to evict) stay with each allocator. Names carry `runs_`.
#ifndef ALLOC_RUNS_H
#define ALLOC_RUNS_H

#include "internal.h"

// Index of the first row whose `ptr` is above `address` (rows sorted by address).
size runs_upper(const AllocatorRun *rows, size len, uintptr_t address);
// Index of the row that starts exactly at `ptr` (rows sorted by address), or `len`.
size runs_find(const AllocatorRun *rows, size len, const void *ptr);
// Index of the first row whose `cap` is above `bytes` (rows sorted by mapped length).
size runs_upper_by_size(const AllocatorRun *rows, size len, size bytes);
// The best fit for `bytes` in rows sorted by mapped length: the shortest mapping of at least
// `bytes` and at most `ratio` times `bytes` (the last, most recent, among equals); `len` if none.
size runs_fit(const AllocatorRun *rows, size len, size bytes, size ratio);
// Open a hole at `at` and put `row` there: [ a | c ] => [ a | row | c ]. The caller counts it.
void runs_insert(AllocatorRun *rows, size len, size at, AllocatorRun row);
// Close the hole at `at`: [ a | b | c ] => [ a | c ]. The caller counts it.
void runs_erase(AllocatorRun *rows, size len, size at);
// Room for `len + 1` rows in the table at `*rows` (mapped length `*bytes`, grown by alloc_os_grow
// and charged to `owner`); false when the OS refuses, the table untouched.
bool runs_reserve(Allocator *owner, AllocatorRun **rows, size *bytes, size len);

#endif // ALLOC_RUNS_H
