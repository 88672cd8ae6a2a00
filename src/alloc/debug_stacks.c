// SPDX-License-Identifier: MIT
// DebugAllocator's backtraces: the capture (a frame-pointer walk bounded by the thread's stack,
// or a full unwinder loaded at run time) and the store that keeps each distinct trace once. The
// store is a pool of words (per trace: a header word holding its hash and depth, then its
// frames) and an open-addressing hash from trace to id (its offset in the pool + 1), both mapped
// from the OS and grown by doubling. Header word: hash << 32 | samples << 8 | depth, where
// samples counts the blocks of this allocation stack sampled mode guarded. Entry points: debug_capture, debug_stack_store,
// debug_stack_frames; see debug_internal.h.
#include "debug_internal.h"

_Static_assert(sizeof(uintptr_t) == 8, "the store packs hash, samples and depth in a word");

#include <pthread.h> // pthread_getattr_np: a thread's stack bounds
#if defined(__GLIBC__)
#include <link.h>     // dl_iterate_phdr: the executable segments of the loaded modules
#include <dlfcn.h>    // dlopen: libunwind, only when the full unwinder is asked for
#include <execinfo.h> // backtrace: the full unwinder without libunwind
extern void *__libc_stack_end; // glibc: the top of the main thread's stack
#endif

enum { FIRST_SLOTS = 1024, FIRST_WORDS = 8192, MAX_FRAME = 1 << 20, TEXT_REFRESH = 1024 };

// The thread identity: the address of a thread-local object is unique among live threads.
// Never written, so it is not mutable global state.
static _Thread_local char stack_token;

// --- Capture ------------------------------------------------------------------------------------

uintptr_t debug_thread_stack_top(uintptr_t near) {
#if defined(__GLIBC__)
    uintptr_t main_top = (uintptr_t)__libc_stack_end;
    if (main_top > near && main_top - near < ((uintptr_t)1 << 30)) return main_top;
#endif
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) return 0;
    void  *low   = NULL;
    size_t bytes = 0;
    int    got   = pthread_attr_getstack(&attr, &low, &bytes);
    pthread_attr_destroy(&attr);
    if (got != 0 || (uintptr_t)low > near || near - (uintptr_t)low >= bytes) return 0;
    return (uintptr_t)low + bytes;
}

static uintptr_t cached_stack_top(DebugAllocator *self, uintptr_t near) {
    if (self->stack_thread == &stack_token && self->stack_top > near) return self->stack_top;
    self->stack_top    = debug_thread_stack_top(near);
    self->stack_thread = &stack_token;
    return self->stack_top;
}

// --- Executable ranges: a return address must lie in one ----------------------------------------

#if defined(__GLIBC__)
typedef struct TextScan {
    uintptr_t *pairs;
    u32        count, cap;
} TextScan;

static int add_module(struct dl_phdr_info *info, size_t bytes, void *context) {
    (void)bytes;
    TextScan *scan = context;
    for (int i = 0; i < info->dlpi_phnum && scan->count < scan->cap; ++i) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X)) continue;
        uintptr_t start = (uintptr_t)info->dlpi_addr + (uintptr_t)ph->p_vaddr;
        // Insertion keeps the pairs sorted by start.
        u32 at = scan->count++;
        while (at > 0 && scan->pairs[2 * (at - 1)] > start) {
            scan->pairs[2 * at]     = scan->pairs[2 * (at - 1)];
            scan->pairs[2 * at + 1] = scan->pairs[2 * (at - 1) + 1];
            at -= 1;
        }
        scan->pairs[2 * at]     = start;
        scan->pairs[2 * at + 1] = start + (uintptr_t)ph->p_memsz;
    }
    return 0;
}
#endif

// Read the executable segments again (at most once per TEXT_REFRESH allocations).
static void text_refresh(DebugAllocator *self) {
    if (self->text_ranges && self->serial - self->text_serial < TEXT_REFRESH) return;
    self->text_serial = self->serial;
    if (!self->page_size) self->page_size = alloc_os_page_size(); // a walk before the first use
    if (!self->text_ranges) {
        self->text_ranges = alloc_os_map(&self->base, self->page_size);
        if (!self->text_ranges) return;
    }
#if defined(__GLIBC__)
    TextScan scan = {self->text_ranges, 0, (u32)(self->page_size / (2 * sizeof(uintptr_t)))};
    dl_iterate_phdr(add_module, &scan);
    self->text_count = scan.count;
#endif
}

