// SPDX-License-Identifier: MIT
// A large lookup table in whole pages from a PageAllocator: build it, grow it with
// AllocatorRealloc (on Linux the pages are moved with mremap, not copied), then make it read-only
// with PageProtect so a stray write would fault instead of corrupting it, and restore the access
// before freeing (a freed block may be kept for reuse as it is). PageAllocatorCheck verifies the
// allocator's tables after the work.
//
// Usage: page_table
#include "alloc/Page.h"

#include <stdio.h> // printf

typedef struct Table {
    uint64_t *values; // values[i] = i * i, a block of the page allocator
    size_t count;
} Table;

static int build(PageAllocator *pages, Table *t, size_t count) {
    uint64_t *values = AllocatorRealloc(pages, t->values, count * sizeof(uint64_t)); // NULL: allocates
    if (!values) return 0;
    for (size_t i = t->count; i < count; i++) values[i] = (uint64_t)i * i;
    t->values = values;
    t->count  = count;
    return 1;
}

int main(void) {
    PageAllocator pages = PageAllocatorInit();
    Table         table = {0};
    size_t        page  = PageAllocatorPageSize(&pages);

    if (!build(&pages, &table, 1 << 20)) return 1; // 8 MiB
    printf("table of %zu entries: %zu bytes, %zu pages\n", table.count,
           AllocatorBytesInUse(&pages), AllocatorBytesInUse(&pages) / page);

    if (!build(&pages, &table, 1 << 21)) return 1; // grow to 16 MiB, contents kept
    printf("grown to %zu entries: %zu pages, entry 1000 = %llu, last = %llu\n", table.count,
           AllocatorBytesInUse(&pages) / page, (unsigned long long)table.values[1000],
           (unsigned long long)table.values[table.count - 1]);

    size_t bytes = table.count * sizeof(uint64_t);
    if (!PageProtect(table.values, bytes, PAGE_PROTECT_READ)) return 1;
    uint64_t sum = 0;
    for (size_t i = 0; i < table.count; i += 4096) sum += table.values[i]; // reads still work
    printf("read-only lookups: checksum %llu\n", (unsigned long long)sum);
    PageProtect(table.values, bytes, PAGE_PROTECT_READ_WRITE);

    PageAllocatorCheck(&pages); // aborts if a table invariant were broken
    size_t released = AllocatorFree(&pages, table.values);
    printf("freed %zu bytes; %llu allocation, %llu reallocation, %zu bytes in use\n", released,
           (unsigned long long)AllocatorAllocations(&pages),
           (unsigned long long)AllocatorReallocations(&pages), AllocatorBytesInUse(&pages));
    PageAllocatorDeinit(&pages);
    return 0;
}
