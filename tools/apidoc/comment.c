// SPDX-License-Identifier: MIT
// The `///` grammar of DOC-COMMENTS.md: find blocks (runs of `///` lines) in a file's text and
// parse each into a Doc (description, parameter rows, FIELDS:, SUCCESS:, FAILURE:, RETURNS:,
// USAGE:, INFO:/NOTE:/WARN:, DEPRECATED:, SEE:, TAGS:). Grammar errors become diagnostics.
// Entry points: comment_parse_file, comment_block_before, comment_trailing. Blocks in the Doxygen
// dialect (`/**`, `/*!`, `//!`, or `///` with `@`/`\` commands) go to comment_doxygen.c.
#include "comment_doxygen.h"
#include "model.h"

#include <ctype.h>  // isspace, isupper
#include <stdlib.h> // free
#include <string.h> // strncmp

typedef enum { ST_DESC, ST_PARAM, ST_FIELDS, ST_TEXT, ST_LIST, ST_USAGE } State;

static const char *const KEYWORDS[] = {"FIELDS", "SUCCESS", "FAILURE", "RETURNS", "USAGE", "INFO",
                                       "NOTE",   "WARN",    "DEPRECATED", "SEE",  "TAGS"};

static int is_blank(const char *s) {
    while (*s && isspace((unsigned char)*s)) s++;
    return *s == '\0';
}

static const char *skip_ws(const char *s) {
    while (*s && isspace((unsigned char)*s)) s++;
    return s;
}

// Trim trailing blank lines and whitespace, leading blank lines.
static char *finish(char *s) {
    if (!s) return NULL;
    char *b = s;
    while (*b == '\n') b++;
    size_t n = strlen(b);
    while (n && isspace((unsigned char)b[n - 1])) n--;
    char *r = xstrndup(b, n);
    free(s);
    return r;
}

// A keyword line: `WORD:` or `WORD :` at column 0 with WORD upper-case. Returns the length of
// WORD and sets *rest to the text after the colon; 0 when the line is no keyword line.
static size_t keyword_at(const char *t, const char **rest) {
    size_t n = 0;
    if (!isupper((unsigned char)t[0])) return 0;
    while (isupper((unsigned char)t[n]) || t[n] == '_') n++;
    if (n < 2) return 0;
    size_t k = n;
    while (t[k] == ' ') k++;
    if (t[k] != ':') return 0;
    *rest = skip_ws(t + k + 1);
    return n;
}

static int known_keyword(const char *t, size_t n) {
    for (size_t i = 0; i < sizeof KEYWORDS / sizeof *KEYWORDS; i++)
        if (strlen(KEYWORDS[i]) == n && strncmp(KEYWORDS[i], t, n) == 0) return (int)i;
    return -1;
}

// `name[dir]: text`. Returns 1 for a valid row, -1 for a malformed attempt, 0 for plain text.
static int param_at(const char *t, char **name, char **dir, const char **rest) {
    const char *p = t;
    if (strncmp(p, "...", 3) == 0) p += 3;
    else {
        if (!(isalpha((unsigned char)*p) || *p == '_')) return 0;
        while (isalnum((unsigned char)*p) || *p == '_') p++;
    }
    const char *name_end = p;
    while (*p == ' ') p++;
    if (*p != '[') return 0;
    const char *close = strchr(p, ']');
    if (!close) return -1;
    for (const char *q = p + 1; q < close; q++)
        if (!(isalpha((unsigned char)*q) || *q == ',' || *q == ' ')) return 0; // `a[i]` is text
    char d[32] = {0};
    size_t dn = 0;
    for (const char *q = p + 1; q < close && dn < sizeof d - 1; q++)
        if (*q != ' ') d[dn++] = *q;
    const char *c = close + 1;
    while (*c == ' ') c++;
    if (*c != ':') return -1;
    if (strcmp(d, "in") && strcmp(d, "out") && strcmp(d, "in,out")) return -1;
    *name = xstrndup(t, (size_t)(name_end - t));
    *dir  = xstrdup(d);
    *rest = skip_ws(c + 1);
    return 1;
}

