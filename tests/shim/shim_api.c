// The malloc family's contract under LD_PRELOAD=build/liballoc-malloc.so: run by tests/shim/run.sh
// with the shim preloaded (and once without, to show the checks hold for glibc too). Each check
// prints "ok NAME" or "FAIL NAME: why"; the last line is "N passed, N failed".
// `shim_api die-foreign` frees a stack address instead, `shim_api die-double` a block twice: the
// shim must abort with the heap's fatal line.
#include <errno.h>   // ENOMEM, EINVAL
#include <malloc.h>  // memalign, pvalloc, malloc_usable_size
#include <pthread.h> // threads for the cross-thread checks
#include <stdint.h>  // uintptr_t, SIZE_MAX
#include <stdio.h>   // printf
#include <stdlib.h>  // malloc, free, ...
#include <string.h>  // memset, strcmp
#include <sys/wait.h> // waitpid
#include <unistd.h>  // fork, sysconf

static int passed, failed;

static void check(int ok, const char *name, const char *why) {
    if (ok) {
        passed++;
        printf("ok %s\n", name);
    } else {
        failed++;
        printf("FAIL %s: %s\n", name, why);
    }
}

static int all_bytes(const unsigned char *p, size_t n, unsigned char value) {
    for (size_t i = 0; i < n; ++i)
        if (p[i] != value) return 0;
    return 1;
}

static int aligned(const void *p, size_t a) { return ((uintptr_t)p & (a - 1)) == 0; }

static void malloc_gives_usable_distinct_blocks(void) {
    int ok = 1;
    unsigned char *blocks[64];
    for (int i = 0; i < 64; ++i) {
        size_t n  = (size_t)1 << (i % 20);
        blocks[i] = malloc(n);
        if (!blocks[i] || !aligned(blocks[i], 16) || malloc_usable_size(blocks[i]) < n) ok = 0;
        else memset(blocks[i], i, n);
    }
    for (int i = 0; i < 64; ++i) {
        if (blocks[i] && !all_bytes(blocks[i], (size_t)1 << (i % 20), (unsigned char)i)) ok = 0;
        free(blocks[i]);
    }
    check(ok, "malloc_gives_usable_distinct_blocks", "a block was NULL, misaligned or overwritten");
}

static void malloc_zero_is_freeable(void) {
    void *p = malloc(0);
    free(p);
    free(NULL);
    check(1, "malloc_zero_is_freeable", "");
}

static void calloc_zeroes_recycled_memory(void) {
    int ok = 1;
    for (int round = 0; round < 50; ++round) {
        unsigned char *p = malloc(1000);
        memset(p, 0xEE, 1000);
        free(p);
        unsigned char *q = calloc(10, 100);
        if (!q || !all_bytes(q, 1000, 0)) ok = 0;
        free(q);
    }
    check(ok, "calloc_zeroes_recycled_memory", "calloc returned non-zero bytes");
}

static void calloc_overflow_fails_with_enomem(void) {
    static volatile size_t half = SIZE_MAX / 2; // volatile: hide the overflow from the compiler
    errno            = 0;
    void *volatile p = calloc(half, 4); // volatile: clang would fold an unused result to non-NULL
    check(p == NULL && errno == ENOMEM, "calloc_overflow_fails_with_enomem", "no NULL/ENOMEM");
}

static void realloc_keeps_contents_across_sizes(void) {
    int            ok = 1;
    unsigned char *p  = malloc(8);
    memset(p, 7, 8);
    size_t n = 8;
    for (size_t next = 24; next < (size_t)8 << 20; next = next * 3) {
        p = realloc(p, next);
        if (!p || !all_bytes(p, n, 7)) {
            ok = 0;
            break;
        }
        memset(p, 7, next);
        n = next;
    }
    for (size_t next = n / 5; p && next > 4; next /= 5) {
        p = realloc(p, next);
        if (!p || !all_bytes(p, next, 7)) ok = 0;
    }
    free(p);
    check(ok, "realloc_keeps_contents_across_sizes", "contents lost");
}

static void realloc_null_and_zero(void) {
    void *p  = realloc(NULL, 40);
    int   ok = p != NULL;
    free(p);
    check(ok, "realloc_null_allocates", "realloc(NULL, 40) failed");
}

static void aligned_family_honours_alignment(void) {
    int    ok   = 1;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    for (size_t a = 16; a <= ((size_t)1 << 20); a <<= 1) {
        void *p = NULL;
        if (posix_memalign(&p, a, 100) != 0 || !aligned(p, a)) ok = 0;
        void *q = aligned_alloc(a, a * 2);
        void *r = memalign(a, 10000);
        if (!q || !aligned(q, a) || !r || !aligned(r, a)) ok = 0;
        if (q) memset(q, 1, a * 2);
        r = realloc(r, 20000); // stays aligned? not required; must keep working
        if (!r) ok = 0;
        free(p);
        free(q);
        free(r);
    }
    void *v = valloc(100), *pv = pvalloc(100);
    if (!v || !aligned(v, page) || !pv || !aligned(pv, page) || malloc_usable_size(pv) < page) ok = 0;
    free(v);
    free(pv);
    check(ok, "aligned_family_honours_alignment", "a block was not aligned or failed");
}

