///
/// `DebugAllocator`: an allocator that finds the user's memory bugs instead of hiding them.
///
/// Every block gets its own OS mapping and an out-of-band record with the backtrace of its
/// allocation. The allocator reports leaks (size and allocation backtrace of each block still
/// live), checks canaries before and after every block (buffer underflow and overflow), keeps a
/// bounded quarantine of freed records so a double free is reported with both the allocation and
/// the first-free backtraces. Freed blocks stay in quarantine: in normal mode they are filled with
/// 0xDD and checked when they leave it (a write after free is reported with both backtraces); in
/// page mode each block ends against a guard page and a freed block turns `PROT_NONE`, so an
/// overflow past the canary or a use after free faults at the faulting instruction. It also
/// checks that it is used from one thread only.
///
/// It is slow and uses at least one page per block: it is a tool for tests and debugging
/// sessions, not for production. In page mode each block needs two kernel mappings (its pages and
/// its guard page), so the kernel's limit on mappings per process (`vm.max_map_count`, 65530 by
/// default on Linux) caps live plus quarantined blocks at about 32 000; past it, allocation
/// returns NULL like any out-of-memory. Backtraces come from glibc's `backtrace()`, which loads
/// libgcc_s (and so calls `malloc`) on its first use in a process.
///
/// TAGS: Allocator, Debug
///
#ifndef ALLOC_DEBUG_H
#define ALLOC_DEBUG_H

#include "alloc/Allocator.h"

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
/// Default number of freed blocks a `DebugAllocator` remembers (its quarantine), so that a double
/// free of one of them is reported with both backtraces.
///
/// TAGS: Debug, Config
///
#define DEBUG_ALLOCATOR_DEFAULT_QUARANTINE 128

///
/// Largest `quarantine` a `DebugAllocatorConfig` may ask for; larger values are clamped to it.
///
/// TAGS: Debug, Config
///
#define DEBUG_ALLOCATOR_MAX_QUARANTINE 65536

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
/// is valid too but turns everything optional off (no canaries, quarantine, backtraces, leak
/// report at Deinit or thread check); only the pointer checks remain. Out-of-range values are
/// clamped at first use to the `DEBUG_ALLOCATOR_MAX_*` limits, never rejected. Changing the
/// config after the first use is not supported.
///
/// FIELDS:
/// - canary_bytes           : Bytes of a known pattern written right before and right after every
///                            block and checked at free, resize, remap and `DebugAllocatorCheck`.
///                            Default 16 (`DEBUG_ALLOCATOR_DEFAULT_CANARY_BYTES`); 0 turns
///                            canaries off; at most `DEBUG_ALLOCATOR_MAX_CANARY_BYTES`.
/// - page_mode              : Non-zero: each block ends (canary included, up to alignment
///                            padding) against the end of its pages, and a freed block stays
///                            mapped `PROT_NONE` while it is in quarantine, so reading or writing
///                            it faults. Default 0: each block starts its mapping; a freed block
///                            is filled with 0xDD and stays readable in quarantine, and a byte
///                            changed when it leaves (or at `DebugAllocatorCheck` or Deinit) is
///                            reported as a use after free.
/// - guard_page             : Page mode only: non-zero maps one extra `PROT_NONE` page after each
///                            block, so running past the canary faults at once. Default 1.
/// - quarantine             : How many freed blocks are kept (with their free backtrace) before
///                            the oldest is checked, unmapped and forgotten. Default
///                            128 (`DEBUG_ALLOCATOR_DEFAULT_QUARANTINE`); 0 forgets at once, and a
///                            second free is then reported as a foreign pointer.
/// - backtrace_depth        : Stack frames recorded per allocation and per free. Default 8
///                            (`DEBUG_ALLOCATOR_DEFAULT_BACKTRACE_DEPTH`); 0 records none; at
///                            most `DEBUG_ALLOCATOR_MAX_BACKTRACE_DEPTH`.
/// - report_leaks_at_deinit : Non-zero: `DebugAllocatorDeinit` reports every live block first, as
///                            `DebugAllocatorReportLeaks` does. Default 1.
/// - check_thread           : Non-zero: the thread that first uses the allocator owns it, and a
///                            call from any other thread aborts with "wrong thread". Default 1.
/// - report                 : Where report lines go; NULL (the default) writes each line and a
///                            newline to stderr with `write(2)`, without `FILE *` buffering.
/// - report_context         : Passed unchanged to `report`. Default NULL.
///
/// TAGS: Debug, Config
///
typedef struct DebugAllocatorConfig {
    size_t                 canary_bytes;           // bytes before and after each block, <= 64
    int8_t                 page_mode;              // boolean
    int8_t                 guard_page;             // boolean, page mode only
    int8_t                 report_leaks_at_deinit; // boolean
    int8_t                 check_thread;           // boolean
    uint32_t               quarantine;             // freed records kept, <= 65536
    uint32_t               backtrace_depth;        // frames per trace, <= 32
    DebugAllocatorReportFn report;                 // NULL: stderr via write(2)
    void                  *report_context;
} DebugAllocatorConfig;

