// Must FAIL under memcheck: a read of a freed block inside an allocator-owned region, announced
// with the sanitizer.h hooks. tests/harden/valgrind.sh expects valgrind to report it.
#include "sanitizer.h"

#include <stdio.h>    // printf
#include <sys/mman.h> // mmap, munmap

static char pool_anchor;

int main(void) {
    enum { REGION = 1 << 16 };
    char *region = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED) return 2;
    alloc_sanitize_region_mapped(&pool_anchor, region, REGION);
    char *block = region + 128;
    alloc_sanitize_allocated(&pool_anchor, block, 32, true);
    alloc_sanitize_freed(&pool_anchor, block, 32);
    volatile char *stale = block;
    printf("read %d after free\n", stale[5]); // the use after free
    alloc_sanitize_region_unmapping(&pool_anchor, region, REGION);
    alloc_sanitize_pool_destroy(&pool_anchor);
    munmap(region, REGION);
    return 0;
}