static bool in_text_ranges(const DebugAllocator *self, uintptr_t pc) {
    u32 low = 0, high = self->text_count;
    while (low < high) {
        u32 mid = (low + high) / 2;
        if (self->text_ranges[2 * mid] <= pc) low = mid + 1;
        else high = mid;
    }
    return low > 0 && pc < self->text_ranges[2 * (low - 1) + 1];
}

static bool is_code(DebugAllocator *self, uintptr_t pc) {
    if (ALLOC_LIKELY(self->text_ranges && in_text_ranges(self, pc))) return true;
    text_refresh(self); // a module loaded since, or not code at all
    return self->text_ranges && in_text_ranges(self, pc);
}

// Whether the bytes before a return address in code are a call instruction (x86-64: `e8 rel32`,
// or `ff /2` with a 1- to 6-byte operand); elsewhere every address in code passes.
static bool follows_call(DebugAllocator *self, uintptr_t ret) {
#if defined(__x86_64__)
    if (!in_text_ranges(self, ret - 7)) return in_text_ranges(self, ret - 5) && ((const u8 *)ret)[-5] == 0xE8;
    const u8 *code = (const u8 *)ret;
    if (code[-5] == 0xE8) return true;
    for (int k = 2; k <= 7; ++k)
        if (code[-k] == 0xFF && ((code[-k + 1] >> 3) & 7) == 2) return true;
    return false;
#else
    (void)self, (void)ret;
    return true;
#endif
}

// A frame record's saved frame pointer must be 0 (the outermost frame) or a plausible next one.
static bool plausible_next(uintptr_t next, uintptr_t fp, uintptr_t top) {
    if (next == 0) return true;
    return next > fp && next - fp <= MAX_FRAME && !(next & (sizeof(void *) - 1)) &&
           next + 2 * sizeof(void *) <= top;
}

// Frame records: [fp] = caller's fp, [fp + 8] = return address. Each must lie above the last
// (the first above `low`), within MAX_FRAME of it, aligned, and below the stack top, and its
// return address in an executable segment right after a call instruction, and its saved frame
// pointer plausible, so a frame pointer register that code without frame pointers used for
// something else ends the walk instead of a wild read or a made-up frame.
static inline bool frame_in_bounds(uintptr_t fp, uintptr_t last, uintptr_t top) {
    return fp > last && fp - last <= MAX_FRAME && !(fp & (sizeof(void *) - 1)) &&
           fp + 2 * sizeof(void *) <= top;
}

static u32 walk_frame_pointers(DebugAllocator *self, void **out, u32 max, uintptr_t fp,
                               uintptr_t low, uintptr_t top) {
    u32       n    = 0;
    uintptr_t last = low;
    while (n < max) {
        if (!frame_in_bounds(fp, last, top)) break;
        void *const *record = (void *const *)fp;
        uintptr_t    ret    = (uintptr_t)record[1];
        if (!ret || !plausible_next((uintptr_t)record[0], fp, top) || !is_code(self, ret) ||
            !follows_call(self, ret))
            break;
        out[n++] = record[1];
        last     = fp;
        fp       = (uintptr_t)record[0];
    }
    return n;
}

#if defined(__GLIBC__)
static int unwind_with_backtrace(void **frames, int depth) { return backtrace(frames, depth); }

static void resolve_full_unwinder(DebugAllocator *self) {
    void *lib = dlopen("libunwind.so.8", RTLD_NOW | RTLD_LOCAL);
    void *fn  = lib ? dlsym(lib, "_ULx86_64_backtrace") : NULL;
    if (lib && !fn) fn = dlsym(lib, "unw_backtrace");
    int (*found)(void **, int) = NULL;
    if (fn) memcpy(&found, &fn, sizeof found); // object to function pointer, as POSIX allows
    self->unwind_full = found ? found : unwind_with_backtrace;
}

// The full unwinder's frames start inside the allocator: keep those from `pc` on.
static u32 walk_full(DebugAllocator *self, void **out, u32 max, void *pc) {
    if (!self->unwind_full) resolve_full_unwinder(self);
    enum { EXTRA = 8 };
    void *all[DEBUG_ALLOCATOR_MAX_BACKTRACE_DEPTH + EXTRA];
    int   got   = self->unwind_full(all, (int)(max + EXTRA));
    int   first = 0;
    while (first < got && all[first] != pc) first += 1;
    if (first == got) first = got < EXTRA ? 0 : EXTRA; // pc not seen: drop the allocator's frames
    u32 n = 0;
    for (int i = first; i < got && n < max; ++i) out[n++] = all[i];
    return n;
}
#endif

