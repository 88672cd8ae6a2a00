// SPDX-License-Identifier: MIT
// Bug: the old pointer used after realloc moved the block.
#include <stdlib.h>

int main(void) {
    int *numbers = malloc(4 * sizeof(int));
    int *old     = numbers;
    numbers      = realloc(numbers, 1000 * sizeof(int));
    old[0]       = 1; // the bug: `old` was freed by realloc
    free(numbers);
    return 0;
}
