// The violation catalogue: one program per allocator kind (tests/violations/<kind>.c), each a
// table of misuse cases. `prog --list` prints the table; `prog CASE` runs one case in this
// process, which is expected to abort with the exact fatal line, die by SIGSEGV, or survive
// after checking the allocator's documented behaviour. tests/violations/run.sh runs every case
// in its own process and writes docs/guides/violation-catalogue.md from what it saw.
#ifndef TESTS_VIOLATIONS_H
#define TESTS_VIOLATIONS_H

#include "alloc/Allocator.h"
#include "alloc/Types.h"     // the short names (size, u8, i8…): opt-in

// What a case must end in.
typedef enum ViolationOutcome {
    VIOLATION_FATAL,    // SIGABRT with "alloc: fatal: <function>: <reason> <pointer>"
    VIOLATION_SIGSEGV,  // killed by SIGSEGV at the faulting access, no fatal line
    VIOLATION_SURVIVES, // not detected by design: the case checks the documented behaviour, exit 0
} ViolationOutcome;

// One row of a kind's table.
typedef struct ViolationCase {
    const char      *name;     // a misuse name from driver.c's list, e.g. "double_free_small"
    ViolationOutcome outcome;
    const char      *function; // VIOLATION_FATAL: the public function the line names
    const char      *reason;   // VIOLATION_FATAL: the exact reason; else why (for the doc)
    const char      *note;     // optional remark for the doc, or NULL
    void (*run)(void);
} ViolationCase;

// Provided by each <kind>.c.
extern const char          violation_kind[];  // "PageAllocator"
extern const ViolationCase violation_cases[];
extern const size          violation_case_count;

// Print "pointer: <p>" on stdout (flushed): the pointer the coming fatal line must name.
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
