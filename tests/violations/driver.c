// SPDX-License-Identifier: MIT
// Driver of a violation-catalogue program (see violations.h), linked with cases.c and one
// kinds/<kind>.c:
//   prog --list              the kind's rows, one line per row and path (tab-separated)
//   prog --run RESULTS.tsv   every row in its own child (tests/support/death.h), checked; prints
//                            "ok"/"FAIL" lines and "N passed, N failed", appends what each row
//                            ended in to RESULTS.tsv (read by run.sh and catalogue.py)
//   prog CASE [--dyn]        one case in this process, for a look under a debugger
#include "death.h"
#include "violations.h"

#include <signal.h> // SIGSEGV
#include <stdio.h>  // printf, fprintf, fflush, fopen
#include <stdlib.h> // exit
#include <string.h> // strcmp, strncmp, strchr

_Alignas(64) char violation_global[256];

// The catalogue's rows, in order: misuse name and the label the doc's tables show.
static const struct {
    const char *name;
    const char *label;
} labels[] = {
    {"double_free_small", "double free, small block"},
    {"double_free_large", "double free, large block"},
    {"double_free_unretained", "double free, block too large to retain"},
    {"double_free_delayed", "double free, other frees in between"},
    {"double_free_after_reuse", "double free after the address was reused"},
    {"foreign_stack", "free of a stack address"},
    {"foreign_global", "free of a global"},
    {"foreign_libc", "free of a libc malloc block"},
    {"foreign_other_instance", "free of another instance's block"},
    {"foreign_other_type", "free of another allocator type's block"},
    {"interior_pointer", "free of an interior pointer (aligned)"},
    {"unaligned_pointer", "free of an unaligned pointer"},
    {"realloc_foreign", "remap of a foreign pointer"},
    {"free_non_last", "free of a block that is not the last one"},
    {"remap_non_last", "remap of a block that is not the last one"},
    {"free_after_reset", "free after Reset"},
    {"overflow_1", "1-byte overflow"},
    {"overflow_8", "8-byte overflow"},
    {"underflow_1", "1-byte underflow"},
    {"underflow_8", "8-byte underflow"},
    {"write_after_free", "write after free"},
    {"write_after_free_page_mode", "write after free, page mode"},
    {"wrong_type", "typed function on another allocator type"},
    {"wrong_thread", "use from a second thread"},
    {"use_after_deinit", "free after Deinit"},
    {"deinit_twice", "Deinit twice"},
};
enum { LABEL_COUNT = sizeof labels / sizeof labels[0] };

static int label_index(const char *name) {
    for (int i = 0; i < LABEL_COUNT; ++i)
        if (strcmp(labels[i].name, name) == 0) return i;
    return -1;
}

void violation_point(const void *pointer) {
    death_note_pointer(pointer);
    printf("pointer: %p\n", pointer); // for a run by hand
    fflush(stdout);
}

void violation_say(const char *text) {
    printf("note: %s\n", text);
    fflush(stdout);
}

_Noreturn void violation_fail(const char *why) {
    fflush(stdout);
    fprintf(stderr, "case failed: %s\n", why);
    exit(3);
}

void violation_require(int condition, const char *why) {
    if (!condition) violation_fail(why);
}

static const char *outcome_name(ViolationOutcome outcome) {
    switch (outcome) {
    case VIOLATION_FATAL: return "fatal";
    case VIOLATION_SIGSEGV: return "sigsegv";
    case VIOLATION_SURVIVES: return "survives";
    }
    return "?";
}

// The body a row runs: the kind's own misuse, or the shared one of cases.c with that name.
static const ViolationMisuse *shared_misuse(const char *name) {
    for (size_t i = 0; i < violation_misuse_count; ++i)
        if (strcmp(violation_misuses[i].name, name) == 0) return &violation_misuses[i];
    return NULL;
}
static void (*body_of(const ViolationCase *c))(void) {
    const ViolationMisuse *shared = shared_misuse(c->name);
    return c->own ? c->own : shared ? shared->run : NULL;
}
static bool runs_dynamic(const ViolationCase *c) {
    const ViolationMisuse *shared = shared_misuse(c->name);
    return !c->own && shared && shared->any_path;
}

// Every row must have a body and a label, or the program refuses to run.
static bool table_ok(void) {
    bool ok = true;
    for (size_t i = 0; i < violation_case_count; ++i) {
        const ViolationCase *c = &violation_cases[i];
        if (label_index(c->name) < 0 || !body_of(c)) {
            fprintf(stderr, "%s: case %s has no %s\n", violation_kind, c->name,
                    label_index(c->name) < 0 ? "label in driver.c" : "body in cases.c or its kind");
            ok = false;
        }
    }
    return ok;
}

static const char *path_name(bool dynamic) { return dynamic ? "Allocator *" : "typed"; }

