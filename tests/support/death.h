// Death tests: run a body in a forked child, capture its stderr, and check that it died by
// SIGABRT with exactly the expected first line. Criterion's `.signal = SIGABRT` alone cannot say
// which abort fired; this pins the message.
#ifndef TESTS_DEATH_H
#define TESTS_DEATH_H

// Body of a death test: runs in the child and is expected to abort.
typedef void (*DeathBody)(void);

// Record the pointer the coming misuse will name; the parent then expects the exact line
// "<expected> <pointer>". Call it in the body just before the misuse.
void death_note_pointer(const void *pointer);

// Fork, run `body`, and assert (Criterion) that the child was killed by SIGABRT and that the
// first line it wrote to stderr is `expected` followed by " " and the noted pointer (or any
// pointer, if none was noted).
void expect_death(DeathBody body, const char *expected);

#endif
