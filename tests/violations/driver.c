// Driver of a violation-catalogue program (see violations.h): lists the cases of the kind it is
// linked with, with the catalogue's row label of each misuse, or runs one case by name.
#include "violations.h"

#include <stdio.h>  // printf, fprintf, fflush
#include <stdlib.h> // exit
#include <string.h> // strcmp
#include <unistd.h> // alarm

_Alignas(64) char violation_global[256];

// The catalogue's rows, in order: case name and the misuse as the doc's table shows it.
static const struct {
    const char *name;
    const char *label;
} misuses[] = {
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
enum { MISUSE_COUNT = sizeof misuses / sizeof misuses[0] };

static int misuse_index(const char *name) {
    for (int i = 0; i < MISUSE_COUNT; ++i)
        if (strcmp(misuses[i].name, name) == 0) return i;
    return -1;
}

void violation_point(const void *pointer) {
    printf("pointer: %p\n", pointer);
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

// One line per case, tab-separated: kind, case, row, label, outcome, function, reason, note.
static int list_cases(void) {
    for (size i = 0; i < violation_case_count; ++i) {
        const ViolationCase *c   = &violation_cases[i];
        int                  row = misuse_index(c->name);
        if (row < 0) {
            fprintf(stderr, "%s: case %s is not in driver.c's misuse list\n", violation_kind, c->name);
            return 2;
        }
        printf("%s\t%s\t%02d\t%s\t%s\t%s\t%s\t%s\n", violation_kind, c->name, row, misuses[row].label,
               outcome_name(c->outcome), c->function ? c->function : "-", c->reason,
               c->note ? c->note : "-");
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s --list | CASE\n", argv[0]);
        return 2;
    }
    if (strcmp(argv[1], "--list") == 0) return list_cases();
    alarm(30); // a case that hangs dies by SIGALRM, which run.sh reports
    for (size i = 0; i < violation_case_count; ++i) {
        if (strcmp(violation_cases[i].name, argv[1]) != 0) continue;
        violation_cases[i].run();
        if (violation_cases[i].outcome != VIOLATION_SURVIVES)
            violation_fail("the misuse was not caught: the case returned");
        printf("survived\n");
        return 0;
    }
    fprintf(stderr, "%s: no case %s\n", violation_kind, argv[1]);
    return 2;
}
