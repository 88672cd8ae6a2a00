// DebugAllocator: the conformance basics (alignment, zeroing, resize/remap, stats), the bug
// reports (leaks, canaries, double free with both traces), page mode faults, the thread check,
// and one death test per fatal reason with the exact line.
#include "alloc/Debug.h"
#include "alloc/Types.h" // opt-in short names (size, u8, i8…)
#include "death.h"

#include <criterion/criterion.h>
#include <pthread.h>  // pthread_create: the wrong-thread check
#include <signal.h>   // sigaction: catch the page-mode fault in a child
#include <stdio.h>    // snprintf
#include <string.h>   // memset, strstr
#include <sys/mman.h> // mmap: a fault address shared with the parent
#include <ucontext.h> // REG_ERR, REG_RIP, REG_RBP: the fault report
#include <sys/wait.h> // waitpid
#include <unistd.h>   // fork, pipe, sysconf

// --- Helpers ----------------------------------------------------------------------------------

// A report sink that keeps every line (newline-terminated) in a buffer.
static char   sink_text[65536];
static size_t sink_len;
static int    sink_lines;
static void   sink_keep(const char *line, void *context) {
    (void)context;
    int n = snprintf(sink_text + sink_len, sizeof sink_text - sink_len, "%s\n", line);
    if (n > 0 && (size_t)n < sizeof sink_text - sink_len) sink_len += (size_t)n;
    sink_lines += 1;
}
static void sink_reset(void) {
    sink_text[0] = '\0';
    sink_len     = 0;
    sink_lines   = 0;
}
// A sink that drops the details, so a death test's first stderr line is the fatal one.
static void sink_drop(const char *line, void *context) {
    (void)line;
    (void)context;
}

static DebugAllocatorConfig config_with(DebugAllocatorReportFn report) {
    DebugAllocatorConfig config = DebugAllocatorConfigDefault();
    config.report               = report;
    return config;
}

static size_t page_size(void) { return (size_t)sysconf(_SC_PAGESIZE); }

static size_t count_of(const char *text, const char *needle) {
    size_t n = 0;
    for (const char *at = strstr(text, needle); at; at = strstr(at + 1, needle)) n++;
    return n;
}

