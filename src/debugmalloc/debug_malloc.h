// SPDX-License-Identifier: MIT
// Private interface of liballoc-debug.so: its one state (the DebugAllocator behind malloc, its
// lock and its options), the option parser (options.c), the report sink and the leak check
// (leaks.c). Everything else stays static in debug_malloc.c.
#ifndef ALLOC_DEBUG_MALLOC_H
#define ALLOC_DEBUG_MALLOC_H

#include "debug_internal.h"

#include <pthread.h> // pthread_mutex_t

// What ALLOC_DEBUG_OPTIONS sets (see options.c for the names and docs/guides/finding-heap-bugs.md).
typedef struct DebugMallocOptions {
    DebugAllocatorConfig config;         // the allocator's settings
    int                  leaks;          // report unreachable live blocks at exit
    int                  leak_exit_code; // exit status after a leak report; 0 keeps the program's
    int                  report_fd;      // where reports go: 2 or the log= file
} DebugMallocOptions;

typedef struct DebugMallocState {
    pthread_mutex_t    lock;  // serialises every call into `debug`
    int                ready; // set once setup() ran
    DebugAllocator     debug;
    DebugMallocOptions options;
} DebugMallocState;

extern DebugMallocState debug_malloc;

// Parse ALLOC_DEBUG_OPTIONS (NULL: the defaults) into `options`; a bad item is reported on stderr and
// ignored. Opens the log file. Calls no malloc.
void debug_malloc_read_options(DebugMallocOptions *options, const char *text);
// The unused tail [used_end, end) of the bootstrap buffer (nothing in it can be a root).
void debug_malloc_boot_span(uintptr_t *used_end, uintptr_t *end);
// Write one line and a newline to the report file.
void debug_malloc_report_line(const char *line);
// At exit, under the lock: mark every live block a root (module data, anonymous mappings other
// than the main stack) reaches, directly or through other blocks, and report the rest grouped by
// allocation stack. Returns the blocks reported.
u32 debug_malloc_report_leaks(void);

#endif // ALLOC_DEBUG_MALLOC_H
