///
/// `DebugAllocator`: an allocator that finds the user's memory bugs instead of hiding them, fast
/// enough to leave on for a whole test suite.
///
/// Normal mode carves every block out of an embedded `HeapAllocator` (no mapping per block) and
/// frames it with canaries; the allocator keeps out-of-band records (address, size, the ids of
/// the allocation and free backtraces) in tables it maps itself. Backtraces are taken by walking
/// frame pointers (a few nanoseconds) or, on request, by a full unwinder, and each distinct stack
/// is stored once and referenced by id. A freed block is filled with 0xDD and held in a FIFO
/// quarantine bounded in blocks and in bytes; it is checked when it leaves (a write after free is
/// reported with both backtraces), so a double free is reported with the allocation and first
/// free backtraces. Guard pages where they pay: page mode puts every block against a
/// `PROT_NONE` page and protects it on free; sampled mode does so for the first blocks allocated
/// from each new call stack and then for one block in `sample_rate`, so an overflow or a use after
/// free of those blocks faults at the instruction (see `DebugAllocatorReportFault`). Reports name
/// the bug, the address, the block's size and the offset, with symbolised backtraces. It also
/// checks that it is used from one thread only. `docs/guides/finding-heap-bugs.md` says which
/// mode to use when, and how to read a report; `build/liballoc-debug.so` puts it under `malloc`
/// for any program.
///
/// TAGS: Allocator, Debug
///
#ifndef ALLOC_DEBUG_H
#define ALLOC_DEBUG_H

#include "alloc/Allocator.h"
#include "alloc/Heap.h"

ALLOC_BEGIN_DECLS

///
/// Default number of canary bytes written before and after every block of a `DebugAllocator`.
///
/// TAGS: Debug, Config
///
#define DEBUG_ALLOCATOR_DEFAULT_CANARY_BYTES 16

///
/// Largest `canary_bytes` a `DebugAllocatorConfig` may ask for; larger values are clamped to it.
///
/// TAGS: Debug, Config
///
#define DEBUG_ALLOCATOR_MAX_CANARY_BYTES 64

///
/// Default number of freed blocks a `DebugAllocator` holds in quarantine (so that a double free
/// of one of them is reported with both backtraces, and a write to it is caught). Chosen by
/// measurement: on random-pair (1000 live blocks of 16..256 bytes) a quarantine of 1024 blocks
/// costs 8.5 times glibc per operation, 2048 about 9.5 times, 4096 (out of the L2 cache) 13 times.
///
/// TAGS: Debug, Config
///
#define DEBUG_ALLOCATOR_DEFAULT_QUARANTINE 1024

///
/// Largest `quarantine` a `DebugAllocatorConfig` may ask for; larger values are clamped to it.
///
/// TAGS: Debug, Config
///
#define DEBUG_ALLOCATOR_MAX_QUARANTINE ((uint32_t)1 << 22)

///
/// Default bound, in bytes of freed blocks, of a `DebugAllocator`'s quarantine: 1 MiB. The
/// oldest freed blocks leave when the quarantine would hold more (liballoc-debug.so defaults to
/// more: see the guide).
///
/// TAGS: Debug, Config
///
#define DEBUG_ALLOCATOR_DEFAULT_QUARANTINE_BYTES ((size_t)1 << 20)

///
/// Default number of stack frames a `DebugAllocator` records for each allocation and each free.
///
/// TAGS: Debug, Config
///
#define DEBUG_ALLOCATOR_DEFAULT_BACKTRACE_DEPTH 8

///
/// Largest `backtrace_depth` a `DebugAllocatorConfig` may ask for; larger values are clamped.
///
/// TAGS: Debug, Config
///
#define DEBUG_ALLOCATOR_MAX_BACKTRACE_DEPTH 32

///
/// Default number of blocks per new allocation stack that sampled mode puts against a guard page
/// before it falls back to one block in `sample_rate`.
///
/// TAGS: Debug, Config, Protection
///
#define DEBUG_ALLOCATOR_DEFAULT_SAMPLE_FIRST 1

///
/// Largest block sampled mode puts against a guard page (larger ones stay in normal mode): 64 KiB.
///
/// TAGS: Debug, Config, Protection
///
#define DEBUG_ALLOCATOR_SAMPLE_MAX_BYTES ((size_t)64 << 10)

///
/// Default cap on the guarded blocks (live and quarantined) of sampled mode, so that their
/// mappings stay far below the kernel's limit (`vm.max_map_count`).
///
/// TAGS: Debug, Config, Protection
///
#define DEBUG_ALLOCATOR_DEFAULT_SAMPLE_LIMIT 4096

///
/// `DebugAllocatorConfig.unwinder` value: walk frame pointers. A few nanoseconds per trace; code
/// built without frame pointers (most distribution binaries at -O2) ends the trace early: frame
/// #0 (the caller) is always right, the frames past the first function without a frame pointer
/// are missing.
///
/// TAGS: Debug, Config
///
#define DEBUG_UNWIND_FRAME_POINTERS 0

///
/// `DebugAllocatorConfig.unwinder` value: a full unwinder that reads the `.eh_frame` tables, so
/// code without frame pointers unwinds too: libunwind (`libunwind.so.8`, loaded with `dlopen` at
/// the first trace) or, without it, glibc's `backtrace()`. Measured by `make bench-debugmalloc`
/// (8 frames, 12 calls deep): the frame-pointer walk adds about 4 ns to the calls, libunwind
/// about 70 ns, `backtrace()` about 1.6 us.
///
/// TAGS: Debug, Config
///
#define DEBUG_UNWIND_FULL 1

