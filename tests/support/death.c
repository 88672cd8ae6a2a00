// Fork-and-capture helper behind expect_death (see death.h).
#include "death.h"

#include <criterion/criterion.h>
#include <signal.h>   // SIGABRT
#include <stdio.h>    // snprintf
#include <string.h>   // strncmp, strchr
#include <sys/mman.h> // mmap: the noted pointer is shared between child and parent
#include <sys/wait.h> // waitpid
#include <unistd.h>   // fork, pipe, dup2

static const void **noted_pointer;

void death_note_pointer(const void *pointer) {
    if (noted_pointer) *noted_pointer = pointer;
}

static size_t read_all(int fd, char *buf, size_t cap) {
    size_t used = 0;
    for (;;) {
        ssize_t got = read(fd, buf + used, cap - 1 - used);
        if (got <= 0 || used + (size_t)got >= cap - 1) {
            if (got > 0) used += (size_t)got;
            break;
        }
        used += (size_t)got;
    }
    buf[used] = '\0';
    return used;
}

void expect_death(DeathBody body, const char *expected) {
    noted_pointer = mmap(NULL, sizeof *noted_pointer, PROT_READ | PROT_WRITE,
                         MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    cr_assert(noted_pointer != MAP_FAILED);
    *noted_pointer = NULL;
    int fds[2];
    cr_assert(pipe(fds) == 0);
    pid_t child = fork();
    cr_assert(child >= 0);
    if (child == 0) {
        close(fds[0]);
        dup2(fds[1], 2);
        body();
        _exit(0); // survived: the parent reports it
    }
    close(fds[1]);
    static char output[16384];
    read_all(fds[0], output, sizeof output);
    close(fds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    char *newline = strchr(output, '\n');
    if (newline) *newline = '\0';
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
              "expected death by SIGABRT with \"%s\", got status %d, stderr: \"%s\"", expected,
              status, output);
    if (*noted_pointer) {
        char line[1024];
        snprintf(line, sizeof line, "%s %p", expected, *noted_pointer);
        cr_assert_str_eq(output, line);
    } else {
        size_t n = strlen(expected);
        cr_assert(strncmp(output, expected, n) == 0 && output[n] == ' ',
                  "expected \"%s <pointer>\", got \"%s\"", expected, output);
    }
    munmap((void *)noted_pointer, sizeof *noted_pointer);
    noted_pointer = NULL;
}
