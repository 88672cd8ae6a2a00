// SPDX-License-Identifier: MIT
// liballoc-debug.so: the C library's malloc family and C++'s operator new/delete on one
// DebugAllocator, for LD_PRELOAD on programs nobody recompiled. One mutex serialises the
// allocator (thread-safe); fork handlers keep it consistent in the child (fork-safe). A call
// that re-enters on the same thread (the loader, pthread_getattr_np, libunwind, addr2line's
// fork) is served from a static bootstrap buffer that free ignores. Configured by ALLOC_DEBUG_OPTIONS
// (options.c); reports go to stderr or the `log=` file; guard-page faults are explained by a
// SIGSEGV/SIGBUS handler; at exit the live blocks no root reaches are reported as leaks
// (leaks.c), grouped by allocation stack. Compiled with frame pointers, so frame #0 of every
// trace is the program's call site.
#include "debug_malloc.h"

#include <errno.h>    // ENOMEM, EINVAL
#include <signal.h>   // sigaction: the guard-page fault handler
#include <stdio.h>    // fflush: the program's output before a leak exit
#include <stdlib.h>   // getenv
#include <ucontext.h> // REG_RIP, REG_RBP, REG_ERR: the faulting access
#include <unistd.h>   // _exit, write

// The symbols this file defines (glibc declares them in <stdlib.h> and <malloc.h>).
void  *malloc(size_t bytes);
void   free(void *ptr);
void  *calloc(size_t count, size_t bytes);
void  *realloc(void *ptr, size_t bytes);
void  *reallocarray(void *ptr, size_t count, size_t bytes);
int    posix_memalign(void **out, size_t alignment, size_t bytes);
void  *aligned_alloc(size_t alignment, size_t bytes);
void  *memalign(size_t alignment, size_t bytes);
void  *valloc(size_t bytes);
void  *pvalloc(size_t bytes);
size_t malloc_usable_size(void *ptr);

DebugMallocState debug_malloc = {.lock = PTHREAD_MUTEX_INITIALIZER};

// Per thread: re-entrancy depth, and the thread's stack top for the frame walk.
#define THREAD_LOCAL static _Thread_local __attribute__((tls_model("initial-exec")))
THREAD_LOCAL int       depth;
THREAD_LOCAL uintptr_t stack_top;
THREAD_LOCAL int       holding; // this thread holds the lock (fork handlers read it)

// --- Bootstrap buffer ---------------------------------------------------------------------------

enum { BOOT_BYTES = 4 << 20 };
static _Alignas(64) u8 boot[BOOT_BYTES];
static size            boot_used; // guarded by the lock or by `depth` (one thread at a time)

static bool from_boot(const void *ptr) {
    return (const u8 *)ptr >= boot && (const u8 *)ptr < boot + BOOT_BYTES;
}

// A bump block with its size in the 16 bytes before it; never freed.
static void *boot_alloc(size bytes, size alignment) {
    if (alignment < 16) alignment = 16;
    size start = alloc_align_up(boot_used + 16, alignment);
    if (bytes > BOOT_BYTES || start > BOOT_BYTES - bytes) return NULL;
    boot_used = start + bytes;
    memcpy(boot + start - 16, &bytes, sizeof bytes);
    return boot + start;
}

void debug_malloc_boot_span(uintptr_t *used_end, uintptr_t *end) {
    *used_end = (uintptr_t)(boot + boot_used + 15) & ~(uintptr_t)15;
    *end      = (uintptr_t)(boot + BOOT_BYTES);
}

static size boot_size(const void *ptr) {
    size bytes;
    memcpy(&bytes, (const u8 *)ptr - 16, sizeof bytes);
    return bytes;
}

// --- Locking, setup, fork -----------------------------------------------------------------------

static void fork_prepare(void) {
    if (!holding) pthread_mutex_lock(&debug_malloc.lock);
}
static void fork_parent(void) {
    if (!holding) pthread_mutex_unlock(&debug_malloc.lock);
}
static void fork_child(void) {
    pthread_mutex_init(&debug_malloc.lock, NULL);
    if (holding) pthread_mutex_lock(&debug_malloc.lock); // the child's thread goes on holding it
}

static void install_fault_handler(void);