///
/// Receiver of a `DebugAllocator`'s report lines (leaks, overflow and double-free details).
///
/// Called once per line, in order; the line has no trailing newline and starts with
/// `alloc: debug: `. The text lives in a stack buffer of the allocator (lines longer than 380
/// bytes are cut): copy it to keep it.
/// The function must not call back into the same `DebugAllocator`.
///
/// line[in]    : One report line, NUL-terminated, without the newline.
/// context[in] : The `report_context` of the allocator's `DebugAllocatorConfig`, unchanged.
///
/// SUCCESS: Returns nothing; the allocator goes on with the next line.
/// FAILURE: Not applicable: a sink cannot report failure.
///
/// USAGE:
///     static void count_lines(const char *line, void *context) {
///         (void)line;
///         *(int *)context += 1;
///     }
///
/// TAGS: Debug, Config, Log
///
typedef void (*DebugAllocatorReportFn)(const char *line, void *context);

///
/// Settings of a `DebugAllocator`, read at its first use.
///
/// Start from `DebugAllocatorConfigDefault()` and change the fields you need. An all-zero config
/// is valid too but turns everything optional off (no canaries, quarantine, backtraces,
/// symbolisation, sampling, leak report at Deinit or thread check); only the pointer checks
/// remain. Out-of-range values are clamped at first use to the `DEBUG_ALLOCATOR_MAX_*` limits,
/// never rejected. Changing the config after the first use is not supported.
///
/// FIELDS:
/// - canary_bytes           : Bytes of a known pattern written right before and right after every
///                            block and checked at free, resize, remap, when the block leaves
///                            quarantine and at `DebugAllocatorCheck`. Default 16
///                            (`DEBUG_ALLOCATOR_DEFAULT_CANARY_BYTES`); 0 turns canaries off; at
///                            most `DEBUG_ALLOCATOR_MAX_CANARY_BYTES`.
/// - quarantine_bytes       : Bound of the quarantine in bytes of freed blocks: when a free would
///                            make it hold more, the oldest blocks leave first. Default 1 MiB
///                            (`DEBUG_ALLOCATOR_DEFAULT_QUARANTINE_BYTES`); 0 means no byte bound
///                            (only `quarantine` counts).
/// - page_mode              : Non-zero: every block gets its own mapping and ends (canary
///                            included, up to alignment padding) against the end of its pages,
///                            and a freed block stays mapped `PROT_NONE` while it is in
///                            quarantine, so reading or writing it faults. Default 0: blocks come
///                            from the embedded heap; a freed block is filled with 0xDD and stays
///                            readable in quarantine, and a byte changed when it leaves (or at
///                            `DebugAllocatorCheck` or Deinit) is reported as a use after free.
/// - guard_page             : Page mode only: non-zero maps one extra `PROT_NONE` page after each
///                            block, so running past the canary faults at once. Default 1.
/// - report_leaks_at_deinit : Non-zero: `DebugAllocatorDeinit` reports every live block first, as
///                            `DebugAllocatorReportLeaks` does. Default 1.
/// - check_thread           : Non-zero: the thread that first uses the allocator owns it, and a
///                            call from any other thread aborts with "wrong thread". Default 1.
/// - symbolize              : Non-zero: report backtraces as `function file:line`, found by
///                            running `addr2line` (binutils; twice as fast as elfutils'
///                            eu-addr2line in `make bench-debugmalloc`) once per module and
///                            trace; frames it cannot resolve, or all of them when it is
///                            missing, are printed as `function+0xOFF (module+0xOFF)` from the
///                            dynamic symbol table.
///                            Default 1.
/// - unwinder               : `DEBUG_UNWIND_FRAME_POINTERS` (the default) or `DEBUG_UNWIND_FULL`.
/// - quarantine             : How many freed blocks are kept (with their free backtrace) before
///                            the oldest is checked, released and forgotten. Default 1024
///                            (`DEBUG_ALLOCATOR_DEFAULT_QUARANTINE`); 0 forgets at once, and a
///                            second free is then reported as a foreign pointer.
/// - backtrace_depth        : Stack frames recorded per allocation and per free. Default 8
///                            (`DEBUG_ALLOCATOR_DEFAULT_BACKTRACE_DEPTH`); 0 records none; at
///                            most `DEBUG_ALLOCATOR_MAX_BACKTRACE_DEPTH`.
/// - sample_rate            : Normal mode only. 0 (the default) turns sampled mode off. N > 0:
///                            besides the first `sample_first` blocks of each new allocation
///                            stack, one block in N (by count) gets its own pages against a guard
///                            page and turns `PROT_NONE` on free; 1 guards every block. Blocks
///                            over `DEBUG_ALLOCATOR_SAMPLE_MAX_BYTES` are never sampled.
/// - sample_first           : Sampled mode: blocks guarded per new allocation stack (the first
///                            ones it allocates). Default 1 (`DEBUG_ALLOCATOR_DEFAULT_SAMPLE_FIRST`).
/// - sample_limit           : Sampled mode: most guarded blocks at once (live and quarantined);
///                            past it, blocks stay in normal mode. Default 4096
///                            (`DEBUG_ALLOCATOR_DEFAULT_SAMPLE_LIMIT`).
/// - report                 : Where report lines go; NULL (the default) writes each line and a
///                            newline to stderr with `write(2)`, without `FILE *` buffering.
/// - report_context         : Passed unchanged to `report`. Default NULL.
///
/// TAGS: Debug, Config
///
typedef struct DebugAllocatorConfig {
    size_t                 canary_bytes;           // bytes before and after each block, <= 64
    size_t                 quarantine_bytes;       // freed bytes kept, 0 = no byte bound
    int8_t                 page_mode;              // boolean
    int8_t                 guard_page;             // boolean, page mode only
    int8_t                 report_leaks_at_deinit; // boolean
    int8_t                 check_thread;           // boolean
    int8_t                 symbolize;              // boolean: addr2line at report time
    int8_t                 unwinder;               // DEBUG_UNWIND_*
    uint32_t               quarantine;             // freed blocks kept, <= 2^22
    uint32_t               backtrace_depth;        // frames per trace, <= 32
    uint32_t               sample_rate;            // 0 = off, N = one block in N guarded
    uint32_t               sample_first;           // guarded blocks per new allocation stack
    uint32_t               sample_limit;           // guarded blocks at once
    DebugAllocatorReportFn report;                 // NULL: stderr via write(2)
    void                  *report_context;
} DebugAllocatorConfig;

