// SPDX-License-Identifier: MIT
// SlabAllocator for the shared misuses of tests/violations/cases.c: the type, its lifecycle and the
// sizes the cases use (see violations.h).
#ifndef TESTS_VIOLATIONS_KIND_H
#define TESTS_VIOLATIONS_KIND_H

#include "alloc/Slab.h"
#include "alloc/Page.h"

#include <stddef.h> // size_t

typedef SlabAllocator ViolationType;
// Initialise `self` for blocks of `block` bytes (a kind of fixed slots makes them that size).
void violation_init(ViolationType *self, size_t block);
#define V_DEINIT(self) SlabAllocatorDeinit(self)
#define V_CHECK(self)  SlabAllocatorCheck(self)
#define V_CHECK_NAME   "SlabAllocatorCheck"

#define V_SMALL            64                    // a small block
#define V_BLOCK            64                    // the block an unaligned pointer points into
#define V_INTERIOR_BYTES   64                    // the block an interior pointer points into
#define V_DELAYED_B        64                    // double_free_delayed: the blocks freed in between
#define V_DELAYED_C        64
#define V_REMAP_BYTES      32                    // realloc_foreign: the size asked for
#define V_NEIGHBOUR_BYTES  64                    // two neighbouring blocks of this size
#define V_REUSES_FREED     1                     // the next block of a freed size reuses its address
#define V_LIFO_ONLY        0                     // only the most recent block can be freed

typedef PageAllocator ViolationOtherType; // a block of another allocator type
#define V_OTHER_INIT() PageAllocatorInit()

#endif