// The walk past frame #0, out of line: the common capture (no plausible frame record: code
// without frame pointers) then saves no registers for it.
__attribute__((noinline)) static void capture_walk(DebugAllocator *self, DebugTrace *trace, u32 max,
                                                   uintptr_t fp, uintptr_t low, uintptr_t top) {
    trace->depth += walk_frame_pointers(self, trace->frames + 1, max - 1, fp, low, top);
}

static inline void capture_frames(DebugAllocator *self, DebugTrace *trace, void *pc, uintptr_t fp,
                                  uintptr_t low, uintptr_t stack_top) {
    u32 max      = self->config.backtrace_depth;
    trace->depth = 0;
    if (max == 0) return;
    trace->frames[0] = pc;
    uintptr_t top    = stack_top ? stack_top : cached_stack_top(self, low);
    trace->depth     = 1;
    // Code built without frame pointers fails the first test: no call for the walk then.
    if (max > 1 && frame_in_bounds(fp, low, top)) capture_walk(self, trace, max, fp, low, top);
}

__attribute__((noinline)) void debug_capture(DebugAllocator *self, DebugTrace *trace, void *pc,
                                             void *const *frame, uintptr_t stack_top) {
    // frame: the entry point's own frame record; frame[0] is its caller's, where the walk starts.
#if defined(__GLIBC__)
    if (ALLOC_UNLIKELY(self->config.unwinder == DEBUG_UNWIND_FULL)) {
        u32 max      = self->config.backtrace_depth;
        trace->depth = max ? walk_full(self, trace->frames, max, pc) : 0;
        return;
    }
#endif
    capture_frames(self, trace, pc, (uintptr_t)frame[0], (uintptr_t)frame, stack_top);
}

void debug_capture_frames(DebugAllocator *self, DebugTrace *trace, void *pc, uintptr_t fp,
                          uintptr_t low, uintptr_t stack_top) {
    capture_frames(self, trace, pc, fp, low, stack_top);
}

// --- Store --------------------------------------------------------------------------------------