// First call in the process (under the lock, depth 1): options, allocator, handlers.
static void setup(void) {
    debug_malloc_read_options(&debug_malloc.options, getenv("ALLOC_DEBUG_OPTIONS"));
    debug_malloc.debug = DebugAllocatorInitWith(debug_malloc.options.config);
    DebugAllocatorLeakCount(&debug_malloc.debug); // its first use: config clamped, page size read
    pthread_atfork(fork_prepare, fork_parent, fork_child);
    install_fault_handler();
    debug_malloc.ready = 1;
}

// Enter the allocator: false when this call re-entered and must use the bootstrap buffer.
static bool lock(void) {
    if (depth) return false;
    depth = 1;
    pthread_mutex_lock(&debug_malloc.lock);
    holding = 1;
    if (!__atomic_load_n(&debug_malloc.ready, __ATOMIC_ACQUIRE)) setup();
    if (!stack_top) stack_top = debug_thread_stack_top((uintptr_t)__builtin_frame_address(0));
    return true;
}

static void unlock(void) {
    holding = 0;
    pthread_mutex_unlock(&debug_malloc.lock);
    depth = 0;
}

// The trace of the call into the entry point that expands this: frame #0 is the program.
#define CAPTURE(trace)                                                                             \
    debug_capture(&debug_malloc.debug, (trace), __builtin_return_address(0),                      \
                  (void *const *)__builtin_frame_address(0), stack_top)

// --- The entry points ---------------------------------------------------------------------------

static void *allocate(size bytes, i8 zeroed, size alignment, u8 kind, const char *function,
                      const DebugTrace *trace) {
    void *ptr = debug_allocate_with(&debug_malloc.debug, bytes ? bytes : 1, zeroed, alignment, kind,
                                    trace, function);
    if (!ptr) errno = ENOMEM;
    return ptr;
}

__attribute__((noinline)) void *malloc(size_t bytes) {
    if (!lock()) return boot_alloc(bytes, 16);
    DebugTrace trace;
    CAPTURE(&trace);
    void *ptr = allocate(bytes, 0, 16, DEBUG_KIND_PLAIN, "malloc", &trace);
    unlock();
    return ptr;
}

__attribute__((noinline)) void free(void *ptr) {
    if (!ptr || from_boot(ptr)) return;
    if (!lock()) return; // a nested free of a real block: kept (a leak is safer than a race)
    debug_index_prefetch(&debug_malloc.debug, ptr); // loads while the trace is taken
    DebugTrace trace;
    CAPTURE(&trace);
    debug_deallocate_with(&debug_malloc.debug, ptr, DEBUG_KIND_PLAIN, 0, &trace, "free");
    unlock();
}

