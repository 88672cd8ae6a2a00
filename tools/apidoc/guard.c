// SPDX-License-Identifier: MIT
// Include guards. A header's guard is the macro X of its first two preprocessing directives when
// they are `#ifndef X` (or `#if !defined X`, `#if !defined(X)`) and `#define X`, with nothing
// but blank lines and comments before them: the macro that only wraps the file. Any other macro
// whose definition a conditional protects (`#ifndef API` / `#define API`, a fallback definition
// anywhere in a header) is a symbol like every other. Entry point: header_guard_line.
#include "guard.h"

#include <ctype.h>  // isalnum, isspace
#include <string.h> // strlen, strncmp, strstr

// The first character of `line` outside comments, or NULL when the rest of the line is comment
// or blank; `*in_comment` carries an open /* */ comment from one line to the next.
static const char *first_code(const char *line, int *in_comment) {
    const char *p = line;
    for (;;) {
        if (*in_comment) {
            const char *end = strstr(p, "*/");
            if (!end) return NULL;
            p           = end + 2;
            *in_comment = 0;
        }
        while (isspace((unsigned char)*p)) p++;
        if (!*p || (p[0] == '/' && p[1] == '/')) return NULL;
        if (p[0] != '/' || p[1] != '*') return p;
        *in_comment = 1;
        p += 2;
    }
}

static const char *skip_blanks(const char *p) {
    while (*p == ' ' || *p == '\t') p++;
    return p;
}

static int is_ident_char(char ch) { return isalnum((unsigned char)ch) || ch == '_'; }

// `p` past the keyword `word` and the blanks after it, or NULL when `p` does not start with it.
static const char *after_word(const char *p, const char *word) {
    size_t n = strlen(word);
    if (strncmp(p, word, n) != 0 || is_ident_char(p[n])) return NULL;
    return skip_blanks(p + n);
}

// The identifier at `p` copied into `out` (at most `cap - 1` characters); its length, 0 if none.
static size_t read_ident(const char *p, char *out, size_t cap) {
    size_t n = 0;
    while (is_ident_char(p[n]) && n + 1 < cap) {
        out[n] = p[n];
        n++;
    }
    out[n] = '\0';
    return is_ident_char(p[n]) ? 0 : n;
}

// Whether only blanks or a comment follow `p` on its line.
static int at_line_end(const char *p) {
    p = skip_blanks(p);
    return !*p || (p[0] == '/' && (p[1] == '/' || p[1] == '*'));
}

// The macro a `#ifndef X` / `#if !defined X` / `#if !defined(X)` directive at `p` tests, in `out`
// (a condition with more in it, `#if !defined(X) && Y`, tests no single macro: 0).
static int tested_name(const char *p, char *out, size_t cap) {
    p = skip_blanks(p + 1); // past '#'
    const char *rest = after_word(p, "ifndef");
    if (rest) {
        size_t n = read_ident(rest, out, cap);
        return n && at_line_end(rest + n);
    }
    if (!(rest = after_word(p, "if")) || *rest != '!') return 0;
    rest = skip_blanks(rest + 1);
    if (strncmp(rest, "defined", 7) != 0 || is_ident_char(rest[7])) return 0;
    rest      = skip_blanks(rest + 7);
    int paren = *rest == '(';
    if (paren) rest = skip_blanks(rest + 1);
    size_t n = read_ident(rest, out, cap);
    if (!n) return 0;
    rest = skip_blanks(rest + n);
    if (paren && *rest++ != ')') return 0;
    return at_line_end(rest);
}

int header_guard_line(const HeaderFile *h) {
    char name[256];
    int  in_comment = 0, tested = 0;
    for (int i = 0; i < h->nlines; i++) {
        const char *p = first_code(h->lines[i], &in_comment);
        if (!p) continue;
        if (*p != '#') return 0; // code before the directives: no guard
        if (!tested) {
            if (!tested_name(p, name, sizeof name)) return 0;
            tested = 1;
            continue;
        }
        const char *rest = after_word(skip_blanks(p + 1), "define");
        size_t      n    = strlen(name);
        if (!rest || strncmp(rest, name, n) != 0 || is_ident_char(rest[n]) || rest[n] == '(') return 0;
        return i + 1;
    }
    return 0;
}
