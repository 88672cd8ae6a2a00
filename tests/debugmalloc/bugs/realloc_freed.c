// SPDX-License-Identifier: MIT
// Bug: realloc of a block already freed.
#include <stdlib.h>

int main(void) {
    char *buffer = malloc(32);
    free(buffer);
    buffer = realloc(buffer, 64); // the bug
    free(buffer);
    return 0;
}