static void posix_memalign_rejects_bad_alignment(void) {
    void *p = (void *)1;
    check(posix_memalign(&p, 24, 10) == EINVAL && p == (void *)1,
          "posix_memalign_rejects_bad_alignment", "24 accepted");
}

// Threads allocate, hand their blocks to another thread, which frees them.
enum { THREADS = 4, PER_THREAD = 2000 };
static void *handoff[THREADS][PER_THREAD];

static void *produce(void *arg) {
    int t = (int)(intptr_t)arg;
    for (int i = 0; i < PER_THREAD; ++i) {
        size_t n        = (size_t)(16 + (i * 37 + t * 11) % 5000);
        handoff[t][i]   = malloc(n);
        memset(handoff[t][i], t, n < 64 ? n : 64);
        if (i % 3 == 0) free(malloc(n / 2 + 1)); // churn
    }
    return NULL;
}

static void *consume(void *arg) {
    int t = (int)(intptr_t)arg;
    for (int i = 0; i < PER_THREAD; ++i) free(handoff[(t + 1) % THREADS][i]);
    return NULL;
}

static void blocks_freed_by_other_threads(void) {
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; ++t) pthread_create(&threads[t], NULL, produce, (void *)(intptr_t)t);
    for (int t = 0; t < THREADS; ++t) pthread_join(threads[t], NULL);
    for (int t = 0; t < THREADS; ++t) pthread_create(&threads[t], NULL, consume, (void *)(intptr_t)t);
    for (int t = 0; t < THREADS; ++t) pthread_join(threads[t], NULL);
    check(1, "blocks_freed_by_other_threads", "");
}

// More threads than the shim has thread heaps (64), all live at once: each allocates small,
// growing (realloc past 8 KiB: the block changes heap) and over-aligned blocks, waits for all
// the others, then frees its neighbour's blocks.
enum { CROWD = 80, CROWD_BLOCKS = 50 };
static void             *crowd_blocks[CROWD][3 * CROWD_BLOCKS];
static pthread_barrier_t crowd_barrier;
static int               crowd_bad;

static void *crowd_member(void *arg) {
    int    t  = (int)(intptr_t)arg;
    void **my = crowd_blocks[t];
    for (int i = 0; i < CROWD_BLOCKS; ++i) {
        my[3 * i] = malloc((size_t)(8 + i * 8));
        char *grown = malloc(100);
        memset(grown, t, 100);
        grown = realloc(grown, 20000 + (size_t)i); // leaves the thread heap
        if (!grown || !all_bytes((unsigned char *)grown, 100, (unsigned char)t)) crowd_bad = 1;
        my[3 * i + 1] = grown;
        if (posix_memalign(&my[3 * i + 2], 256, 300) != 0) crowd_bad = 1;
    }
    pthread_barrier_wait(&crowd_barrier);
    void **theirs = crowd_blocks[(t + 1) % CROWD];
    for (int i = 0; i < 3 * CROWD_BLOCKS; ++i) free(theirs[i]);
    return NULL;
}

static void more_threads_than_heaps(void) {
    pthread_t threads[CROWD];
    pthread_barrier_init(&crowd_barrier, NULL, CROWD);
    for (int t = 0; t < CROWD; ++t)
        pthread_create(&threads[t], NULL, crowd_member, (void *)(intptr_t)t);
    for (int t = 0; t < CROWD; ++t) pthread_join(threads[t], NULL);
    pthread_barrier_destroy(&crowd_barrier);
    check(!crowd_bad, "more_threads_than_heaps", "a block lost its contents or failed");
}

static volatile int churning;
static void *churn(void *unused) {
    (void)unused;
    while (churning) free(malloc(100));
    return NULL;
}

static void fork_while_another_thread_allocates(void) {
    pthread_t thread;
    churning = 1;
    pthread_create(&thread, NULL, churn, NULL);
    int ok = 1;
    for (int i = 0; i < 8; ++i) {
        pid_t child = fork();
        if (child == 0) {
            free(malloc(1000)); // deadlocks if the lock was copied while held
            _exit(0);
        }
        int status = 0;
        waitpid(child, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ok = 0;
    }
    churning = 0;
    pthread_join(thread, NULL);
    check(ok, "fork_while_another_thread_allocates", "a child failed");
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "die-double") == 0) {
        void *volatile victim = malloc(24); // volatile: the compiler would refuse a double free
        free(victim);
        printf("pointer: %p\n", victim);
        fflush(stdout);
        free(victim);
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "die-foreign") == 0) {
        _Alignas(64) char local[64];
        void *volatile victim = local; // volatile: the compiler would refuse free(local)
        printf("pointer: %p\n", victim);
        fflush(stdout);
        free(victim);
        return 0;
    }
    malloc_gives_usable_distinct_blocks();
    malloc_zero_is_freeable();
    calloc_zeroes_recycled_memory();
    calloc_overflow_fails_with_enomem();
    realloc_keeps_contents_across_sizes();
    realloc_null_and_zero();
    aligned_family_honours_alignment();
    posix_memalign_rejects_bad_alignment();
    blocks_freed_by_other_threads();
    more_threads_than_heaps();
    fork_while_another_thread_allocates();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
