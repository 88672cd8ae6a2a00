// SPDX-License-Identifier: MIT
// The page-run table's growth (runs.h has the searches, insertion and erasure, inline): room for
// one more row in a table mapped from the OS. Entry point: runs_reserve.
#include "runs.h"

bool runs_reserve(Allocator *owner, AllocatorRun **rows, size *bytes, size len) {
    if ((len + 1) * sizeof **rows <= *bytes) return true;
    void *table = *rows;
    if (!alloc_os_grow(owner, &table, bytes, (len + 1) * sizeof **rows)) return false;
    *rows = table;
    return true;
}