///
/// The settings `DebugAllocatorConfigDefault` yields, returned by a function: what that macro
/// expands to in C++, which has no compound literals. C code uses the macro.
///
/// SUCCESS: Returns `DebugAllocatorConfigDefault()` by value; no other call is made.
/// FAILURE: Cannot fail.
///
/// TAGS: Debug, Config
///
ALLOC_API DebugAllocatorConfig debug_allocator_config_default(void);

#ifdef __cplusplus
#define DebugAllocatorConfigDefault() debug_allocator_config_default()
#else
///
/// The default `DebugAllocatorConfig`: 16 canary bytes, normal (not page) mode, guard pages on
/// for page mode, a quarantine of 1024 blocks and 1 MiB, 8-frame backtraces by frame pointers,
/// symbolised reports, sampling off (first 1 per stack and 4096 guarded blocks once it is on),
/// leak report at Deinit, thread check on, reports to stderr.
///
/// SUCCESS: A `DebugAllocatorConfig` compound literal; no call is made.
/// FAILURE: Cannot fail.
///
/// USAGE:
///     DebugAllocatorConfig config = DebugAllocatorConfigDefault();
///     config.page_mode = 1;
///     DebugAllocator debug = DebugAllocatorInitWith(config);
///     DebugAllocatorDeinit(&debug);
///
/// TAGS: Debug, Config
///
#define DebugAllocatorConfigDefault()                                                              \
    ((DebugAllocatorConfig){.canary_bytes           = DEBUG_ALLOCATOR_DEFAULT_CANARY_BYTES,       \
                            .quarantine_bytes       = DEBUG_ALLOCATOR_DEFAULT_QUARANTINE_BYTES,   \
                            .page_mode              = 0,                                          \
                            .guard_page             = 1,                                          \
                            .report_leaks_at_deinit = 1,                                          \
                            .check_thread           = 1,                                          \
                            .symbolize              = 1,                                          \
                            .unwinder               = DEBUG_UNWIND_FRAME_POINTERS,                \
                            .quarantine             = DEBUG_ALLOCATOR_DEFAULT_QUARANTINE,         \
                            .backtrace_depth        = DEBUG_ALLOCATOR_DEFAULT_BACKTRACE_DEPTH,    \
                            .sample_rate            = 0,                                          \
                            .sample_first           = DEBUG_ALLOCATOR_DEFAULT_SAMPLE_FIRST,       \
                            .sample_limit           = DEBUG_ALLOCATOR_DEFAULT_SAMPLE_LIMIT,       \
                            .report                 = 0,                                          \
                            .report_context         = 0})
#endif // __cplusplus