///
/// The default `DebugAllocatorConfig`: 16 canary bytes, normal (not page) mode, guard pages on
/// for page mode, 128 quarantined frees, 8-frame backtraces, leak report at Deinit, thread
/// check on, reports to stderr.
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
    ((DebugAllocatorConfig){.canary_bytes           = DEBUG_ALLOCATOR_DEFAULT_CANARY_BYTES,        \
                            .page_mode              = 0,                                           \
                            .guard_page             = 1,                                           \
                            .report_leaks_at_deinit = 1,                                           \
                            .check_thread           = 1,                                           \
                            .quarantine             = DEBUG_ALLOCATOR_DEFAULT_QUARANTINE,          \
                            .backtrace_depth        = DEBUG_ALLOCATOR_DEFAULT_BACKTRACE_DEPTH,     \
                            .report                 = 0,                                           \
                            .report_context         = 0})

///
/// A bug-finding allocator: per-block mappings, canaries, backtraces, quarantine, thread check.
///
/// Memory: each live or quarantined block costs at least one page of its own (two in page mode
/// with a guard page) plus a record of 64 + 16 × `backtrace_depth` bytes (on 64-bit platforms).
///
/// Invariants: every block handed out has exactly one record, found by address in `index`;
/// `live_count` records are live and `quarantine_len` are freed and waiting in `quarantine`;
/// `base.stats.bytes_in_use` is the sum of the live blocks' requested sizes. All tables are
/// mapped by the allocator itself from the OS, never from the user's blocks. All members after
/// `base` are private: read them only through the functions of this header.
///
/// FIELDS:
/// - base             : The `Allocator` interface; first member, so `(Allocator *)&debug` works.
/// - config           : The settings, clamped at first use; see `DebugAllocatorConfig`.
/// - owner_thread     : Identity of the thread that owns the allocator; NULL until first use.
/// - page_size        : System page size in bytes, cached at first use; 0 before.
/// - records          : Table of block records (address, size, mapping, backtraces); OS-mapped.
/// - records_bytes    : Length of the `records` mapping in bytes.
/// - record_stride    : Bytes per record, which depends on `config.backtrace_depth`.
/// - record_cap       : Records the `records` mapping can hold.
/// - record_used      : Records ever used (high-water mark); unused ones are on the free list.
/// - record_free      : Head of the list of unused records, as index + 1; 0 when empty.
/// - index            : Open-addressing hash from block address to record index + 1.
/// - index_bytes      : Length of the `index` mapping in bytes.
/// - index_cap        : Slots in `index`; a power of two, at least twice the records in use.
/// - quarantine       : Ring of record indices of freed blocks, oldest first.
/// - quarantine_bytes : Length of the `quarantine` mapping in bytes.
/// - quarantine_head  : Position of the oldest entry in the ring.
/// - quarantine_len   : Entries in the ring.
/// - live_count       : Blocks allocated and not yet freed.
/// - serial           : Allocations made so far; numbers the records.
///
/// TAGS: Allocator, Debug
///
struct DebugAllocator {
    Allocator            base;
    DebugAllocatorConfig config;
    const void          *owner_thread;     // thread token, NULL until first use
    size_t               page_size;        // bytes, 0 until first use
    uint8_t             *records;          // record_cap records of record_stride bytes
    size_t               records_bytes;    // bytes mapped
    size_t               record_stride;    // bytes per record, multiple of 8
    uint32_t             record_cap;       // records
    uint32_t             record_used;      // high-water mark, <= record_cap
    uint32_t             record_free;      // free-list head, index + 1, 0 = empty
    uint32_t            *index;            // index_cap slots of record index + 1, 0 = empty
    size_t               index_bytes;      // bytes mapped
    uint32_t             index_cap;        // power of two
    uint32_t            *quarantine;       // config.quarantine record indices
    size_t               quarantine_bytes; // bytes mapped
    uint32_t             quarantine_head;  // oldest entry
    uint32_t             quarantine_len;   // entries
    uint32_t             live_count;       // live blocks
    uint64_t             serial;           // allocations so far
};