// Run `body` in a child with stderr captured; returns the wait status.
static char captured[65536];
static int  run_captured(void (*body)(void)) {
    int fds[2];
    cr_assert(pipe(fds) == 0);
    pid_t child = fork();
    cr_assert(child >= 0);
    if (child == 0) {
        close(fds[0]);
        dup2(fds[1], 2);
        body();
        _exit(0);
    }
    close(fds[1]);
    size_t used = 0;
    ssize_t got;
    while ((got = read(fds[0], captured + used, sizeof captured - 1 - used)) > 0) used += (size_t)got;
    captured[used] = '\0';
    close(fds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    return status;
}

// Page-mode faults: the child notes where it expects the fault, then reports where it happened,
// both through shared memory.
static void *volatile *fault_shared; // [0] = faulting address, [1] = expected address
static void on_segv(int signal, siginfo_t *info, void *context) {
    (void)signal;
    (void)context;
    fault_shared[0] = info->si_addr;
    _exit(42);
}
static void expect_fault_here(void *where) { fault_shared[1] = where; }
static void expect_fault(void (*body)(void)) {
    fault_shared = mmap(NULL, 2 * sizeof *fault_shared, PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    cr_assert(fault_shared != MAP_FAILED);
    fault_shared[0] = fault_shared[1] = NULL;
    pid_t child                       = fork();
    cr_assert(child >= 0);
    if (child == 0) {
        struct sigaction action = {0};
        action.sa_sigaction     = on_segv;
        action.sa_flags         = SA_SIGINFO;
        sigaction(SIGSEGV, &action, NULL);
        body();
        _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 42, "expected a SIGSEGV, got status %d",
              status);
    cr_assert_not_null(fault_shared[1]);
    cr_assert_eq(fault_shared[0], fault_shared[1], "fault at %p, expected %p", fault_shared[0],
                 fault_shared[1]);
    munmap((void *)fault_shared, 2 * sizeof *fault_shared);
}

// --- Basics -----------------------------------------------------------------------------------

Test(debug, allocate_honours_zeroed_and_junk_fills_otherwise) {
    DebugAllocator debug = DebugAllocatorInit();
    unsigned char *zero  = AllocatorAlloc(&debug, 100, 1);
    unsigned char *junk  = AllocatorAlloc(&debug, 100, 0);
    cr_assert(zero && junk);
    for (int i = 0; i < 100; ++i) {
        cr_assert_eq(zero[i], 0);
        cr_assert_eq(junk[i], 0xAA);
    }
    AllocatorFree(&debug, zero);
    AllocatorFree(&debug, junk);
    DebugAllocatorDeinit(&debug);
}

Test(debug, zero_bytes_returns_null_and_counts_nothing) {
    DebugAllocator debug = DebugAllocatorInit();
    cr_assert_null(AllocatorAlloc(&debug, 0, 0));
    cr_assert_null(AllocatorRemap(&debug, NULL, 0));
    cr_assert_eq(AllocatorAllocations(&debug), 0);
    cr_assert_eq(AllocatorFailedAllocations(&debug), 0);
    cr_assert_eq(AllocatorFree(&debug, NULL), 0);
    DebugAllocatorDeinit(&debug);
}

static void check_alignments(i8 page_mode) {
    for (size_t align = 1; align <= 4 * page_size(); align *= 2) {
        DebugAllocatorConfig config = DebugAllocatorConfigDefault();
        config.page_mode            = page_mode;
        DebugAllocator debug        = DebugAllocatorInitAlignedWith(align, config);
        for (size_t bytes = 1; bytes <= 3 * page_size(); bytes = bytes * 3 + 1) {
            char *block = AllocatorAlloc(&debug, bytes, 0);
            cr_assert_not_null(block);
            cr_assert_eq((uintptr_t)block % align, 0, "%p not aligned to %zu", (void *)block, align);
            memset(block, 1, bytes);
            DebugAllocatorCheck(&debug);
            cr_assert_eq(AllocatorFree(&debug, block), bytes);
        }
        DebugAllocatorDeinit(&debug);
    }
}
Test(debug, every_power_of_two_alignment_up_to_four_pages_is_honoured) { check_alignments(0); }
Test(debug, page_mode_honours_every_alignment_too) { check_alignments(1); }

Test(debug, stats_count_requested_bytes_on_both_paths) {
    DebugAllocator debug = DebugAllocatorInit();
    Allocator     *any   = ALLOCATOR_OF(&debug);
    void          *a     = AllocatorAlloc(&debug, 24, 0);
    void          *b     = AllocatorAlloc(any, 100, 1);
    cr_assert_eq(AllocatorBytesInUse(&debug), 124);
    cr_assert_eq(AllocatorBytesRequested(&debug), 124);
    cr_assert_eq(AllocatorAllocations(&debug), 2);
    cr_assert_eq(AllocatorFree(any, a), 24);
    cr_assert_eq(AllocatorFree(&debug, b), 100);
    cr_assert_eq(AllocatorBytesInUse(&debug), 0);
    cr_assert_eq(AllocatorPeakBytesInUse(&debug), 124);
    cr_assert_eq(AllocatorDeallocations(&debug), 2);
    cr_assert_gt(AllocatorFootprintBytes(&debug), 0, "the tables are still mapped");
    DebugAllocatorCheck(&debug);
    DebugAllocatorDeinit(&debug);
}

Test(debug, deinit_releases_every_byte_and_zeroes_the_struct) {
    DebugAllocatorConfig config = config_with(sink_drop);
    config.page_mode            = 1;
    DebugAllocator debug        = DebugAllocatorInitWith(config);
    void          *leaked       = AllocatorAlloc(&debug, 5000, 0);
    void          *freed        = AllocatorAlloc(&debug, 10, 0);
    cr_assert(leaked && freed);
    AllocatorFree(&debug, freed); // stays mapped PROT_NONE in quarantine
    cr_assert_gt(AllocatorFootprintBytes(&debug), 3 * page_size());
    DebugAllocatorDeinit(&debug);
    DebugAllocator zero;
    memset(&zero, 0, sizeof zero);
    cr_assert(memcmp(&debug, &zero, sizeof zero) == 0);
}

Test(debug, resize_grows_within_the_heap_slot_and_shrinks_in_place) {
    DebugAllocator debug = DebugAllocatorInit();
    char          *block = AllocatorAlloc(&debug, 10, 0); // slot: 16 + 10 + 16 bytes, rounded up
    memset(block, 'x', 10);
    cr_assert_eq(AllocatorResize(&debug, block, 12), 1);
    cr_assert_eq(block[9], 'x');
    cr_assert_eq((unsigned char)block[10], 0xAA, "bytes gained are junk-filled");
    memset(block, 'y', 12);
    DebugAllocatorCheck(&debug); // canaries moved after byte 12
    cr_assert_eq(AllocatorResize(&debug, block, 4), 1);
    DebugAllocatorCheck(&debug);
    cr_assert_eq(AllocatorResize(&debug, block, 10 * page_size()), 0, "beyond the slot");
    cr_assert_eq(AllocatorResize(&debug, block, 0), 0);
    cr_assert_eq(AllocatorReallocations(&debug), 2);
    cr_assert_eq(AllocatorBytesInUse(&debug), 4);
    cr_assert_eq(AllocatorFree(&debug, block), 4);
    DebugAllocatorDeinit(&debug);
}

Test(debug, remap_always_moves_and_keeps_the_contents) {
    DebugAllocator debug = DebugAllocatorInit();
    char          *text  = AllocatorRemap(&debug, NULL, 16);
    cr_assert_not_null(text);
    for (int i = 0; i < 16; ++i) cr_assert_eq(text[i], 0, "remap of NULL is zeroed");
    memcpy(text, "hello, debugger", 16);
    char *bigger = AllocatorRemap(&debug, text, 5000);
    cr_assert(bigger && bigger != text);
    cr_assert_str_eq(bigger, "hello, debugger");
    char *smaller = AllocatorRemap(&debug, bigger, 6);
    cr_assert(smaller && memcmp(smaller, "hello,", 6) == 0);
    cr_assert_eq(AllocatorAllocations(&debug), 1);
    cr_assert_eq(AllocatorReallocations(&debug), 2);
    cr_assert_eq(AllocatorBytesInUse(&debug), 6);
    DebugAllocatorCheck(&debug);
    cr_assert_null(AllocatorRemap(&debug, smaller, 0));
    cr_assert_eq(AllocatorDeallocations(&debug), 1);
    cr_assert_eq(AllocatorBytesInUse(&debug), 0);
    cr_assert_eq(DebugAllocatorLeakCount(&debug), 0);
    DebugAllocatorDeinit(&debug);
}

Test(debug, realloc_through_the_dynamic_path_works) {
    DebugAllocator debug = DebugAllocatorInit();
    int           *nums  = AllocatorAlloc(&debug, 4 * sizeof(int), 1);
    nums[3]              = 7;
    int *more            = AllocatorRealloc(&debug, nums, 64 * sizeof(int));
    cr_assert_not_null(more);
    cr_assert_eq(more[3], 7);
    AllocatorFree(&debug, more);
    DebugAllocatorDeinit(&debug);
}

Test(debug, huge_request_fails_and_is_counted) {
    DebugAllocator debug = DebugAllocatorInit();
    cr_assert_null(AllocatorAlloc(&debug, (size)-1 / 2, 0));
    cr_assert_null(AllocatorAlloc(&debug, (size)1 << 46, 0)); // 64 TiB: the OS refuses
    cr_assert_eq(AllocatorFailedAllocations(&debug), 2);
    cr_assert_eq(AllocatorAllocations(&debug), 0);
    DebugAllocatorCheck(&debug);
    DebugAllocatorDeinit(&debug);
}

Test(debug, many_blocks_grow_the_tables_and_stay_consistent) {
    DebugAllocatorConfig config = config_with(sink_drop);
    config.quarantine           = 16;
    DebugAllocator debug        = DebugAllocatorInitWith(config);
    void          *blocks[300];
    for (int i = 0; i < 300; ++i) blocks[i] = AllocatorAlloc(&debug, (size)(i % 50 + 1), 0);
    for (int i = 0; i < 300; i += 3) AllocatorFree(&debug, blocks[i]);
    DebugAllocatorCheck(&debug);
    for (int i = 0; i < 300; i += 3) blocks[i] = AllocatorAlloc(&debug, 8, 1);
    for (int i = 299; i >= 0; --i) {
        if (i % 7 == 0) AllocatorFree(&debug, blocks[i]);
    }
    DebugAllocatorCheck(&debug);
    cr_assert_eq(DebugAllocatorLeakCount(&debug), 300 - 43);
    for (int i = 0; i < 300; ++i)
        if (i % 7) AllocatorFree(&debug, blocks[i]);
    DebugAllocatorCheck(&debug);
    cr_assert_eq(DebugAllocatorLeakCount(&debug), 0);
    cr_assert_eq(AllocatorBytesInUse(&debug), 0);
    DebugAllocatorDeinit(&debug);
}

// --- Reports ----------------------------------------------------------------------------------

Test(debug, leak_report_lists_every_live_block_with_its_size_and_backtrace) {
    sink_reset();
    DebugAllocator debug = DebugAllocatorInitWith(config_with(sink_keep));
    void          *a     = AllocatorAlloc(&debug, 24, 0);
    void          *b     = AllocatorAlloc(&debug, 1000, 0);
    void          *c     = AllocatorAlloc(&debug, 7, 0);
    AllocatorFree(&debug, b);
    cr_assert_eq(DebugAllocatorLeakCount(&debug), 2);
    cr_assert_eq(DebugAllocatorReportLeaks(&debug), 2);
    char expected[128];
    snprintf(expected, sizeof expected, "alloc: debug: leak: 24 bytes in 1 block at %p allocated at:\n", a);
    cr_assert(strstr(sink_text, expected), "missing \"%s\" in:\n%s", expected, sink_text);
    snprintf(expected, sizeof expected, "alloc: debug: leak: 7 bytes in 1 block at %p allocated at:\n", c);
    cr_assert(strstr(sink_text, expected), "missing \"%s\" in:\n%s", expected, sink_text);
    cr_assert(strstr(sink_text, "24 bytes") < strstr(sink_text, "7 bytes"), "largest group first");
    cr_assert_eq(count_of(sink_text, "1000 bytes"), 0, "a freed block is no leak");
    cr_assert_eq(count_of(sink_text, "alloc: debug:     #0 0x"), 2, "each leak has a backtrace");
    cr_assert_geq(count_of(sink_text, "tests/alloc/test_debug.c:"), 2, "symbolised:\n%s", sink_text);
    cr_assert(strstr(sink_text, "alloc: debug: 2 leaked blocks, 31 bytes\n"), "%s", sink_text);
    sink_reset();
    AllocatorFree(&debug, a);
    AllocatorFree(&debug, c);
    cr_assert_eq(DebugAllocatorReportLeaks(&debug), 0);
    cr_assert_eq(sink_lines, 0, "no leak, no output");
    DebugAllocatorDeinit(&debug);
}

static void leak_then_deinit(void) {
    DebugAllocator debug = DebugAllocatorInit();
    void          *kept  = AllocatorAlloc(&debug, 24, 0);
    fprintf(stderr, "block %p\n", kept);
    fflush(stderr);
    DebugAllocatorDeinit(&debug);
}
Test(debug, deinit_reports_leaks_to_stderr_by_default) {
    int status = run_captured(leak_then_deinit);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    void *block = NULL;
    cr_assert_eq(sscanf(captured, "block %p", &block), 1);
    char expected[128];
    snprintf(expected, sizeof expected, "alloc: debug: leak: 24 bytes in 1 block at %p allocated at:\n", block);
    cr_assert(strstr(captured, expected), "missing \"%s\" in:\n%s", expected, captured);
    cr_assert(strstr(captured, "alloc: debug:     #0 0x"), "%s", captured);
    cr_assert(strstr(captured, "alloc: debug: 1 leaked block, 24 bytes\n"), "%s", captured);
}

Test(debug, deinit_can_skip_the_leak_report) {
    sink_reset();
    DebugAllocatorConfig config   = config_with(sink_keep);
    config.report_leaks_at_deinit = 0;
    DebugAllocator debug          = DebugAllocatorInitWith(config);
    cr_assert_not_null(AllocatorAlloc(&debug, 24, 0));
    DebugAllocatorDeinit(&debug);
    cr_assert_eq(sink_lines, 0);
}

static DebugAllocator victim;
static char          *victim_block;

static void free_twice(void) {
    victim       = DebugAllocatorInit();
    victim_block = AllocatorAlloc(&victim, 24, 0);
    AllocatorFree(&victim, victim_block);
    death_note_pointer(victim_block);
    AllocatorFree(&victim, victim_block);
}
Test(debug, double_free_prints_the_allocation_and_the_first_free_backtraces) {
    int status = run_captured(free_twice);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, "status %d", status);
    char expected[160];
    snprintf(expected, sizeof expected,
             "alloc: debug: ERROR: double free at %p: offset 0 in a block of 24 bytes at %p, freed\n",
             (void *)victim_block, (void *)victim_block);
    char *bug_line   = strstr(captured, "alloc: debug: ERROR: double free at 0x");
    char *call_line  = strstr(captured, "alloc: debug: called at:\n");
    char *freed_line = strstr(captured, "alloc: debug: first freed at:\n");
    char *alloc_line = strstr(captured, "alloc: debug: allocated at:\n");
    char *fatal_line = strstr(captured, "alloc: fatal: debug_allocator_deallocate: double free 0x");
    cr_assert(bug_line && call_line && freed_line && alloc_line && fatal_line, "%s", captured);
    cr_assert(bug_line < call_line && call_line < freed_line && freed_line < alloc_line &&
                  alloc_line < fatal_line, "%s", captured);
    // Three traces, each symbolised to this file: the second free, the first, the allocation.
    cr_assert_eq(count_of(captured, "alloc: debug:     #0 0x"), 3, "%s", captured);
    cr_assert_eq(count_of(captured, " in free_twice "), 3, "%s", captured);
    cr_assert(strstr(freed_line, "test_debug.c:") < alloc_line, "%s", captured);
}

// --- Death tests: the pointer -----------------------------------------------------------------

static void start_victim_quietly(void) {
    victim       = DebugAllocatorInitWith(config_with(sink_drop));
    victim_block = AllocatorAlloc(&victim, 24, 0);
}

static void double_free_quietly(void) {
    start_victim_quietly();
    AllocatorFree(&victim, victim_block);
    death_note_pointer(victim_block);
    AllocatorFree(&victim, victim_block);
}
Test(debug_death, double_free_aborts) {
    expect_death(double_free_quietly, "alloc: fatal: debug_allocator_deallocate: double free");
}

static void overflow_by_one(void) {
    start_victim_quietly();
    victim_block[24] = 'x';
    death_note_pointer(victim_block);
    AllocatorFree(&victim, victim_block);
}
Test(debug_death, overflow_by_one_byte_is_caught_at_free) {
    expect_death(overflow_by_one, "alloc: fatal: debug_allocator_deallocate: buffer overflow: canary "
                                  "after block overwritten");
}

static void overflow_by_eight(void) {
    start_victim_quietly();
    memset(victim_block + 24, 0, 8);
    death_note_pointer(victim_block);
    AllocatorFree(&victim, victim_block);
}
Test(debug_death, overflow_by_eight_bytes_is_caught_at_free) {
    expect_death(overflow_by_eight, "alloc: fatal: debug_allocator_deallocate: buffer overflow: "
                                    "canary after block overwritten");
}

static void underflow_by_one(void) {
    start_victim_quietly();
    victim_block[-1] = 0;
    death_note_pointer(victim_block);
    AllocatorFree(&victim, victim_block);
}
Test(debug_death, underflow_by_one_byte_is_caught_at_free) {
    expect_death(underflow_by_one, "alloc: fatal: debug_allocator_deallocate: buffer underflow: "
                                   "canary before block overwritten");
}

static void overflow_then_check(void) {
    start_victim_quietly();
    victim_block[30] = 'x';
    death_note_pointer(victim_block);
    DebugAllocatorCheck(&victim);
}
Test(debug_death, overflow_is_caught_by_check) {
    expect_death(overflow_then_check,
                 "alloc: fatal: DebugAllocatorCheck: buffer overflow: canary after block overwritten");
}

static void overflow_then_resize(void) {
    start_victim_quietly();
    victim_block[24] = 'x';
    death_note_pointer(victim_block);
    AllocatorResize(&victim, victim_block, 8);
}
Test(debug_death, overflow_is_caught_at_resize) {
    expect_death(overflow_then_resize,
                 "alloc: fatal: debug_allocator_resize: buffer overflow: canary after block overwritten");
}

static void free_foreign(void) {
    static _Alignas(16) char elsewhere[32];
    start_victim_quietly();
    death_note_pointer(elsewhere);
    AllocatorFree(&victim, elsewhere);
}
Test(debug_death, foreign_pointer_aborts) {
    expect_death(free_foreign, "alloc: fatal: debug_allocator_deallocate: foreign pointer");
}

static void free_interior(void) {
    start_victim_quietly();
    death_note_pointer(victim_block + 16);
    AllocatorFree(&victim, victim_block + 16);
}
Test(debug_death, interior_pointer_aborts) {
    expect_death(free_interior, "alloc: fatal: debug_allocator_deallocate: interior pointer");
}

static void free_misaligned(void) {
    start_victim_quietly();
    death_note_pointer(victim_block + 1);
    AllocatorFree(&victim, victim_block + 1);
}
Test(debug_death, misaligned_pointer_aborts) {
    expect_death(free_misaligned, "alloc: fatal: debug_allocator_deallocate: misaligned pointer");
}

static void double_free_after_quarantine(void) {
    DebugAllocatorConfig config = config_with(sink_drop);
    config.quarantine           = 1;
    victim                      = DebugAllocatorInitWith(config);
    char *first                 = AllocatorAlloc(&victim, 24, 0);
    char *second                = AllocatorAlloc(&victim, 24, 0);
    AllocatorFree(&victim, first);
    AllocatorFree(&victim, second); // pushes `first` out of the quarantine
    death_note_pointer(first);
    AllocatorFree(&victim, first);
}
Test(debug_death, double_free_after_the_quarantine_forgot_is_foreign) {
    expect_death(double_free_after_quarantine,
                 "alloc: fatal: debug_allocator_deallocate: foreign pointer");
}

static void remap_freed(void) {
    start_victim_quietly();
    AllocatorFree(&victim, victim_block);
    death_note_pointer(victim_block);
    AllocatorRemap(&victim, victim_block, 100);
}
Test(debug_death, remap_of_a_freed_block_is_a_double_free) {
    expect_death(remap_freed, "alloc: fatal: debug_allocator_remap: double free");
}

// --- Death tests: the allocator ---------------------------------------------------------------

static void free_after_deinit(void) {
    start_victim_quietly();
    DebugAllocatorDeinit(&victim);
    death_note_pointer(&victim);
    AllocatorFree(&victim, victim_block);
}
Test(debug_death, free_after_deinit_aborts) {
    expect_death(free_after_deinit, "alloc: fatal: debug_allocator_deallocate: uninitialised allocator");
}

static void deinit_twice(void) {
    start_victim_quietly();
    DebugAllocatorDeinit(&victim);
    death_note_pointer(&victim);
    DebugAllocatorDeinit(&victim);
}
Test(debug_death, deinit_twice_aborts) {
    expect_death(deinit_twice, "alloc: fatal: DebugAllocatorDeinit: uninitialised allocator");
}

static void alloc_uninitialised(void) {
    memset(&victim, 0, sizeof victim);
    death_note_pointer(&victim);
    AllocatorAlloc(&victim, 8, 0);
}
Test(debug_death, uninitialised_allocator_aborts) {
    expect_death(alloc_uninitialised, "alloc: fatal: debug_allocator_allocate: uninitialised allocator");
}

static void alloc_null(void) {
    death_note_pointer(NULL);
    debug_allocator_allocate(NULL, 8, 0);
}
Test(debug_death, null_allocator_aborts) {
    expect_death(alloc_null, "alloc: fatal: debug_allocator_allocate: NULL allocator");
}

static void alloc_type_confused(void) {
    start_victim_quietly();
    victim.base.magic = HEAP_ALLOCATOR_MAGIC; // what a HeapAllocator passed by mistake looks like
    death_note_pointer(&victim);
    DebugAllocatorLeakCount(&victim);
}
Test(debug_death, type_confusion_aborts) {
    expect_death(alloc_type_confused,
                 "alloc: fatal: DebugAllocatorLeakCount: type-confusion: not a DebugAllocator");
}

static void *alloc_in_thread(void *arg) {
    (void)arg;
    AllocatorAlloc(&victim, 8, 0);
    return NULL;
}
static void alloc_from_another_thread(void) {
    start_victim_quietly(); // this thread owns it now
    death_note_pointer(&victim);
    pthread_t thread;
    pthread_create(&thread, NULL, alloc_in_thread, NULL);
    pthread_join(thread, NULL);
}
Test(debug_death, wrong_thread_aborts) {
    expect_death(alloc_from_another_thread, "alloc: fatal: debug_allocator_allocate: wrong thread");
}

static void *free_in_thread(void *arg) {
    AllocatorFree(&victim, arg);
    DebugAllocatorDeinit(&victim);
    return NULL;
}
Test(debug, released_allocator_can_move_to_another_thread) {
    victim     = DebugAllocatorInitWith(config_with(sink_drop));
    void *kept = AllocatorAlloc(&victim, 8, 0);
    DebugAllocatorReleaseThread(&victim);
    pthread_t thread;
    cr_assert_eq(pthread_create(&thread, NULL, free_in_thread, kept), 0);
    pthread_join(thread, NULL);
    cr_assert_eq(victim.base.magic, 0, "the other thread deinitialised it");
}

Test(debug, thread_check_can_be_turned_off) {
    DebugAllocatorConfig config = config_with(sink_drop);
    config.check_thread         = 0;
    victim                      = DebugAllocatorInitWith(config);
    void *kept                  = AllocatorAlloc(&victim, 8, 0);
    pthread_t thread;
    cr_assert_eq(pthread_create(&thread, NULL, free_in_thread, kept), 0);
    pthread_join(thread, NULL);
    cr_assert_eq(victim.base.magic, 0);
}

// --- Page mode --------------------------------------------------------------------------------

static void start_page_mode(void) {
    DebugAllocatorConfig config = config_with(sink_drop);
    config.page_mode            = 1;
    victim                      = DebugAllocatorInitWith(config);
    victim_block                = AllocatorAlloc(&victim, 100, 0);
}

static void write_after_free(void) {
    start_page_mode();
    AllocatorFree(&victim, victim_block);
    expect_fault_here(victim_block + 10);
    victim_block[10] = 'x';
}
Test(debug_page, write_after_free_faults) { expect_fault(write_after_free); }

// The page after the block and its 16-byte canary (rounded up) is the guard page.
static char *guard_after_victim(void) {
    size_t page = page_size();
    return (char *)(((uintptr_t)victim_block + 100 + 16 + page - 1) & ~(uintptr_t)(page - 1));
}
static void overrun_into_guard(void) {
    start_page_mode();
    char *guard = guard_after_victim();
    expect_fault_here(guard);
    guard[0] = 'x';
}
Test(debug_page, running_past_the_canary_faults_on_the_guard_page) {
    start_page_mode();
    cr_assert_lt(guard_after_victim() - (victim_block + 100), 16 + 16, "block ends near the guard");
    DebugAllocatorDeinit(&victim);
    expect_fault(overrun_into_guard);
}
Test(debug_page, quarantine_keeps_freed_pages_until_pushed_out) {
    DebugAllocatorConfig config = config_with(sink_drop);
    config.page_mode            = 1;
    config.quarantine           = 2;
    DebugAllocator debug        = DebugAllocatorInitWith(config);
    void          *blocks[3];
    for (int i = 0; i < 3; ++i) blocks[i] = AllocatorAlloc(&debug, 10, 0);
    size tables = AllocatorFootprintBytes(&debug) - 3 * 2 * page_size();
    for (int i = 0; i < 3; ++i) AllocatorFree(&debug, blocks[i]);
    DebugAllocatorCheck(&debug);
    // Two blocks (data page + guard page each) still held; the quarantine ring is new.
    cr_assert_eq(AllocatorFootprintBytes(&debug), tables + 2 * 2 * page_size() + page_size());
    DebugAllocatorDeinit(&debug);
}

Test(debug_page, page_mode_overflow_within_the_canary_is_still_caught) {
    sink_reset();
    DebugAllocatorConfig config = config_with(sink_keep);
    config.page_mode            = 1;
    DebugAllocator debug        = DebugAllocatorInitWith(config);
    char          *block        = AllocatorAlloc(&debug, 100, 0);
    cr_assert_not_null(block);
    memset(block, 1, 100);
    DebugAllocatorCheck(&debug);
    AllocatorFree(&debug, block);
    DebugAllocatorDeinit(&debug);
    cr_assert_eq(sink_lines, 0);
}

// --- Use after free in normal mode ------------------------------------------------------------

static void write_after_free_then_push_out(void) {
    DebugAllocatorConfig config = config_with(sink_drop);
    config.quarantine           = 1;
    victim                      = DebugAllocatorInitWith(config);
    char *first                 = AllocatorAlloc(&victim, 24, 0);
    char *second                = AllocatorAlloc(&victim, 24, 0);
    AllocatorFree(&victim, first);
    first[5] = 'x';
    death_note_pointer(first);
    AllocatorFree(&victim, second); // pushes `first` out of the quarantine: checked
}
Test(debug_death, write_after_free_is_caught_when_the_block_leaves_quarantine) {
    expect_death(write_after_free_then_push_out,
                 "alloc: fatal: debug_allocator_deallocate: use after free: freed block written");
}

static void write_after_free_then_check(void) {
    start_victim_quietly();
    AllocatorFree(&victim, victim_block);
    victim_block[23] = 0;
    death_note_pointer(victim_block);
    DebugAllocatorCheck(&victim);
}
Test(debug_death, write_after_free_is_caught_by_check) {
    expect_death(write_after_free_then_check,
                 "alloc: fatal: DebugAllocatorCheck: use after free: freed block written");
}

static void write_after_free_loudly(void) {
    victim       = DebugAllocatorInit();
    victim_block = AllocatorAlloc(&victim, 40, 0);
    AllocatorFree(&victim, victim_block);
    victim_block[0] = 1;
    DebugAllocatorDeinit(&victim);
}
Test(debug, use_after_free_report_names_the_byte_and_both_backtraces) {
    int status = run_captured(write_after_free_loudly);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, "status %d", status);
    char *bug_line   = strstr(captured, "alloc: debug: ERROR: use after free (freed block written) at "
                                        "0x");
    char *block_text = strstr(captured, ": offset 0 in a block of 40 bytes at 0x");
    char *freed_line = strstr(captured, "alloc: debug: freed at:\n");
    char *alloc_line = strstr(captured, "alloc: debug: allocated at:\n");
    char *fatal_line = strstr(captured, "alloc: fatal: DebugAllocatorDeinit: use after free: freed "
                                        "block written 0x");
    cr_assert(bug_line && block_text && freed_line && alloc_line && fatal_line, "%s", captured);
    cr_assert(bug_line < block_text && block_text < freed_line && freed_line < alloc_line &&
                  alloc_line < fatal_line, "%s", captured);
    // The call that found it (Deinit), the free, the allocation.
    cr_assert_eq(count_of(captured, "alloc: debug:     #0 0x"), 3, "%s", captured);
}

