// SPDX-License-Identifier: MIT
// Bug: one byte written past the end of a block (the classic off-by-one of a terminator).
#include <stdlib.h>
#include <string.h>

int main(void) {
    const char *word = "overflow";
    char       *copy = malloc(strlen(word)); // no room for the terminator
    strcpy(copy, word);                      // the bug: writes 9 bytes into 8
    free(copy);
    return 0;
}
