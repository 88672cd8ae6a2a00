// SPDX-License-Identifier: MIT
// One function, any allocator: `join` builds a string in memory from whatever `Allocator *` its
// caller passes, growing it with AllocatorRealloc. main() runs it with a HeapAllocator, a
// PageAllocator, an ArenaAllocator, a DebugAllocator and a BudgetAllocator whose slots are too
// small, and prints what each allocator counted. The caller picks the strategy; the function's
// code does not change, and running out of memory is an ordinary NULL, never a crash.
// ALLOCATOR_OF turns a typed allocator into an `Allocator *` and refuses, at compile time,
// anything that is not an allocator.
//
// Usage: any_allocator
#include "alloc/Arena.h"
#include "alloc/Budget.h"
#include "alloc/Debug.h"
#include "alloc/Heap.h"
#include "alloc/Page.h"

#include <stdio.h>  // printf
#include <string.h> // strlen, memcpy

// Join `count` words with `separator` into a new string owned by `a` (free it with
// AllocatorFree(a, ...)). Returns NULL when `a` runs out of memory; nothing leaks then.
static char *join(Allocator *a, const char *const *words, size_t count, const char *separator) {
    size_t cap = 16, len = 0, sep_len = strlen(separator);
    char *out = AllocatorAlloc(a, cap, 0);
    if (!out) return NULL;
    for (size_t i = 0; i < count; i++) {
        size_t word_len = strlen(words[i]);
        size_t need     = len + (i ? sep_len : 0) + word_len + 1;
        if (need > cap) {
            while (cap < need) cap *= 2;
            char *bigger = AllocatorRealloc(a, out, cap); // in place when it can, else moved
            if (!bigger) {
                AllocatorFree(a, out);
                return NULL;
            }
            out = bigger;
        }
        if (i) {
            memcpy(out + len, separator, sep_len);
            len += sep_len;
        }
        memcpy(out + len, words[i], word_len);
        len += word_len;
    }
    out[len] = '\0';
    return out;
}

static const char *const planets[] = {"Mercury", "Venus",  "Earth",  "Mars",
                                      "Jupiter", "Saturn", "Uranus", "Neptune"};

// Run `join` with one allocator and report what the allocator saw.
static int demo(const char *name, Allocator *a) {
    char *text = join(a, planets, sizeof planets / sizeof planets[0], ", ");
    if (!text) {
        printf("%-6s out of memory after %llu failed request(s), %zu bytes in use\n", name,
               (unsigned long long)AllocatorFailedAllocations(a), AllocatorBytesInUse(a));
        return 0;
    }
    printf("%-6s %s\n", name, text);
    // Effective sizes differ: a size class for the heap, whole pages for the page allocator,
    // the exact request for the debug allocator.
    printf("%-6s %llu allocation(s), %llu reallocation(s), %zu bytes in use for %zu characters\n",
           name, (unsigned long long)AllocatorAllocations(a),
           (unsigned long long)AllocatorReallocations(a), AllocatorBytesInUse(a), strlen(text) + 1);
    size_t released = AllocatorFree(a, text);
    printf("%-6s freed %zu bytes, %zu in use now\n", name, released, AllocatorBytesInUse(a));
    return 1;
}

int main(void) {
    static unsigned char storage[BudgetAllocatorBufferBytes(8, 32)]; // 8 slots of 32 bytes
    HeapAllocator   heap   = HeapAllocatorInit();
    PageAllocator   pages  = PageAllocatorInit();
    ArenaAllocator  arena  = ArenaAllocatorInit();
    DebugAllocator  debug  = DebugAllocatorInit();
    BudgetAllocator budget = BudgetAllocatorInit(storage, sizeof storage, 32);

    int ok = demo("heap", ALLOCATOR_OF(&heap)) && demo("page", ALLOCATOR_OF(&pages)) &&
             demo("arena", ALLOCATOR_OF(&arena)) && demo("debug", ALLOCATOR_OF(&debug));
    int fit = demo("budget", ALLOCATOR_OF(&budget)); // 62 characters do not fit a 32-byte slot

    BudgetAllocatorDeinit(&budget);
    DebugAllocatorDeinit(&debug);
    ArenaAllocatorDeinit(&arena);
    PageAllocatorDeinit(&pages);
    HeapAllocatorDeinit(&heap);
    return ok && !fit ? 0 : 1;
}
