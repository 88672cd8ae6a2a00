// SPDX-License-Identifier: MIT
// A user's file that owns the short names the library used to force on its includers: it must
// compile with every public header included (alloc/Types.h, the opt-in, is not).
static unsigned char u8 = 1;
static double i8 = 2.0;
int size = 3;
typedef struct { int v; } u32;
#include "ALL_HEADERS"
int main(void) {
    u32 wrapped = {4};
    HeapAllocator heap = HeapAllocatorInit();
    void *block = AllocatorAlloc(&heap, (size_t)size, 0);
    AllocatorFree(&heap, block);
    HeapAllocatorDeinit(&heap);
    return (int)u8 + (int)i8 + size + wrapped.v == 10 ? 0 : 1;
}
