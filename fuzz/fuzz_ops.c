// SPDX-License-Identifier: MIT
// The op-stream engine shared by the allocator fuzz targets (see fuzz_ops.h). Each input byte
// string is a program: an opcode byte, then its operands. Every live block carries a fill
// pattern seeded per block; after each operation the engine checks the result against its shadow
// model and calls the allocator's own Check. Failures are injected through fault_injection.h.
#include "fuzz_ops.h"
#include "fault_injection.h"

#include <setjmp.h> // setjmp, longjmp: leave the fatal handler on an expected misuse
#include <stdio.h>  // fprintf, snprintf
#include <stdlib.h> // abort
#include <string.h> // strcmp, strncpy

enum { SLOTS = 32, FULL_CHECK_EVERY = 32 };

typedef struct Block {
    unsigned char *ptr;   // NULL: slot empty
    size           bytes; // requested size
    unsigned char  seed;  // pattern: byte i is seed + 13 * i
} Block;

typedef struct Run {
    const FuzzSubject *subject;
    Allocator         *any;
    const uint8_t     *data;
    size_t             left;
    Block              slots[SLOTS];
    Block             *latest; // the most recent block (latest_only allocators), or NULL
    unsigned char      next_seed;
} Run;

_Noreturn void fuzz_fail(const char *file, int line, const char *what) {
    fprintf(stderr, "fuzz: %s:%d: %s\n", file, line, what);
    abort();
}

// --- Decoding ---------------------------------------------------------------------------------

static unsigned byte_of(Run *run) {
    if (!run->left) return 0;
    run->left -= 1;
    return *run->data++;
}

// A request size: mostly small, sometimes page-sized or larger, sometimes 0.
static size size_of(Run *run) {
    unsigned v = byte_of(run) << 8 | byte_of(run);
    size     n;
    switch (v >> 14) {
    case 0: n = v % 64; break;
    case 1: n = v % 1024; break;
    case 2: n = v % 16384; break;
    default: n = (size)(v & 0x3fff) * 16; break;
    }
    return n > run->subject->max_bytes ? run->subject->max_bytes : n;
}

// --- Shadow model -----------------------------------------------------------------------------

static void fill(Block *block) {
    for (size i = 0; i < block->bytes; ++i) block->ptr[i] = (unsigned char)(block->seed + 13 * i);
}

static bool holds_pattern(const Block *block, size bytes) {
    for (size i = 0; i < bytes; ++i)
        if (block->ptr[i] != (unsigned char)(block->seed + 13 * i)) return false;
    return true;
}

static bool overlaps_other(const Run *run, const Block *block) {
    uintptr_t start = (uintptr_t)block->ptr, end = start + block->bytes;
    for (int i = 0; i < SLOTS; ++i) {
        const Block *other = &run->slots[i];
        if (other == block || !other->ptr) continue;
        uintptr_t o_start = (uintptr_t)other->ptr, o_end = o_start + other->bytes;
        if (start < o_end && o_start < end) return true;
        if (start == o_start) return true; // two empty-looking blocks at one address
    }
    return false;
}

// A new block (fresh allocation or moved) at `ptr`: check it and give it a fresh pattern.
static void adopt(Run *run, Block *block, void *ptr, size bytes) {
    block->ptr   = ptr;
    block->bytes = bytes;
    block->seed  = run->next_seed++;
    FUZZ_EXPECT(((uintptr_t)ptr & (run->any->alignment - 1)) == 0, "block below the allocator's alignment");
    FUZZ_EXPECT(!overlaps_other(run, block), "new block overlaps a live block");
    fill(block);
}

static void check_all(Run *run) {
    run->subject->check(run->any);
    for (int i = 0; i < SLOTS; ++i)
        if (run->slots[i].ptr) FUZZ_EXPECT(holds_pattern(&run->slots[i], run->slots[i].bytes), "live block changed");
}

static bool all_zero(const void *ptr, size bytes) {
    const unsigned char *p = ptr;
    for (size i = 0; i < bytes; ++i)
        if (p[i]) return false;
    return true;
}

// --- Operations -------------------------------------------------------------------------------

// NULL for a non-zero request is only allowed when a failure was injected during the call, and
// it must be counted.
static void expect_explained_null(Run *run, u64 injected_before, u64 failed_before) {
    FUZZ_EXPECT(run->subject->may_run_out || alloc_fault_failures() > injected_before,
                "NULL without an injected failure");
    FUZZ_EXPECT(run->any->stats.failed_allocations > failed_before, "failure not counted");
}

