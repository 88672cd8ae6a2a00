// SPDX-License-Identifier: MIT
// A linked list whose nodes come from a SlabAllocator: every node has the same size, so a slab
// allocator serves them in O(1) from fixed slots and gives a freed slot to the next node. The
// program builds a task queue, completes half the tasks, refills it (the freed slots are reused:
// the footprint does not grow), then shows that a double free is caught, not silently accepted:
// the fatal handler receives the diagnostic line.
//
// Usage: slab_pool
#include "alloc/Slab.h"

#include <setjmp.h> // setjmp, longjmp: leave the fatal handler for the demonstration
#include <stdio.h>  // printf
#include <string.h> // strrchr, strncpy

typedef struct Task {
    struct Task *next;
    int          id;
    int          priority;
} Task;

typedef struct Queue {
    SlabAllocator *nodes; // where every Task lives
    Task          *head;
    size_t         len;
} Queue;

static int push(Queue *q, int id, int priority) {
    Task *t = AllocatorAlloc(q->nodes, sizeof(Task), 0);
    if (!t) return 0;
    *t      = (Task){.next = q->head, .id = id, .priority = priority};
    q->head = t;
    q->len++;
    return 1;
}

// Remove and free every task for which `done` says yes; returns how many.
static size_t complete(Queue *q, int (*done)(const Task *)) {
    size_t removed = 0;
    Task **link    = &q->head;
    while (*link) {
        Task *t = *link;
        if (done(t)) {
            *link = t->next;
            AllocatorFree(q->nodes, t);
            removed++;
        } else {
            link = &t->next;
        }
    }
    q->len -= removed;
    return removed;
}

static int is_even(const Task *t) { return t->id % 2 == 0; }
static int always(const Task *t) { (void)t; return 1; }

// --- Demonstration of the double-free check -------------------------------------------------

static jmp_buf escape;
static char    fatal_line[256];

static void keep_line(const char *line, void *context) {
    (void)context;
    strncpy(fatal_line, line, sizeof fatal_line - 1);
    longjmp(escape, 1); // leave AllocFatal instead of aborting (tests do the same)
}

int main(void) {
    SlabAllocator nodes = SlabAllocatorInit(sizeof(Task));
    Queue         q     = {.nodes = &nodes};

    for (int id = 0; id < 1000; id++)
        if (!push(&q, id, id % 7)) return 1;
    size_t footprint = AllocatorFootprintBytes(&nodes);
    printf("queued %zu tasks\n", q.len);

    size_t done = complete(&q, is_even);
    printf("completed %zu even tasks, %zu left\n", done, q.len);
    for (int id = 1000; id < 1500; id++)
        if (!push(&q, id, id % 7)) return 1;
    printf("queued 500 more: %zu tasks, footprint %s\n", q.len,
           AllocatorFootprintBytes(&nodes) == footprint ? "unchanged (slots reused)" : "grew");

    // Free a task, then free it again by mistake: the slab allocator knows the slot is free.
    Task *stale = q.head;
    q.head      = stale->next;
    q.len--;
    AllocatorFree(&nodes, stale);
    AllocFatalHandler previous = AllocSetFatalHandler(keep_line, NULL);
    if (setjmp(escape) == 0) {
        AllocatorFree(&nodes, stale); // double free: never returns
        printf("double free went unnoticed\n");
        return 1;
    }
    AllocSetFatalHandler(previous, NULL);
    char *pointer = strrchr(fatal_line, ' '); // drop the address, which changes from run to run
    if (pointer) *pointer = '\0';
    printf("caught: %s\n", fatal_line);

    done = complete(&q, always);
    printf("completed the remaining %zu tasks\n", done);
    printf("slab: %llu allocations, %llu deallocations, %zu bytes in use\n",
           (unsigned long long)AllocatorAllocations(&nodes),
           (unsigned long long)AllocatorDeallocations(&nodes), AllocatorBytesInUse(&nodes));
    SlabAllocatorDeinit(&nodes);
    return 0;
}