static void add_list(StrVec *v, const char *text) {
    char *copy = xstrdup(text);
    for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
        char *s = (char *)skip_ws(tok);
        size_t n = strlen(s);
        while (n && isspace((unsigned char)s[n - 1])) n--;
        if (n) vec_push(v, xstrndup(s, n));
    }
    free(copy);
}

static char *dedent(char *s) {
    if (!s) return NULL;
    size_t common = (size_t)-1;
    for (char *l = s; *l;) {
        char *e = strchr(l, '\n');
        size_t len = e ? (size_t)(e - l) : strlen(l), ind = 0;
        while (ind < len && l[ind] == ' ') ind++;
        if (ind < len && ind < common) common = ind;
        l = e ? e + 1 : l + len;
    }
    if (common == (size_t)-1 || common == 0) return s;
    Str out = {0};
    str_cat(&out, "");
    for (char *l = s; *l;) {
        char *e = strchr(l, '\n');
        size_t len = e ? (size_t)(e - l) : strlen(l);
        if (len > common) str_add(&out, l + common, len - common);
        if (e) str_cat(&out, "\n");
        l = e ? e + 1 : l + len;
    }
    free(s);
    return out.buf;
}

static char *brief_of(const char *desc) {
    size_t n = 0;
    while (desc[n] && !(desc[n] == '\n' && desc[n + 1] == '\n')) {
        if (desc[n] == '.' && (desc[n + 1] == ' ' || desc[n + 1] == '\n' || desc[n + 1] == '\0')) {
            n++;
            break;
        }
        n++;
    }
    char *b = xstrndup(desc, n);
    for (char *p = b; *p; p++)
        if (*p == '\n') *p = ' ';
    return b;
}

static void append_line(char **field, const char *text, int raw) {
    Str s = {*field, *field ? strlen(*field) : 0, *field ? strlen(*field) + 1 : 0};
    if (!s.buf) str_cat(&s, "");
    else str_cat(&s, "\n");
    str_cat(&s, raw ? text : skip_ws(text));
    *field = s.buf;
}