static void op_alloc(Run *run, Block *block) {
    size bytes  = size_of(run);
    i8   zeroed = (i8)(byte_of(run) & 1);
    u64  injected = alloc_fault_failures(), failed = run->any->stats.failed_allocations;
    u64  allocations = run->any->stats.allocations;
    void *ptr   = run->any->allocate(run->any, bytes, zeroed);
    if (!bytes) {
        FUZZ_EXPECT(!ptr && run->any->stats.allocations == allocations, "allocate(0) returned a block");
        return;
    }
    if (!ptr) {
        expect_explained_null(run, injected, failed);
        return;
    }
    FUZZ_EXPECT(run->any->stats.allocations == allocations + 1, "allocation not counted");
    FUZZ_EXPECT(!zeroed || all_zero(ptr, bytes), "zeroed block is not zero");
    adopt(run, block, ptr, bytes);
    run->latest = block;
}

// True when the allocator can free, resize or remap `block` (Arena: only the most recent one).
static bool is_releasable(const Run *run, const Block *block) {
    return !run->subject->latest_only || block == run->latest;
}

static void op_free(Run *run, Block *block) {
    size released = run->any->deallocate(run->any, block->ptr);
    if (is_releasable(run, block)) FUZZ_EXPECT(released >= block->bytes, "deallocate released too little");
    else FUZZ_EXPECT(released == 0, "deallocate of a block that is not the most recent released it");
    if (block == run->latest) run->latest = NULL;
    block->ptr = NULL;
}

static void op_resize(Run *run, Block *block) {
    size new_bytes = size_of(run);
    if (!new_bytes) return;
    i8   done = run->any->resize(run->any, block->ptr, new_bytes);
    if (!is_releasable(run, block)) FUZZ_EXPECT(!done, "resized a block that is not the most recent");
    size kept = done && new_bytes < block->bytes ? new_bytes : block->bytes;
    FUZZ_EXPECT(holds_pattern(block, kept), "resize changed the kept bytes");
    if (!done) return;
    block->bytes = new_bytes;
    fill(block);
    FUZZ_EXPECT(!overlaps_other(run, block), "resized block overlaps a live block");
}

// remap through the vtable, or realloc through the dynamic path.
static void op_move(Run *run, Block *block, bool realloc_path) {
    size new_bytes = size_of(run);
    if (block->ptr && !is_releasable(run, block)) return; // Arena: a fatal error, not tested here
    u64   injected = alloc_fault_failures(), failed = run->any->stats.failed_allocations;
    void *moved     = realloc_path ? allocator_realloc_dyn(run->any, block->ptr, new_bytes)
                                   : run->any->remap(run->any, block->ptr, new_bytes);
    if (!new_bytes) {
        FUZZ_EXPECT(!moved, "remap to 0 returned a block");
        if (block == run->latest) run->latest = NULL;
        block->ptr = NULL;
        return;
    }
    if (!moved) {
        expect_explained_null(run, injected, failed);
        if (block->ptr) FUZZ_EXPECT(holds_pattern(block, block->bytes), "failed remap changed the block");
        return;
    }
    if (!block->ptr) FUZZ_EXPECT(all_zero(moved, new_bytes), "remap(NULL) block is not zero");
    Block old  = *block;
    size  kept = old.bytes < new_bytes ? old.bytes : new_bytes;
    block->ptr = moved;
    if (old.ptr) FUZZ_EXPECT(holds_pattern(&(Block){moved, kept, old.seed}, kept), "remap lost the contents");
    adopt(run, block, moved, new_bytes);
    run->latest = block;
}

// --- Misuse: every bad free must abort with the exact line ------------------------------------

static jmp_buf fatal_jump;
static char    fatal_line[512];

static void catch_fatal(const char *line, void *context) {
    (void)context;
    strncpy(fatal_line, line, sizeof fatal_line - 1);
    longjmp(fatal_jump, 1);
}

// Free `ptr`, which must abort naming the subject's deallocate, `reason` (or `other_reason`).
static void expect_fatal_free(Run *run, void *ptr, const char *reason, const char *other_reason) {
    char expected[2][512];
    snprintf(expected[0], sizeof expected[0], "alloc: fatal: %s: %s %p", run->subject->deallocate_name, reason, ptr);
    snprintf(expected[1], sizeof expected[1], "alloc: fatal: %s: %s %p", run->subject->deallocate_name,
             other_reason ? other_reason : reason, ptr);
    AllocFatalHandler previous = AllocSetFatalHandler(catch_fatal, NULL);
    fatal_line[0] = '\0';
    if (setjmp(fatal_jump) == 0) run->any->deallocate(run->any, ptr);
    AllocSetFatalHandler(previous, NULL);
    if (strcmp(fatal_line, expected[0]) && strcmp(fatal_line, expected[1])) {
        fprintf(stderr, "fuzz: expected \"%s\", got \"%s\"\n", expected[0], fatal_line);
        fuzz_fail(__FILE__, __LINE__, "misuse not reported with the exact line");
    }
}

