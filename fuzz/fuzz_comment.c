// SPDX-License-Identifier: MIT
// libFuzzer target: apidoc's `///` comment parser (tools/apidoc/comment.c). The input is a header's
// text: it is split into lines and handed to comment_parse_file, then every line goes through
// comment_block_before and comment_trailing. Any crash, hang, leak or sanitizer report is a bug;
// grammar errors are expected and only counted as diagnostics.
#include "model.h"

#include <stdint.h> // uint8_t
#include <stdlib.h> // malloc, free
#include <string.h> // memcpy

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static void free_strs(StrVec *v) {
    for (size_t i = 0; i < v->n; ++i) free(v->items[i]);
    free(v->items);
}

static void free_doc(Doc *d) {
    free(d->brief), free(d->description), free(d->success), free(d->failure);
    free(d->returns), free(d->usage), free(d->deprecated);
    for (size_t i = 0; i < d->params.n; ++i)
        free(d->params.items[i].name), free(d->params.items[i].direction), free(d->params.items[i].description);
    for (size_t i = 0; i < d->fields.n; ++i) free(d->fields.items[i].name), free(d->fields.items[i].description);
    for (size_t i = 0; i < d->notes.n; ++i) free(d->notes.items[i].kind), free(d->notes.items[i].text);
    free(d->params.items), free(d->fields.items), free(d->notes.items);
    free_strs(&d->see), free_strs(&d->tags), free_strs(&d->tags_written);
    free(d);
}

// Split `data` at '\n' into NUL-terminated lines (a NUL byte inside a line ends it early).
static char **split_lines(const uint8_t *data, size_t len, int *nlines) {
    int n = 1;
    for (size_t i = 0; i < len; ++i) n += data[i] == '\n';
    char **lines = calloc((size_t)n, sizeof *lines);
    size_t start = 0;
    int    at    = 0;
    for (size_t i = 0; i <= len; ++i) {
        if (i < len && data[i] != '\n') continue;
        lines[at] = malloc(i - start + 1);
        memcpy(lines[at], data + start, i - start);
        lines[at++][i - start] = '\0';
        start                  = i + 1;
    }
    *nlines = n;
    return lines;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len) {
    int     nlines;
    char  **lines = split_lines(data, len, &nlines);
    DocVec  docs  = {0};
    DiagVec diags = {0};
    comment_parse_file("fuzz.h", lines, nlines, &docs, &diags);
    for (int line = 1; line <= nlines; ++line) {
        (void)comment_block_before(&docs, lines, nlines, line);
        free(comment_trailing(lines[line - 1]));
    }
    for (size_t i = 0; i < docs.n; ++i) free_doc(docs.items[i]);
    for (size_t i = 0; i < diags.n; ++i) free(diags.items[i].file), free(diags.items[i].message);
    free(docs.items), free(diags.items);
    for (int i = 0; i < nlines; ++i) free(lines[i]);
    free(lines);
    return 0;
}
