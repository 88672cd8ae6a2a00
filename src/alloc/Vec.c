// SPDX-License-Identifier: MIT
// The out-of-line growth path of `Vec(T)` (include/alloc/Vec.h): `vec_grow` picks the new
// capacity, checks the byte size for overflow and resizes the buffer through AllocatorRealloc
// (in place when the allocator can, else moved). Everything else of Vec is a macro in the header.
// The vector's `T *data` is read and written with memcpy as a `void *`, which is valid because
// all object pointers share one representation on the platforms the library supports.
#include "alloc/Vec.h"
#include "internal.h"

#include <stdint.h> // SIZE_MAX

// Smallest capacity a vector grows to, in elements: avoids 1, 2, 3 reallocations at the start.
#define VEC_MIN_CAPACITY 4

// Resize the buffer to exactly `new_cap` elements; false (nothing changed) on overflow or NULL.
static bool regrow(Allocator *allocator, void *data_field, size *cap, size elem_size,
                   size new_cap) {
    if (new_cap > SIZE_MAX / elem_size) return false;
    void *data;
    memcpy(&data, data_field, sizeof data);
    void *grown = AllocatorRealloc(allocator, data, new_cap * elem_size);
    if (!grown) return false;
    memcpy(data_field, &grown, sizeof grown);
    *cap = new_cap;
    return true;
}

i8 vec_grow(Allocator *allocator, void *data_field, size *cap, size elem_size, size min_cap) {
    if (min_cap <= *cap) return 1;
    size doubled = *cap > SIZE_MAX / 2 ? SIZE_MAX : *cap * 2;
    size wanted  = doubled > min_cap ? doubled : min_cap;
    if (wanted < VEC_MIN_CAPACITY) wanted = VEC_MIN_CAPACITY;
    if (regrow(allocator, data_field, cap, elem_size, wanted)) return 1;
    // [ cap ] => [ ---- 2 × cap ---- ] refused: settle for [ -- min_cap -- ] before failing.
    return wanted != min_cap && regrow(allocator, data_field, cap, elem_size, min_cap);
}
