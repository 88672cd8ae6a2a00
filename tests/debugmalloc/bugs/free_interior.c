// SPDX-License-Identifier: MIT
// Bug: free of a pointer into the middle of a block (past a header the caller skipped).
#include <stdlib.h>
#include <string.h>

struct message {
    long length;
    long kind;
    char text[32];
};

int main(void) {
    struct message *message = malloc(sizeof *message);
    message->length         = 5;
    strcpy(message->text, "hello");
    char *text = message->text;
    free(text); // the bug: text is 16 bytes into the block
    return 0;
}
