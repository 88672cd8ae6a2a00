// SPDX-License-Identifier: MIT
// Seeded randomized differential test: per allocator kind (kinds.h), a stream of 10^6
// allocate/resize/remap/free (and reset where the kind has one) is run against a shadow model of
// the live blocks. Each op goes, at random, through the kind's typed entry points or through
// `Allocator *`, so both paths see the same stream. After every op: no two live blocks overlap
// (address-sorted intervals), every block is aligned, every live block still holds its id's fill
// pattern, and bytes_in_use equals the model's sum of effective sizes; the kind's self-check runs
// every CHECK_EVERY ops. ALLOC_SEED=<n> replays a stream (ALLOC_KIND=<name> runs one kind only,
// ALLOC_OPS=<n> stops after n ops); a failure names the kind, the seed, the op index and the path.
#include "kinds.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdint.h> // SIZE_MAX
#include <stdio.h>  // fprintf
#include <stdlib.h> // getenv, strtoull, calloc, free
#include <string.h> // memcmp, memcpy, memmove, strcmp

// Ops per kind (ALLOC_OPS=<n> overrides, e.g. to stop a replay at the failing op). The plain
// build (suite alloc) runs the full 10^6. The ASan build (alloc-asan) runs a quarter: there an op
// costs ~3 times as much (measured: that suite 21 s -> 48 s wall at 10^6), and what ASan adds,
// checking the library's own memory accesses, is reached on every path thousands of times within
// 250k ops. At ALLOC_DEBUG=3 (alloc-debug3) the library runs its whole self-check after every
// operation, so the stream costs 80 s of CPU at 10^6: that build runs 10^5.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DIFFERENTIAL_UNDER_ASAN 1
#endif
#endif
#if defined(ALLOC_DEBUG) && ALLOC_DEBUG >= 3
#define OPS 100000
#elif defined(__SANITIZE_ADDRESS__) || defined(DIFFERENTIAL_UNDER_ASAN)
#define OPS 250000
#else
#define OPS 1000000
#endif
#define MAX_LIVE     128
#define CHECK_EVERY  1024
#define DEFAULT_SEED 0x20261124ULL
#define LARGEST      70000u // bytes: the largest block the stream asks for (above 16 pages)

// Fill pattern: block `id` holds PATTERN[offset(id) + i] at byte i, so a check is one memcmp.
static unsigned char PATTERN[4096 + LARGEST];
static size          pattern_offset(u64 id) { return (size)((id * 2654435761u) % 4096); }

typedef struct Block {
    unsigned char *ptr;
    size           requested; // bytes the stream asked for (all written with the pattern)
    size           effective; // bytes the allocator counts for it (stats delta at allocation)
    u64            id;
} Block;

typedef struct Model {
    const Kind    *kind;
    Allocator     *a;
    void          *self;
    const KindOps *ops;  // this op's path: &kind->typed or &KIND_DYNAMIC_OPS
    void          *ops_self; // the pointer that path takes (the typed instance or `a`)
    u64         seed, rng;
    size        op;
    Block       live[MAX_LIVE]; // unordered; a slot index names a block
    size        live_len;
    size        order[MAX_LIVE]; // slots sorted by address, for the overlap check
    size        dead_bytes;      // bytes a LIFO kind still counts for blocks it could not free
    u64         next_id;
    u64         last_id; // most recent allocation (LIFO kinds may only resize/remap that one)
} Model;

#define EXPECT(m, cond, ...)                                                                       \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "differential: %s: seed %llu (ALLOC_SEED=%llu), op %zu (%s path): ",   \
                    (m)->kind->name, (unsigned long long)(m)->seed,                                \
                    (unsigned long long)(m)->seed, (m)->op, path_name(m));                         \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            cr_assert_fail("%s: seed %llu, op %zu: %s", (m)->kind->name,                           \
                           (unsigned long long)(m)->seed, (m)->op, #cond);                         \
        }                                                                                          \
    } while (0)

static const char *path_name(const Model *m) {
    return m->ops == &KIND_DYNAMIC_OPS ? "Allocator *" : "typed";
}

