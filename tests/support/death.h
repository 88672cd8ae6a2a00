// SPDX-License-Identifier: MIT
// The one death-test harness of the test suites: run a body (or the rest of the caller) in a
// forked child with its stdout and stderr captured, then say whether it ended as expected: killed
// by SIGABRT with exactly one fatal line "alloc: fatal: <function>: <reason> <pointer>" naming the
// pointer the child noted, killed by another signal with no fatal line, or exited with a code.
// Used by the Criterion suites (expect_death, death_criterion.c), the violation catalogue
// (tests/violations/driver.c) and the allocation-failure replays (tests/harden/fault).
#ifndef TESTS_DEATH_H
#define TESTS_DEATH_H

#include <stdbool.h> // bool

// Body of a death test: runs in the child and is expected to end the process.
typedef void (*DeathBody)(void);

// What a child did. The buffers hold the start of its output, NUL-terminated.
typedef struct DeathRun {
    int         status;      // as waitpid reports it
    const void *pointer;     // the last death_note_pointer of the child (NULL: none)
    bool        noted;       // whether the child called death_note_pointer
    char        out[16384];  // its stdout
    char        err[65536];  // its stderr
} DeathRun;

// Fork with stdout and stderr going to pipes and a 30 s alarm: returns true in the child, which
// must end with _exit (or die), false in the parent, which must then call death_wait.
bool death_fork(DeathRun *run);
// In the parent after death_fork: read the child's output to the end and reap it.
void death_wait(DeathRun *run);
// death_fork, `body` in the child (a body that returns exits with status 0), death_wait.
void death_run(DeathBody body, DeathRun *run);

// Record, in the child, the pointer the coming misuse names; the verdict then expects exactly
// "<expected> <pointer>" (without it, any pointer). Call it just before the misuse.
void death_note_pointer(const void *pointer);

// Verdicts: NULL when the run ended as asked, else what happened instead (a message in a static
// buffer, valid until the next verdict).
// Killed by SIGABRT; exactly one line of stderr starts with "alloc: fatal: ", and it is
// `expected` (e.g. "alloc: fatal: heap_allocator_deallocate: double free") + " " + the pointer.
const char *death_fatal_mismatch(const DeathRun *run, const char *expected);
// Killed by `signal`, with no fatal line.
const char *death_signal_mismatch(const DeathRun *run, int signal);
// Exited with `code`.
const char *death_exit_mismatch(const DeathRun *run, int code);

// Criterion: death_run(body) and fail the test unless death_fatal_mismatch(expected) is NULL.
void expect_death(DeathBody body, const char *expected);

#endif
