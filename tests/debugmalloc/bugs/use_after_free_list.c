// SPDX-License-Identifier: MIT
// Bug: a linked list freed node by node, then walked again (a read of freed nodes).
#include <stdio.h>
#include <stdlib.h>

struct node {
    int          value;
    struct node *next;
};

static struct node *push(struct node *head, int value) {
    struct node *node = malloc(sizeof *node);
    node->value       = value;
    node->next        = head;
    return node;
}

int main(void) {
    struct node *head = NULL;
    for (int i = 0; i < 5; ++i) head = push(head, i);
    for (struct node *at = head, *next; at; at = next) {
        next = at->next;
        free(at);
    }
    int sum = 0;
    for (int i = 0; i < 3; ++i) sum += head->value; // the bug: head was freed
    printf("%d\n", sum);
    return 0;
}
