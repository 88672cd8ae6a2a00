// SPDX-License-Identifier: MIT
// Find a memory leak with a DebugAllocator: run the code under test against a debug allocator,
// ask it how many blocks are still live, and read its report (size and allocation backtrace of
// each leaked block). The report goes to a sink of our own instead of stderr, so the program can
// count and summarise it; a real test would simply fail when DebugAllocatorReportLeaks != 0.
//
// Usage: leak_hunt            (prints what it finds; exits 0 when the leak was found)
#include "alloc/Debug.h"

#include <stdio.h>  // printf
#include <string.h> // strncmp, strlen, memcpy

// --- The code under test: a tiny settings parser with a leak on one path -------------------

typedef struct Setting {
    char *key;   // both strings come from the caller's allocator
    char *value;
} Setting;

static char *copy_text(Allocator *a, const char *text, size_t len) {
    char *copy = AllocatorAlloc(a, len + 1, 0);
    if (copy) {
        memcpy(copy, text, len);
        copy[len] = '\0';
    }
    return copy;
}

// Parse "key=value"; returns 1 and fills `out`, or 0 when there is no '='.
static int parse_setting(Allocator *a, const char *line, Setting *out) {
    const char *eq = strchr(line, '=');
    char       *key = copy_text(a, line, eq ? (size_t)(eq - line) : strlen(line));
    if (!key) return 0;
    if (!eq) return 0; // BUG: `key` leaks on this path
    out->key   = key;
    out->value = copy_text(a, eq + 1, strlen(eq + 1));
    return 1;
}

static void free_setting(Allocator *a, Setting *s) {
    AllocatorFree(a, s->key);
    AllocatorFree(a, s->value);
}

// --- The hunt ------------------------------------------------------------------------------

typedef struct Findings {
    int  leak_lines;   // "alloc: debug: leak: ..." lines, one per leaked block
    int  frame_lines;  // backtrace frames that followed them
    char summary[128]; // the last line: "alloc: debug: N leaked blocks, M bytes"
} Findings;

// Report sink: called once per line of the allocator's report.
static void collect(const char *line, void *context) {
    Findings  *f      = context;
    const char prefix[] = "alloc: debug: ";
    if (strncmp(line, "alloc: debug: leak:", 19) == 0) {
        f->leak_lines++;
    } else if (strncmp(line, "alloc: debug:     #", 19) == 0) {
        f->frame_lines++;
    } else if (strncmp(line, prefix, sizeof prefix - 1) == 0) {
        size_t n = strlen(line);
        if (n >= sizeof f->summary) n = sizeof f->summary - 1;
        memcpy(f->summary, line, n);
        f->summary[n] = '\0';
    }
}

int main(void) {
    Findings             findings = {0};
    DebugAllocatorConfig config   = DebugAllocatorConfigDefault();
    config.report                 = collect;
    config.report_context         = &findings;
    config.report_leaks_at_deinit = 0; // we report ourselves, below
    DebugAllocator debug          = DebugAllocatorInitWith(config);
    Allocator     *a              = ALLOCATOR_OF(&debug);

    const char *lines[] = {"name=alloc", "verbose", "level=3"};
    int         parsed  = 0;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        Setting s;
        if (!parse_setting(a, lines[i], &s)) continue;
        parsed++;
        free_setting(a, &s);
    }
    printf("parsed %d of 3 settings\n", parsed);

    uint32_t live = DebugAllocatorLeakCount(&debug);
    printf("blocks still live: %u\n", (unsigned)live);
    uint32_t reported = DebugAllocatorReportLeaks(&debug);
    printf("leak reports: %d, with %s backtrace\n", findings.leak_lines,
           findings.frame_lines > 0 ? "a" : "no");
    printf("summary: %s\n", findings.summary);
    printf("bytes in use: %zu\n", AllocatorBytesInUse(&debug));

    DebugAllocatorDeinit(&debug); // unmaps the leaked block too
    return reported == 1 && live == 1 ? 0 : 1;
}