///
/// A bug-finding allocator: heap-carved blocks with canaries, out-of-band records, deduplicated
/// backtraces, a bounded quarantine, guard pages in page or sampled mode, thread check.
///
/// Memory: a block costs its size plus two canaries and alignment padding in the embedded heap
/// (a page of its own, two with the guard page, in page mode and for sampled blocks), plus a
/// record of 72 bytes; each distinct backtrace is stored once (8 bytes per frame + 8).
///
/// Invariants: every block handed out has exactly one record, found by address in `index`;
/// `live_count` records are live and `quarantine_len` are freed and waiting in `quarantine`,
/// whose blocks add up to `quarantined_bytes`; `base.stats.bytes_in_use` is the sum of the live
/// blocks' requested sizes; `base.footprint_bytes` counts the tables, the mapped blocks and the
/// embedded heap's footprint. All tables are mapped by the allocator itself from the OS, never
/// from the user's blocks. All members after `base` are private: read them only through the
/// functions of this header.
///
/// FIELDS:
/// - base              : The `Allocator` interface; first member, so `(Allocator *)&debug` works.
/// - config            : The settings, clamped at first use; see `DebugAllocatorConfig`.
/// - heap              : The embedded heap normal-mode blocks are carved from (canaries included).
/// - heap_footprint    : The heap's footprint already counted in `base.footprint_bytes`.
/// - owner_thread      : Identity of the thread that owns the allocator; NULL until first use.
/// - page_size         : System page size in bytes, cached at first use; 0 before.
/// - stack_thread      : Identity of the thread whose stack bounds are cached; NULL for none.
/// - stack_top         : Highest address of that thread's stack (the frame walk stays below it).
/// - unwind_full       : The full unwinder resolved at its first use (libunwind's
///                       unw_backtrace or glibc's backtrace); NULL before.
/// - text_ranges       : Sorted [start, end) pairs of the executable segments of the loaded
///                       modules (one mapped page): a frame-pointer walk stops at a return
///                       address outside them. NULL until the first walk.
/// - text_count        : Pairs in `text_ranges`.
/// - text_serial       : `serial` when `text_ranges` was last read from the loader.
/// - records           : Table of block records (address, size, mapping, trace ids); OS-mapped.
/// - records_bytes     : Length of the `records` mapping in bytes.
/// - record_cap        : Records the `records` mapping can hold.
/// - record_used       : Records ever used (high-water mark); unused ones are on the free list.
/// - record_free       : Head of the list of unused records, as index + 1; 0 when empty.
/// - index_pending     : The newest block, as record index + 1, not yet stored in `index`
///                       (0: none): it is stored at the next allocation, after a prefetch of its
///                       slot; lookups see it as if it were in `index`.
/// - index             : The library's address map from block address to record index + 1.
/// - quarantine        : Ring of record indices of freed blocks, oldest first.
/// - quarantine_bytes  : Length of the `quarantine` mapping in bytes.
/// - quarantine_head   : Position of the oldest entry in the ring.
/// - quarantine_len    : Entries in the ring.
/// - quarantined_bytes : Requested bytes of the blocks in the ring.
/// - frames            : Pool of stored backtraces: per stack a header word then its frames.
/// - frames_bytes      : Length of the `frames` mapping in bytes.
/// - frames_used       : Words of `frames` in use.
/// - stacks            : Open-addressing hash from a backtrace to its id (offset in `frames` + 1).
/// - stacks_bytes      : Length of the `stacks` mapping in bytes.
/// - stacks_cap        : Slots in `stacks`; a power of two.
/// - stacks_len        : Distinct backtraces stored.
/// - live_count        : Blocks allocated and not yet freed.
/// - guarded_count     : Sampled blocks (live or quarantined) against a guard page.
/// - serial            : Allocations made so far; numbers the records and drives the sampling.
/// - spares            : One mapped page of [start, length] pairs: mappings of sampled blocks that
///                       left the quarantine, kept `PROT_NONE` (guard page included) and reused by
///                       the next sampled block of the same length, which saves the system calls
///                       and page faults of a fresh mapping. NULL until the first one.
/// - spare_count       : Pairs in `spares`.
/// - stack_recent      : Ids of recently stored backtraces (0 = none), in a slot chosen by the
///                       trace's first frame (the call site): a trace equal to the one in its
///                       slot gets that id without hashing its frames or probing `stacks`.
///
/// TAGS: Allocator, Debug
///
struct DebugAllocator {
    Allocator            base;
    DebugAllocatorConfig config;
    HeapAllocator        heap;              // normal-mode blocks
    size_t               heap_footprint;    // heap bytes counted in base.footprint_bytes
    const void          *owner_thread;      // thread token, NULL until first use
    size_t               page_size;         // bytes, 0 until first use
    const void          *stack_thread;      // thread token of the cached stack bound
    uintptr_t            stack_top;         // that thread's highest stack address
    int                (*unwind_full)(void **frames, int depth);
    uintptr_t           *text_ranges;       // text_count [start, end) pairs, sorted
    uint32_t             text_count;        // pairs
    uint64_t             text_serial;       // serial at the last refresh
    uint8_t             *records;           // record_cap records
    size_t               records_bytes;     // bytes mapped
    uint32_t             record_cap;        // records
    uint32_t             record_used;       // high-water mark, <= record_cap
    uint32_t             record_free;       // free-list head, index + 1, 0 = empty
    uint32_t             index_pending;     // newest block's record index + 1, not in `index` yet
    AllocatorAddressMap  index;             // block address -> record index + 1
    uint32_t            *quarantine;        // config.quarantine record indices
    size_t               quarantine_bytes;  // bytes mapped
    uint32_t             quarantine_head;   // oldest entry
    uint32_t             quarantine_len;    // entries
    size_t               quarantined_bytes; // requested bytes of the quarantined blocks
    uintptr_t           *frames;            // stored backtraces
    size_t               frames_bytes;      // bytes mapped
    size_t               frames_used;       // words used
    uint32_t            *stacks;            // stacks_cap slots of backtrace id, 0 = empty
    size_t               stacks_bytes;      // bytes mapped
    uint32_t             stacks_cap;        // power of two
    uint32_t             stacks_len;        // distinct backtraces
    uint32_t             live_count;        // live blocks
    uint32_t             guarded_count;     // sampled blocks on guard pages
    uint64_t             serial;            // allocations so far
    uintptr_t           *spares;            // [start, length] of PROT_NONE sampled mappings
    uint32_t             spare_count;       // pairs in spares
    uint32_t             stack_recent[32];  // backtrace ids by call site, 0 = none
};

ALLOC_STATIC_ASSERT(offsetof(DebugAllocator, base) == 0, "DebugAllocator must start with its base");

