// SPDX-License-Identifier: MIT
// ArenaAllocator for the shared misuses of tests/violations/cases.c: the type, its lifecycle and the
// sizes the cases use (see violations.h).
#ifndef TESTS_VIOLATIONS_KIND_H
#define TESTS_VIOLATIONS_KIND_H

#include "alloc/Arena.h"
#include "alloc/Page.h"

#include <stddef.h> // size_t

typedef ArenaAllocator ViolationType;
// Initialise `self` for blocks of `block` bytes (a kind of fixed slots makes them that size).
void violation_init(ViolationType *self, size_t block);
#define V_DEINIT(self) ArenaAllocatorDeinit(self)
#define V_CHECK(self)  ArenaAllocatorCheck(self)
#define V_CHECK_NAME   "ArenaAllocatorCheck"

#define V_SMALL            24                    // a small block
#define V_BLOCK            64                    // the block an unaligned pointer points into
#define V_INTERIOR_BYTES   64                    // the block an interior pointer points into
#define V_DELAYED_B        5000                  // double_free_delayed: the blocks freed in between
#define V_DELAYED_C        24
#define V_REMAP_BYTES      200                   // realloc_foreign: the size asked for
#define V_NEIGHBOUR_BYTES  32                    // two neighbouring blocks of this size
#define V_REUSES_FREED     1                     // the next block of a freed size reuses its address
#define V_LIFO_ONLY        1                     // only the most recent block can be freed

typedef PageAllocator ViolationOtherType; // a block of another allocator type
#define V_OTHER_INIT() PageAllocatorInit()

#endif