static u32 trace_hash(void *const *frames, u32 depth) {
    u64 h = 0x9e3779b97f4a7c15ULL ^ depth;
    for (u32 i = 0; i < depth; ++i) {
        h ^= (u64)(uintptr_t)frames[i];
        h *= 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    return (u32)h;
}

enum { DEPTH_BITS = 0xFF, SAMPLE_SHIFT = 8, SAMPLE_MAX = 0xFFFFFF };
static const u64 SAMPLE_BITS = (u64)SAMPLE_MAX << SAMPLE_SHIFT;

static u64 header_of(u32 hash, u32 depth) { return (u64)hash << 32 | depth; }

static inline bool same_frames(const uintptr_t *stored, const DebugTrace *trace, u32 depth) {
    for (u32 i = 0; i < depth; ++i)
        if (stored[i] != (uintptr_t)trace->frames[i]) return false;
    return true;
}

static void slot_put(u32 *slots, u32 cap, u32 hash, u32 id) {
    u32 slot = hash & (cap - 1);
    while (slots[slot]) slot = (slot + 1) & (cap - 1);
    slots[slot] = id;
}

// Double the hash (or map the first one) and re-insert every stored trace.
static bool slots_grow(DebugAllocator *self) {
    u32  cap   = self->stacks_cap ? 2 * self->stacks_cap : FIRST_SLOTS;
    size bytes = alloc_align_up((size)cap * sizeof(u32), self->page_size);
    u32 *slots = alloc_os_map(&self->base, bytes);
    if (!slots) return false;
    for (size at = 0; at < self->frames_used;) {
        u64 header = self->frames[at];
        slot_put(slots, cap, (u32)(header >> 32), (u32)at + 1);
        at += 1 + (header & DEPTH_BITS);
    }
    alloc_os_unmap(&self->base, self->stacks, self->stacks_bytes);
    self->stacks       = slots;
    self->stacks_bytes = bytes;
    self->stacks_cap   = cap;
    return true;
}

// Room for `words` more words in the pool.
static bool pool_reserve(DebugAllocator *self, size words) {
    size need = (self->frames_used + words) * sizeof(uintptr_t);
    if (need <= self->frames_bytes) return true;
    size bytes = self->frames_bytes ? 2 * self->frames_bytes
                                    : alloc_align_up(FIRST_WORDS * sizeof(uintptr_t), self->page_size);
    if (bytes < need || self->frames_used + words > (u32)-1 / 2) return false;
    uintptr_t *pool = self->frames
                          ? alloc_os_remap(&self->base, self->frames, self->frames_bytes, bytes, true)
                          : alloc_os_map(&self->base, bytes);
    if (!pool) return false;
    self->frames       = pool;
    self->frames_bytes = bytes;
    return true;
}

enum { RECENT_SLOTS = sizeof(((DebugAllocator *)0)->stack_recent) / sizeof(u32) };
_Static_assert((RECENT_SLOTS & (RECENT_SLOTS - 1)) == 0, "stack_recent: a power of two slots");

// The stack_recent slot of a trace: its call site's address, the low bits (instruction
// alignment) dropped.
static inline u32 recent_slot(const DebugTrace *trace) {
    uintptr_t site = (uintptr_t)trace->frames[0];
    return (u32)((site >> 2) ^ (site >> 9)) & (RECENT_SLOTS - 1);
}

// Out of line, so that the fast path above saves no registers for it.
__attribute__((noinline)) static u32 stack_store_slow(DebugAllocator *self, const DebugTrace *trace,
                                                      u32 depth);

u32 debug_stack_store(DebugAllocator *self, const DebugTrace *trace) {
    u32 depth = trace->depth;
    if (depth == 0) return 0;
    // A call site mostly repeats its last trace: compare with it before hashing.
    u32 recent = self->stack_recent[recent_slot(trace)];
    if (recent && (self->frames[recent - 1] & DEPTH_BITS) == depth &&
        same_frames(self->frames + recent, trace, depth))
        return recent;
    u32 id = stack_store_slow(self, trace, depth);
    if (id) self->stack_recent[recent_slot(trace)] = id;
    return id;
}

// debug_stack_store past the recent trace of the call site: the hash probe, then a new entry.
__attribute__((noinline)) static u32 stack_store_slow(DebugAllocator *self, const DebugTrace *trace,
                                                      u32 depth) {
    u32 hash   = trace_hash(trace->frames, depth);
    u64 header = header_of(hash, depth);
    if (self->stacks_cap) {
        u32 mask = self->stacks_cap - 1;
        for (u32 slot = hash & mask; self->stacks[slot]; slot = (slot + 1) & mask) {
            u32 id = self->stacks[slot];
            if ((self->frames[id - 1] & ~SAMPLE_BITS) == header && same_frames(self->frames + id, trace, depth))
                return id;
        }
    }
    if (2 * (self->stacks_len + 1) > self->stacks_cap && !slots_grow(self)) return 0;
    if (!pool_reserve(self, 1 + (size)depth)) return 0;
    u32 id                       = (u32)self->frames_used + 1;
    self->frames[id - 1]         = header;
    memcpy(self->frames + id, trace->frames, depth * sizeof(void *));
    self->frames_used += 1 + depth;
    slot_put(self->stacks, self->stacks_cap, hash, id);
    self->stacks_len += 1;
    return id;
}

void *const *debug_stack_frames(const DebugAllocator *self, u32 id, u32 *depth) {
    *depth = id ? (u32)(self->frames[id - 1] & DEPTH_BITS) : 0;
    return id ? (void *const *)(const void *)(self->frames + id) : NULL;
}

bool debug_stack_take_sample(DebugAllocator *self, u32 id) {
    if (!id) return false;
    u64 samples = (self->frames[id - 1] & SAMPLE_BITS) >> SAMPLE_SHIFT;
    if (samples >= self->config.sample_first || samples == SAMPLE_MAX) return false;
    self->frames[id - 1] += (u64)1 << SAMPLE_SHIFT;
    return true;
}

void debug_stacks_release(DebugAllocator *self) {
    alloc_os_unmap(&self->base, self->text_ranges, self->page_size);
    alloc_os_unmap(&self->base, self->frames, self->frames_bytes);
    alloc_os_unmap(&self->base, self->stacks, self->stacks_bytes);
}