///
/// `allocate` entry of a `DebugAllocator`'s vtable: `debug_allocator_allocate` behind the
/// `Allocator *` signature, so a call through the vtable has the type the function was defined with.
///
/// self[in,out] : The `base` of a `DebugAllocator`.
/// bytes[in]    : As `debug_allocator_allocate`.
/// zeroed[in]   : As `debug_allocator_allocate`.
///
/// SUCCESS: As `debug_allocator_allocate`; frame #0 of the block's backtrace is the code that
///          called through the vtable (`allocator_alloc_dyn` on the `Allocator *` path).
/// FAILURE: As `debug_allocator_allocate`.
///
/// TAGS: Debug, Allocation, Dispatch
///
ALLOC_API void *debug_allocator_vtable_allocate(Allocator *self, size_t bytes, int8_t zeroed);

///
/// `resize` entry of a `DebugAllocator`'s vtable: `debug_allocator_resize` behind the
/// `Allocator *` signature.
///
/// self[in,out] : The `base` of a `DebugAllocator`.
/// ptr[in]      : As `debug_allocator_resize`.
/// new_size[in] : As `debug_allocator_resize`.
///
/// SUCCESS: As `debug_allocator_resize`.
/// FAILURE: As `debug_allocator_resize`.
///
/// TAGS: Debug, InPlace, Dispatch
///
ALLOC_API int8_t debug_allocator_vtable_resize(Allocator *self, void *ptr, size_t new_size);

///
/// `remap` entry of a `DebugAllocator`'s vtable: `debug_allocator_remap` behind the
/// `Allocator *` signature.
///
/// self[in,out] : The `base` of a `DebugAllocator`.
/// ptr[in]      : As `debug_allocator_remap`.
/// new_size[in] : As `debug_allocator_remap`.
///
/// SUCCESS: As `debug_allocator_remap`.
/// FAILURE: As `debug_allocator_remap`.
///
/// TAGS: Debug, Reallocation, Dispatch
///
ALLOC_API void *debug_allocator_vtable_remap(Allocator *self, void *ptr, size_t new_size);

///
/// `deallocate` entry of a `DebugAllocator`'s vtable: `debug_allocator_deallocate` behind the
/// `Allocator *` signature.
///
/// self[in,out] : The `base` of a `DebugAllocator`.
/// ptr[in]      : As `debug_allocator_deallocate`.
///
/// SUCCESS: As `debug_allocator_deallocate`.
/// FAILURE: As `debug_allocator_deallocate`.
///
/// TAGS: Debug, Deallocation, Dispatch
///
ALLOC_API size_t debug_allocator_vtable_deallocate(Allocator *self, void *ptr);

///
/// The `Allocator` base of a `DebugAllocator` with alignment `N`; used by the Init macros.
///
/// N[in] : Alignment of every block, a power of two.
///
/// SUCCESS: An `Allocator` compound literal whose entries are the typed vtable adapters; no call
///          is made.
/// FAILURE: Cannot fail; a bad `N` is caught at first use ("corrupted allocator: alignment is not
///          a power of two").
///
/// TAGS: Debug, Init
///
#define DEBUG_ALLOCATOR_BASE(N)                                                                    \
    ((Allocator){.allocate    = debug_allocator_vtable_allocate,                                  \
                 .resize      = debug_allocator_vtable_resize,                                    \
                 .remap       = debug_allocator_vtable_remap,                                     \
                 .deallocate  = debug_allocator_vtable_deallocate,                                \
                 .alignment   = (N),                                                              \
                 .effort      = ALLOCATOR_EFFORT_ONCE,                                            \
                 .retry_limit = ALLOCATOR_DEFAULT_RETRY_LIMIT,                                    \
                 .magic       = DEBUG_ALLOCATOR_MAGIC})

///
/// The allocator `DebugAllocatorInitAlignedWith` yields, returned by a function: what that macro
/// expands to in C++, which has no compound literals. C code uses the macro.
///
/// alignment[in] : Alignment in bytes of every block; a power of two (checked on first use).
/// settings[in]  : The settings, copied.
///
/// SUCCESS: Returns `DebugAllocatorInitAlignedWith(alignment, settings)` by value; no OS call.
/// FAILURE: Cannot fail; invalid arguments are reported by the first call on the allocator,
///          exactly as for the macro.
///
/// TAGS: Debug, Init
///
ALLOC_API DebugAllocator debug_allocator_init(size_t alignment, DebugAllocatorConfig settings);

#ifdef __cplusplus
#define DebugAllocatorInitAlignedWith(N, settings) debug_allocator_init((size_t)(N), (settings))
#else
///
/// A `DebugAllocator` with alignment `N` and the settings `settings`.
///
/// Makes no OS call and cannot fail: memory is mapped, the config clamped and the owning thread
/// recorded at the first use.
///
/// N[in]        : Alignment of every block, a power of two (up to any multiple of the page size).
/// settings[in] : A `DebugAllocatorConfig` value, copied.
///
/// SUCCESS: A `DebugAllocator` compound literal ready to use.
/// FAILURE: Cannot fail; a non-power-of-two `N` aborts at first use with "corrupted allocator:
///          alignment is not a power of two".
///
/// USAGE:
///     DebugAllocatorConfig config = DebugAllocatorConfigDefault();
///     config.canary_bytes = 32;
///     DebugAllocator debug = DebugAllocatorInitAlignedWith(64, config);
///     void *line = AllocatorAlloc(&debug, 64, 0); // 64-byte aligned
///     AllocatorFree(&debug, line);
///     DebugAllocatorDeinit(&debug);
///
/// TAGS: Debug, Init, Config
///
#define DebugAllocatorInitAlignedWith(N, settings)                                                \
    ((DebugAllocator){.base   = DEBUG_ALLOCATOR_BASE(N),                                          \
                      .config = (settings),                                                       \
                      .heap   = HeapAllocatorInitAligned(N)})
