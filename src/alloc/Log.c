// SPDX-License-Identifier: MIT
// The library's one fatal path: AllocFatal formats the diagnostic into a stack buffer (it must
// not allocate: the allocator that failed may be the one malloc uses), hands it to the installed
// handler or writes it to stderr with a backtrace, then aborts.
#include "alloc/Log.h"
#include "alloc/Types.h" // size (opt-in short names)
#include "internal.h"      // alloc_assert_failed

#include <stdlib.h> // abort
#include <string.h> // strlen
#include <unistd.h> // write
#if defined(__GLIBC__)
#include <execinfo.h> // backtrace, backtrace_symbols_fd
#endif

// The only global state of the library: who hears about fatal errors.
static AllocFatalHandler fatal_handler;
static void             *fatal_context;

AllocFatalHandler AllocSetFatalHandler(AllocFatalHandler handler, void *context) {
    AllocFatalHandler previous = fatal_handler;
    fatal_handler              = handler;
    fatal_context              = context;
    return previous;
}

static size append(char *buf, size at, size cap, const char *text) {
    while (*text && at + 1 < cap) buf[at++] = *text++;
    buf[at] = '\0';
    return at;
}

static size append_pointer(char *buf, size at, size cap, const void *pointer) {
    if (!pointer) return append(buf, at, cap, "(nil)");
    char      hex[2 + 2 * sizeof(uintptr_t) + 1];
    uintptr_t value = (uintptr_t)pointer;
    int       n     = 0;
    char      digits[2 * sizeof(uintptr_t)];
    while (value) {
        digits[n++] = "0123456789abcdef"[value & 15];
        value >>= 4;
    }
    size h = 0;
    hex[h++] = '0';
    hex[h++] = 'x';
    while (n) hex[h++] = digits[--n];
    hex[h] = '\0';
    return append(buf, at, cap, hex);
}

static void write_all(const char *text, size len) {
    while (len) {
        ssize_t written = write(2, text, len);
        if (written <= 0) return;
        text += written;
        len -= (size)written;
    }
}

static void print_backtrace(void) {
#if defined(__GLIBC__)
    void *frames[32];
    int   depth = backtrace(frames, 32);
    write_all("backtrace:\n", 11);
    backtrace_symbols_fd(frames, depth, 2);
#endif
}

_Noreturn void AllocFatal(const char *function, const char *reason, const void *pointer) {
    char line[512];
    size at = append(line, 0, sizeof line, "alloc: fatal: ");
    at      = append(line, at, sizeof line, function ? function : "?");
    at      = append(line, at, sizeof line, ": ");
    at      = append(line, at, sizeof line, reason ? reason : "?");
    at      = append(line, at, sizeof line, " ");
    at      = append_pointer(line, at, sizeof line, pointer);
    if (fatal_handler) {
        fatal_handler(line, fatal_context);
    } else {
        at = append(line, at, sizeof line, "\n");
        write_all(line, at);
        print_backtrace();
    }
    abort();
}

// ALLOC_ASSERT's failure (internal.h): the reason names the condition and where it is written.
void alloc_assert_failed(const char *cond, const char *file, int line, const char *function) {
    char digits[12];
    int  n = 0;
    for (unsigned v = line > 0 ? (unsigned)line : 0u; n == 0 || v; v /= 10)
        digits[n++] = (char)('0' + v % 10);
    char number[12];
    for (int i = 0; i < n; ++i) number[i] = digits[n - 1 - i];
    number[n] = '\0';
    char reason[256];
    size at = append(reason, 0, sizeof reason, "internal assertion failed: ");
    at      = append(reason, at, sizeof reason, cond);
    at      = append(reason, at, sizeof reason, " (");
    at      = append(reason, at, sizeof reason, file);
    at      = append(reason, at, sizeof reason, ":");
    at      = append(reason, at, sizeof reason, number);
    append(reason, at, sizeof reason, ")");
    AllocFatal(function, reason, NULL);
}
