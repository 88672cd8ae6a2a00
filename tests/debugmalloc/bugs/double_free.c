// SPDX-License-Identifier: MIT
// Bug: the same block freed twice.
#include <stdlib.h>
#include <string.h>

static char *make_name(void) {
    char *name = malloc(24);
    strcpy(name, "double free");
    return name;
}

int main(void) {
    char *name = make_name();
    free(name);
    free(name); // the bug
    return 0;
}
