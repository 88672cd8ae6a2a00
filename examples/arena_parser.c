// SPDX-License-Identifier: MIT
// Parse requests with one ArenaAllocator per request loop: every string and array of a request
// comes from the arena, nothing is freed one by one, and ArenaAllocatorReset drops the whole
// request at once while keeping the arena's chunks, so later requests make no system call (the
// footprint stays where the first request left it).
//
// Usage: arena_parser
#include "alloc/Arena.h"

#include <stdio.h>  // printf
#include <string.h> // strchr, strlen, memcpy

typedef struct Header {
    const char *name;  // both point into arena memory
    const char *value;
} Header;

typedef struct Request {
    const char *method;
    const char *path;
    Header     *headers; // count entries, arena memory
    size_t      count;
} Request;

// A copy of text[0..len) in the arena, NUL-terminated; NULL when the arena is out of memory.
static char *arena_copy(ArenaAllocator *arena, const char *text, size_t len) {
    char *copy = AllocatorAlloc(arena, len + 1, 0);
    if (copy) {
        memcpy(copy, text, len);
        copy[len] = '\0';
    }
    return copy;
}

static size_t count_lines(const char *text) {
    size_t n = 0;
    for (; *text; text++) n += *text == '\n';
    return n;
}

// Parse "METHOD PATH\nName: value\n...". All memory comes from `arena`; returns 0 on a
// malformed request or when the arena runs out (the caller resets the arena either way).
static int parse_request(ArenaAllocator *arena, const char *text, Request *out) {
    const char *end = strchr(text, '\n');
    const char *sp  = strchr(text, ' ');
    if (!end || !sp || sp > end) return 0;
    out->method = arena_copy(arena, text, (size_t)(sp - text));
    out->path   = arena_copy(arena, sp + 1, (size_t)(end - sp - 1));
    // zeroed: unused header slots read as {NULL, NULL}
    out->headers = AllocatorAlloc(arena, count_lines(end) * sizeof(Header) + 1, 1);
    out->count   = 0;
    if (!out->method || !out->path || !out->headers) return 0;
    for (const char *line = end + 1; *line; line = end + 1) {
        end = strchr(line, '\n');
        if (!end) end = line + strlen(line);
        const char *colon = strchr(line, ':');
        if (!colon || colon > end) return 0;
        const char *value = colon + 1;
        while (*value == ' ') value++;
        Header *h = &out->headers[out->count++];
        h->name   = arena_copy(arena, line, (size_t)(colon - line));
        h->value  = arena_copy(arena, value, (size_t)(end - value));
        if (!h->name || !h->value) return 0;
        if (!*end) break;
    }
    return 1;
}

static const char *const requests[] = {
    "GET /index.html\nHost: example.org\nAccept: text/html\n",
    "POST /api/items\nHost: example.org\nContent-Type: application/json\nContent-Length: 42\n",
    "GET /favicon.ico\nHost: example.org\n",
    "BROKEN\n",
};

int main(void) {
    ArenaAllocator arena          = ArenaAllocatorInit();
    size_t         first_footprint = 0;
    int            grew_later      = 0;

    for (size_t i = 0; i < sizeof requests / sizeof requests[0]; i++) {
        Request r;
        if (parse_request(&arena, requests[i], &r)) {
            printf("%s %s (%zu header%s)", r.method, r.path, r.count, r.count == 1 ? "" : "s");
            for (size_t h = 0; h < r.count; h++)
                printf("%s%s=%s", h ? ", " : ": ", r.headers[h].name, r.headers[h].value);
            printf("\n");
        } else {
            printf("request %zu: malformed\n", i + 1);
        }
        if (i == 0) first_footprint = AllocatorFootprintBytes(&arena);
        else if (AllocatorFootprintBytes(&arena) > first_footprint) grew_later = 1;
        ArenaAllocatorReset(&arena); // the whole request is gone; the chunks stay
    }

    printf("bytes in use after the last reset: %zu\n", AllocatorBytesInUse(&arena));
    printf("footprint after the first request: %s\n", grew_later ? "grew" : "unchanged");
    ArenaAllocatorDeinit(&arena);
    return 0;
}
