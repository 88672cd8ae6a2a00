// SPDX-License-Identifier: MIT
///
/// Fixture of the docs-sphinx suite: every section of the `///` grammar, for doxygen_filter.py.
///
/// TAGS: Debug
///
#ifndef ALLOC_FAKE_H
#define ALLOC_FAKE_H

#include "alloc/Allocator.h"

///
/// Configuration of the fake allocator.
///
/// FIELDS:
/// - canary_bytes : Bytes of canary after each block; 0 disables.
/// - callback     : Called on each event,
///                  with a continuation line.
/// - u            : A union of things.
/// - names        : Array of names.
///
/// TAGS: Debug, Config
///
typedef struct FakeConfig {
    size canary_bytes; // bytes, multiple of 8
    void (*callback)(void *ctx, const char *what);
    union {
        u64 word;
        u8  bytes[8];
    } u;
    const char *names[4];
    i8 flag; ///< A flag documented in place.
} FakeConfig;

///
/// A fake allocator.
///
/// FIELDS:
/// - base   : The allocator base.
/// - config : Its configuration.
///
/// TAGS: Debug, Allocator
///
typedef struct FakeAllocator {
    Allocator  base;
    FakeConfig config;
} FakeAllocator;
_Static_assert(sizeof(FakeAllocator) > 0,
               "Doxygen would take this for a function");

///
/// Print a formatted report.
///
/// self[in]   : The allocator.
/// format[in] : printf format.
/// ...[in]    : Arguments for `format`.
///
/// RETURNS: The number of bytes written.
///
/// INFO: Informational note.
/// NOTE: A note.
/// WARN: A warning, careful.
/// DEPRECATED: Use `FakeReport2` instead.
/// SEE: FakeAllocatorInit, AllocatorAlloc
///
/// TAGS: Debug, Leaks, Diagnostics
///
int fake_report(const FakeAllocator *self, const char *format, ...);

///
/// Initialise a fake allocator.
///
/// ...[in] : Optional designated initialisers.
///
/// SUCCESS: A `FakeAllocator` literal.
/// FAILURE: Cannot fail.
///
/// USAGE:
///     FakeAllocator f = FakeAllocatorInit(.config = {.canary_bytes = 8});
///     /* a block comment */ fake_report(&f, "%d", 1);
///     FakeAllocatorDeinit(&f);
/// TAGS: Init, Debug
#define FakeAllocatorInit(...)                                                                     \
    ((FakeAllocator){.base   = {.alignment = 16},                                                 \
                     __VA_ARGS__})

///
/// Inline helper.
///
/// x[in] : A value.
///
/// SUCCESS: x + 1.
/// FAILURE: Cannot fail.
///
/// TAGS: Query
///
static inline size fake_next(size x) { return x + 1; }

///
/// Tear down.
///
/// self[in,out]: The allocator.
///
/// SUCCESS: Zeroed.
/// FAILURE: Aborts with "uninitialised allocator" when `self` is zeroed, or with
///          "corrupted allocator: <what>" (100% loud, `a<b` kept).
///
/// TAGS: Cleanup
///
_Noreturn void FakeAllocatorDeinit(FakeAllocator *self);

/// Global default config.
/// TAGS: Config
extern const FakeConfig fake_default_config;

#endif
