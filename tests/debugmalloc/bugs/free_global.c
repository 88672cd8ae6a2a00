// SPDX-License-Identifier: MIT
// Bug: free of a pointer to a global array.
#include <stdlib.h>

static char table[64];

int main(void) {
    char *entry = table;
    free(entry); // the bug
    return 0;
}
