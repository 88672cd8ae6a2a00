// SPDX-License-Identifier: MIT
// The shim under ThreadSanitizer: a 2-thread differential run of the malloc family (the shim's
// sources built with -fsanitize=thread and its entry points renamed tested_malloc, tested_free, ...,
// since TSan's own malloc would win over a preloaded one). Each thread keeps a shadow model of
// its blocks (size and the byte pattern written into each) and runs seeded random operations on
// them: malloc, calloc, realloc, posix_memalign, free, and handing a block to the other thread,
// which checks it, sometimes reallocs it and frees it (frees and reallocs of the other thread's
// blocks: the inbox path). Sizes 8 B .. 300 KiB. Every block's bytes and usable size are checked
// against the model; TSan reports any data race in the shim or the heaps (the run then fails).
// Prints one "ok"/"FAIL" line per check and "N passed, N failed". Usage: tsan_differential [OPS]
#include <pthread.h> // pthread_create, pthread_mutex_t
#include <stdint.h>  // uint32_t, uintptr_t
#include <stdio.h>   // printf
#include <stdlib.h>  // strtol
#include <string.h>  // memset

// The shim's entry points, renamed by the build (-Dmalloc=tested_malloc, ...).
void  *tested_malloc(size_t bytes);
void   tested_free(void *ptr);
void  *tested_calloc(size_t count, size_t bytes);
void  *tested_realloc(void *ptr, size_t bytes);
int    tested_posix_memalign(void **out, size_t alignment, size_t bytes);
size_t tested_malloc_usable_size(void *ptr);

enum { LIVE = 256, CHANNEL = 64, MAX_BYTES = 300 << 10 };

// A block as the model knows it: every byte is (tag + i) & 0xff.
typedef struct Block {
    unsigned char *ptr;
    size_t         bytes;
    unsigned char  tag;
} Block;

// The hand-over channel between the two threads (a bounded queue under a mutex: the shim, not
// this channel, is under test).
typedef struct Channel {
    pthread_mutex_t lock;
    Block           items[CHANNEL];
    int             len;
} Channel;

typedef struct Worker {
    int      id;
    long     ops;
    uint32_t seed;
    Channel *out, *in;
    long     errors, checks;
    char     first_error[160];
} Worker;

static uint32_t next_random(uint32_t *state) {
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    return *state;
}

// Mostly small, some 8..300 KiB (the runs that cross threads).
static size_t pick_size(uint32_t *state) {
    uint32_t r = next_random(state);
    if (r % 8 == 0) return 8192 + next_random(state) % (MAX_BYTES - 8192);
    return 8 + next_random(state) % 2000;
}

// The bytes the model writes and checks: all of a block up to 8 KiB; of a larger one its first
// and last 4 KiB and one byte in every 512 between (enough to see a lost or moved page).
static size_t next_index(size_t i, size_t bytes) {
    return bytes <= 8192 || i < 4096 || i + 4096 >= bytes ? i + 1 : i + 512;
}

static void fill(Block *b) {
    for (size_t i = 0; i < b->bytes; i = next_index(i, b->bytes)) b->ptr[i] = (unsigned char)(b->tag + i);
}

static void fail(Worker *w, const char *what, const Block *b) {
    if (!w->errors++)
        snprintf(w->first_error, sizeof w->first_error, "thread %d: %s (block %p, %zu bytes)", w->id,
                 what, (void *)b->ptr, b->bytes);
}

// The first `upto` bytes of `b`, as written for a block of `written` bytes, match the model; its
// usable size covers it.
static void verify(Worker *w, const Block *b, size_t upto, size_t written) {
    w->checks++;
    if (!b->ptr) {
        fail(w, "NULL block", b);
    } else if (tested_malloc_usable_size(b->ptr) < b->bytes) {
        fail(w, "usable size below the request", b);
    } else {
        for (size_t i = 0; i < upto; i = next_index(i, written))
            if (b->ptr[i] != (unsigned char)(b->tag + i)) {
                fail(w, "bytes differ from the model", b);
                break;
            }
    }
}

static int channel_put(Channel *c, Block b) {
    pthread_mutex_lock(&c->lock);
    int ok = c->len < CHANNEL;
    if (ok) c->items[c->len++] = b;
    pthread_mutex_unlock(&c->lock);
    return ok;
}