Test(debug, freed_blocks_are_filled_and_checked_quietly_when_untouched) {
    sink_reset();
    DebugAllocatorConfig config = config_with(sink_keep);
    config.quarantine           = 2;
    DebugAllocator debug        = DebugAllocatorInitWith(config);
    for (int i = 0; i < 10; ++i) {
        unsigned char *block = AllocatorAlloc(&debug, 64, 0);
        AllocatorFree(&debug, block);
        cr_assert_eq(block[63], 0xDD, "still readable in quarantine, filled");
    }
    DebugAllocatorCheck(&debug);
    DebugAllocatorDeinit(&debug);
    cr_assert_eq(sink_lines, 0);
}

// --- Config -----------------------------------------------------------------------------------

Test(debug_config, out_of_range_values_are_clamped_at_first_use) {
    DebugAllocatorConfig config = config_with(sink_drop);
    config.canary_bytes         = 1000;
    config.backtrace_depth      = 1000;
    config.quarantine           = 1u << 30;
    DebugAllocator debug        = DebugAllocatorInitWith(config);
    cr_assert_eq(debug.config.canary_bytes, 1000, "Init makes no change");
    char *block = AllocatorAlloc(&debug, 24, 0);
    cr_assert_eq(debug.config.canary_bytes, DEBUG_ALLOCATOR_MAX_CANARY_BYTES);
    cr_assert_eq(debug.config.backtrace_depth, DEBUG_ALLOCATOR_MAX_BACKTRACE_DEPTH);
    cr_assert_eq(debug.config.quarantine, DEBUG_ALLOCATOR_MAX_QUARANTINE);
    memset(block, 1, 24);
    DebugAllocatorCheck(&debug);
    AllocatorFree(&debug, block);
    DebugAllocatorDeinit(&debug);
}

