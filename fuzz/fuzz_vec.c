// SPDX-License-Identifier: MIT
// libFuzzer target, stacked use: a Vec(u32) over each allocator kind (the first byte picks Page,
// Heap, Arena, Slab, Debug or Budget), driven by push / bulk push / pop / reserve / at /
// inject-failure operations and checked against a plain array. A failed push or reserve must
// leave the vector exactly as it was, and is only allowed after an injected failure (or when a
// fixed-slot allocator is out of room); the allocator's Check runs after every operation.
#include "alloc/Arena.h"
#include "alloc/Budget.h"
#include "alloc/Debug.h"
#include "alloc/Heap.h"
#include "alloc/Page.h"
#include "alloc/Slab.h"
#include "alloc/Vec.h"
#include "fault_injection.h"
#include "fuzz_ops.h"

#include <string.h> // memcmp

enum { SHADOW_MAX = 1 << 15, KINDS = 6 };

typedef Vec(u32) Numbers;

// Every allocator kind, one of which is live per input.
typedef struct Stack {
    PageAllocator   page;
    HeapAllocator   heap;
    ArenaAllocator  arena;
    SlabAllocator   slab;
    DebugAllocator  debug;
    BudgetAllocator budget;
} Stack;

_Alignas(64) static unsigned char budget_buffer[BudgetAllocatorBufferBytes(8, 64 << 10)];
static u32 shadow[SHADOW_MAX];

static void discard_report(const char *line, void *context) { (void)line, (void)context; }

static Allocator *stack_init(Stack *s, unsigned kind) {
    DebugAllocatorConfig quiet = DebugAllocatorConfigDefault();
    quiet.report               = discard_report;
    quiet.backtrace_depth      = 1;
    switch (kind) {
    case 0: s->page = PageAllocatorInit(); return ALLOCATOR_OF(&s->page);
    case 1: s->heap = HeapAllocatorInit(); return ALLOCATOR_OF(&s->heap);
    case 2: s->arena = ArenaAllocatorInitChunk(4096); return ALLOCATOR_OF(&s->arena);
    case 3: s->slab = SlabAllocatorInit(64 << 10); return ALLOCATOR_OF(&s->slab);
    case 4: s->debug = DebugAllocatorInitWith(quiet); return ALLOCATOR_OF(&s->debug);
    default: s->budget = BudgetAllocatorInit(budget_buffer, sizeof budget_buffer, 64 << 10); return ALLOCATOR_OF(&s->budget);
    }
}

static void stack_check(Stack *s, unsigned kind) {
    switch (kind) {
    case 0: PageAllocatorCheck(&s->page); break;
    case 1: HeapAllocatorCheck(&s->heap); break;
    case 2: ArenaAllocatorCheck(&s->arena); break;
    case 3: SlabAllocatorCheck(&s->slab); break;
    case 4: DebugAllocatorCheck(&s->debug); break;
    default: BudgetAllocatorCheck(&s->budget); break;
    }
}

static void stack_deinit(Stack *s, unsigned kind) {
    switch (kind) {
    case 0: PageAllocatorDeinit(&s->page); break;
    case 1: HeapAllocatorDeinit(&s->heap); break;
    case 2: ArenaAllocatorDeinit(&s->arena); break;
    case 3: SlabAllocatorDeinit(&s->slab); break;
    case 4: DebugAllocatorDeinit(&s->debug); break;
    default: BudgetAllocatorDeinit(&s->budget); break;
    }
}

static bool same_as_shadow(const Numbers *v, size len) {
    return v->len == len && (len == 0 || memcmp(v->data, shadow, len * sizeof *shadow) == 0);
}

// After a failed push or reserve: the vector is untouched and the failure is explained.
static void expect_clean_failure(const Numbers *v, const Numbers *before, u64 injected, bool may_run_out) {
    FUZZ_EXPECT(v->data == before->data && v->len == before->len && v->cap == before->cap,
                "a failed growth changed the vector");
    FUZZ_EXPECT(may_run_out || alloc_fault_failures() > injected, "growth failed with no injected failure");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len) {
    if (len < 1) return 0;
    unsigned   kind        = data[0] % KINDS;
    bool       may_run_out = kind == 3 || kind == 5; // 64 KiB slots: at most 16384 numbers
    Stack      stack;
    Allocator *any = stack_init(&stack, kind);
    Numbers    v   = VecInit(any);
    size       n   = 0; // shadow length
    for (size_t at = 1; at + 1 < len; at += 2) {
        unsigned op = data[at] % 6, arg = data[at + 1];
        Numbers  before   = v;
        u64      injected = alloc_fault_failures();
        switch (op) {
        case 0: // push one
        case 1: // push many
            for (unsigned k = 0; k < (op ? arg * 8u + 1 : 1) && n < SHADOW_MAX; ++k) {
                u32 value = (u32)(n * 2654435761u + arg);
                before    = v;
                injected  = alloc_fault_failures();
                if (!VecPush(&v, value)) {
                    expect_clean_failure(&v, &before, injected, may_run_out);
                    break;
                }
                shadow[n++] = value;
            }
            break;
        case 2:
            if (n) {
                FUZZ_EXPECT(VecPop(&v) == shadow[n - 1], "pop returned the wrong value");
                n -= 1;
            }
            break;
        case 3:
            if (!VecReserve(&v, (size)arg * 64)) expect_clean_failure(&v, &before, injected, may_run_out);
            else FUZZ_EXPECT(VecCap(&v) >= (size)arg * 64, "reserve left too little room");
            break;
        case 4:
            if (n) FUZZ_EXPECT(VecAt(&v, arg % n) == shadow[arg % n], "at returned the wrong value");
            break;
        default: alloc_fault_fail_nth(1 + arg % 3); break;
        }
        FUZZ_EXPECT(same_as_shadow(&v, n), "vector differs from the shadow");
        stack_check(&stack, kind);
    }
    alloc_fault_fail_nth(0);
    VecDeinit(&v);
    stack_check(&stack, kind);
    if (kind != 2) FUZZ_EXPECT(any->stats.bytes_in_use == 0, "bytes in use after VecDeinit");
    stack_deinit(&stack, kind);
    fuzz_expect_no_mapping();
    return 0;
}