static bool inside_live_block(const Run *run, uintptr_t address) {
    for (int i = 0; i < SLOTS; ++i) {
        const Block *b = &run->slots[i];
        if (b->ptr && address >= (uintptr_t)b->ptr && address < (uintptr_t)b->ptr + b->bytes + 1) return true;
    }
    return false;
}

static void op_misuse(Run *run, Block *block) {
    unsigned    kind     = 1u << (byte_of(run) % 4);
    unsigned    misuse   = run->subject->misuse;
    size        align    = run->any->alignment;
    const char *interior = run->subject->interior_reason ? run->subject->interior_reason : "interior pointer";
    if (!(misuse & kind)) return;
    if (kind == FUZZ_MISUSE_INTERIOR && block->bytes > align) { // an aligned address inside the block
        size offset = align * (1 + byte_of(run) % (block->bytes / align));
        if (offset < block->bytes) expect_fatal_free(run, block->ptr + offset, interior, NULL);
    } else if (kind == FUZZ_MISUSE_MISALIGNED && align > 1 && block->bytes > 1) {
        expect_fatal_free(run, block->ptr + 1, "misaligned pointer", NULL);
    } else if (kind == FUZZ_MISUSE_FOREIGN) {
        unsigned char on_stack[64];
        void *foreign = (void *)(((uintptr_t)on_stack + align - 1) & ~(uintptr_t)(align - 1));
        if ((unsigned char *)foreign + 1 <= on_stack + sizeof on_stack)
            expect_fatal_free(run, foreign, "foreign pointer", NULL);
    } else if (kind == FUZZ_MISUSE_DOUBLE && is_releasable(run, block)) { // free, then free again
        void *stale = block->ptr;
        op_free(run, block);
        if (!inside_live_block(run, (uintptr_t)stale)) expect_fatal_free(run, stale, "double free", "foreign pointer");
    }
}

// --- Driver -----------------------------------------------------------------------------------

enum { OP_ALLOC, OP_FREE, OP_RESIZE, OP_REMAP, OP_REALLOC, OP_FAIL, OP_RESET, OP_MISUSE, OP_COUNT };

static void step(Run *run, unsigned op, Block *block) {
    switch (op) {
    case OP_ALLOC: block->ptr ? op_free(run, block) : op_alloc(run, block); break;
    case OP_FREE: if (block->ptr) op_free(run, block); break;
    case OP_RESIZE: if (block->ptr) op_resize(run, block); break;
    case OP_REMAP: op_move(run, block, false); break;
    case OP_REALLOC: op_move(run, block, true); break;
    case OP_FAIL: alloc_fault_fail_nth(1 + byte_of(run) % 3); break;
    case OP_RESET:
        if (run->subject->reset) {
            run->subject->reset(run->any);
            for (int i = 0; i < SLOTS; ++i) run->slots[i].ptr = NULL;
            run->latest = NULL;
        }
        break;
    case OP_MISUSE: if (block->ptr) op_misuse(run, block); break;
    default: break;
    }
}

void fuzz_run(const FuzzSubject *subject, const uint8_t *data, size_t len) {
    Run run = {.subject = subject, .any = subject->any, .data = data, .left = len};
    for (unsigned n = 0; run.left; ++n) {
        unsigned code = byte_of(&run);
        Block   *block = &run.slots[byte_of(&run) % SLOTS];
        step(&run, code % OP_COUNT, block);
        if (block->ptr) FUZZ_EXPECT(holds_pattern(block, block->bytes), "block changed by its own operation");
        if (n % FULL_CHECK_EVERY == 0) check_all(&run);
        else subject->check(run.any);
    }
    alloc_fault_fail_nth(0);
    check_all(&run);
    if (subject->latest_only) return; // Deinit releases what the arena holds
    for (int i = 0; i < SLOTS; ++i)
        if (run.slots[i].ptr) op_free(&run, &run.slots[i]);
    subject->check(run.any);
    FUZZ_EXPECT(run.any->stats.bytes_in_use == 0, "bytes in use after freeing every block");
}

void fuzz_expect_no_mapping(void) {
    FUZZ_EXPECT(alloc_fault_mapped_bytes() == 0, "OS memory still mapped after Deinit");
}
