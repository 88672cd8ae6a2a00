// SPDX-License-Identifier: MIT
// The violation catalogue: what each misuse of each allocator kind ends in. The misuses are
// written once, in cases.c, against the generic calls (AllocatorAlloc, AllocatorFree,
// AllocatorRemap on a typed pointer, or on ALLOCATOR_OF of it), and compiled once per kind with
// that kind's header kinds/<kind>.h; kinds/<kind>.c holds the kind's expectations (one row per
// misuse it documents) and the few misuses only that kind has. driver.c runs every row in its own
// process through the death harness (tests/support/death.h) and checks the outcome: the exact
// fatal line, SIGSEGV, or survival after the case checked the documented behaviour. A misuse of a
// pointer (double, foreign, interior, misaligned free, remap of a foreign pointer) runs on both
// paths, typed and `Allocator *`, and must end the same way on both.
#ifndef TESTS_VIOLATIONS_H
#define TESTS_VIOLATIONS_H

#include "alloc/Allocator.h"

#include <stdbool.h> // bool
#include <stddef.h>  // size_t

// What a case must end in.
typedef enum ViolationOutcome {
    VIOLATION_FATAL,    // SIGABRT with "alloc: fatal: <function>: <reason> <pointer>"
    VIOLATION_SIGSEGV,  // killed by SIGSEGV at the faulting access, no fatal line
    VIOLATION_SURVIVES, // not detected by design: the case checks the documented behaviour, exit 0
} ViolationOutcome;

// One misuse as cases.c writes it.
typedef struct ViolationMisuse {
    const char *name;      // e.g. "double_free_small"
    void (*run)(void);     // the misuse; reads violation_dynamic at the misusing call
    bool        any_path;  // a misuse of a pointer: also run through `Allocator *`
} ViolationMisuse;

// One row of a kind's table: what the misuse `name` ends in for this kind.
typedef struct ViolationCase {
    const char      *name;     // a misuse of cases.c, or one of this kind's own
    ViolationOutcome outcome;
    const char      *function; // VIOLATION_FATAL: the public function the line names
    const char      *reason;   // VIOLATION_FATAL: the exact reason; else why (for the doc)
    const char      *note;     // optional remark for the doc, or NULL
    void (*own)(void);         // this kind's own misuse, or NULL for the one of cases.c
} ViolationCase;

// Provided by kinds/<kind>.c.
extern const char          violation_kind[]; // "PageAllocator"
extern const ViolationCase violation_cases[];
extern const size_t        violation_case_count;

// Provided by cases.c.
extern const ViolationMisuse violation_misuses[];
extern const size_t          violation_misuse_count;

// True while a case runs on the `Allocator *` path: the misusing call goes through ALLOCATOR_OF.
extern bool violation_dynamic;

// Name the pointer the coming fatal line must name (the death harness's shared note).
void violation_point(const void *pointer);
// Print "note: <text>" on stdout: what a surviving case observed.
void violation_say(const char *text);
// The case's own check failed: print "case failed: <why>" on stderr and exit 3.
_Noreturn void violation_fail(const char *why);
// violation_fail(why) unless `condition` holds.
void violation_require(int condition, const char *why);

// Storage the foreign-pointer cases free: aligned to 64 bytes so no allocator can call them
// misaligned first.
extern _Alignas(64) char violation_global[256];

#endif
