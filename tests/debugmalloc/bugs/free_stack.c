// SPDX-License-Identifier: MIT
// Bug: free of a pointer to a local variable.
#include <stdlib.h>

int main(void) {
    char local[32] = "on the stack";
    free(local); // the bug
    return local[0] == 'o' ? 0 : 1;
}
