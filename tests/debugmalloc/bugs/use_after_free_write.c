// SPDX-License-Identifier: MIT
// Bug: a block written after it was freed.
#include <stdlib.h>
#include <string.h>

int main(void) {
    char *name = malloc(16);
    strcpy(name, "before");
    free(name);
    name[0] = 'B'; // the bug
    return 0;
}