static void overflow_at_the_last_canary_byte(void) {
    DebugAllocatorConfig config = config_with(sink_drop);
    config.canary_bytes         = 1000; // clamped to 64
    victim                      = DebugAllocatorInitWith(config);
    victim_block                = AllocatorAlloc(&victim, 24, 0);
    victim_block[24 + DEBUG_ALLOCATOR_MAX_CANARY_BYTES - 1] = 0;
    death_note_pointer(victim_block);
    AllocatorFree(&victim, victim_block);
}
Test(debug_config, the_whole_clamped_canary_is_checked) {
    expect_death(overflow_at_the_last_canary_byte,
                 "alloc: fatal: debug_allocator_deallocate: buffer overflow: canary after block "
                 "overwritten");
}

Test(debug_config, canaries_can_be_turned_off) {
    DebugAllocatorConfig config = config_with(sink_drop);
    config.canary_bytes         = 0;
    DebugAllocator debug        = DebugAllocatorInitWith(config);
    char          *block        = AllocatorAlloc(&debug, 24, 0);
    block[24]                   = 'x'; // within the page: nobody looks
    DebugAllocatorCheck(&debug);
    cr_assert_eq(AllocatorFree(&debug, block), 24);
    DebugAllocatorDeinit(&debug);
}

Test(debug_config, zero_backtrace_depth_says_so_in_the_report) {
    sink_reset();
    DebugAllocatorConfig config = config_with(sink_keep);
    config.backtrace_depth      = 0;
    DebugAllocator debug        = DebugAllocatorInitWith(config);
    void          *block        = AllocatorAlloc(&debug, 3, 0);
    cr_assert_eq(DebugAllocatorReportLeaks(&debug), 1);
    char expected[160];
    snprintf(expected, sizeof expected,
             "alloc: debug: leak: 3 bytes in 1 block at %p allocated at:\n"
             "alloc: debug:     (no backtrace recorded)\n"
             "alloc: debug: 1 leaked block, 3 bytes\n",
             block);
    cr_assert_str_eq(sink_text, expected);
    AllocatorFree(&debug, block);
    DebugAllocatorDeinit(&debug);
}

