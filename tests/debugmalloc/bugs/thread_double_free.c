// SPDX-License-Identifier: MIT
// Bug: a worker thread frees a block the main thread frees too.
#include <pthread.h>
#include <stdlib.h>

static void *worker(void *job) {
    free(job); // the bug: main frees it as well
    return NULL;
}

int main(void) {
    void     *job = malloc(48);
    pthread_t thread;
    pthread_create(&thread, NULL, worker, job);
    pthread_join(thread, NULL);
    free(job);
    return 0;
}
