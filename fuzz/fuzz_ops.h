// Shared engine of the allocator fuzz targets: decodes libFuzzer's bytes into a stream of
// allocate / resize / remap / realloc / free / reset / inject-failure / misuse operations on one
// `Allocator *`, and checks every result against a shadow model of the live blocks (contents by
// fill pattern, alignment, no overlap, zeroing, statistics, exact fatal reasons for misuse).
#ifndef FUZZ_OPS_H
#define FUZZ_OPS_H

#include "alloc/Allocator.h"
#include "alloc/Types.h"     // the short names (size, u8, i8…): opt-in

#include <stdbool.h> // bool
#include <stddef.h>  // size_t
#include <stdint.h>  // uint8_t

// Misuse the engine commits, each expecting its exact fatal line (FuzzSubject.misuse).
enum {
    FUZZ_MISUSE_INTERIOR   = 1, // free(block + k * alignment), inside the block
    FUZZ_MISUSE_MISALIGNED = 2, // free(block + 1)
    FUZZ_MISUSE_FOREIGN    = 4, // free(a stack address)
    FUZZ_MISUSE_DOUBLE     = 8, // free, then free again ("double free", or "foreign pointer" when
                                // the allocator forgot the block)
    FUZZ_MISUSE_ALL        = 15
};

// What the engine needs to know about the allocator under test.
typedef struct FuzzSubject {
    Allocator  *any;                 // the allocator, freshly initialised
    void (*check)(Allocator *self);  // its XxxAllocatorCheck
    void (*reset)(Allocator *self);  // frees every block at once (Arena Reset), or NULL
    const char *deallocate_name;     // public function named by a bad free, e.g. "page_allocator_deallocate"
    size        max_bytes;           // largest request to make (the slot size of Slab/Budget)
    unsigned    misuse;              // FUZZ_MISUSE_* the allocator reports exactly
    const char *interior_reason;     // reason for FUZZ_MISUSE_INTERIOR; NULL: "interior pointer"
    bool        may_run_out;         // NULL without an injected failure is allowed (Budget)
    bool        latest_only;         // only the most recent block can be freed, resized, remapped (Arena)
} FuzzSubject;

// Run the operations encoded in `data` on `subject`; aborts (a libFuzzer crash) on any mismatch.
// Leaves blocks live: the caller deinitialises the allocator, then calls fuzz_expect_no_mapping.
void fuzz_run(const FuzzSubject *subject, const uint8_t *data, size_t len);

// Abort unless the OS layer has nothing mapped (every allocator of the run deinitialised).
void fuzz_expect_no_mapping(void);

// Print the reason and abort: libFuzzer records the input as a crash.
_Noreturn void fuzz_fail(const char *file, int line, const char *what);
#define FUZZ_EXPECT(cond, what)                                                                    \
    do {                                                                                           \
        if (!(cond)) fuzz_fail(__FILE__, __LINE__, (what));                                        \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

#endif
