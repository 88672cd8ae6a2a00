// SPDX-License-Identifier: MIT
// Bug: a write 100 bytes past the end of a block (a stale length on a smaller buffer).
#include <stdlib.h>
#include <string.h>

static void fill(char *buffer, size_t length) { memset(buffer, 'x', length); }

int main(void) {
    size_t length = 200;
    char  *buffer = malloc(length - 100);
    fill(buffer, length); // the bug: 100 bytes too many
    free(buffer);
    return 0;
}