static int channel_take(Channel *c, Block *b) {
    pthread_mutex_lock(&c->lock);
    int ok = c->len > 0;
    if (ok) *b = c->items[--c->len];
    pthread_mutex_unlock(&c->lock);
    return ok;
}

// A block that came from the other thread: check it, maybe grow or shrink it here, free it.
static void receive(Worker *w, Block b) {
    verify(w, &b, b.bytes, b.bytes);
    if (next_random(&w->seed) % 2) {
        size_t bytes = pick_size(&w->seed), old = b.bytes;
        size_t keep  = bytes < old ? bytes : old;
        b            = (Block){tested_realloc(b.ptr, bytes), bytes, b.tag};
        verify(w, &b, keep, old);
        if (b.ptr) fill(&b);
    }
    tested_free(b.ptr);
}

static Block make_block(Worker *w, int how) {
    Block b = {NULL, pick_size(&w->seed), (unsigned char)next_random(&w->seed)};
    if (how == 0) b.ptr = tested_malloc(b.bytes);
    else if (how == 1) {
        b.ptr = tested_calloc(1, b.bytes);
        for (size_t i = 0; b.ptr && i < b.bytes; ++i)
            if (b.ptr[i]) {
                fail(w, "calloc returned a non-zero byte", &b);
                break;
            }
    } else {
        void *p = NULL;
        if (tested_posix_memalign(&p, (size_t)64 << (next_random(&w->seed) % 7), b.bytes)) p = NULL;
        b.ptr = p;
    }
    if (b.ptr) fill(&b);
    else fail(w, "allocation failed", &b);
    return b;
}

static void *run(void *arg) {
    Worker *w = arg;
    Block   live[LIVE];
    for (int i = 0; i < LIVE; ++i) live[i] = make_block(w, 0);
    for (long op = 0; op < w->ops; ++op) {
        Block   *b = &live[next_random(&w->seed) % LIVE];
        uint32_t r = next_random(&w->seed) % 10;
        Block    got;
        if (channel_take(w->in, &got)) receive(w, got);
        if (r < 3) { // hand it over, replace it
            verify(w, b, b->bytes, b->bytes);
            if (!channel_put(w->out, *b)) tested_free(b->ptr);
            *b = make_block(w, (int)(next_random(&w->seed) % 3));
        } else if (r < 6) { // realloc here
            size_t bytes = pick_size(&w->seed), old = b->bytes;
            size_t keep  = bytes < old ? bytes : old;
            *b           = (Block){tested_realloc(b->ptr, bytes), bytes, b->tag};
            verify(w, b, keep, old);
            if (b->ptr) fill(b);
        } else { // free and allocate again
            verify(w, b, b->bytes, b->bytes);
            tested_free(b->ptr);
            *b = make_block(w, (int)(next_random(&w->seed) % 3));
        }
    }
    for (int i = 0; i < LIVE; ++i) {
        verify(w, &live[i], live[i].bytes, live[i].bytes);
        tested_free(live[i].ptr);
    }
    return NULL;
}

int main(int argc, char **argv) {
    long    ops      = argc > 1 ? strtol(argv[1], NULL, 10) : 20000;
    Channel channels[2];
    for (int c = 0; c < 2; ++c) {
        pthread_mutex_init(&channels[c].lock, NULL);
        channels[c].len = 0;
    }
    Worker workers[2] = {{0, ops, 0x12345u, &channels[0], &channels[1], 0, 0, ""},
                         {1, ops, 0x9e3779b9u, &channels[1], &channels[0], 0, 0, ""}};
    pthread_t threads[2];
    for (int t = 0; t < 2; ++t) pthread_create(&threads[t], NULL, run, &workers[t]);
    for (int t = 0; t < 2; ++t) pthread_join(threads[t], NULL);
    Worker drain = {2, 0, 1, NULL, NULL, 0, 0, ""}; // blocks still in the channels
    for (int c = 0; c < 2; ++c)
        for (Block b; channel_take(&channels[c], &b);) receive(&drain, b);
    int passed = 0, failed = 0;
    for (int t = 0; t < 3; ++t) {
        Worker *w = t < 2 ? &workers[t] : &drain;
        if (w->errors) {
            printf("FAIL thread_%d_blocks_match_the_model: %ld of %ld checks: %s\n", t, w->errors,
                   w->checks, w->first_error);
            failed++;
        } else {
            printf("ok   thread_%d_blocks_match_the_model (%ld checks)\n", t, w->checks);
            passed++;
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