#endif // __cplusplus

///
/// A `DebugAllocator` with the default settings (`DebugAllocatorConfigDefault()`) and the default
/// 16-byte alignment.
///
/// SUCCESS: A `DebugAllocator` compound literal ready to use; no OS call is made.
/// FAILURE: Cannot fail.
///
/// USAGE:
///     DebugAllocator debug = DebugAllocatorInit();
///     char *name = AllocatorAlloc(&debug, 32, 1);
///     AllocatorFree(&debug, name);
///     DebugAllocatorDeinit(&debug); // reports any block still live
///
/// TAGS: Debug, Init
///
#define DebugAllocatorInit()                                                                       \
    DebugAllocatorInitAlignedWith(ALLOCATOR_DEFAULT_ALIGNMENT, DebugAllocatorConfigDefault())

///
/// A `DebugAllocator` with the settings `settings` and the default 16-byte alignment.
///
/// settings[in] : A `DebugAllocatorConfig` value, copied.
///
/// SUCCESS: A `DebugAllocator` compound literal ready to use; no OS call is made.
/// FAILURE: Cannot fail.
///
/// USAGE:
///     DebugAllocatorConfig config = DebugAllocatorConfigDefault();
///     config.page_mode = 1; // use after free faults
///     DebugAllocator debug = DebugAllocatorInitWith(config);
///     DebugAllocatorDeinit(&debug);
///
/// TAGS: Debug, Init, Config
///
#define DebugAllocatorInitWith(settings)                                                           \
    DebugAllocatorInitAlignedWith(ALLOCATOR_DEFAULT_ALIGNMENT, settings)

///
/// A `DebugAllocator` with the default settings and alignment `N`.
///
/// N[in] : Alignment of every block, a power of two; may exceed the page size.
///
/// SUCCESS: A `DebugAllocator` compound literal ready to use; no OS call is made.
/// FAILURE: Cannot fail; a non-power-of-two `N` aborts at first use with "corrupted allocator:
///          alignment is not a power of two".
///
/// USAGE:
///     DebugAllocator debug = DebugAllocatorInitAligned(4096);
///     void *page = AllocatorAlloc(&debug, 100, 0); // page-aligned
///     AllocatorFree(&debug, page);
///     DebugAllocatorDeinit(&debug);
///
/// TAGS: Debug, Init
///
#define DebugAllocatorInitAligned(N) DebugAllocatorInitAlignedWith(N, DebugAllocatorConfigDefault())

///
/// Allocate a block of `bytes` bytes framed by canaries, with its allocation backtrace.
///
/// A block that is not asked zeroed is filled with the byte 0xAA, so reading uninitialised
/// memory shows. Cost in normal mode: a slot of the embedded heap, a frame-pointer walk, a
/// lookup in the backtrace store and an index insertion; page mode and sampled blocks add an
/// `mmap` (and an `mprotect` for the guard page).
///
/// self[in,out] : The debug allocator; on its first use the calling thread becomes its owner.
/// bytes[in]    : Requested size in bytes; 0 returns NULL.
/// zeroed[in]   : Non-zero for zero-filled memory.
///
/// SUCCESS: A block aligned to `self->base.alignment`; its effective size (what stats count and
///          `debug_allocator_deallocate` returns) is `bytes`.
/// FAILURE: Returns NULL, counting nothing, when `bytes` is 0. Returns NULL and counts a failed
///          allocation when `bytes` is too large or the OS refuses memory (for the block or for the
///          record tables); the allocator is unchanged. Aborts via `AllocFatal` with "NULL
///          allocator", "uninitialised allocator", "type-confusion: not a DebugAllocator",
///          "corrupted allocator: NULL function pointer", "corrupted allocator: alignment is not a
///          power of two", or "wrong thread" (another thread owns the allocator).
///
/// USAGE:
///     DebugAllocator debug = DebugAllocatorInit();
///     int *counts = AllocatorAlloc(&debug, 10 * sizeof(int), 1);
///     counts[9] = 1;
///     AllocatorFree(&debug, counts);
///     DebugAllocatorDeinit(&debug);
///
/// TAGS: Debug, Allocation
///
ALLOC_API void *debug_allocator_allocate(DebugAllocator *self, size_t bytes, int8_t zeroed);

///
/// Resize a live block in place, after checking its canaries.
///
/// A block has some slack (its heap slot's rounding, or its mapping's page rounding), and the
/// embedded heap may grow a large block in place, so growing within that works; bytes gained
/// are filled with 0xAA. Shrinking always works. In page mode, shrinking moves the canary but not
/// the block, so the guard page is then further away.
///
/// self[in,out] : The debug allocator that owns `ptr`.
/// ptr[in]      : A live block of `self`.
/// new_size[in] : The wanted size in bytes, larger or smaller; not 0.
///
/// SUCCESS: Returns 1; the block now has `new_size` bytes at the same address, with new canaries
///          after it; counted as a reallocation.
/// FAILURE: Returns 0, block untouched and nothing counted, when `new_size` is 0 or does not fit
///          in the block's slot or mapping; `ptr` NULL returns 0. Aborts via `AllocFatal` with the header
///          reasons of `debug_allocator_allocate`, "wrong thread", and for `ptr`: "misaligned
///          pointer", "interior pointer", "foreign pointer", "double free" (freed and still in
///          quarantine), "buffer overflow: canary after block overwritten", "buffer underflow:
///          canary before block overwritten".
///
/// TAGS: Debug, InPlace
///
ALLOC_API int8_t debug_allocator_resize(DebugAllocator *self, void *ptr, size_t new_size);