ALLOC_STATIC_ASSERT(offsetof(DebugAllocator, base) == 0, "DebugAllocator must start with its base");

///
/// The `Allocator` base of a `DebugAllocator` with alignment `N`; used by the Init macros.
///
/// N[in] : Alignment of every block, a power of two.
///
/// SUCCESS: An `Allocator` compound literal; no call is made.
/// FAILURE: Cannot fail; a bad `N` is caught at first use ("corrupted allocator: alignment is not
///          a power of two").
///
/// TAGS: Debug, Init
///
#define DEBUG_ALLOCATOR_BASE(N)                                                                    \
    ((Allocator){.allocate    = (AllocatorAllocateFn)debug_allocator_allocate,                     \
                 .resize      = (AllocatorResizeFn)debug_allocator_resize,                         \
                 .remap       = (AllocatorRemapFn)debug_allocator_remap,                           \
                 .deallocate  = (AllocatorDeallocateFn)debug_allocator_deallocate,                 \
                 .alignment   = (N),                                                               \
                 .effort      = ALLOCATOR_EFFORT_ONCE,                                             \
                 .retry_limit = ALLOCATOR_DEFAULT_RETRY_LIMIT,                                     \
                 .magic       = DEBUG_ALLOCATOR_MAGIC})

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
#define DebugAllocatorInitAlignedWith(N, settings)                                                 \
    ((DebugAllocator){.base = DEBUG_ALLOCATOR_BASE(N), .config = (settings)})

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
/// Allocate a block of `bytes` bytes with its own mapping, canaries and allocation backtrace.
///
/// A block that is not asked zeroed is filled with the byte 0xAA, so reading uninitialised
/// memory shows. Cost: one `mmap`, a backtrace and a hash insertion per call.
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
/// The block's mapping has some slack (page rounding), so growing within it works; bytes gained
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
///          in the block's mapping; `ptr` NULL returns 0. Aborts via `AllocFatal` with the header
///          reasons of `debug_allocator_allocate`, "wrong thread", and for `ptr`: "misaligned
///          pointer", "interior pointer", "foreign pointer", "double free" (freed and still in
///          quarantine), "buffer overflow: canary after block overwritten", "buffer underflow:
///          canary before block overwritten".
///
/// TAGS: Debug, InPlace
///
ALLOC_API int8_t debug_allocator_resize(DebugAllocator *self, void *ptr, size_t new_size);

///
/// Move a block to a new mapping of `new_size` bytes; the old one goes to quarantine.
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
/// Normal mode fills the block with 0xDD; page mode makes it `PROT_NONE`. When the quarantine is
/// full, the oldest freed block leaves it: in normal mode its bytes are checked first, then it is
/// unmapped. Before the fatal line of an error, the details go to the report sink: for a double
/// free, `alloc: debug: double free: N bytes at P allocated at:`, its backtrace,
/// `alloc: debug: first freed at:` and that backtrace; for a canary, the address of the changed
/// byte and the allocation backtrace; for a use after free, the changed byte and both traces.
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
/// For each block: `alloc: debug: leak: N bytes at P allocated at:` then one line per frame,
/// `alloc: debug:     #I 0xADDR function+0xOFF (module+0xOFF)` (the function name only where the
/// dynamic symbol table has it; `addr2line -e module 0xOFF` resolves the rest). The first frame is
/// the code that called the allocator (`allocator_alloc_dyn` and friends on the `Allocator *`
/// path). Blocks are listed in table order, then one summary line
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