static void page_mode_double_free(void) {
    start_page_mode();
    AllocatorFree(&victim, victim_block);
    death_note_pointer(victim_block);
    AllocatorFree(&victim, victim_block);
}
Test(debug_page, double_free_of_a_protected_block_is_reported) {
    expect_death(page_mode_double_free, "alloc: fatal: debug_allocator_deallocate: double free");
}

// --- Self-check -------------------------------------------------------------------------------

static void check_with_wrong_live_count(void) {
    start_victim_quietly();
    victim.live_count += 1;
    death_note_pointer(&victim);
    DebugAllocatorCheck(&victim);
}
Test(debug_death, check_catches_a_wrong_live_count) {
    expect_death(check_with_wrong_live_count,
                 "alloc: fatal: DebugAllocatorCheck: corrupted allocator: live count");
}

static void check_with_wrong_bytes_in_use(void) {
    start_victim_quietly();
    victim.base.stats.bytes_in_use += 8;
    death_note_pointer(&victim);
    DebugAllocatorCheck(&victim);
}
Test(debug_death, check_catches_wrong_bytes_in_use) {
    expect_death(check_with_wrong_bytes_in_use,
                 "alloc: fatal: DebugAllocatorCheck: corrupted allocator: bytes in use");
}

static void check_with_a_lost_index_entry(void) {
    start_victim_quietly();
    (void)AllocatorAlloc(&victim, 40, 0); // the newest block waits outside the map: victim_block is in it
    memset((void *)victim.index.slots, 0, victim.index.bytes);
    death_note_pointer(&victim);
    DebugAllocatorCheck(&victim);
}
Test(debug_death, check_catches_a_record_missing_from_the_index) {
    expect_death(check_with_a_lost_index_entry,
                 "alloc: fatal: DebugAllocatorCheck: corrupted allocator: record index");
}

