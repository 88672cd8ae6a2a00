// SPDX-License-Identifier: MIT
// expect_death for the Criterion suites: the harness of death.c and a Criterion assertion on its
// verdict.
#include "death.h"

#include <criterion/criterion.h>

void expect_death(DeathBody body, const char *expected) {
    static DeathRun run; // 80 KB: not on the stack of a test
    death_run(body, &run);
    const char *mismatch = death_fatal_mismatch(&run, expected);
    cr_assert(mismatch == NULL, "%s", mismatch);
}
