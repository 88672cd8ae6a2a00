// SPDX-License-Identifier: MIT
// The one address map of the library: an open-addressing hash table (linear probing, load at
// most 1/2, backward-shift deletion, no tombstones) from a non-zero address to a non-zero word,
// mapped from the OS and charged to its owner's footprint. Heap finds a segment with it, Slab a
// slab, Debug a block record, the malloc shim an over-aligned block's heap. Lookups are inline
// and read only the table; insert/remove/release live in addrmap.c. Names carry `addrmap_`.
#ifndef ALLOC_ADDRMAP_H
#define ALLOC_ADDRMAP_H

#include "internal.h"

// One slot; key 0 = empty.
typedef struct AllocatorAddressSlot {
    uintptr_t key;
    uintptr_t value;
} AllocatorAddressSlot;

typedef AllocatorAddressMap AddrMap;

// Fibonacci hashing: the top `bits` bits of the product depend on every bit of the key, so keys
// that are all multiples of a large power of two (segments, slabs) still spread.
static inline size addrmap_home(const AddrMap *map, uintptr_t key) {
    return (size)(((u64)key * 0x9E3779B97F4A7C15ULL) >> (64 - map->bits));
}

static inline size addrmap_capacity(const AddrMap *map) {
    return map->slots ? (size)1 << map->bits : 0;
}

// The value stored under `key` when it sits in its home slot (the common case at load <= 1/2),
// else 0 (absent, or further along its probe chain: ask addrmap_find).
static inline uintptr_t addrmap_find_home(const AddrMap *map, uintptr_t key) {
    if (ALLOC_UNLIKELY(!map->slots)) return 0;
    const AllocatorAddressSlot *slot = &map->slots[addrmap_home(map, key)];
    return slot->key == key ? slot->value : 0;
}

// The value stored under `key` (non-zero), or 0 when the map does not hold it. Reads only the
// map's own table, so any address may be asked.
static inline uintptr_t addrmap_find(const AddrMap *map, uintptr_t key) {
    if (ALLOC_UNLIKELY(!map->slots)) return 0;
    size mask = ((size)1 << map->bits) - 1;
    for (size i = addrmap_home(map, key);; i = (i + 1) & mask) {
        const AllocatorAddressSlot *slot = &map->slots[i];
        if (slot->key == key) return slot->value;
        if (!slot->key) return 0;
    }
}

// Make room for `extra` more entries without passing half full (rehashing into a table twice the
// size); false when the OS refuses, the map unchanged. `owner` is charged for the table.
bool addrmap_reserve(AddrMap *map, Allocator *owner, size extra);
// Store `value` (non-zero) under `key` (non-zero, not in the map); false when the table cannot
// grow (the map unchanged). Never fails after addrmap_reserve(map, owner, 1).
bool addrmap_insert(AddrMap *map, Allocator *owner, uintptr_t key, uintptr_t value);
// Remove `key`; returns its value, or 0 when it was not in the map.
uintptr_t addrmap_remove(AddrMap *map, uintptr_t key);
// Unmap the table; the map is empty again.
void addrmap_release(AddrMap *map, Allocator *owner);
// Whether the table's invariants hold: a power-of-two table at most half full whose mapped
// length covers it, `len` entries, each one found by addrmap_find (unbroken probe chains).
bool addrmap_is_sane(const AddrMap *map);

#endif // ALLOC_ADDRMAP_H
