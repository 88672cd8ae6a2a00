// The valgrind side of src/alloc/sanitizer.h (built with -DALLOC_VALGRIND, run under memcheck):
// on a toy pool carved from one mapping, reads memcheck's own view of each byte with
// VALGRIND_GET_VBITS (3 = unaddressable, else per-byte validity: 0x00 defined, 0xff undefined)
// after every hook. Prints "N passed, N failed"; outside valgrind it fails rather than pass idly.
#include "sanitizer.h"

#include <stdio.h>    // printf
#include <string.h>   // memset
#include <sys/mman.h> // mmap, munmap

enum { REGION = 1 << 16, UNADDRESSABLE = 3 };

static int  passed, failed;
static char pool_anchor;

static void expect(bool ok, const char *what) {
    if (ok) passed += 1;
    else {
        failed += 1;
        printf("FAIL: %s\n", what);
    }
}

// memcheck's verdict on [ptr, ptr + bytes): UNADDRESSABLE, or 1 with `vbits` filled.
static unsigned vbits_of(const void *ptr, size bytes, unsigned char *vbits) {
    return VALGRIND_GET_VBITS(ptr, vbits, bytes);
}

static bool all_bytes(const unsigned char *bits, size n, unsigned char value) {
    for (size i = 0; i < n; ++i)
        if (bits[i] != value) return false;
    return true;
}

static bool is_unaddressable(const void *ptr, size bytes) {
    static unsigned char bits[REGION];
    return vbits_of(ptr, bytes, bits) == UNADDRESSABLE;
}

static bool is_defined(const void *ptr, size bytes) {
    static unsigned char bits[REGION];
    return vbits_of(ptr, bytes, bits) == 1 && all_bytes(bits, bytes, 0x00);
}

static bool is_undefined(const void *ptr, size bytes) {
    static unsigned char bits[REGION];
    return vbits_of(ptr, bytes, bits) == 1 && all_bytes(bits, bytes, 0xff);
}

int main(void) {
    expect(RUNNING_ON_VALGRIND, "runs under valgrind");
    char *region = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    expect(region != MAP_FAILED, "region mapped");
    if (region == MAP_FAILED) return 1;

    alloc_sanitize_region_mapped(&pool_anchor, region, REGION);
    expect(is_unaddressable(region, 1) && is_unaddressable(region + REGION - 1, 1),
           "a mapped region is unaddressable before any block");

    char *zeroed = region + 256, *raw = region + 1024;
    alloc_sanitize_allocated(&pool_anchor, zeroed, 64, true);
    alloc_sanitize_allocated(&pool_anchor, raw, 64, false);
    expect(is_defined(zeroed, 64), "a zeroed block is defined");
    expect(is_undefined(raw, 64), "a non-zeroed block is addressable but undefined");
    expect(is_unaddressable(zeroed + 64, 1) && is_unaddressable(zeroed - 1, 1), "bytes around a block stay unaddressable");

    memset(raw, 7, 64);
    alloc_sanitize_resized(&pool_anchor, raw, 64, 16);
    expect(is_defined(raw, 16) && is_unaddressable(raw + 16, 48), "a shrink cuts the tail off");
    alloc_sanitize_resized(&pool_anchor, raw, 16, 100);
    expect(is_defined(raw, 16) && is_undefined(raw + 16, 84), "a growth adds undefined bytes, keeps the rest");

    alloc_sanitize_freed(&pool_anchor, zeroed, 64);
    expect(is_unaddressable(zeroed, 64), "a freed block is unaddressable");

    char *moved = region + 8192; // as if mremap moved `raw` there (no valgrind error may follow)
    alloc_sanitize_moved(&pool_anchor, raw, moved, 100);
    alloc_sanitize_freed(&pool_anchor, moved, 100);
    expect(is_unaddressable(moved, 100), "a moved block is freed at its new address");

    alloc_sanitize_pool_destroy(&pool_anchor);
    expect(!VALGRIND_MEMPOOL_EXISTS(&pool_anchor), "pool_destroy forgets the pool");
    alloc_sanitize_region_mapped(&pool_anchor, region, REGION); // an arena Reset
    expect(is_unaddressable(raw, 100), "after a reset no block is addressable");

    alloc_sanitize_region_unmapping(&pool_anchor, region, REGION);
    alloc_sanitize_pool_destroy(&pool_anchor);
    munmap(region, REGION);
    expect(is_unaddressable(region, 1), "an unmapped region is unaddressable (memcheck tracks munmap)");

    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