static Doc *parse_block(const char *path, char **text, int first, int count, DiagVec *diags) {
    Doc  *d     = xcalloc(1, sizeof *d);
    State st    = ST_DESC;
    char **cur  = &d->description;
    StrVec *list = NULL;
    d->line     = first;
    d->end_line = first + count - 1;
    for (int i = 0; i < count; i++) {
        const char *t = text[i];
        int line = first + i;
        const char *rest = NULL;
        size_t kw = keyword_at(t, &rest);
        if (kw) {
            int k = known_keyword(t, kw);
            if (k < 0 && st != ST_USAGE) {
                diag_add(diags, DIAG_ERROR, path, line, "unknown section `%.*s:`", (int)kw, t);
                continue;
            }
            if (k >= 0) {
                const char *name = KEYWORDS[k];
                if (strcmp(name, "FIELDS") == 0) {
                    st = ST_FIELDS;
                    d->fields_line = line;
                    if (*rest) diag_add(diags, DIAG_ERROR, path, line, "text after `FIELDS:`; items go on their own `- name : text` lines");
                } else if (strcmp(name, "USAGE") == 0) {
                    st = ST_USAGE;
                    cur = &d->usage;
                    if (!d->usage) d->usage = xstrdup("");
                    if (*rest) append_line(cur, rest, 1);
                } else if (strcmp(name, "SEE") == 0 || strcmp(name, "TAGS") == 0) {
                    st   = ST_LIST;
                    list = name[0] == 'S' ? &d->see : &d->tags_written;
                    if (name[0] == 'T') d->has_tags = 1, d->tags_line = line;
                    add_list(list, rest);
                } else if (strcmp(name, "INFO") == 0 || strcmp(name, "NOTE") == 0 || strcmp(name, "WARN") == 0) {
                    DocNote note = {xstrdup(name[0] == 'I' ? "info" : name[0] == 'N' ? "note" : "warn"), NULL};
                    vec_push(&d->notes, note);
                    st  = ST_TEXT;
                    cur = &d->notes.items[d->notes.n - 1].text;
                    append_line(cur, rest, 0);
                } else {
                    char **slot = strcmp(name, "SUCCESS") == 0 ? &d->success
                                : strcmp(name, "FAILURE") == 0 ? &d->failure
                                : strcmp(name, "RETURNS") == 0 ? &d->returns
                                                                : &d->deprecated;
                    if (*slot) diag_add(diags, DIAG_ERROR, path, line, "section `%s:` given twice", name);
                    free(*slot);
                    *slot = NULL;
                    st  = ST_TEXT;
                    cur = slot;
                    append_line(cur, rest, 0);
                }
                continue;
            }
        }
        if (st == ST_USAGE) {
            append_line(cur, t, 1);
            continue;
        }
        char *pname = NULL, *pdir = NULL;
        int p = (st == ST_DESC || st == ST_PARAM) ? param_at(t, &pname, &pdir, &rest) : 0;
        if (p < 0) {
            diag_add(diags, DIAG_ERROR, path, line,
                     "malformed parameter line; expected `name[in]: text`, `name[out]: text` or `name[in,out]: text`");
            continue;
        }
        if (p > 0) {
            DocParam dp = {pname, pdir, xstrdup(rest), line};
            vec_push(&d->params, dp);
            st  = ST_PARAM;
            cur = &d->params.items[d->params.n - 1].description;
            continue;
        }
        switch (st) {
        case ST_PARAM:
            if (is_blank(t)) break;
            if (t[0] == ' ') append_line(cur, t, 0);
            else {
                st  = ST_DESC;
                cur = &d->description;
                append_line(cur, "", 1);
                append_line(cur, t, 1);
            }
            break;
        case ST_FIELDS: {
            if (is_blank(t)) break;
            if (t[0] == '-') {
                const char *q = skip_ws(t + 1), *s = q;
                while (isalnum((unsigned char)*q) || *q == '_') q++;
                const char *c = skip_ws(q);
                if (q == s || *c != ':') {
                    diag_add(diags, DIAG_ERROR, path, line, "malformed FIELDS item; expected `- name : text`");
                    break;
                }
                DocField f = {xstrndup(s, (size_t)(q - s)), xstrdup(skip_ws(c + 1)), line};
                vec_push(&d->fields, f);
                cur = &d->fields.items[d->fields.n - 1].description;
            } else if (t[0] == ' ' && d->fields.n) {
                append_line(cur, t, 0);
            } else {
                diag_add(diags, DIAG_ERROR, path, line, "malformed FIELDS item; expected `- name : text`");
            }
            break;
        }
        case ST_LIST:
            add_list(list, t);
            break;
        case ST_TEXT:
        case ST_DESC:
        default:
            append_line(cur, t, st == ST_DESC);
            break;
        }
    }
    d->description = finish(d->description ? d->description : xstrdup(""));
    d->brief       = brief_of(d->description);
    d->success     = finish(d->success);
    d->failure     = finish(d->failure);
    d->returns     = finish(d->returns);
    d->deprecated  = finish(d->deprecated);
    d->usage       = finish(dedent(d->usage));
    for (size_t i = 0; i < d->params.n; i++) d->params.items[i].description = finish(d->params.items[i].description);
    for (size_t i = 0; i < d->fields.n; i++) d->fields.items[i].description = finish(d->fields.items[i].description);
    for (size_t i = 0; i < d->notes.n; i++) d->notes.items[i].text = finish(d->notes.items[i].text);
    return d;
}

static const char *doc_prefix(const char *l) {
    const char *s = skip_ws(l);
    if (strncmp(s, "///", 3) != 0 || s[3] == '<' || s[3] == '/') return NULL;
    return s + 3;
}

