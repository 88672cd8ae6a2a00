// The table of allocator kinds the conformance suite, the differential test and the Vec tests
// run against: for each kind, a factory that initialises it into caller-provided storage and
// returns its `Allocator *`, its deinit and self-check, its typed vtable (to compare the typed
// path with the dynamic one) and the limits it documents. Test code only: private to tests/alloc.
#ifndef TESTS_KINDS_H
#define TESTS_KINDS_H

#include "alloc/Allocator.h"
#include "alloc/Types.h"     // the short names (size, u8, i8…): opt-in

#include <stdbool.h>
#include <stdint.h>

// Storage for one allocator instance (plus whatever private storage its factory needs inline,
// e.g. a Budget buffer). Big enough for every typed allocator struct; aligned for any of them.
#define KIND_INSTANCE_BYTES 4096
typedef struct KindInstance {
    _Alignas(64) unsigned char bytes[KIND_INSTANCE_BYTES];
} KindInstance;

// The four vtable operations called through a kind's TYPED entry points (AllocatorAlloc on a
// `PageAllocator *` etc.), so a script can run once on the typed and once on the dynamic path.
typedef struct KindOps {
    void *(*allocate)(void *self, size bytes, i8 zeroed);
    i8 (*resize)(void *self, void *ptr, size new_size);
    void *(*remap)(void *self, void *ptr, size new_size);
    size (*deallocate)(void *self, void *ptr);
} KindOps;

// What a kind promises beyond the common contract.
enum {
    // Freeing every block brings footprint_bytes back to its value right after the first
    // allocation's tables settled (the kind gives memory back or reuses it exactly).
    KIND_FOOTPRINT_RETURNS = 1u << 0,
    // Only the most recent block can be freed, resized or remapped (Arena): the differential
    // test frees others (a no-op) but never remaps them. Such a kind must have a `reset`.
    KIND_LIFO_ONLY = 1u << 1,
    // Double free is detected as "double free" (else as "foreign pointer" or not at all).
    KIND_DETECTS_DOUBLE_FREE = 1u << 2,
    // A stack pointer passed to deallocate aborts with "foreign pointer".
    KIND_DETECTS_FOREIGN = 1u << 3,
    // Every byte comes from the OS layer, so Deinit must leave no page of a block mapped.
    KIND_OS_BACKED = 1u << 5,
    // Test-only reference allocator (not a library kind): guards the harness itself.
    KIND_REFERENCE = 1u << 4,
};

typedef struct Kind {
    const char *name;     // "Page", "Heap", …
    const char *fn_prefix; // typed function prefix in fatal lines: "page_allocator"
    size        struct_size;
    // Initialise the kind in `where` with `alignment` (0: plain XxxAllocatorInit()); returns its
    // base. Must not allocate user blocks.
    Allocator *(*init)(KindInstance *where, size alignment);
    void (*deinit)(KindInstance *where);  // XxxAllocatorDeinit
    void (*check)(KindInstance *where);   // XxxAllocatorCheck (aborts on a broken invariant)
    void (*reset)(KindInstance *where);   // XxxAllocatorReset, or NULL if the kind has none
    KindOps     typed;
    size        max_alignment; // largest alignment InitAligned accepts (the kind's documented limit)
    size        max_block;     // largest block it serves, in bytes (Slab slot, Budget slot)
    size        check_every;   // differential ops between self-checks; 0 = the default (1024)
    unsigned    flags;
} Kind;

extern const Kind KINDS[];
extern const size KIND_COUNT;
// 0, 1, 2, …: Criterion's parameterized tests take these (an index survives the re-exec of a
// test worker; a Kind's function pointers would not under ASLR).
extern const size KIND_INDICES[];

// The reference allocator's failure injection: after `n` more successful allocations/remaps
// every further one returns NULL and every growing resize returns 0 (n < 0: never fail). Only
// for a KIND_REFERENCE instance.
void kind_reference_fail_after(Allocator *reference, i64 n);

// The dynamic-path ops (AllocatorAlloc etc. on an `Allocator *`), the counterpart of Kind.typed.
extern const KindOps KIND_DYNAMIC_OPS;

// Deterministic pattern byte `i` of the block with identity `id`.
static inline unsigned char kind_pattern(u64 id, size i) {
    u64 x = (id + 1) * 0x9E3779B97F4A7C15ULL + (u64)i * 0xBF58476D1CE4E5B9ULL;
    return (unsigned char)(x >> 56);
}

#endif
