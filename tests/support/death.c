// SPDX-License-Identifier: MIT
// The fork-and-capture death-test harness (see death.h); no test framework here, so programs
// outside Criterion (the violation catalogue) use it too.
#include "death.h"

#include <errno.h>    // EINTR
#include <poll.h>     // poll: drain both pipes without a deadlock
#include <signal.h>   // SIGABRT, strsignal
#include <stdio.h>    // snprintf, fflush
#include <stdlib.h>   // abort
#include <string.h>   // strncmp, strlen, strsignal
#include <sys/mman.h> // mmap: the noted pointer is shared between child and parent
#include <sys/wait.h> // waitpid
#include <unistd.h>   // fork, pipe, dup2, read, alarm

enum { ALARM_SECONDS = 30 };

// The child's note, in a shared page mapped once; a run's pipes and child.
typedef struct Shared {
    const void *pointer;
    bool        noted;
} Shared;
static Shared *shared;
static int     out_fd = -1, err_fd = -1;
static pid_t   child_pid;
static bool    in_child;

static void die(const char *what) {
    fprintf(stderr, "death harness: %s\n", what);
    abort();
}

void death_note_pointer(const void *pointer) {
    if (!in_child || !shared) return;
    shared->pointer = pointer;
    shared->noted   = true;
}

bool death_fork(DeathRun *run) {
    if (!shared) {
        shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (shared == MAP_FAILED) die("mmap failed");
    }
    *shared = (Shared){0};
    *run    = (DeathRun){0};
    int out[2], err[2];
    if (pipe(out) || pipe(err)) die("pipe failed");
    fflush(NULL); // nothing buffered is written twice
    child_pid = fork();
    if (child_pid < 0) die("fork failed");
    if (child_pid == 0) {
        in_child = true;
        close(out[0]), close(err[0]);
        dup2(out[1], 1), dup2(err[1], 2);
        close(out[1]), close(err[1]);
        alarm(ALARM_SECONDS); // a child that hangs dies by SIGALRM, which the verdicts report
        return true;
    }
    close(out[1]), close(err[1]);
    out_fd = out[0], err_fd = err[0];
    return false;
}

void death_wait(DeathRun *run) {
    struct {
        int    fd;
        char  *buf;
        size_t cap, used;
    } streams[2] = {{out_fd, run->out, sizeof run->out, 0}, {err_fd, run->err, sizeof run->err, 0}};
    int open_streams = 2;
    while (open_streams) {
        struct pollfd fds[2] = {{streams[0].fd, POLLIN, 0}, {streams[1].fd, POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            die("poll failed");
        }
        for (int i = 0; i < 2; ++i) {
            if (streams[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char    scratch[4096];
            size_t  room = streams[i].cap - 1 - streams[i].used;
            char   *into = room ? streams[i].buf + streams[i].used : scratch; // past the cap: drop
            ssize_t got  = read(streams[i].fd, into, room ? room : sizeof scratch);
            if (got > 0) {
                if (room) streams[i].used += (size_t)got;
                continue;
            }
            close(streams[i].fd);
            streams[i].fd = -1, fds[i].fd = -1;
            --open_streams;
        }
    }
    run->out[streams[0].used] = '\0';
    run->err[streams[1].used] = '\0';
    while (waitpid(child_pid, &run->status, 0) < 0)
        if (errno != EINTR) die("waitpid failed");
    run->pointer = shared->pointer;
    run->noted   = shared->noted;
}

void death_run(DeathBody body, DeathRun *run) {
    if (death_fork(run)) {
        body();
        fflush(NULL);
        _exit(0);
    }
    death_wait(run);
}

// --- Verdicts -----------------------------------------------------------------------------------

static char verdict[1024];

static const char *ended_as(const DeathRun *run) {
    static char text[128];
    if (WIFSIGNALED(run->status))
        snprintf(text, sizeof text, "killed by signal %d (%s)", WTERMSIG(run->status),
                 strsignal(WTERMSIG(run->status)));
    else if (WIFEXITED(run->status))
        snprintf(text, sizeof text, "exit status %d", WEXITSTATUS(run->status));
    else
        snprintf(text, sizeof text, "wait status %d", run->status);
    return text;
}

// The first stderr line starting with "alloc: fatal: " (length in *len) and how many there are.
static const char *fatal_line(const DeathRun *run, size_t *len, int *count) {
    const char *first = NULL;
    *count            = 0;
    for (const char *line = run->err; *line;) {
        const char *end = strchr(line, '\n');
        size_t      n   = end ? (size_t)(end - line) : strlen(line);
        if (strncmp(line, "alloc: fatal: ", 14) == 0 && (*count)++ == 0) first = line, *len = n;
        line += n + (end != NULL);
    }
    return first;
}

const char *death_fatal_mismatch(const DeathRun *run, const char *expected) {
    size_t      len   = 0;
    int         count = 0;
    const char *line  = fatal_line(run, &len, &count);
    if (!(WIFSIGNALED(run->status) && WTERMSIG(run->status) == SIGABRT)) {
        snprintf(verdict, sizeof verdict, "expected death by SIGABRT with \"%s\", got %s; stderr: %.400s",
                 expected, ended_as(run), run->err);
        return verdict;
    }
    if (count != 1) {
        snprintf(verdict, sizeof verdict, "expected one fatal line \"%s\", got %d; stderr: %.400s",
                 expected, count, run->err);
        return verdict;
    }
    char want[512];
    if (run->noted) snprintf(want, sizeof want, "%s %p", expected, run->pointer);
    else snprintf(want, sizeof want, "%s ", expected);
    size_t want_len = strlen(want);
    bool   same     = run->noted ? len == want_len && strncmp(line, want, len) == 0
                                 : len > want_len && strncmp(line, want, want_len) == 0;
    if (same) return NULL;
    snprintf(verdict, sizeof verdict, "expected \"%s%s\", got \"%.*s\"", want,
             run->noted ? "" : "<pointer>", (int)len, line);
    return verdict;
}

const char *death_signal_mismatch(const DeathRun *run, int signal) {
    size_t len   = 0;
    int    count = 0;
    fatal_line(run, &len, &count);
    if (WIFSIGNALED(run->status) && WTERMSIG(run->status) == signal && count == 0) return NULL;
    snprintf(verdict, sizeof verdict, "expected death by signal %d (%s) and no fatal line, got %s "
             "and %d fatal lines; stderr: %.400s", signal, strsignal(signal), ended_as(run), count,
             run->err);
    return verdict;
}

const char *death_exit_mismatch(const DeathRun *run, int code) {
    if (WIFEXITED(run->status) && WEXITSTATUS(run->status) == code) return NULL;
    snprintf(verdict, sizeof verdict, "expected exit status %d, got %s; stderr: %.400s", code,
             ended_as(run), run->err);
    return verdict;
}