void comment_parse_file(const char *path, char **lines, int nlines, DocVec *out, DiagVec *diags) {
    int first_code = 0; // the first line that is neither blank nor a `//` comment, once known
    for (int i = 0; i < nlines;) {
        int start = i;
        Doc *d;
        if (doxygen_opener(lines[i])) {
            d = doxygen_block(path, lines, nlines, start, &i, diags);
        } else if (doc_prefix(lines[i])) {
            Vec(char *) text = {0};
            for (; i < nlines && doc_prefix(lines[i]); i++) {
                const char *t = doc_prefix(lines[i]);
                if (*t == ' ') t++;
                vec_push(&text, (char *)t);
            }
            d = doxygen_uses_commands(text.items, (int)text.n)
                    ? doxygen_parse(path, text.items, start + 1, (int)text.n, diags)
                    : parse_block(path, text.items, start + 1, (int)text.n, diags);
            free(text.items);
        } else {
            i++;
            continue;
        }
        if (!d) continue; // a Doxygen grouping block documents nothing
        // A block at the top followed by the include guard documents the file.
        int j = i;
        while (j < nlines && is_blank(lines[j])) j++;
        while (first_code < start && (is_blank(lines[first_code]) || strncmp(skip_ws(lines[first_code]), "//", 2) == 0))
            first_code++;
        int code_before = first_code < start;
        if (!code_before && j < nlines &&
            (strncmp(skip_ws(lines[j]), "#ifndef", 7) == 0 || strncmp(skip_ws(lines[j]), "#pragma once", 12) == 0))
            d->is_file_doc = 1;
        vec_push(out, d);
    }
}

// 1 when `l` is the preprocessor directive `#name…`.
static int directive(const char *l, const char *name) {
    const char *s = skip_ws(l);
    return *s == '#' && strncmp(skip_ws(s + 1), name, strlen(name)) == 0;
}

// 1 for `#if…`, 2 for `#elif` / `#else`, 3 for `#endif`, else 0.
static int conditional(const char *l) {
    if (directive(l, "endif")) return 3;
    if (directive(l, "elif") || directive(l, "else")) return 2;
    return directive(l, "if") ? 1 : 0;
}

// The 0-based index of the `#endif` closing the conditional that opens at lines[j].
static int conditional_end(char **lines, int nlines, int j) {
    int depth = 0;
    for (; j < nlines; j++) {
        int c = conditional(lines[j]);
        if (c == 1) depth++;
        if (c == 3 && --depth == 0) return j;
    }
    return nlines - 1;
}

// As with Doxygen's preprocessor, a Doxygen block followed by `#include` lines and conditionals
// documents the first declaration of the branches the compiler keeps: 1 when `line` is in them.
static int before_conditional(const Doc *d, char **lines, int nlines, int line) {
    if (!d->is_doxygen || d->used || d->is_file_doc) return 0;
    for (int k = d->end_line; k < nlines && k + 1 < line;) {
        if (is_blank(lines[k]) || directive(lines[k], "include")) {
            k++;
        } else if (conditional(lines[k]) == 1) {
            int end = conditional_end(lines, nlines, k);
            if (line <= end + 1) return 1;
            k = end + 1;
        } else {
            return 0;
        }
    }
    return 0;
}

Doc *comment_block_before(DocVec *docs, char **lines, int nlines, int line) {
    // blocks are in line order: only the last one ending before `line` can be right before it
    size_t lo = 0, hi = docs->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (docs->items[mid]->end_line < line) lo = mid + 1;
        else hi = mid;
    }
    if (lo > 0 && !docs->items[lo - 1]->is_file_doc) {
        Doc *d = docs->items[lo - 1];
        int j = d->end_line; // 0-based index of the line after the block
        while (j < nlines && is_blank(lines[j])) j++;
        if (j + 1 == line) return d;
    }
    for (size_t i = lo; i-- > 0;)
        if (before_conditional(docs->items[i], lines, nlines, line)) return docs->items[i];
    return NULL;
}

char *comment_trailing(const char *text) {
    const char *p = strstr(text, "///<");
    if (!p) return doxygen_trailing(text);
    p = skip_ws(p + 4);
    size_t n = strlen(p);
    while (n && isspace((unsigned char)p[n - 1])) n--;
    return xstrndup(p, n);
}