// --- Random operations, checked after each --------------------------------------------------

static u32 lcg_next(u32 *state) {
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

static void random_operations(i8 page_mode, u32 seed) {
    DebugAllocatorConfig config = config_with(sink_drop);
    config.page_mode            = page_mode;
    config.quarantine           = 8;
    DebugAllocator debug        = DebugAllocatorInitWith(config);
    unsigned char *blocks[48]   = {0};
    size           sizes[48]    = {0};
    size           in_use       = 0;
    for (int step = 0; step < 1500; ++step) {
        u32  slot = lcg_next(&seed) % 48;
        size want = lcg_next(&seed) % 3000 + 1;
        u32  op   = lcg_next(&seed) % 3;
        if (!blocks[slot]) {
            blocks[slot] = AllocatorAlloc(&debug, want, 0);
            cr_assert_not_null(blocks[slot]);
            memset(blocks[slot], (int)slot, want);
            sizes[slot] = want;
            in_use += want;
        } else if (op == 0) {
            cr_assert_eq(blocks[slot][sizes[slot] - 1], (unsigned char)slot);
            cr_assert_eq(AllocatorFree(&debug, blocks[slot]), sizes[slot]);
            in_use -= sizes[slot];
            blocks[slot] = NULL;
        } else {
            unsigned char *moved = op == 1 && AllocatorResize(&debug, blocks[slot], want)
                                       ? blocks[slot]
                                       : AllocatorRemap(&debug, blocks[slot], want);
            cr_assert_not_null(moved);
            size kept = sizes[slot] < want ? sizes[slot] : want;
            cr_assert_eq(moved[kept - 1], (unsigned char)slot);
            memset(moved, (int)slot, want);
            in_use += want - sizes[slot];
            blocks[slot] = moved;
            sizes[slot]  = want;
        }
        DebugAllocatorCheck(&debug);
        cr_assert_eq(AllocatorBytesInUse(&debug), in_use);
    }
    for (int slot = 0; slot < 48; ++slot) AllocatorFree(&debug, blocks[slot]);
    DebugAllocatorCheck(&debug);
    cr_assert_eq(DebugAllocatorLeakCount(&debug), 0);
    cr_assert_eq(AllocatorBytesInUse(&debug), 0);
    DebugAllocatorDeinit(&debug);
}
Test(debug, random_operations_keep_every_invariant) { random_operations(0, 1); }
Test(debug_page, random_operations_keep_every_invariant_in_page_mode) { random_operations(1, 2); }

static void check_with_a_broken_free_list(void) {
    start_victim_quietly();
    void *other = AllocatorAlloc(&victim, 8, 0);
    AllocatorFree(&victim, other);
    AllocatorFree(&victim, victim_block);
    victim.record_free = 1; // claims record 0 is unused: it is quarantined
    death_note_pointer(&victim);
    DebugAllocatorCheck(&victim);
}
Test(debug_death, check_catches_a_broken_free_list) {
    expect_death(check_with_a_broken_free_list,
                 "alloc: fatal: DebugAllocatorCheck: corrupted allocator: free list");
}

Test(debug_config, an_absurd_alignment_fails_cleanly) {
    DebugAllocator debug = DebugAllocatorInitAligned((size)1 << 62);
    cr_assert_null(AllocatorAlloc(&debug, 8, 0));
    cr_assert_eq(AllocatorFailedAllocations(&debug), 1);
    DebugAllocatorCheck(&debug);
    DebugAllocatorDeinit(&debug);
}

// --- Quarantine bound, backtrace store, unwinders -------------------------------------------

static void double_free_after_the_byte_bound(void) {
    DebugAllocatorConfig config = config_with(sink_drop);
    config.quarantine           = 100;
    config.quarantine_bytes     = 1000;
    victim                      = DebugAllocatorInitWith(config);
    char *first                 = AllocatorAlloc(&victim, 600, 0);
    char *second                = AllocatorAlloc(&victim, 600, 0);
    AllocatorFree(&victim, first);
    AllocatorFree(&victim, second); // 1200 bytes > 1000: `first` leaves the quarantine
    death_note_pointer(first);
    AllocatorFree(&victim, first);
}
Test(debug_death, the_quarantine_is_bounded_in_bytes_oldest_first) {
    expect_death(double_free_after_the_byte_bound,
                 "alloc: fatal: debug_allocator_deallocate: foreign pointer");
}

// Two frames with frame pointers (the tests are built without): the walk finds exactly both.
#if defined(__clang__) // clang builds (the ASan suite) keep frame pointers: -fno-omit-frame-pointer
#define WITH_FRAME_POINTER __attribute__((noinline))
#else
#define WITH_FRAME_POINTER __attribute__((noinline, optimize("no-omit-frame-pointer")))
#endif
static WITH_FRAME_POINTER void *allocate_in_helper(DebugAllocator *debug) {
    void *block = AllocatorAlloc(debug, 32, 0);
    __asm__ volatile("" ::: "memory"); // no tail call
    return block;
}
static WITH_FRAME_POINTER void allocate_many(DebugAllocator *debug, void **blocks, int n) {
    for (int i = 0; i < n; ++i) blocks[i] = allocate_in_helper(debug);
    __asm__ volatile("" ::: "memory");
}
Test(debug, one_call_site_stores_one_backtrace) {
    DebugAllocatorConfig config = config_with(sink_keep);
    config.backtrace_depth      = 2;
    DebugAllocator debug        = DebugAllocatorInitWith(config);
    void          *blocks[100];
    allocate_many(&debug, blocks, 100);
    cr_assert_eq(debug.stacks_len, 1, "100 allocations from one place: one stored trace");
    sink_reset();
    cr_assert_eq(DebugAllocatorReportLeaks(&debug), 100);
    cr_assert(strstr(sink_text, "leak: 3200 bytes in 100 blocks (one at 0x"), "%s", sink_text);
    cr_assert(strstr(sink_text, "#0 0x") && strstr(sink_text, " in allocate_in_helper "), "%s", sink_text);
    cr_assert(strstr(sink_text, "#1 0x") && strstr(sink_text, " in allocate_many "), "%s", sink_text);
    for (int i = 0; i < 100; ++i) AllocatorFree(&debug, blocks[i]);
    cr_assert_eq(debug.stacks_len, 2, "and one for the free");
    DebugAllocatorCheck(&debug);
    debug.config.report = sink_drop;
    DebugAllocatorDeinit(&debug);
}

// Called from the test body, so a full unwinder sees at least two frames of this file.
static __attribute__((noinline)) void *allocate_deeper(DebugAllocator *debug) {
    void *block = AllocatorAlloc(debug, 16, 0);
    __asm__ volatile("" ::: "memory"); // no tail call
    return block;
}
Test(debug_config, the_full_unwinder_sees_through_code_without_frame_pointers) {
    sink_reset();
    DebugAllocatorConfig config = config_with(sink_keep);
    config.unwinder             = DEBUG_UNWIND_FULL;
    DebugAllocator debug        = DebugAllocatorInitWith(config);
    void          *block        = allocate_deeper(&debug);
    cr_assert_eq(DebugAllocatorReportLeaks(&debug), 1);
    cr_assert(strstr(sink_text, "#0 0x") && strstr(sink_text, " in allocate_deeper "), "%s", sink_text);
    cr_assert(strstr(sink_text, "#1 0x"), "the test body is frame #1:\n%s", sink_text);
    AllocatorFree(&debug, block);
    DebugAllocatorDeinit(&debug);
}

// --- Sampled mode and the fault report --------------------------------------------------------

static void report_fault_and_exit(int signal, siginfo_t *info, void *context) {
    (void)signal;
    ucontext_t *uc = context;
    int8_t      is_write = (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
    int8_t      ours     = DebugAllocatorReportFault(&victim, info->si_addr, is_write,
                                                     (void *)uc->uc_mcontext.gregs[REG_RIP],
                                                     (void *)uc->uc_mcontext.gregs[REG_RBP]);
    _exit(ours ? 42 : 43);
}
static void catch_faults(void) {
    struct sigaction action = {0};
    action.sa_sigaction     = report_fault_and_exit;
    action.sa_flags         = SA_SIGINFO;
    sigaction(SIGSEGV, &action, NULL);
}

static void sampled_write_after_free(void) {
    DebugAllocatorConfig config = DebugAllocatorConfigDefault();
    config.sample_rate          = 1; // every block against a guard page
    victim                      = DebugAllocatorInitWith(config);
    victim_block                = AllocatorAlloc(&victim, 100, 0);
    fprintf(stderr, "block %p\n", (void *)victim_block);
    AllocatorFree(&victim, victim_block);
    catch_faults();
    victim_block[10] = 'x';
}
Test(debug_sample, a_write_after_free_faults_and_is_reported_with_three_backtraces) {
    int status = run_captured(sampled_write_after_free);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 42, "status %d:\n%s", status, captured);
    void *block = NULL;
    cr_assert_eq(sscanf(captured, "block %p", &block), 1);
    char expected[200];
    snprintf(expected, sizeof expected,
             "alloc: debug: ERROR: use after free (write) at %p: offset 10 in a block of 100 bytes "
             "at %p, freed\n",
             (void *)((char *)block + 10), block);
    cr_assert(strstr(captured, expected), "missing \"%s\" in:\n%s", expected, captured);
    char *access = strstr(captured, "alloc: debug: the access at:\n");
    char *freed  = strstr(captured, "alloc: debug: freed at:\n");
    char *alloc  = strstr(captured, "alloc: debug: allocated at:\n");
    cr_assert(access && freed && alloc && access < freed && freed < alloc, "%s", captured);
    cr_assert_eq(count_of(captured, " in sampled_write_after_free "), 3, "%s", captured);
}

static void *allocate_here(DebugAllocator *debug, size_t bytes) {
    return AllocatorAlloc(debug, bytes, 0);
}
static void overflow_of_a_first_block_from_its_stack(void) {
    DebugAllocatorConfig config = DebugAllocatorConfigDefault();
    config.sample_rate          = 1000000; // only the first block of each new stack
    victim                      = DebugAllocatorInitWith(config);
    char *first                 = allocate_here(&victim, 100); // new stack: guarded
    fprintf(stderr, "block %p\n", (void *)first);
    catch_faults();
    for (int i = 100; i < 4096; ++i) first[i] = 'x'; // past the canary into the guard page
}
Test(debug_sample, the_first_block_of_a_new_stack_ends_at_a_guard_page) {
    int status = run_captured(overflow_of_a_first_block_from_its_stack);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 42, "status %d:\n%s", status, captured);
    cr_assert(strstr(captured, "alloc: debug: ERROR: buffer overflow (write) at 0x"), "%s", captured);
    cr_assert(strstr(captured, ", past the end of a block of 100 bytes at 0x"), "%s", captured);
    cr_assert(strstr(captured, " in overflow_of_a_first_block_from_its_stack "), "%s", captured);
}

