// SPDX-License-Identifier: MIT
// Bug: a block read after it was freed.
#include <stdio.h>
#include <stdlib.h>

struct node {
    int          value;
    struct node *next;
};

int main(void) {
    struct node *head = malloc(sizeof *head);
    head->value       = 42;
    head->next        = NULL;
    free(head);
    int value = head->value; // the bug
    printf("%d\n", value);
    return 0;
}
