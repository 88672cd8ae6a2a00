// SPDX-License-Identifier: MIT
// Text plumbing of the Markdown stage: the growable buffer, lookups in the model, and the
// escaping that turns comment text into Markdown that can never become markup (md_text,
// md_inline, md_html), plus file reading and writing with checked errors (md_write).
#include "gen_md_internal.h"

#include <ctype.h>    // isalnum, isspace
#include <errno.h>    // errno
#include <stdio.h>    // FILE, vsnprintf
#include <stdlib.h>   // malloc, realloc
#include <string.h>   // strlen, memcpy
#include <strings.h>  // strcasecmp
#include <sys/stat.h> // mkdir

// --- Buffer --------------------------------------------------------------------------------

static void md_reserve(MdBuf *b, size_t extra) {
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        fprintf(stderr, "apidoc: markdown: out of memory\n");
        exit(3);
    }
    b->data = p;
    b->cap  = cap;
}

void md_putn(MdBuf *b, const char *s, size_t n) {
    md_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void md_put(MdBuf *b, const char *s) { md_putn(b, s, strlen(s)); }
void md_putc(MdBuf *b, char c) { md_putn(b, &c, 1); }

void md_printf(MdBuf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    md_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void md_free(MdBuf *b) {
    free(b->data);
    *b = (MdBuf){0};
}

const char *md_str(const MdBuf *b) { return b->data ? b->data : ""; }

// --- Model lookups -------------------------------------------------------------------------

const char *md_json_str(const json_t *obj, const char *key) {
    const json_t *v = obj ? json_object_get(obj, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

long md_json_int(const json_t *obj, const char *key) {
    const json_t *v = obj ? json_object_get(obj, key) : NULL;
    return json_is_integer(v) ? (long)json_integer_value(v) : 0;
}

// Binary search in the order of md_load_symbols' sort (case-folded name, then exact name).
const MdSym *md_find(const MdModel *m, const char *name) {
    size_t lo = 0, hi = m->nsyms;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int    c   = strcasecmp(m->syms[mid].name, name);
        if (!c) c = strcmp(m->syms[mid].name, name);
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    // lo: the first of the name, if any (the plain page comes first)
    return lo < m->nsyms && strcmp(m->syms[lo].name, name) == 0 ? &m->syms[lo] : NULL;
}

const char *md_desc(const json_t *obj) {
    const char *d = md_json_str(obj, "description");
    return d ? d : md_json_str(obj, "text");
}

const MdTag *md_find_tag(const MdModel *m, const char *name) {
    for (size_t i = 0; i < m->ntags; i++) {
        if (strcasecmp(m->tags[i].name, name) == 0) return &m->tags[i];
        for (size_t s = 0; s < m->tags[i].nsynonyms; s++)
            if (strcasecmp(m->tags[i].synonyms[s], name) == 0) return &m->tags[i];
    }
    return NULL;
}

const char *md_kind_label(const char *kind) {
    if (strcmp(kind, "function-macro") == 0) return "function-like macro";
    if (strcmp(kind, "object-macro") == 0) return "macro";
    return kind;
}

int md_has_source(const MdModel *m, const char *file) {
    for (size_t i = 0; i < m->nsources; i++)
        if (strcmp(m->sources[i], file) == 0) return 1;
    return 0;
}

int md_is_test_path(const char *path) {
    return strncmp(path, "tests/", 6) == 0 || strstr(path, "/tests/") != NULL ||
           strncmp(path, "fuzz/", 5) == 0;
}

int md_is_example_path(const char *path) {
    return strncmp(path, "examples/", 9) == 0 || strstr(path, "/examples/") != NULL;
}

const char *md_basename(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

// --- Escaping ------------------------------------------------------------------------------

void md_html(MdBuf *b, const char *text) {
    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '<': md_put(b, "&lt;"); break;
        case '>': md_put(b, "&gt;"); break;
        case '&': md_put(b, "&amp;"); break;
        case '"': md_put(b, "&quot;"); break;
        case '\'': md_put(b, "&#39;"); break;
        default: md_putc(b, *p);
        }
    }
}

void md_up(MdBuf *b, const char *from_dir) {
    if (strcmp(from_dir, "api") == 0) return; // the common case: symbol pages link side by side
    md_put(b, "../");
    for (const char *p = from_dir; *p; p++)
        if (*p == '/') md_put(b, "../");
    md_put(b, "api/");
}

void md_sym_link(MdBuf *b, const MdSym *s, const char *from_dir) {
    md_printf(b, "[`%s`](", s->name);
    md_up(b, from_dir);
    md_printf(b, "%s.md)", s->page);
}

// One character of prose, escaped so that Markdown and HTML see plain text.
static void md_escape_char(MdBuf *b, char c) {
    switch (c) {
    case '<': md_put(b, "&lt;"); break;
    case '>': md_put(b, "&gt;"); break;
    case '&': md_put(b, "&amp;"); break;
    case '\\': case '*': case '_': case '[': case ']': case '{': case '}': case '#': case '|':
    case '!': case '`': case '(': case ')': case '+':
        md_putc(b, '\\');
        md_putc(b, c);
        break;
    default: md_putc(b, c);
    }
}

// A code span `...` starting at p[0] == '`'; returns the length consumed, 0 when unclosed.
static size_t md_code_span(MdBuf *b, const MdModel *m, const char *p, const char *from_dir) {
    const char *end = strchr(p + 1, '`');
    const char *nl  = strchr(p + 1, '\n');
    if (!end || (nl && nl < end) || end == p + 1) return 0;
    size_t n    = (size_t)(end - p - 1);
    char   name[256];
    if (n < sizeof name) {
        memcpy(name, p + 1, n);
        name[n] = '\0';
        // `Name` or `Name()` of a documented symbol becomes a link.
        if (n > 2 && strcmp(name + n - 2, "()") == 0) name[n - 2] = '\0';
        const MdSym *s = md_find(m, name);
        if (s) {
            md_sym_link(b, s, from_dir);
            return n + 2;
        }
    }
    // Verbatim code span; Markdown escapes its content.
    md_putc(b, '`');
    md_putn(b, p + 1, n);
    md_putc(b, '`');
    return n + 2;
}

static void md_line(MdBuf *b, const MdModel *m, const char *p, size_t n, const char *from_dir) {
    char line[4096];
    if (n >= sizeof line) n = sizeof line - 1;
    memcpy(line, p, n);
    line[n] = '\0';
    for (size_t i = 0; i < n;) {
        if (line[i] == '`') {
            size_t used = md_code_span(b, m, line + i, from_dir);
            if (used) {
                i += used;
                continue;
            }
        }
        md_escape_char(b, line[i]);
        i++;
    }
}

// Length of a list marker ("- ", "* ", "12. ") at the start of s, 0 when none.
static size_t md_list_marker(const char *s) {
    if ((s[0] == '-' || s[0] == '*') && s[1] == ' ') return 2;
    size_t i = 0;
    while (isdigit((unsigned char)s[i])) i++;
    if (i > 0 && i < 4 && s[i] == '.' && s[i + 1] == ' ') return i + 2;
    return 0;
}

void md_text(MdBuf *b, const MdModel *m, const char *text, const char *from_dir) {
    if (!text) return;
    int prev = 0; // 0 start or blank, 1 prose, 2 list item
    for (const char *p = text; *p;) {
        const char *eol = strchr(p, '\n');
        size_t      n   = eol ? (size_t)(eol - p) : strlen(p);
        size_t      ws  = 0;
        while (ws < n && isspace((unsigned char)p[ws])) ws++;
        if (ws == n) {
            if (prev) md_put(b, "\n");
            prev = 0;
        } else {
            size_t mark = md_list_marker(p + ws);
            if (mark) {
                if (prev == 1) md_put(b, "\n"); // Python-Markdown needs a blank line before a list
                md_putn(b, p + ws, mark);
                md_line(b, m, p + ws + mark, n - ws - mark, from_dir);
                prev = 2;
            } else {
                if (prev == 2 && ws > 0) md_put(b, "    "); // continuation of a list item
                md_line(b, m, p + ws, n - ws, from_dir);
                if (prev == 0) prev = 1;
            }
            md_put(b, "\n");
        }
        p += n;
        if (*p == '\n') p++;
    }
}

void md_inline(MdBuf *b, const MdModel *m, const char *text, const char *from_dir) {
    if (!text) return;
    for (const char *p = text; *p;) {
        const char *eol = strchr(p, '\n');
        size_t      n   = eol ? (size_t)(eol - p) : strlen(p);
        size_t      ws  = 0;
        while (ws < n && isspace((unsigned char)p[ws])) ws++;
        if (p != text && ws < n) md_putc(b, ' ');
        md_line(b, m, p + ws, n - ws, from_dir);
        p += n;
        if (*p == '\n') p++;
    }
}

// --- Files ---------------------------------------------------------------------------------

static int md_mkdirs(char *path) {
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        int rc = mkdir(path, 0755);
        *p = '/';
        if (rc != 0 && errno != EEXIST) return -1;
    }
    return 0;
}

int md_write(const MdModel *m, const char *relpath, const MdBuf *b) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", m->out_dir, relpath);
    if (md_mkdirs(path) != 0) {
        fprintf(stderr, "apidoc: markdown: cannot create the directory of %s: %s\n", path, strerror(errno));
        return -1;
    }
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "apidoc: markdown: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    fwrite(md_str(b), 1, b->len, f);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        fprintf(stderr, "apidoc: markdown: error writing %s\n", path);
        return -1;
    }
    return 0;
}

char *md_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    MdBuf b = {0};
    char  chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) md_putn(&b, chunk, n);
    fclose(f);
    if (len) *len = b.len;
    if (!b.data) md_putn(&b, "", 0);
    return b.data;
}

char *md_source_lines(const MdModel *m, const char *file, long first, long last) {
    if (!m->source_root || first < 1 || last < first) return NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", m->source_root, file);
    char *all = md_read_file(path, NULL);
    if (!all) return NULL;
    MdBuf out  = {0};
    long  line = 1;
    for (const char *p = all; *p && line <= last; line++) {
        const char *eol = strchr(p, '\n');
        size_t      n   = eol ? (size_t)(eol - p) : strlen(p);
        if (line >= first) {
            md_putn(&out, p, n);
            md_putc(&out, '\n');
        }
        p += n;
        if (*p == '\n') p++;
    }
    free(all);
    if (!out.data) return NULL;
    return out.data;
}