///
/// Move a block to a new block of `new_size` bytes; the old one goes to quarantine.
///
/// A debug remap always moves (even when the size would fit), so code that keeps a stale pointer
/// to the old block is caught: in page mode the old block is `PROT_NONE` and touching it faults.
///
/// self[in,out] : The debug allocator that owns `ptr`.
/// ptr[in]      : A live block of `self`, or NULL to allocate `new_size` zero-filled bytes.
/// new_size[in] : The wanted size in bytes; 0 frees `ptr` and returns NULL.
///
/// SUCCESS: The new address; the first `min(old, new)` bytes are copied, the rest is 0xAA.
///          Counted as a reallocation (as an allocation for NULL, a deallocation for size 0).
/// FAILURE: Returns NULL and counts a failed allocation when the OS refuses memory; the old block
///          is untouched and still live. Aborts like `debug_allocator_resize` on a bad allocator or
///          a bad `ptr`, and like `debug_allocator_deallocate` ("use after free: freed block
///          written") when the old block pushes a written-to freed block out of the quarantine.
///
/// USAGE:
///     DebugAllocator debug = DebugAllocatorInit();
///     char *text = AllocatorAlloc(&debug, 8, 1);
///     char *longer = AllocatorRemap(&debug, text, 64);
///     if (longer) text = longer; // the old `text` must not be used any more
///     AllocatorFree(&debug, text);
///     DebugAllocatorDeinit(&debug);
///
/// TAGS: Debug, Reallocation
///
ALLOC_API void *debug_allocator_remap(DebugAllocator *self, void *ptr, size_t new_size);

///
/// Free a block after checking its canaries, and remember it in quarantine.
///
/// The record keeps the free backtrace so a later double free is reported with both traces.
/// Normal mode fills the block with 0xDD; page mode and sampled blocks turn `PROT_NONE`. When the
/// quarantine is over `quarantine` blocks or `quarantine_bytes` bytes, the oldest freed blocks
/// leave it (FIFO): a heap block's bytes and canaries are checked first, then it goes back to
/// the heap (a mapped one is unmapped, or, for a small sampled block, kept `PROT_NONE` in
/// `spares` for the next sampled block of its size). Before the fatal line of an error, the
/// report goes to the sink: `alloc: debug: ERROR: <bug> at 0xA: offset K in a block of N bytes at
/// 0xP` (or "past the end of", "bytes before the start of", or "not in any block of this
/// allocator"), then `called at:` with this call's backtrace, and the block's `first freed at:` /
/// `freed at:` and `allocated at:` backtraces, each frame as `#I 0xADDR in function file:line`.
///
/// self[in,out] : The debug allocator that owns `ptr`.
/// ptr[in]      : A live block of `self`, or NULL (no-op).
///
/// SUCCESS: Returns the block's requested size; counted as a deallocation.
/// FAILURE: Returns 0 for NULL. Aborts via `AllocFatal` with the header reasons of
///          `debug_allocator_allocate`, "wrong thread", and for `ptr`: "misaligned pointer" (not a
///          multiple of the alignment), "interior pointer" (inside a live or quarantined block),
///          "foreign pointer" (anything else, including blocks forgotten by the quarantine),
///          "double free" (freed and still in quarantine), "buffer overflow: canary after block
///          overwritten", "buffer underflow: canary before block overwritten"; and, naming the
///          older block that left the quarantine, "use after free: freed block written".
///
/// TAGS: Debug, Deallocation
///
ALLOC_API size_t debug_allocator_deallocate(DebugAllocator *self, void *ptr);

///
/// Number of blocks allocated from `self` and not freed yet.
///
/// self[in] : The debug allocator.
///
/// SUCCESS: The count of live blocks (0 for an allocator never used).
/// FAILURE: Aborts via `AllocFatal` with the header reasons of `debug_allocator_allocate` or
///          "wrong thread".
///
/// TAGS: Debug, Leak, Query
///
ALLOC_API uint32_t DebugAllocatorLeakCount(DebugAllocator *self);

///
/// Report every live block to the report sink, with its size and allocation backtrace.
///
/// The live blocks are grouped by allocation backtrace, like LeakSanitizer, most bytes first. Per
/// group: `alloc: debug: leak: B bytes in 1 block at P allocated at:` (or `in K blocks (one at P)`)
/// then one line per frame, `alloc: debug:     #I 0xADDR in function file:line` when
/// `config.symbolize` is set and addr2line resolves it, else
/// `alloc: debug:     #I 0xADDR function+0xOFF (module+0xOFF)` (the function name only where the
/// dynamic symbol table has it). The first frame is the code that called the allocator
/// (`allocator_alloc_dyn` and friends on the `Allocator *` path). Then one summary line
/// `alloc: debug: N leaked blocks, M bytes`. Nothing is printed when no block is live.
///
/// self[in] : The debug allocator.
///
/// SUCCESS: Returns the number of leaked blocks reported; the blocks stay live.
/// FAILURE: Aborts via `AllocFatal` with the header reasons of `debug_allocator_allocate` or
///          "wrong thread".
///
/// USAGE:
///     DebugAllocator debug = DebugAllocatorInit();
///     run_the_code_under_test(&debug);
///     if (DebugAllocatorReportLeaks(&debug) != 0) exit_status = 1;
///     DebugAllocatorDeinit(&debug);
///
/// TAGS: Debug, Leak
///
ALLOC_API uint32_t DebugAllocatorReportLeaks(DebugAllocator *self);