// One line per row and path: kind, case, path, row, label, outcome, function, reason, note.
static void print_row(FILE *to, const ViolationCase *c, bool dynamic) {
    int row = label_index(c->name);
    fprintf(to, "%s\t%s\t%s\t%02d\t%s\t%s\t%s\t%s\t%s", violation_kind, c->name, path_name(dynamic),
            row, labels[row].label, outcome_name(c->outcome), c->function ? c->function : "-",
            c->reason, c->note ? c->note : "-");
}

static int list_cases(void) {
    for (size_t i = 0; i < violation_case_count; ++i) {
        for (int dynamic = 0; dynamic <= runs_dynamic(&violation_cases[i]); ++dynamic) {
            print_row(stdout, &violation_cases[i], dynamic);
            putchar('\n');
        }
    }
    return 0;
}

// --- one case, in the current process ---------------------------------------------------------
static const ViolationCase *current;

static void run_current(void) {
    body_of(current)();
    if (current->outcome != VIOLATION_SURVIVES)
        violation_fail("the misuse was not caught: the case returned");
    printf("survived\n");
    fflush(stdout);
}

// --- every case, each in a child --------------------------------------------------------------

// What the run shows, for the doc: the fatal line without its pointer, "SIGSEGV", or
// "survived: <notes>".
static void observed(const DeathRun *run, char *text, size_t cap) {
    if (current->outcome == VIOLATION_SIGSEGV) {
        snprintf(text, cap, "SIGSEGV");
        return;
    }
    if (current->outcome == VIOLATION_SURVIVES) {
        size_t used = (size_t)snprintf(text, cap, "survived:");
        for (const char *line = run->out; (line = strstr(line, "note: ")) && used < cap; line += 6) {
            const char *end = strchr(line, '\n');
            int         n   = end ? (int)(end - line - 6) : (int)strlen(line + 6);
            used += (size_t)snprintf(text + used, cap - used, " %.*s", n, line + 6);
        }
        return;
    }
    const char *line = strstr(run->err, "alloc: fatal: ");
    const char *end  = line ? strchr(line, '\n') : NULL;
    const char *last = line ? memrchr(line, ' ', end ? (size_t)(end - line) : strlen(line)) : NULL;
    snprintf(text, cap, "%.*s", last ? (int)(last - line) : 0, line ? line : "");
}

static const char *verdict_of(const DeathRun *run) {
    static char expected[512], why[256];
    switch (current->outcome) {
    case VIOLATION_FATAL:
        snprintf(expected, sizeof expected, "alloc: fatal: %s: %s", current->function, current->reason);
        if (!run->noted) return "the case named no pointer (violation_point)";
        return death_fatal_mismatch(run, expected);
    case VIOLATION_SIGSEGV: return death_signal_mismatch(run, SIGSEGV);
    case VIOLATION_SURVIVES: {
        const char *mismatch = death_exit_mismatch(run, 0);
        if (mismatch) return mismatch;
        if (!strstr(run->out, "survived\n")) return "exited 0 without reaching the end of the case";
        return NULL;
    }
    }
    snprintf(why, sizeof why, "unknown outcome %d", (int)current->outcome);
    return why;
}

static int run_all(const char *results_path) {
    FILE *results = fopen(results_path, "a");
    if (!results) {
        perror(results_path);
        return 2;
    }
    static DeathRun run;
    int             passed = 0, failed = 0;
    for (size_t i = 0; i < violation_case_count; ++i) {
        current = &violation_cases[i];
        for (int dynamic = 0; dynamic <= runs_dynamic(current); ++dynamic) {
            violation_dynamic = dynamic;
            death_run(run_current, &run);
            const char *mismatch = verdict_of(&run);
            char        seen[1024];
            observed(&run, seen, sizeof seen);
            if (mismatch) {
                ++failed;
                printf("FAIL  %-16s %-28s %-12s %s\n", violation_kind, current->name,
                       path_name(dynamic), mismatch);
            } else {
                ++passed;
                printf("ok    %-16s %-28s %-12s %s\n", violation_kind, current->name,
                       path_name(dynamic), seen);
            }
            print_row(results, current, dynamic);
            fprintf(results, "\t%s\n", mismatch ? "FAILED" : seen);
        }
    }
    fclose(results);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}

int main(int argc, char **argv) {
    if (!table_ok()) return 2;
    if (argc == 2 && strcmp(argv[1], "--list") == 0) return list_cases();
    if (argc == 3 && strcmp(argv[1], "--run") == 0) return run_all(argv[2]);
    bool dynamic = argc == 3 && strcmp(argv[2], "--dyn") == 0;
    if (argc != 2 && !dynamic) {
        fprintf(stderr, "usage: %s --list | --run RESULTS.tsv | CASE [--dyn]\n", argv[0]);
        return 2;
    }
    for (size_t i = 0; i < violation_case_count; ++i) {
        if (strcmp(violation_cases[i].name, argv[1]) != 0) continue;
        current           = &violation_cases[i];
        violation_dynamic = dynamic && runs_dynamic(current);
        run_current();
        return 0;
    }
    fprintf(stderr, "%s: no case %s\n", violation_kind, argv[1]);
    return 2;
}
