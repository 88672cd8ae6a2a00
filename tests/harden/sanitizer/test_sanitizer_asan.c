// The ASan side of src/alloc/sanitizer.h, on a toy pool carved from one mapping: a mapped region
// is poisoned until a block is allocated in it, a freed block is poisoned again, in-place resize
// moves the boundary, unmapping clears the poison, and a use after free inside the pool is
// reported by ASan. (The valgrind side is tests/harden/valgrind/vg_hooks.c.)
#include "death.h"
#include "sanitizer.h"

#include <criterion/criterion.h>
#include <stdio.h>    // fflush
#include <string.h>   // strstr, memset
#include <sys/mman.h> // mmap, munmap: the toy pool's region
#include <sys/wait.h> // WIFEXITED
#include <unistd.h>   // _exit

#if !ALLOC_ASAN
#error "this suite is built with -fsanitize=address"
#endif

enum { REGION = 1 << 16 };

static char pool_anchor; // stands for the allocator: hooks key their pool on its address

static char *map_region(void) {
    char *region = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert(region != MAP_FAILED);
    alloc_sanitize_region_mapped(&pool_anchor, region, REGION);
    return region;
}

static void unmap_region(char *region) {
    alloc_sanitize_region_unmapping(&pool_anchor, region, REGION);
    cr_assert_null(__asan_region_is_poisoned(region, REGION));
    munmap(region, REGION);
}

Test(sanitizer_asan, mapped_region_is_poisoned_until_allocated) {
    char *region = map_region();
    cr_assert(__asan_address_is_poisoned(region));
    cr_assert(__asan_address_is_poisoned(region + REGION - 1));
    alloc_sanitize_allocated(&pool_anchor, region + 256, 96, false);
    cr_assert_null(__asan_region_is_poisoned(region + 256, 96));
    cr_assert(__asan_address_is_poisoned(region + 255));
    cr_assert(__asan_address_is_poisoned(region + 256 + 96));
    unmap_region(region);
}

Test(sanitizer_asan, freed_block_is_poisoned_again) {
    char *region = map_region();
    char *block  = region + 1024;
    alloc_sanitize_allocated(&pool_anchor, block, 64, true);
    memset(block, 1, 64);
    alloc_sanitize_freed(&pool_anchor, block, 64);
    for (int i = 0; i < 64; ++i) cr_assert(__asan_address_is_poisoned(block + i), "byte %d", i);
    alloc_sanitize_allocated(&pool_anchor, block, 32, false); // the slot recycled, smaller
    cr_assert_null(__asan_region_is_poisoned(block, 32));
    cr_assert(__asan_address_is_poisoned(block + 32));
    unmap_region(region);
}

Test(sanitizer_asan, in_place_resize_moves_the_boundary) {
    char *region = map_region();
    char *block  = region;
    alloc_sanitize_allocated(&pool_anchor, block, 128, false);
    alloc_sanitize_resized(&pool_anchor, block, 128, 48);
    cr_assert_null(__asan_region_is_poisoned(block, 48));
    cr_assert(__asan_address_is_poisoned(block + 48));
    cr_assert(__asan_address_is_poisoned(block + 127));
    alloc_sanitize_resized(&pool_anchor, block, 48, 200);
    cr_assert_null(__asan_region_is_poisoned(block, 200));
    cr_assert(__asan_address_is_poisoned(block + 200));
    unmap_region(region);
}

Test(sanitizer_asan, a_moved_block_is_addressable_at_its_new_address) {
    char *region = map_region();
    alloc_sanitize_allocated(&pool_anchor, region, 64, false);
    alloc_sanitize_moved(&pool_anchor, region, region + 4096, 256);
    cr_assert_null(__asan_region_is_poisoned(region + 4096, 256));
    cr_assert(__asan_address_is_poisoned(region + 4096 + 256));
    unmap_region(region);
}

Test(sanitizer_asan, reset_poisons_every_block_of_a_kept_region) {
    char *region = map_region();
    alloc_sanitize_allocated(&pool_anchor, region, 64, false);
    alloc_sanitize_allocated(&pool_anchor, region + 64, 64, false);
    alloc_sanitize_pool_destroy(&pool_anchor);
    alloc_sanitize_region_mapped(&pool_anchor, region, REGION); // what an arena Reset does
    cr_assert(__asan_address_is_poisoned(region));
    cr_assert(__asan_address_is_poisoned(region + 64));
    unmap_region(region);
}

// The point of the hooks: a read of a freed block inside our own region is an ASan error.
static void read_after_free_in_the_pool(void) {
    char *region = map_region();
    alloc_sanitize_allocated(&pool_anchor, region + 512, 64, true);
    alloc_sanitize_freed(&pool_anchor, region + 512, 64);
    volatile char *stale = region + 512;
    char           value = stale[3]; // use after free
    _exit(value == 0 ? 0 : 2);       // survived: the parent reports it
}

Test(sanitizer_asan, use_after_free_inside_the_pool_is_reported) {
    static DeathRun run; // the death-test harness: a child with its stderr captured
    death_run(read_after_free_in_the_pool, &run);
    cr_assert(!(WIFEXITED(run.status) && WEXITSTATUS(run.status) == 0), "the use after free went unnoticed");
    cr_assert(strstr(run.err, "ERROR: AddressSanitizer: use-after-poison") != NULL, "stderr: %s", run.err);
}