///
/// Report a memory fault that hit one of the allocator's guarded pages: a freed block in page or
/// sampled mode (use after free), or the guard page after a block (buffer overflow).
///
/// Meant for a SIGSEGV handler installed with SA_SIGINFO: pass the siginfo's si_addr, whether the
/// access was a write (on x86-64, bit 1 of the REG_ERR register of the ucontext_t), and the
/// faulting instruction and frame pointer (REG_RIP and REG_RBP), so the report shows the access's
/// own backtrace. The library installs no handler itself (it keeps no global state);
/// liballoc-debug.so does. The lines are: `alloc: debug: ERROR: use after free (write) at 0xA:
/// offset K in a block of N bytes at 0xP, freed`, then `the access at:`, `freed at:` and
/// `allocated at:`, each followed by its frames. Safe to call once the program is doomed: it
/// reads the tables without changing them, but it runs addr2line when `config.symbolize` is set.
///
/// self[in]     : The debug allocator.
/// address[in]  : The faulting address.
/// is_write[in] : Non-zero when the access was a write.
/// pc[in]       : The faulting instruction, or NULL (then no access backtrace).
/// frame[in]    : The frame pointer at the fault (the walk starts there), or NULL.
///
/// SUCCESS: Returns 1 when `address` lies in a block's pages or guard page: the report is out.
/// FAILURE: Returns 0, printing nothing, when the fault is not the allocator's (the handler should
///          then restore the default action). Aborts via `AllocFatal` with the header reasons of
///          `debug_allocator_allocate` or "wrong thread".
///
/// USAGE:
///     static void on_fault(int signal, siginfo_t *info, void *context) {
///         ucontext_t *uc = context;
///         DebugAllocatorReportFault(&debug, info->si_addr, (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0,
///                                   (void *)uc->uc_mcontext.gregs[REG_RIP],
///                                   (void *)uc->uc_mcontext.gregs[REG_RBP]);
///         signal_default_and_raise(signal);
///     }
///
/// TAGS: Debug, Protection
///
ALLOC_API int8_t DebugAllocatorReportFault(DebugAllocator *self, const void *address, int8_t is_write,
                                           const void *pc, const void *frame);

///
/// Walk every invariant of the allocator and every live block's canaries.
///
/// Checks that each record is reachable from the index, that live and quarantined counts match
/// the records, that the unused records form the free list, that the live sizes add up to `bytes_in_use`, that every canary of a live block
/// is intact, and (normal mode) that no quarantined block was written after its free.
/// Cost: linear in the number of records.
///
/// self[in] : The debug allocator.
///
/// SUCCESS: Returns; everything is consistent.
/// FAILURE: Aborts via `AllocFatal` with the header reasons of `debug_allocator_allocate`, "wrong
///          thread", "buffer overflow: canary after block overwritten", "buffer underflow:
///          canary before block overwritten" or "use after free: freed block written" (naming
///          the block), or "corrupted allocator:
///          record index", "corrupted allocator: live count", "corrupted allocator: quarantine",
///          "corrupted allocator: bytes in use", "corrupted allocator: free list" (naming the
///          allocator).
///
/// USAGE:
///     DebugAllocator debug = DebugAllocatorInit();
///     void *block = AllocatorAlloc(&debug, 40, 0);
///     DebugAllocatorCheck(&debug); // aborts if anything wrote past `block`
///     AllocatorFree(&debug, block);
///     DebugAllocatorDeinit(&debug);
///
/// TAGS: Debug, Check
///
ALLOC_API void DebugAllocatorCheck(DebugAllocator *self);

///
/// Release the thread ownership, so that the next thread to use the allocator becomes its owner.
///
/// Use it to hand the allocator from one thread to another (call it in the owner, then pass the
/// allocator with proper synchronisation).
///
/// self[in,out] : The debug allocator.
///
/// SUCCESS: The allocator has no owner thread until its next use.
/// FAILURE: Aborts via `AllocFatal` with the header reasons of `debug_allocator_allocate` or
///          "wrong thread" (only the owner may release it).
///
/// TAGS: Debug, Threads
///
ALLOC_API void DebugAllocatorReleaseThread(DebugAllocator *self);

///
/// Report leaks (if configured), release every byte the allocator mapped and zero it.
///
/// Live blocks are unmapped too, after the leak report when `config.report_leaks_at_deinit` is
/// set; quarantined blocks and all tables are unmapped. Afterwards the struct is all zero, so any
/// use aborts with "uninitialised allocator" until it is initialised again.
///
/// self[in,out] : The debug allocator.
///
/// SUCCESS: All memory is returned to the OS; `footprint_bytes` and everything else is 0.
/// FAILURE: Aborts via `AllocFatal` with the header reasons of `debug_allocator_allocate`
///          (so a second Deinit aborts with "uninitialised allocator"), "wrong thread", or "use
///          after free: freed block written" when a quarantined block was written after its free
///          (normal mode; the leak report comes first).
///
/// TAGS: Debug, Cleanup, Leak
///
ALLOC_API void DebugAllocatorDeinit(DebugAllocator *self);

ALLOC_END_DECLS

#endif // ALLOC_DEBUG_H
