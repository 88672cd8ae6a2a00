// SPDX-License-Identifier: MIT
// The bound on each translation unit: a thread samples, ten times a second, how long every unit
// being parsed has taken and how much memory the process holds. Past the time bound
// (--unit-time, seconds) or the memory bound (--unit-memory, MB of resident memory) it prints
// `FILE: error: …` naming the unit(s) in progress and exits 1: libclang cannot be interrupted,
// so stopping the process is the only bound that holds. Entry points: watchdog_*.
#include "stages.h"

#include <pthread.h> // the sampling thread
#include <stdio.h>   // fopen /proc/self/statm
#include <stdlib.h>  // _Exit
#include <time.h>    // clock_gettime
#include <unistd.h>  // sysconf

typedef struct { const Job *job; double start; } Slot;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t  wake = PTHREAD_COND_INITIALIZER; // watchdog_stop ends the wait at once
static Slot     slots[16];
static int      running;
static double   limit_s, limit_mb;
static pthread_t sampler;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double resident_mb(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    long size = 0, rss = 0;
    if (!f) return 0;
    if (fscanf(f, "%ld %ld", &size, &rss) != 2) rss = 0;
    fclose(f);
    return (double)rss * (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0);
}

static void *sample(void *arg) {
    (void)arg;
    pthread_mutex_lock(&lock);
    for (;;) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 100 * 1000 * 1000;
        if (until.tv_nsec >= 1000 * 1000 * 1000) until.tv_sec++, until.tv_nsec -= 1000 * 1000 * 1000;
        while (running && pthread_cond_timedwait(&wake, &lock, &until) == 0) {}
        if (!running) {
            pthread_mutex_unlock(&lock);
            return NULL;
        }
        double t = now(), mb = limit_mb > 0 ? resident_mb() : 0;
        int over = 0;
        for (int i = 0; i < 16; i++) {
            if (!slots[i].job) continue;
            if (limit_s > 0 && t - slots[i].start > limit_s) {
                fprintf(stderr, "%s: error: parsing took longer than %g s (the --unit-time bound); stopped\n",
                        slots[i].job->file, limit_s);
                over = 1;
            } else if (limit_mb > 0 && mb > limit_mb) {
                fprintf(stderr, "%s: error: memory passed %g MB while parsing it (the --unit-memory bound); stopped\n",
                        slots[i].job->file, limit_mb);
                over = 1;
            }
        }
        if (over) {
            fflush(stderr);
            _Exit(1);
        }
    }
}

void watchdog_start(const Options *o, Inputs *in) {
    (void)in;
    limit_s = o->unit_time, limit_mb = o->unit_memory;
    if (limit_s <= 0 && limit_mb <= 0) return;
    running = 1;
    if (pthread_create(&sampler, NULL, sample, NULL) != 0) running = 0;
}

void watchdog_stop(void) {
    pthread_mutex_lock(&lock);
    int was = running;
    running = 0;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
    if (was) pthread_join(sampler, NULL);
}

void watchdog_begin(const Job *job) {
    pthread_mutex_lock(&lock);
    for (int i = 0; i < 16; i++)
        if (!slots[i].job) {
            slots[i] = (Slot){job, now()};
            break;
        }
    pthread_mutex_unlock(&lock);
}

void watchdog_end(const Job *job) {
    pthread_mutex_lock(&lock);
    for (int i = 0; i < 16; i++)
        if (slots[i].job == job) slots[i].job = NULL;
    pthread_mutex_unlock(&lock);
}