__attribute__((noinline)) void *calloc(size_t count, size_t bytes) {
    size total;
    if (__builtin_mul_overflow(count, bytes, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    if (!lock()) {
        void *ptr = boot_alloc(total, 16); // the buffer is static: zero where never used
        if (ptr) memset(ptr, 0, total);
        return ptr;
    }
    DebugTrace trace;
    CAPTURE(&trace);
    void *ptr = allocate(total, 1, 16, DEBUG_KIND_PLAIN, "calloc", &trace);
    unlock();
    return ptr;
}

// realloc always moves (a stale pointer to the old block is then a use after free); size 0 frees.
static void *reallocate(void *ptr, size bytes, const DebugTrace *trace) {
    if (!ptr) return allocate(bytes, 0, 16, DEBUG_KIND_PLAIN, "realloc", trace);
    if (from_boot(ptr)) {
        void *moved = allocate(bytes, 0, 16, DEBUG_KIND_PLAIN, "realloc", trace);
        size  old   = boot_size(ptr);
        if (moved) memcpy(moved, ptr, old < bytes ? old : bytes);
        return moved;
    }
    void *moved = debug_reallocate_with(&debug_malloc.debug, ptr, bytes, trace, "realloc");
    if (!moved && bytes) errno = ENOMEM;
    return moved;
}

__attribute__((noinline)) void *realloc(void *ptr, size_t bytes) {
    if (!lock()) {
        void *moved = boot_alloc(bytes, 16);
        if (moved && ptr) {
            size old = from_boot(ptr) ? boot_size(ptr) : bytes; // nested realloc of a real block:
            memcpy(moved, ptr, old < bytes ? old : bytes);      // rare, and only from the loader
        }
        return moved;
    }
    if (ptr) debug_index_prefetch(&debug_malloc.debug, ptr);
    DebugTrace trace;
    CAPTURE(&trace);
    void *moved = reallocate(ptr, bytes, &trace);
    unlock();
    return moved;
}

__attribute__((noinline)) void *reallocarray(void *ptr, size_t count, size_t bytes) {
    size total;
    if (__builtin_mul_overflow(count, bytes, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    if (!lock()) return NULL;
    DebugTrace trace;
    CAPTURE(&trace);
    void *moved = reallocate(ptr, total, &trace);
    unlock();
    return moved;
}

static bool power_of_two(size x) { return x && !(x & (x - 1)); }

// Every aligned entry point: NULL and EINVAL for a bad alignment.
static void *aligned(size alignment, size bytes, u8 kind, const char *function,
                     const DebugTrace *trace) {
    if (!power_of_two(alignment)) {
        errno = EINVAL;
        return NULL;
    }
    return allocate(bytes, 0, alignment < 16 ? 16 : alignment, kind, function, trace);
}

#define ALIGNED_ENTRY(call)                                                                        \
    if (!lock()) return boot_alloc(bytes, alignment);                                             \
    DebugTrace trace;                                                                              \
    CAPTURE(&trace);                                                                               \
    void *ptr = call;                                                                              \
    unlock();                                                                                      \
    return ptr

__attribute__((noinline)) int posix_memalign(void **out, size_t alignment, size_t bytes) {
    if (!power_of_two(alignment) || alignment % sizeof(void *)) return EINVAL;
    if (!lock()) {
        *out = boot_alloc(bytes, alignment);
        return *out ? 0 : ENOMEM;
    }
    DebugTrace trace;
    CAPTURE(&trace);
    void *ptr = allocate(bytes, 0, alignment < 16 ? 16 : alignment, DEBUG_KIND_PLAIN,
                         "posix_memalign", &trace);
    unlock();
    if (!ptr) return ENOMEM;
    *out = ptr;
    return 0;
}

__attribute__((noinline)) void *aligned_alloc(size_t alignment, size_t bytes) {
    ALIGNED_ENTRY(aligned(alignment, bytes, DEBUG_KIND_PLAIN, "aligned_alloc", &trace));
}

__attribute__((noinline)) void *memalign(size_t alignment, size_t bytes) {
    ALIGNED_ENTRY(aligned(alignment, bytes, DEBUG_KIND_PLAIN, "memalign", &trace));
}

__attribute__((noinline)) void *valloc(size_t bytes) {
    size alignment = alloc_os_page_size();
    ALIGNED_ENTRY(aligned(alignment, bytes, DEBUG_KIND_PLAIN, "valloc", &trace));
}

__attribute__((noinline)) void *pvalloc(size_t bytes) {
    size alignment = alloc_os_page_size();
    bytes          = alloc_align_up(bytes ? bytes : 1, alignment);
    ALIGNED_ENTRY(aligned(alignment, bytes, DEBUG_KIND_PLAIN, "pvalloc", &trace));
}

__attribute__((noinline)) size_t malloc_usable_size(void *ptr) {
    if (!ptr) return 0;
    if (from_boot(ptr)) return boot_size(ptr);
    if (!lock()) return 0;
    size bytes = debug_block_size(&debug_malloc.debug, ptr, "malloc_usable_size");
    unlock();
    return bytes;
}

// --- C++ ----------------------------------------------------------------------------------------

// operator new cannot throw std::bad_alloc from C: out of memory ends the program instead.
static void *must(void *ptr, const char *function) {
    if (!ptr) AllocFatal(function, "out of memory", NULL);
    return ptr;
}

#define NEW_ENTRY(name, kind, alignment, nothrow)                                                  \
    __attribute__((noinline)) void *name(size_t bytes ALIGN_PARAM_##alignment NOTHROW_PARAM_##nothrow) { \
        UNUSED_TAG_##nothrow if (!lock()) return boot_alloc(bytes, ALIGN_VALUE_##alignment);     \
        DebugTrace trace;                                                                          \
        CAPTURE(&trace);                                                                           \
        void *ptr = aligned(ALIGN_VALUE_##alignment, bytes, kind, "operator new", &trace);        \
        unlock();                                                                                  \
        return nothrow ? ptr : must(ptr, "operator new");                                         \
    }
#define ALIGN_PARAM_0
#define ALIGN_PARAM_1   , size_t alignment
#define ALIGN_VALUE_0   16
#define ALIGN_VALUE_1   alignment
#define NOTHROW_PARAM_0
#define NOTHROW_PARAM_1 , const void *nothrow_tag

#define DELETE_ENTRY(name, kind, sized, alignment, nothrow)                                        \
    __attribute__((noinline)) void name(void *ptr SIZE_PARAM_##sized ALIGN_PARAM_##alignment     \
                                            NOTHROW_PARAM_##nothrow) {                              \
        UNUSED_SIZE_##sized UNUSED_TAG_##nothrow if (!ptr || from_boot(ptr)) return;             \
        if (!lock()) return;                                                                       \
        debug_index_prefetch(&debug_malloc.debug, ptr);                                            \
        DebugTrace trace;                                                                          \
        CAPTURE(&trace);                                                                           \
        debug_deallocate_with(&debug_malloc.debug, ptr, kind, ALIGN_CHECK_##alignment, &trace,    \
                              "operator delete");                                                 \
        unlock();                                                                                  \
    }
#define SIZE_PARAM_0
#define SIZE_PARAM_1  , size_t bytes
#define UNUSED_SIZE_0
#define UNUSED_SIZE_1 (void)bytes;
#define UNUSED_TAG_0
#define UNUSED_TAG_1  (void)nothrow_tag;
#define ALIGN_CHECK_0 0
#define ALIGN_CHECK_1 alignment

// The declarations -Wmissing-prototypes wants (C++ declares them in <new>).
void *_Znwm(size_t);
void *_Znam(size_t);
void *_ZnwmRKSt9nothrow_t(size_t, const void *);
void *_ZnamRKSt9nothrow_t(size_t, const void *);
void *_ZnwmSt11align_val_t(size_t, size_t);
void *_ZnamSt11align_val_t(size_t, size_t);
void *_ZnwmSt11align_val_tRKSt9nothrow_t(size_t, size_t, const void *);
void *_ZnamSt11align_val_tRKSt9nothrow_t(size_t, size_t, const void *);
void  _ZdlPv(void *);
void  _ZdaPv(void *);
void  _ZdlPvm(void *, size_t);
void  _ZdaPvm(void *, size_t);
void  _ZdlPvRKSt9nothrow_t(void *, const void *);
void  _ZdaPvRKSt9nothrow_t(void *, const void *);
void  _ZdlPvSt11align_val_t(void *, size_t);
void  _ZdaPvSt11align_val_t(void *, size_t);
void  _ZdlPvmSt11align_val_t(void *, size_t, size_t);
void  _ZdaPvmSt11align_val_t(void *, size_t, size_t);
void  _ZdlPvSt11align_val_tRKSt9nothrow_t(void *, size_t, const void *);
void  _ZdaPvSt11align_val_tRKSt9nothrow_t(void *, size_t, const void *);

NEW_ENTRY(_Znwm, DEBUG_KIND_NEW, 0, 0)
NEW_ENTRY(_Znam, DEBUG_KIND_NEW_ARRAY, 0, 0)
NEW_ENTRY(_ZnwmRKSt9nothrow_t, DEBUG_KIND_NEW, 0, 1)
NEW_ENTRY(_ZnamRKSt9nothrow_t, DEBUG_KIND_NEW_ARRAY, 0, 1)
NEW_ENTRY(_ZnwmSt11align_val_t, DEBUG_KIND_NEW_ALIGNED, 1, 0)
NEW_ENTRY(_ZnamSt11align_val_t, DEBUG_KIND_ARRAY_ALIGNED, 1, 0)
NEW_ENTRY(_ZnwmSt11align_val_tRKSt9nothrow_t, DEBUG_KIND_NEW_ALIGNED, 1, 1)
NEW_ENTRY(_ZnamSt11align_val_tRKSt9nothrow_t, DEBUG_KIND_ARRAY_ALIGNED, 1, 1)
DELETE_ENTRY(_ZdlPv, DEBUG_KIND_NEW, 0, 0, 0)
DELETE_ENTRY(_ZdaPv, DEBUG_KIND_NEW_ARRAY, 0, 0, 0)
DELETE_ENTRY(_ZdlPvm, DEBUG_KIND_NEW, 1, 0, 0)
DELETE_ENTRY(_ZdaPvm, DEBUG_KIND_NEW_ARRAY, 1, 0, 0)
DELETE_ENTRY(_ZdlPvRKSt9nothrow_t, DEBUG_KIND_NEW, 0, 0, 1)
DELETE_ENTRY(_ZdaPvRKSt9nothrow_t, DEBUG_KIND_NEW_ARRAY, 0, 0, 1)
DELETE_ENTRY(_ZdlPvSt11align_val_t, DEBUG_KIND_NEW_ALIGNED, 0, 1, 0)
DELETE_ENTRY(_ZdaPvSt11align_val_t, DEBUG_KIND_ARRAY_ALIGNED, 0, 1, 0)
DELETE_ENTRY(_ZdlPvmSt11align_val_t, DEBUG_KIND_NEW_ALIGNED, 1, 1, 0)
DELETE_ENTRY(_ZdaPvmSt11align_val_t, DEBUG_KIND_ARRAY_ALIGNED, 1, 1, 0)
DELETE_ENTRY(_ZdlPvSt11align_val_tRKSt9nothrow_t, DEBUG_KIND_NEW_ALIGNED, 0, 1, 1)
DELETE_ENTRY(_ZdaPvSt11align_val_tRKSt9nothrow_t, DEBUG_KIND_ARRAY_ALIGNED, 0, 1, 1)

// --- Guard-page faults --------------------------------------------------------------------------

static struct sigaction previous_segv, previous_bus;

static void on_fault(int signal, siginfo_t *info, void *context) {
    ucontext_t *uc     = context;
    int8_t      write_ = 0;
    const void *pc = NULL, *frame = NULL;
#if defined(__x86_64__)
    write_ = (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
    pc     = (const void *)uc->uc_mcontext.gregs[REG_RIP];
    frame  = (const void *)uc->uc_mcontext.gregs[REG_RBP];
#else
    (void)uc;
#endif
    // The faulting thread is in the program, not in the allocator (holding is 0), unless the
    // allocator itself faulted: then the fault is not a guarded page's and is left alone.
    bool inside = holding;
    int  locked = !inside && pthread_mutex_trylock(&debug_malloc.lock) == 0;
    if (locked) holding = 1; // the report forks addr2line: the fork handlers must not lock again
    depth += 1;              // and whatever it allocates comes from the bootstrap buffer
    bool ours = debug_malloc.ready && !inside &&
                DebugAllocatorReportFault(&debug_malloc.debug, info->si_addr, write_, pc, frame);
    depth -= 1;
    if (locked) {
        holding = 0;
        pthread_mutex_unlock(&debug_malloc.lock);
    }
    // Returning re-runs the access: ours ends the program by the default action (SIGSEGV);
    // another fault goes to the action in place before ours.
    struct sigaction fall = {.sa_handler = SIG_DFL};
    if (ours) debug_malloc_report_line("alloc: fatal: segmentation fault on a guarded page");
    sigaction(signal, ours ? &fall : signal == SIGBUS ? &previous_bus : &previous_segv, NULL);
}

static void install_fault_handler(void) {
    DebugAllocatorConfig *config = &debug_malloc.options.config;
    if (!config->page_mode && !config->sample_rate) return;
    struct sigaction action = {.sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_NODEFER};
    sigemptyset(&action.sa_mask);
    sigaction(SIGSEGV, &action, &previous_segv);
    sigaction(SIGBUS, &action, &previous_bus);
}

// --- Process end ----------------------------------------------------------------------------------

// At exit: every live block's canaries and every quarantined block's fill, then the leaks.
__attribute__((destructor)) static void at_exit(void) {
    if (!debug_malloc.ready || !lock()) return;
    debug_check_blocks(&debug_malloc.debug, "exit");
    u32 leaked = debug_malloc.options.leaks ? debug_malloc_report_leaks() : 0;
    unlock();
    if (leaked && debug_malloc.options.leak_exit_code) {
        fflush(NULL); // the program's buffered output, which _exit would drop
        _exit(debug_malloc.options.leak_exit_code);
    }
}
