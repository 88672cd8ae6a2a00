// SPDX-License-Identifier: MIT
// Bug: a write one element before the start of a block.
#include <stdlib.h>

int main(void) {
    int *numbers = malloc(10 * sizeof(int));
    for (int i = 10; i > 0; --i) numbers[i - 1] = i;
    int *cursor = numbers;
    cursor[-1] = 0; // the bug
    free(numbers);
    return 0;
}
