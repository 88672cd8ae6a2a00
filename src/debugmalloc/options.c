// SPDX-License-Identifier: MIT
// ALLOC_DEBUG_OPTIONS, the one environment variable of liballoc-debug.so: comma- or colon-separated
// name=value items, sizes with an optional K, M or G suffix:
//   quarantine=16M         bytes of freed blocks held back (FIFO)      quarantine_blocks=65536
//   sample=1000            one block in N against a guard page (0: off) sample_first=8
//   leaks=1                report unreachable blocks at exit           leak_exitcode=23
//   log=PATH               reports to PATH (appended) instead of stderr
//   depth=8  unwind=fp|full  symbolize=1  canary=16  page=0
// Parsed once, at the first allocation, without calling malloc.
#include "debug_malloc.h"

#include <fcntl.h>  // open: the log file
#include <unistd.h> // write

enum { DEFAULT_LEAK_EXIT_CODE = 23 };

void debug_malloc_report_line(const char *line) {
    int  fd  = debug_malloc.options.report_fd;
    size len = strlen(line);
    char text[512];
    if (len > sizeof text - 1) len = sizeof text - 1;
    memcpy(text, line, len);
    text[len] = '\n';
    for (size at = 0; at <= len;) {
        ssize_t wrote = write(fd, text + at, len + 1 - at);
        if (wrote <= 0) return;
        at += (size)wrote;
    }
}

static void report_to_file(const char *line, void *context) {
    (void)context;
    debug_malloc_report_line(line);
}

// The fatal line goes to the report file too; AllocFatal aborts afterwards.
static void fatal_to_file(const char *line, void *context) {
    (void)context;
    debug_malloc_report_line(line);
}

// "123", "64K", "16M", "1G"; false when it is not a number.
static bool parse_size(const char *text, size len, u64 *out) {
    u64  value = 0;
    size at    = 0;
    for (; at < len && text[at] >= '0' && text[at] <= '9'; ++at) value = value * 10 + (u64)(text[at] - '0');
    if (at == 0) return false;
    if (at + 1 == len) {
        char unit = text[at];
        int  shift = unit == 'K' || unit == 'k' ? 10 : unit == 'M' || unit == 'm' ? 20
                   : unit == 'G' || unit == 'g' ? 30 : -1;
        if (shift < 0) return false;
        value <<= shift;
        at += 1;
    }
    *out = value;
    return at == len;
}

static void complain(const char *item, size len, const char *why) {
    char line[300];
    size at = 0;
    const char *head = "alloc: debug: ALLOC_DEBUG_OPTIONS: ignored \"";
    for (const char *p = head; *p && at < 200; ++p) line[at++] = *p;
    for (size i = 0; i < len && at < 250; ++i) line[at++] = item[i];
    line[at++] = '"';
    line[at++] = ':';
    line[at++] = ' ';
    for (const char *p = why; *p && at < sizeof line - 2; ++p) line[at++] = *p;
    line[at++] = '\n';
    if (write(2, line, at) < 0) return;
}

static bool name_is(const char *item, size len, const char *name) {
    size n = strlen(name);
    return len == n && memcmp(item, name, n) == 0;
}

static void open_log(DebugMallocOptions *options, const char *path, size len) {
    char file[512];
    if (len == 0 || len >= sizeof file) return;
    memcpy(file, path, len);
    file[len] = '\0';
    if (strcmp(file, "stderr") == 0) return;
    int fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) options->report_fd = fd;
    else complain(path, len, "cannot open the log file");
}

// One "name=value" item.
static void read_item(DebugMallocOptions *options, const char *item, size len) {
    const char *eq = memchr(item, '=', len);
    if (!eq) {
        complain(item, len, "expected name=value");
        return;
    }
    size        name_len  = (size)(eq - item);
    const char *value     = eq + 1;
    size        value_len = len - name_len - 1;
    if (name_is(item, name_len, "log")) {
        open_log(options, value, value_len);
        return;
    }
    if (name_is(item, name_len, "unwind")) {
        if (value_len == 2 && memcmp(value, "fp", 2) == 0) options->config.unwinder = DEBUG_UNWIND_FRAME_POINTERS;
        else if (value_len == 4 && memcmp(value, "full", 4) == 0) options->config.unwinder = DEBUG_UNWIND_FULL;
        else complain(item, len, "unwind is fp or full");
        return;
    }
    u64 number;
    if (!parse_size(value, value_len, &number)) {
        complain(item, len, "not a number");
        return;
    }
    DebugAllocatorConfig *config = &options->config;
    u32                   small  = number > 0xFFFFFFFFu ? 0xFFFFFFFFu : (u32)number;
    if (name_is(item, name_len, "quarantine")) config->quarantine_bytes = (size)number;
    else if (name_is(item, name_len, "quarantine_blocks")) config->quarantine = small;
    else if (name_is(item, name_len, "sample")) config->sample_rate = small;
    else if (name_is(item, name_len, "sample_first")) config->sample_first = small;
    else if (name_is(item, name_len, "depth")) config->backtrace_depth = small;
    else if (name_is(item, name_len, "symbolize")) config->symbolize = number != 0;
    else if (name_is(item, name_len, "canary")) config->canary_bytes = (size)number;
    else if (name_is(item, name_len, "page")) config->page_mode = number != 0;
    else if (name_is(item, name_len, "leaks")) options->leaks = number != 0;
    else if (name_is(item, name_len, "leak_exitcode")) options->leak_exit_code = (int)(number & 0xFF);
    else complain(item, len, "unknown name");
}

void debug_malloc_read_options(DebugMallocOptions *options, const char *text) {
    DebugAllocatorConfig config   = DebugAllocatorConfigDefault();
    config.quarantine_bytes       = (size)16 << 20;
    config.quarantine             = 65536;
    config.sample_rate            = 1000;
    config.sample_first           = 8; // the first 8 blocks of each allocation stack
    config.check_thread           = 0; // every thread, under the lock
    config.report_leaks_at_deinit = 0;
    config.report                 = report_to_file;
    // A private copy of stderr: programs close fd 2 at exit (coreutils' close_stdout) before
    // the leak report.
    int err  = fcntl(2, F_DUPFD_CLOEXEC, 100);
    *options = (DebugMallocOptions){.config = config, .leaks = 1,
                                    .leak_exit_code = DEFAULT_LEAK_EXIT_CODE,
                                    .report_fd      = err >= 0 ? err : 2};
    for (const char *at = text; at && *at;) {
        const char *end = at;
        while (*end && *end != ',' && *end != ':') end += 1;
        if (end > at) read_item(options, at, (size)(end - at));
        at = *end ? end + 1 : end;
    }
    AllocSetFatalHandler(fatal_to_file, NULL);
}