static u64 next(Model *m) { // splitmix64
    u64 z = (m->rng += 0x9E3779B97F4A7C15ULL);
    z     = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z     = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static size below(Model *m, size n) { return (size)(next(m) % n); }

// Mostly small, sometimes pages, rarely large; never above the kind's largest block.
static size random_size(Model *m) {
    size r = below(m, 1000), s;
    if (r < 750) s = 1 + below(m, 128);
    else if (r < 950) s = 129 + below(m, 1920);
    else if (r < 995) s = 2049 + below(m, 14336);
    else s = 16385 + below(m, LARGEST - 16384);
    return s <= m->kind->max_block ? s : 1 + below(m, m->kind->max_block);
}

static uintptr_t start_of(const Block *b) { return (uintptr_t)b->ptr; }
static uintptr_t end_of(const Block *b) {
    return (uintptr_t)b->ptr + (b->effective > b->requested ? b->effective : b->requested);
}

// Position of `ptr` among the first `count` sorted live blocks.
static size order_find(const Model *m, uintptr_t ptr, size count) {
    size lo = 0, hi = count;
    while (lo < hi) {
        size mid = lo + (hi - lo) / 2;
        if (start_of(&m->live[m->order[mid]]) < ptr) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

// The block at sorted position `at` must not overlap its neighbours.
static void expect_no_overlap(Model *m, size at) {
    const Block *b = &m->live[m->order[at]];
    if (at > 0) {
        const Block *prev = &m->live[m->order[at - 1]];
        EXPECT(m, end_of(prev) <= start_of(b), "block %p+%zu overlaps %p+%zu", (void *)prev->ptr,
               prev->effective, (void *)b->ptr, b->effective);
    }
    if (at + 1 < m->live_len) {
        const Block *after = &m->live[m->order[at + 1]];
        EXPECT(m, end_of(b) <= start_of(after), "block %p+%zu overlaps %p+%zu", (void *)b->ptr,
               b->effective, (void *)after->ptr, after->effective);
    }
}

static void order_insert(Model *m, size slot) {
    size at = order_find(m, start_of(&m->live[slot]), m->live_len - 1);
    memmove(m->order + at + 1, m->order + at, (m->live_len - 1 - at) * sizeof *m->order);
    m->order[at] = slot;
    expect_no_overlap(m, at);
}

static void order_remove(Model *m, size slot) {
    size at = order_find(m, start_of(&m->live[slot]), m->live_len);
    EXPECT(m, at < m->live_len && m->order[at] == slot, "model lost block %zu", slot);
    memmove(m->order + at, m->order + at + 1, (m->live_len - at - 1) * sizeof *m->order);
}

static void expect_aligned(Model *m, const void *p) {
    EXPECT(m, ((uintptr_t)p & (m->a->alignment - 1)) == 0, "%p not aligned to %zu", p,
           m->a->alignment);
}

static void write_pattern(const Block *b, size from) {
    memcpy(b->ptr + from, PATTERN + pattern_offset(b->id) + from, b->requested - from);
}

static size model_bytes(const Model *m) {
    size sum = m->dead_bytes;
    for (size i = 0; i < m->live_len; ++i) sum += m->live[i].effective;
    return sum;
}

// After every op: patterns intact and byte counts equal; the kind's own check periodically.
static void expect_consistent(Model *m) {
    for (size i = 0; i < m->live_len; ++i) {
        const Block *b = &m->live[i];
        EXPECT(m, memcmp(b->ptr, PATTERN + pattern_offset(b->id), b->requested) == 0,
               "block %llu at %p (%zu bytes) lost its fill pattern", (unsigned long long)b->id,
               (void *)b->ptr, b->requested);
    }
    EXPECT(m, m->a->stats.bytes_in_use == model_bytes(m), "bytes_in_use %zu, model %zu",
           m->a->stats.bytes_in_use, model_bytes(m));
    if (m->op % (m->kind->check_every ? m->kind->check_every : CHECK_EVERY) == 0)
        m->kind->check((KindInstance *)m->self);
}

// Record a block the allocator just handed out; `before` is bytes_in_use before the call.
static void adopt(Model *m, unsigned char *p, size requested, size before, bool zeroed) {
    expect_aligned(m, p);
    if (zeroed) {
        size nonzero = 0;
        while (nonzero < requested && p[nonzero] == 0) ++nonzero;
        EXPECT(m, nonzero == requested, "byte %zu of a zeroed %zu-byte block is not 0", nonzero,
               requested);
    }
    size   slot = m->live_len++;
    Block *b    = &m->live[slot];
    *b = (Block){.ptr = p, .requested = requested, .effective = m->a->stats.bytes_in_use - before,
                 .id = m->next_id++};
    EXPECT(m, b->effective >= requested, "effective %zu < requested %zu", b->effective, requested);
    m->last_id = b->id;
    order_insert(m, slot);
    write_pattern(b, 0);
}

// Forget slot `slot` (already released or moved); the last slot takes its place.
static void forget(Model *m, size slot) {
    order_remove(m, slot);
    m->live_len -= 1;
    if (slot == m->live_len) return;
    size moved_at = order_find(m, start_of(&m->live[m->live_len]), m->live_len);
    m->live[slot] = m->live[m->live_len];
    m->order[moved_at] = slot;
}

static void op_allocate(Model *m) {
    size requested = random_size(m);
    bool zeroed    = below(m, 2);
    size before    = m->a->stats.bytes_in_use;
    unsigned char *p = m->ops->allocate(m->ops_self, requested, zeroed);
    EXPECT(m, p != NULL, "allocate(%zu) failed", requested);
    adopt(m, p, requested, before, zeroed);
}

static void op_free(Model *m, size slot) {
    Block b        = m->live[slot];
    size  before   = m->a->stats.bytes_in_use;
    size  released = m->ops->deallocate(m->ops_self, b.ptr);
    EXPECT(m, before - m->a->stats.bytes_in_use == released, "free returned %zu, stats fell %zu",
           released, before - m->a->stats.bytes_in_use);
    if (released != b.effective) {
        EXPECT(m, (m->kind->flags & KIND_LIFO_ONLY) && released == 0,
               "free returned %zu for a block counted %zu", released, b.effective);
        m->dead_bytes += b.effective;
    }
    forget(m, slot);
}

static void op_resize(Model *m, size slot) {
    Block *b        = &m->live[slot];
    size   new_size = below(m, 4) ? random_size(m) : b->requested + 1 + below(m, 64);
    if (new_size > m->kind->max_block) new_size = m->kind->max_block;
    size before = m->a->stats.bytes_in_use;
    if (!m->ops->resize(m->ops_self, b->ptr, new_size)) {
        EXPECT(m, m->a->stats.bytes_in_use == before, "a refused resize changed the count");
        return;
    }
    size old_requested = b->requested;
    b->effective       = b->effective + m->a->stats.bytes_in_use - before;
    b->requested       = new_size;
    EXPECT(m, b->effective >= new_size, "resize to %zu counts %zu", new_size, b->effective);
    expect_no_overlap(m, order_find(m, start_of(b), m->live_len));
    if (new_size > old_requested) write_pattern(b, old_requested);
}

static void op_remap(Model *m, size slot) {
    Block *b        = &m->live[slot];
    size   new_size = random_size(m);
    size   before   = m->a->stats.bytes_in_use;
    unsigned char *p = m->ops->remap(m->ops_self, b->ptr, new_size);
    EXPECT(m, p != NULL, "remap(%p, %zu) failed", (void *)b->ptr, new_size);
    expect_aligned(m, p);
    size kept = b->requested < new_size ? b->requested : new_size;
    EXPECT(m, memcmp(p, PATTERN + pattern_offset(b->id), kept) == 0, "remap lost bytes");
    Block moved = {.ptr = p, .requested = new_size, .effective = b->effective +
                   m->a->stats.bytes_in_use - before, .id = b->id};
    forget(m, slot);
    size at = m->live_len++;
    m->live[at] = moved;
    EXPECT(m, moved.effective >= new_size, "remap to %zu counts %zu", new_size, moved.effective);
    order_insert(m, at);
    if (new_size > kept) write_pattern(&m->live[at], kept);
}

// A request too large for the kind: NULL (or 0), a counted failure, the block untouched.
static void op_oversize(Model *m, size slot) {
    const Block *b       = &m->live[slot];
    size         too_big = m->kind->max_block < ((size)1 << 30) ? 2 * m->kind->max_block + 1
                                                                : SIZE_MAX / 2;
    u64 failed = m->a->stats.failed_allocations;
    size before = m->a->stats.bytes_in_use;
    EXPECT(m, m->ops->remap(m->ops_self, b->ptr, too_big) == NULL, "remap to %zu succeeded", too_big);
    EXPECT(m, m->ops->resize(m->ops_self, b->ptr, too_big) == 0, "resize to %zu succeeded", too_big);
    EXPECT(m, m->a->stats.failed_allocations > failed, "a refused remap counted no failure");
    EXPECT(m, m->a->stats.bytes_in_use == before, "a refused remap changed bytes_in_use");
}

// A live block a LIFO kind accepts for resize/remap, else any; MAX_LIVE when there is none.
static size pick_resizable(Model *m) {
    if (!(m->kind->flags & KIND_LIFO_ONLY)) return below(m, m->live_len);
    for (size i = 0; i < m->live_len; ++i)
        if (m->live[i].id == m->last_id) return i;
    return MAX_LIVE;
}

// remap(p, 0) frees p and returns NULL.
static void op_remap_to_zero(Model *m, size slot) {
    size before = m->a->stats.bytes_in_use;
    EXPECT(m, m->ops->remap(m->ops_self, m->live[slot].ptr, 0) == NULL, "remap(p, 0) returned a block");
    EXPECT(m, before - m->a->stats.bytes_in_use == m->live[slot].effective,
           "remap(p, 0) released %zu, the block counted %zu", before - m->a->stats.bytes_in_use,
           m->live[slot].effective);
    forget(m, slot);
}

// remap(NULL, n) allocates zeroed memory.
static void op_remap_null(Model *m) {
    size           before    = m->a->stats.bytes_in_use;
    size           requested = random_size(m);
    unsigned char *p         = m->ops->remap(m->ops_self, NULL, requested);
    EXPECT(m, p != NULL, "remap(NULL, %zu) failed", requested);
    adopt(m, p, requested, before, true);
}

static void step(Model *m) {
    bool typed  = below(m, 2);
    m->ops      = typed ? &m->kind->typed : &KIND_DYNAMIC_OPS;
    m->ops_self = typed ? m->self : (void *)m->a;
    size r      = below(m, 1000);
    if (m->kind->reset && r < 2) { // rarely: Reset drops every block
        m->kind->reset((KindInstance *)m->self);
        m->live_len = 0, m->dead_bytes = 0;
        return;
    }
    size want_alloc = m->live_len < MAX_LIVE / 2 ? 500 : 250;
    size slot       = MAX_LIVE;
    if (m->live_len == 0 || (m->live_len < MAX_LIVE && r < want_alloc)) op_allocate(m);
    else if (r < 700) op_free(m, below(m, m->live_len));
    else if ((slot = pick_resizable(m)) == MAX_LIVE) op_allocate(m);
    else if (r < 850) op_resize(m, slot);
    else if (r < 950) op_remap(m, slot);
    else if (r < 965) op_remap_to_zero(m, slot);
    else if (r < 975) op_oversize(m, slot);
    else op_remap_null(m);
}

// An abort inside the allocator (its self-check, a fatal misuse) still names the seed and op.
static void report_fatal(const char *line, void *context) {
    const Model *m = context;
    fprintf(stderr, "%s\ndifferential: %s: seed %llu (ALLOC_SEED=%llu), op %zu (%s path): aborted\n",
            line, m->kind->name, (unsigned long long)m->seed, (unsigned long long)m->seed, m->op,
            m->ops ? path_name(m) : "no");
}

static size ops_wanted(void) {
    const char *text = getenv("ALLOC_OPS");
    return text && *text ? (size)strtoull(text, NULL, 0) : OPS;
}

static u64 seed_of(size kind_index) {
    const char *text = getenv("ALLOC_SEED");
    if (text && *text) return strtoull(text, NULL, 0);
    return DEFAULT_SEED + kind_index;
}

// The whole stream for KINDS[index], then every block freed and the kind deinitialised.
static void run_stream(size index) {
    const char *only = getenv("ALLOC_KIND"); // replay one kind: ALLOC_KIND=Heap ALLOC_SEED=…
    if (only && *only && strcmp(only, KINDS[index].name) != 0) cr_skip_test("ALLOC_KIND=%s", only);
    for (size i = 0; i < sizeof PATTERN; ++i) PATTERN[i] = kind_pattern(7, i);
    KindInstance where;
    Model       *m = calloc(1, sizeof *m);
    cr_assert_not_null(m);
    m->kind = &KINDS[index];
    m->a    = m->kind->init(&where, 0);
    m->self = &where;
    m->seed = m->rng = seed_of(index);
    AllocSetFatalHandler(report_fatal, m);
    size ops = ops_wanted();
    for (m->op = 1; m->op <= ops; ++m->op) {
        step(m);
        expect_consistent(m);
    }
    cr_log_info("differential: %s: seed %llu, %zu ops, %llu allocations, %llu reallocations",
                m->kind->name, (unsigned long long)m->seed, ops,
                (unsigned long long)m->a->stats.allocations,
                (unsigned long long)m->a->stats.reallocations);
    while (m->live_len) op_free(m, m->live_len - 1);
    m->kind->check(&where);
    EXPECT(m, m->a->stats.bytes_in_use == m->dead_bytes, "bytes left in use after freeing all");
    m->kind->deinit(&where);
    AllocSetFatalHandler(NULL, NULL);
    free(m);
}

ParameterizedTestParameters(differential, random_ops_match_the_shadow_model) {
    return cr_make_param_array(size, (void *)KIND_INDICES, KIND_COUNT, NULL);
}
ParameterizedTest(const size *index, differential, random_ops_match_the_shadow_model) {
    run_stream(*index);
}
