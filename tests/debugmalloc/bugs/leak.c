// SPDX-License-Identifier: MIT
// Bug: blocks lost (no pointer to them is left), from two places; one block still referenced
// from a global is not a leak.
#include <stdlib.h>
#include <string.h>

static char *kept;

static char *duplicate(const char *text) {
    char *copy = malloc(strlen(text) + 1);
    strcpy(copy, text);
    return copy;
}

static void lose_three(void) {
    for (int i = 0; i < 3; ++i) {
        char *lost = duplicate("lost in a loop");
        lost[0]    = 'L';
    } // the bug: each copy is lost here
}

int main(void) {
    kept = duplicate("still referenced");
    lose_three();
    int *lost = malloc(100);
    lost[0]   = 1;
    lost      = NULL; // the bug: the last pointer to 100 bytes is gone
    return kept[0] == 's' && lost == NULL ? 0 : 1;
}
