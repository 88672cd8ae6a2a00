// SPDX-License-Identifier: MIT
// Bug: free of a pointer one byte into a block (a pointer bumped past a length prefix).
#include <stdlib.h>

int main(void) {
    unsigned char *packet = malloc(64);
    packet[0]             = 3;
    unsigned char *body   = packet + 1;
    free(body); // the bug
    return 0;
}