// Sampled mode with a one-block quarantine: `spare` is the mapping of the first block, evicted
// by the second free and kept PROT_NONE; the next sampled block of that size reuses it.
static char *sampled_spare_then_reuse(DebugAllocator *debug, char **spare,
                                      DebugAllocatorReportFn report) {
    DebugAllocatorConfig config = config_with(report);
    config.sample_rate          = 1;
    config.quarantine           = 1;
    *debug                      = DebugAllocatorInitWith(config);
    *spare                      = AllocatorAlloc(debug, 100, 0);
    AllocatorFree(debug, *spare);
    AllocatorFree(debug, AllocatorAlloc(debug, 100, 0)); // pushes *spare out of the quarantine
    return AllocatorAlloc(debug, 100, 1);
}

Test(debug_sample, a_mapping_that_left_the_quarantine_serves_the_next_sampled_block) {
    DebugAllocator debug;
    char          *spare;
    char          *again = sampled_spare_then_reuse(&debug, &spare, sink_drop);
    cr_assert_eq(again, spare, "same size, same geometry: the kept mapping");
    cr_assert_eq(debug.spare_count, 0);
    for (int i = 0; i < 100; ++i) cr_assert_eq(again[i], 0, "zeroed as asked");
    memset(again, 7, 100);
    cr_assert_eq(debug.guarded_count, 2, "this block and the one in quarantine");
    DebugAllocatorCheck(&debug);
    AllocatorFree(&debug, again);
    DebugAllocatorDeinit(&debug);
}

