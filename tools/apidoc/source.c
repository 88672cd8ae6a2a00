// SPDX-License-Identifier: MIT
// Reading input files: whole text, and lines of UTF-8 text (an unreadable or non-UTF-8 file is a
// diagnostic). Entry points: read_text, read_lines, lines_free.
#include "model.h"

#include <stdint.h> // uint64_t
#include <stdio.h>  // fopen, fread
#include <stdlib.h> // free
#include <string.h> // memchr, strchr

char *read_text(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char  *buf = xrealloc(NULL, cap);
    for (;;) {
        if (n + 1 >= cap) buf = xrealloc(buf, cap *= 2);
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    if (len) *len = n;
    return xrealloc(buf, n + 1); // callers may keep it (read_lines does): no 64 KB floor
}

// Returns the 1-based line of the first invalid UTF-8 sequence, or 0. Runs of ASCII go eight
// bytes at a time and lines are counted only when a bad sequence is found: headers are read on
// every run, warm or cold.
static int utf8_bad_line(const unsigned char *s, size_t n) {
    for (size_t i = 0; i < n;) {
        uint64_t word;
        if (i + 8 <= n && (memcpy(&word, s + i, 8), (word & 0x8080808080808080ULL) == 0)) {
            i += 8;
            continue;
        }
        unsigned char c = s[i];
        size_t        k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        int           bad = k == 0 || i + k > n;
        for (size_t j = 1; !bad && j < k; j++)
            if ((s[i + j] & 0xC0) != 0x80) bad = 1;
        if (bad) {
            int line = 1;
            for (size_t j = 0; j < i; j++) line += s[j] == '\n';
            return line;
        }
        i += k;
    }
    return 0;
}

char **read_lines(const char *path, int *nlines, DiagVec *diags) {
    size_t len  = 0;
    char  *text = read_text(path, &len);
    if (!text) {
        diag_add(diags, DIAG_ERROR, path, 0, "cannot read file");
        return NULL;
    }
    int bad = utf8_bad_line((const unsigned char *)text, len);
    if (bad || memchr(text, '\0', len)) {
        diag_add(diags, DIAG_ERROR, path, bad ? bad : 1, "file is not valid UTF-8 text");
        free(text);
        return NULL;
    }
    Vec(char *) lines = {0}; // pointing into `text`, cut in place: one block, not one per line
    char *p = text;
    while (*p) {
        char *e = strchr(p, '\n');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        char *next = e ? e + 1 : p + l;
        if (l && p[l - 1] == '\r') l--;
        p[l] = '\0';
        vec_push(&lines, p);
        p = next;
    }
    if (!lines.n) free(text);
    *nlines = (int)lines.n;
    vec_push(&lines, NULL);
    return lines.items;
}

void lines_free(char **lines) {
    if (lines) free(lines[0]); // the block (NULL when there are no lines)
    free(lines);
}
