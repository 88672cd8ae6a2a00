// SPDX-License-Identifier: MIT
// Bug: a worker thread writes past the end of the block it was given.
#include <pthread.h>
#include <stdlib.h>

static void *worker(void *arg) {
    char *buffer = arg;
    for (int i = 0; i <= 64; ++i) buffer[i] = (char)i; // the bug: 65 bytes into 64
    free(buffer);
    return NULL;
}

int main(void) {
    pthread_t thread;
    pthread_create(&thread, NULL, worker, malloc(64));
    pthread_join(thread, NULL);
    return 0;
}