static void overflow_of_a_block_on_a_reused_mapping(void) {
    char *spare;
    char *again = sampled_spare_then_reuse(&victim, &spare, DebugAllocatorConfigDefault().report);
    fprintf(stderr, "reused %d\n", again == spare);
    catch_faults();
    for (int i = 100; i < 4096; ++i) again[i] = 'x'; // past the canary into the guard page
}
Test(debug_sample, a_reused_mapping_still_ends_at_a_guard_page) {
    int status = run_captured(overflow_of_a_block_on_a_reused_mapping);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 42, "status %d:\n%s", status, captured);
    cr_assert(strstr(captured, "reused 1\n"), "%s", captured);
    cr_assert(strstr(captured, ", past the end of a block of 100 bytes at 0x"), "%s", captured);
}

static void read_of_a_kept_mapping(void) {
    DebugAllocatorConfig config = config_with(sink_drop);
    config.sample_rate          = 1;
    config.quarantine           = 1;
    victim                      = DebugAllocatorInitWith(config);
    volatile char *gone         = AllocatorAlloc(&victim, 100, 0);
    AllocatorFree(&victim, (void *)gone);
    AllocatorFree(&victim, AllocatorAlloc(&victim, 100, 0)); // `gone` leaves the quarantine
    fprintf(stderr, "kept %u\n", victim.spare_count);
    catch_faults();
    _exit(gone[10] == 0x7f ? 2 : 3); // no record any more, but still no access
}
Test(debug_sample, a_block_that_left_the_quarantine_still_faults_while_its_mapping_is_kept) {
    int status = run_captured(read_of_a_kept_mapping);
    cr_assert(strstr(captured, "kept 1\n"), "%s", captured);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 43, "faults, not ours: status %d:\n%s",
              status, captured);
}

Test(debug_sample, later_blocks_of_a_known_stack_come_from_the_heap) {
    DebugAllocatorConfig config = config_with(sink_drop);
    config.sample_rate          = 1000000;
    config.backtrace_depth      = 2; // the two frames with frame pointers: one stack
    DebugAllocator debug        = DebugAllocatorInitWith(config);
    void          *blocks[8];
    allocate_many(&debug, blocks, 8);
    cr_assert_eq(debug.stacks_len, 1);
    cr_assert_eq(debug.guarded_count, 1, "one new stack: one guarded block");
    for (int i = 0; i < 8; ++i) AllocatorFree(&debug, blocks[i]);
    DebugAllocatorCheck(&debug);
    DebugAllocatorDeinit(&debug);
}
