// SPDX-License-Identifier: MIT
// `apidoc lint`: the documentation rules of DOC-COMMENTS.md over the model. Every public symbol
// has a block with a description and TAGS: from the vocabulary; FIELDS:/`///<` names equal the
// real members and cover them; parameter rows equal the real parameters; functions and
// function-like macros have SUCCESS: and FAILURE: (or RETURNS:) unless they are trivial
// accessors (tagged Query, at most one parameter); backticked names and SEE: names resolve.
// Entry point: lint_run.
#include "model.h"

#include <ctype.h>  // isalnum
#include <stdlib.h> // free
#include <string.h> // strcmp

// Names a doc may put in backticks that are not symbols of the library: C and POSIX.
static const char *const KNOWN[] = {
    "NULL", "size_t", "ptrdiff_t", "uintptr_t", "intptr_t", "int8_t", "int16_t", "int32_t", "int64_t",
    "uint8_t", "uint16_t", "uint32_t", "uint64_t", "bool", "true", "false", "void", "char", "int",
    "long", "short", "unsigned", "signed", "float", "double", "const", "static", "sizeof", "alignof",
    "_Alignof", "offsetof", "_Generic", "_Static_assert", "_Noreturn", "__func__", "errno", "malloc",
    "free", "realloc", "calloc", "aligned_alloc", "posix_memalign", "memset", "memcpy", "memmove",
    "strncpy", "abort", "exit", "write", "read", "mmap", "munmap", "mremap", "madvise", "mprotect",
    "sysconf", "getpagesize", "longjmp", "setjmp", "signal", "raise", "stderr", "stdout", "SIGABRT",
    "SIGSEGV", "SIGBUS", "MADV_DONTNEED", "MADV_FREE", "MAP_FAILED", "PROT_NONE", "PROT_READ",
    "PROT_WRITE", "VirtualAlloc", "VirtualFree", "VirtualProtect", "backtrace", "pthread_mutex_t",
    "default", "min", "max", "MREMAP_MAYMOVE", "MAP_ANONYMOUS", "MAP_PRIVATE", "PROT_EXEC",
};

typedef struct { Model *m; Symbol *s; const char *file; } LintCtx;

