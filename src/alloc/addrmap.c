// SPDX-License-Identifier: MIT
// The address map's writers: growth by rehashing into a larger table mapped from the OS,
// insertion, backward-shift deletion, release and the invariant check (addrmap.h has the
// inline lookups). Entry points: addrmap_reserve, _insert, _remove, _release, _is_sane.
#include "addrmap.h"

// From this size on a table asks for huge pages: its lookups land anywhere in it, and with 4 KiB
// pages most of them would miss the TLB as well as the cache.
#define ADDRMAP_HUGE_BYTES ((size)2 << 20)

// Put an entry known to be absent into a table with a free slot.
static void put(AllocatorAddressSlot *slots, const AddrMap *shape, uintptr_t key, uintptr_t value) {
    size mask = ((size)1 << shape->bits) - 1;
    size i    = addrmap_home(shape, key);
    while (slots[i].key) i = (i + 1) & mask;
    slots[i] = (AllocatorAddressSlot){key, value};
}

bool addrmap_reserve(AddrMap *map, Allocator *owner, size extra) {
    size cap = addrmap_capacity(map);
    if ((map->len + extra) * 2 <= cap) return true;
    u32 bits = map->bits ? map->bits : 1;
    size page = alloc_os_page_size();
    while (((size)1 << bits) < (map->len + extra) * 2 ||
           ((size)1 << bits) * sizeof(AllocatorAddressSlot) < page)
        bits++;
    size                  bytes = ((size)1 << bits) * sizeof(AllocatorAddressSlot);
    AllocatorAddressSlot *slots = alloc_os_map(owner, bytes); // reads as zero: every slot empty
    if (!slots) return false;
    if (bytes >= ADDRMAP_HUGE_BYTES) alloc_os_advise_huge(slots, bytes); // before the rehash touches it
    AddrMap grown = {.slots = slots, .len = map->len, .bytes = bytes, .bits = bits};
    for (size i = 0; i < cap; ++i)
        if (map->slots[i].key) put(slots, &grown, map->slots[i].key, map->slots[i].value);
    alloc_os_unmap(owner, map->slots, map->bytes);
    *map = grown;
    return true;
}

bool addrmap_insert(AddrMap *map, Allocator *owner, uintptr_t key, uintptr_t value) {
    ALLOC_ASSERT(key != 0 && value != 0 && addrmap_find(map, key) == 0);
    // The room test inline: addrmap_reserve is a call for the rare growth only.
    if ((map->len + 1) * 2 > addrmap_capacity(map) && !addrmap_reserve(map, owner, 1)) return false;
    put(map->slots, map, key, value);
    map->len++;
    return true;
}

// Backward-shift deletion: [ hole | x (home not in (hole, x]) ] => [ x | hole ]
uintptr_t addrmap_remove(AddrMap *map, uintptr_t key) {
    if (!map->slots) return 0;
    AllocatorAddressSlot *t    = map->slots;
    size                  mask = ((size)1 << map->bits) - 1;
    size                  hole = addrmap_home(map, key);
    while (t[hole].key != key) {
        if (!t[hole].key) return 0;
        hole = (hole + 1) & mask;
    }
    uintptr_t value = t[hole].value;
    for (size j = (hole + 1) & mask; t[j].key; j = (j + 1) & mask) {
        size home = addrmap_home(map, t[j].key);
        if (((j - home) & mask) >= ((j - hole) & mask)) { // home is not in (hole, j]
            t[hole] = t[j];
            hole    = j;
        }
    }
    t[hole] = (AllocatorAddressSlot){0, 0};
    map->len--;
    return value;
}

void addrmap_release(AddrMap *map, Allocator *owner) {
    alloc_os_unmap(owner, map->slots, map->bytes);
    *map = (AddrMap){0};
}

bool addrmap_is_sane(const AddrMap *map) {
    if (!map->slots) return map->len == 0 && map->bytes == 0 && map->bits == 0;
    size cap = (size)1 << map->bits;
    if (map->bits == 0 || map->bits > 47 || map->bytes < cap * sizeof(AllocatorAddressSlot) ||
        map->len * 2 > cap)
        return false;
    size found = 0;
    for (size i = 0; i < cap; ++i) {
        const AllocatorAddressSlot *slot = &map->slots[i];
        if (!slot->key) continue;
        if (!slot->value || addrmap_find(map, slot->key) != slot->value) return false;
        found++;
    }
    return found == map->len;
}