static int is_ident(const char *s, size_t n) {
    if (!n || !(isalpha((unsigned char)s[0]) || s[0] == '_')) return 0;
    for (size_t i = 0; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_')) return 0;
    return 1;
}

// Only names that look like identifiers of an API are checked: snake_case with an underscore,
// PascalCase/camelCase, UPPER_CASE. A plain lower-case word (`zeroed`, `p`) may be prose.
static int looks_like_name(const char *s) {
    if (strchr(s, '_')) return 1;
    for (const char *p = s + 1; *p; p++)
        if (isupper((unsigned char)*p)) return 1;
    return 0;
}

static int resolves(LintCtx *c, const char *name) {
    for (size_t i = 0; i < sizeof KNOWN / sizeof *KNOWN; i++)
        if (strcmp(KNOWN[i], name) == 0) return 1;
    if (model_find(c->m, name)) return 1;
    for (size_t i = 0; i < c->m->symbols.n; i++) {
        Symbol *s = c->m->symbols.items[i];
        for (size_t k = 0; k < s->params.n; k++)
            if (strcmp(s->params.items[k].name, name) == 0) return 1;
        for (size_t k = 0; k < s->fields.n; k++)
            if (strcmp(s->fields.items[k].name, name) == 0) return 1;
        for (size_t k = 0; k < s->enum_values.n; k++)
            if (strcmp(s->enum_values.items[k].name, name) == 0) return 1;
    }
    return 0;
}

static void check_text(LintCtx *c, const char *text, int line) {
    if (!text) return;
    for (const char *p = strchr(text, '`'); p; p = strchr(p, '`')) {
        const char *e = strchr(p + 1, '`');
        if (!e) break;
        size_t n = (size_t)(e - p - 1);
        if (n > 2 && p[n - 1] == '(' && p[n] == ')') n -= 2; // `name()`
        if (is_ident(p + 1, n)) {
            char *name = xstrndup(p + 1, n);
            if (looks_like_name(name) && !resolves(c, name))
                diag_add(&c->m->diags, DIAG_ERROR, c->file, line, "`%s` does not name a public symbol, member, parameter or C name", name);
            free(name);
        }
        p = e + 1;
    }
}

static void check_doc_texts(LintCtx *c, const Doc *d) {
    check_text(c, d->description, d->line);
    check_text(c, d->success, d->line);
    check_text(c, d->failure, d->line);
    check_text(c, d->returns, d->line);
    check_text(c, d->deprecated, d->line);
    for (size_t i = 0; i < d->params.n; i++) check_text(c, d->params.items[i].description, d->params.items[i].line);
    for (size_t i = 0; i < d->fields.n; i++) check_text(c, d->fields.items[i].description, d->fields.items[i].line);
    for (size_t i = 0; i < d->notes.n; i++) check_text(c, d->notes.items[i].text, d->line);
    for (size_t i = 0; i < d->see.n; i++)
        if (!model_find(c->m, d->see.items[i]))
            diag_add(&c->m->diags, DIAG_ERROR, c->file, d->line, "SEE: `%s` is not a public symbol", d->see.items[i]);
}

static void check_tags(LintCtx *c, const Doc *d, const char *what) {
    if (!d->has_tags) {
        diag_add(&c->m->diags, DIAG_ERROR, c->file, d->line, "%s has no `TAGS:` section", what);
        return;
    }
    for (size_t i = 0; i < d->tags_written.n; i++)
        if (!tags_fold(&c->m->tags, d->tags_written.items[i]))
            diag_add(&c->m->diags, DIAG_ERROR, c->file, d->tags_line, "tag `%s` is not in the vocabulary (docs/tags.yml)", d->tags_written.items[i]);
}

static int has_query_tag(const Doc *d) {
    for (size_t i = 0; i < d->tags.n; i++)
        if (strcmp(d->tags.items[i], "Query") == 0) return 1;
    return 0;
}

static void lint_symbol(LintCtx *c, Symbol *s) {
    Model *m = c->m;
    const char *kind = kind_name(s->kind);
    const Doc *d = s->doc;
    if (!d) {
        diag_add(&m->diags, DIAG_ERROR, s->header, s->line, "public %s `%s` has no `///` doc block", kind, s->name);
        return;
    }
    if (!*d->description) diag_add(&m->diags, DIAG_ERROR, s->header, d->line, "`%s`: the doc block has no description", s->name);
    check_tags(c, d, s->name);
    int callable = s->kind == KIND_FUNCTION || s->kind == KIND_FUNCTION_MACRO || (s->kind == KIND_TYPEDEF && s->return_type);
    // parameters
    for (size_t i = 0; i < s->params.n; i++) {
        const char *n = s->params.items[i].name;
        if (!*n) continue;
        int found = 0;
        for (size_t k = 0; k < d->params.n; k++) found |= strcmp(d->params.items[k].name, n) == 0;
        if (!found) diag_add(&m->diags, DIAG_ERROR, s->header, d->line, "`%s`: parameter `%s` is not documented", s->name, n);
    }
    for (size_t k = 0; k < d->params.n; k++) {
        int found = 0;
        for (size_t i = 0; i < s->params.n; i++) found |= strcmp(d->params.items[k].name, s->params.items[i].name) == 0;
        if (!found)
            diag_add(&m->diags, DIAG_ERROR, s->header, d->params.items[k].line, "`%s` has no parameter `%s`", s->name, d->params.items[k].name);
    }
    // SUCCESS:/FAILURE:
    if ((s->kind == KIND_FUNCTION || s->kind == KIND_FUNCTION_MACRO) && !d->returns) {
        int trivial = has_query_tag(d) && s->params.n <= 1;
        if (!trivial && !d->success) diag_add(&m->diags, DIAG_ERROR, s->header, d->line, "`%s`: no `SUCCESS:` section (required for functions and function-like macros that are not trivial accessors)", s->name);
        if (!trivial && !d->failure) diag_add(&m->diags, DIAG_ERROR, s->header, d->line, "`%s`: no `FAILURE:` section (required for functions and function-like macros that are not trivial accessors)", s->name);
    }
    (void)callable;
    // members
    int record = s->kind == KIND_STRUCT || s->kind == KIND_UNION || s->kind == KIND_ENUM;
    if (!record && d->fields.n)
        diag_add(&m->diags, DIAG_ERROR, s->header, d->fields_line, "`%s` is a %s: it has no members for `FIELDS:`", s->name, kind);
    for (size_t k = 0; k < d->fields.n; k++)
        for (size_t j = 0; j < k; j++)
            if (strcmp(d->fields.items[j].name, d->fields.items[k].name) == 0) {
                diag_add(&m->diags, DIAG_ERROR, s->header, d->fields.items[k].line, "FIELDS: `%s` is listed twice (also at line %d)",
                         d->fields.items[k].name, d->fields.items[j].line);
                break;
            }
    for (size_t k = 0; record && k < d->fields.n; k++) {
        const char *n = d->fields.items[k].name;
        int found = 0;
        for (size_t i = 0; i < s->fields.n; i++) found |= strcmp(s->fields.items[i].name, n) == 0;
        for (size_t i = 0; i < s->enum_values.n; i++) found |= strcmp(s->enum_values.items[i].name, n) == 0;
        if (!found) diag_add(&m->diags, DIAG_ERROR, s->header, d->fields.items[k].line, "FIELDS: `%s` is not a member of `%s`", n, s->name);
    }
    for (size_t i = 0; i < s->fields.n; i++) {
        int found = s->fields.items[i].trailing != NULL;
        for (size_t k = 0; k < d->fields.n; k++) found |= strcmp(d->fields.items[k].name, s->fields.items[i].name) == 0;
        if (!found) diag_add(&m->diags, DIAG_ERROR, s->header, s->fields.items[i].line, "member `%s` of `%s` is not documented (FIELDS: or `///<`)", s->fields.items[i].name, s->name);
    }
    for (size_t i = 0; i < s->enum_values.n; i++) {
        int found = s->enum_values.items[i].trailing != NULL;
        for (size_t k = 0; k < d->fields.n; k++) found |= strcmp(d->fields.items[k].name, s->enum_values.items[i].name) == 0;
        if (!found) diag_add(&m->diags, DIAG_ERROR, s->header, s->enum_values.items[i].line, "constant `%s` of `%s` is not documented (FIELDS: or `///<`)", s->enum_values.items[i].name, s->name);
    }
    check_doc_texts(c, d);
}

void lint_run(Model *m) {
    for (size_t i = 0; i < m->symbols.n; i++) {
        LintCtx c = {m, m->symbols.items[i], m->symbols.items[i]->header};
        lint_symbol(&c, m->symbols.items[i]);
    }
    for (size_t i = 0; i < m->files.n; i++) {
        HeaderFile *h = m->files.items[i];
        LintCtx c = {m, NULL, h->path};
        if (!h->doc) {
            diag_add(&m->diags, DIAG_WARNING, h->path, 1, "header has no file doc block (a `///` block at the top, before the include guard)");
            continue;
        }
        check_tags(&c, h->doc, "the file doc block");
        check_doc_texts(&c, h->doc);
    }
}
