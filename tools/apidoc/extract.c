// SPDX-License-Identifier: MIT
// The only file that touches libclang. Parses every public header on its own (so a header nobody
// includes is still documented) and every translation unit of compile_commands.json, with
// CXTranslationUnit_DetailedPreprocessingRecord so macros exist, two at a time on two threads.
// Headers give the symbols (two passes: `///` blocks by line from comment.c, then cursors);
// every unit gives raw uses (USR + written position + enclosing function) that xref.c resolves.
// Entry point: extract_units (the units come from inputs.c; merge.c and resolve.c follow).
#include "stages.h"

#include <clang-c/Index.h>
#include <limits.h>   // PATH_MAX
#include <pthread.h>  // two parsing threads
#include <stdatomic.h>
#include <stdio.h>    // fprintf
#include <stdlib.h>   // realpath, qsort
#include <string.h>   // strcmp
#include <sys/stat.h> // stat

typedef struct {
    const Options *o;
    Inputs        *in;
    atomic_size_t  next;
} Run;

// ---- small helpers -------------------------------------------------------------------------
static char *cx(CXString s) {
    const char *c = clang_getCString(s);
    char *r = xstrdup(c ? c : "");
    clang_disposeString(s);
    return r;
}

typedef struct {
    Run *run;
    Job *job;
    CXTranslationUnit tu;
    CXFile main_file;
    struct { CXFile f; const char *rel; } fcache[64];
    int nf;
    // reference walk state
    const char *func;
    int fstart, fend, in_generic;
    Vec(unsigned) macro_starts; // offsets of macro expansions in the main file
    Vec(RawRef) funcs;          // function definitions of the main file (name, start, end)
} Ctx;

// Relative path of a public header, or NULL when the file is not public.
static const char *public_rel(Ctx *c, CXFile f) {
    if (!f) return NULL;
    for (int i = 0; i < c->nf; i++)
        if (c->fcache[i].f == f) return c->fcache[i].rel;
    char *name = cx(clang_getFileName(f)), abs[PATH_MAX];
    const char *rel = NULL;
    if (realpath(name, abs))
        for (size_t i = 0; i < c->run->in->public_abs.n; i++)
            if (strcmp(abs, c->run->in->public_abs.items[i]) == 0) rel = c->run->in->public_rel.items[i];
    free(name);
    if (c->nf < 64) c->fcache[c->nf].f = f, c->fcache[c->nf++].rel = rel;
    return rel;
}

static void loc_of(CXSourceLocation l, CXFile *f, unsigned *line, unsigned *col, unsigned *off) {
    clang_getExpansionLocation(l, f, line, col, off);
}

// Source text between two (line, col) positions of `lines` (1-based, end exclusive).
static char *text_between(char **lines, int nlines, unsigned l1, unsigned c1, unsigned l2, unsigned c2) {
    size_t cap = 256, n = 0;
    char *s = xrealloc(NULL, cap);
    s[0] = '\0';
    for (unsigned l = l1; l <= l2 && (int)l <= nlines; l++) {
        const char *t = lines[l - 1];
        size_t len = strlen(t), a = l == l1 ? c1 - 1 : 0, b = l == l2 ? c2 - 1 : len;
        if (a > len) a = len;
        if (b > len) b = len;
        if (b < a) b = a;
        if (n + (b - a) + 2 > cap) s = xrealloc(s, cap = (n + (b - a) + 2) * 2);
        memcpy(s + n, t + a, b - a);
        n += b - a;
        if (l != l2) s[n++] = '\n';
        s[n] = '\0';
    }
    return s;
}

static char *collapse_ws(const char *s) {
    char *r = xrealloc(NULL, strlen(s) + 1), *w = r;
    int sp = 0;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\') {
            sp = 1;
            continue;
        }
        if (sp && w != r) *w++ = ' ';
        sp = 0;
        *w++ = *s;
    }
    *w = '\0';
    return r;
}

static char *clean_type(char *t) {
    // "struct (unnamed at x.h:3:5)" / "union (anonymous at …)" -> "struct" / "union"
    char *p = strstr(t, " (unnamed at ");
    if (!p) p = strstr(t, " (anonymous at ");
    if (p) *p = '\0';
    return t;
}

// ---- symbols of a header ------------------------------------------------------------------
static Symbol *new_symbol(Ctx *c, const char *name, SymbolKind kind, CXCursor cur) {
    Symbol *s = xcalloc(1, sizeof *s);
    CXSourceRange r = clang_getCursorExtent(cur);
    unsigned l1, c1, l2, c2, o;
    CXFile f;
    loc_of(clang_getRangeStart(r), &f, &l1, &c1, &o);
    loc_of(clang_getRangeEnd(r), &f, &l2, &c2, &o);
    s->name     = xstrdup(name);
    s->kind     = kind;
    s->header   = xstrdup(c->job->header->path);
    s->include  = xstrdup(c->job->header->include);
    s->line     = (int)l1;
    s->end_line = (int)l2;
    char *usr = cx(clang_getCursorUSR(cur));
    if (*usr) vec_push(&s->usrs, usr);
    return s;
}

static char *decl_text(Ctx *c, CXCursor cur) {
    CXSourceRange r = clang_getCursorExtent(cur);
    unsigned l1, c1, l2, c2, o;
    CXFile f;
    loc_of(clang_getRangeStart(r), &f, &l1, &c1, &o);
    loc_of(clang_getRangeEnd(r), &f, &l2, &c2, &o);
    HeaderFile *h = c->job->header;
    return text_between(h->lines, h->nlines, l1, c1, l2, c2);
}

typedef struct { Ctx *c; Symbol *s; const char *group; int *counter; } FieldCtx;

static enum CXChildVisitResult field_visit(CXCursor cur, CXCursor parent, CXClientData data) {
    (void)parent;
    FieldCtx *fc = data;
    HeaderFile *h = fc->c->job->header;
    enum CXCursorKind k = clang_getCursorKind(cur);
    unsigned line, col, off;
    CXFile f;
    loc_of(clang_getCursorLocation(cur), &f, &line, &col, &off);
    if (k == CXCursor_FieldDecl) {
        char *name = cx(clang_getCursorSpelling(cur));
        if (!*name) return CXChildVisit_Continue;
        Field fl = {name, clean_type(cx(clang_getTypeSpelling(clang_getCursorType(cur)))),
                    fc->group ? xstrdup(fc->group) : NULL,
                    (int)line <= h->nlines ? comment_trailing(h->lines[line - 1]) : NULL, (int)line};
        vec_push(&fc->s->fields, fl);
        vec_push(&fc->s->member_usrs, cx(clang_getCursorUSR(cur)));
    } else if (k == CXCursor_EnumConstantDecl) {
        EnumValue ev = {cx(clang_getCursorSpelling(cur)),
                        (int)line <= h->nlines ? comment_trailing(h->lines[line - 1]) : NULL,
                        clang_getEnumConstantDeclValue(cur), (int)line};
        vec_push(&fc->s->enum_values, ev);
        vec_push(&fc->s->member_usrs, cx(clang_getCursorUSR(cur)));
    } else if ((k == CXCursor_StructDecl || k == CXCursor_UnionDecl) && clang_Cursor_isAnonymousRecordDecl(cur)) {
        (*fc->counter)++;
        char *g = fc->group ? xprintf("%s/%s#%d", fc->group, k == CXCursor_UnionDecl ? "union" : "struct", *fc->counter)
                            : xprintf("%s#%d", k == CXCursor_UnionDecl ? "union" : "struct", *fc->counter);
        FieldCtx sub = {fc->c, fc->s, g, fc->counter};
        clang_visitChildren(cur, field_visit, &sub);
    }
    return CXChildVisit_Continue;
}

static void fill_members(Ctx *c, Symbol *s, CXCursor record) {
    int counter = 0;
    FieldCtx fc = {c, s, NULL, &counter};
    clang_visitChildren(record, field_visit, &fc);
}

static enum CXChildVisitResult parm_visit(CXCursor cur, CXCursor parent, CXClientData data) {
    (void)parent;
    Symbol *s = data;
    if (clang_getCursorKind(cur) == CXCursor_ParmDecl) {
        Param p = {cx(clang_getCursorSpelling(cur)), cx(clang_getTypeSpelling(clang_getCursorType(cur)))};
        vec_push(&s->params, p);
    }
    return CXChildVisit_Continue;
}

static int is_include_guard(HeaderFile *h, const char *name, int line) {
    for (int i = 0; i < line - 1 && i < h->nlines; i++) {
        const char *t = h->lines[i];
        while (*t == ' ') t++;
        if (strncmp(t, "#ifndef", 7) == 0) {
            t += 7;
            while (*t == ' ') t++;
            size_t n = strlen(name);
            if (strncmp(t, name, n) == 0 && (t[n] == '\0' || t[n] == ' ')) return 1;
        }
    }
    return 0;
}

static char *tok_text(Ctx *c, CXToken *toks, unsigned a, unsigned b) { // tokens a..b inclusive
    CXSourceRange r1 = clang_getTokenExtent(c->tu, toks[a]), r2 = clang_getTokenExtent(c->tu, toks[b]);
    unsigned l1, c1, l2, c2, o;
    CXFile f;
    clang_getSpellingLocation(clang_getRangeStart(r1), &f, &l1, &c1, &o);
    clang_getSpellingLocation(clang_getRangeEnd(r2), &f, &l2, &c2, &o);
    HeaderFile *h = c->job->header;
    char *raw = text_between(h->lines, h->nlines, l1, c1, l2, c2), *r = collapse_ws(raw);
    free(raw);
    return r;
}

static void macro_symbol(Ctx *c, CXCursor cur) {
    if (clang_Cursor_isMacroBuiltin(cur)) return;
    char *name = cx(clang_getCursorSpelling(cur));
    int fnlike = clang_Cursor_isMacroFunctionLike(cur);
    CXToken *toks = NULL;
    unsigned n = 0;
    clang_tokenize(c->tu, clang_getCursorExtent(cur), &toks, &n);
    Symbol *s = new_symbol(c, name, fnlike ? KIND_FUNCTION_MACRO : KIND_OBJECT_MACRO, cur);
    unsigned i = 1;
    if (fnlike) {
        for (i = 2; i < n; i++) {
            char *t = cx(clang_getTokenSpelling(c->tu, toks[i]));
            if (strcmp(t, ")") == 0) { free(t); i++; break; }
            if (strcmp(t, ",") != 0) {
                Param p = {t, NULL};
                vec_push(&s->params, p);
                if (strcmp(t, "...") == 0) s->variadic = 1;
            } else free(t);
        }
    }
    if (!fnlike && i >= n && is_include_guard(c->job->header, name, s->line)) {
        clang_disposeTokens(c->tu, toks, n);
        free(name);
        return; // include guard
    }
    // body identifiers and the _Generic table
    for (unsigned j = i; j < n; j++) {
        if (clang_getTokenKind(toks[j]) != CXToken_Identifier && clang_getTokenKind(toks[j]) != CXToken_Keyword) continue;
        char *t = cx(clang_getTokenSpelling(c->tu, toks[j]));
        if (strcmp(t, "_Generic") == 0 && s->dispatch.n == 0 && j + 1 < n) {
            int depth = 0;
            unsigned k = j + 1, start = 0, colon = 0;
            int arm = -1; // -1: controlling expression
            for (; k < n; k++) {
                char *p = cx(clang_getTokenSpelling(c->tu, toks[k]));
                int open = strcmp(p, "(") == 0, close = strcmp(p, ")") == 0, comma = strcmp(p, ",") == 0;
                int col = strcmp(p, ":") == 0;
                free(p);
                if (open) { if (depth++ == 0) { start = k + 1; continue; } }
                if (close && --depth == 0) {
                    if (arm >= 0 && colon) {
                        Dispatch d = {tok_text(c, toks, start, colon - 1), tok_text(c, toks, colon + 1, k - 1), NULL};
                        if (k - 1 == colon + 1 && clang_getTokenKind(toks[colon + 1]) == CXToken_Identifier)
                            d.function = xstrdup(d.expression);
                        vec_push(&s->dispatch, d);
                    }
                    break;
                }
                if (depth == 1 && col && !colon) colon = k;
                if (depth == 1 && comma) {
                    if (arm >= 0 && colon) {
                        Dispatch d = {tok_text(c, toks, start, colon - 1), tok_text(c, toks, colon + 1, k - 1), NULL};
                        if (k - 1 == colon + 1 && clang_getTokenKind(toks[colon + 1]) == CXToken_Identifier)
                            d.function = xstrdup(d.expression);
                        vec_push(&s->dispatch, d);
                    }
                    arm++;
                    start = k + 1;
                    colon = 0;
                }
            }
        }
        int is_param = 0;
        for (size_t p = 0; p < s->params.n; p++)
            if (strcmp(s->params.items[p].name, t) == 0) is_param = 1;
        if (!is_param) vec_push(&s->body_idents, t);
        else free(t);
    }
    clang_disposeTokens(c->tu, toks, n);
    // declaration: verbatim from `#define` to the end of the body
    HeaderFile *h = c->job->header;
    CXSourceRange r = clang_getCursorExtent(cur);
    unsigned l2, c2, o;
    CXFile f;
    loc_of(clang_getRangeEnd(r), &f, &l2, &c2, &o);
    const char *first = h->lines[s->line - 1], *hash = strchr(first, '#');
    unsigned c1 = hash ? (unsigned)(hash - first) + 1 : 1;
    s->declaration = text_between(h->lines, h->nlines, (unsigned)s->line, c1, l2, c2);
    free(name);
    vec_push(&c->job->r.syms, s);
}

static void function_symbol(Ctx *c, CXCursor cur) {
    char *name = cx(clang_getCursorSpelling(cur));
    Symbol *s = new_symbol(c, name, KIND_FUNCTION, cur);
    char *raw = decl_text(c, cur), *flat = collapse_ws(raw);
    s->declaration = xprintf("%s;", flat);
    free(raw), free(flat), free(name);
    CXType t = clang_getCursorType(cur);
    s->return_type = cx(clang_getTypeSpelling(clang_getResultType(t)));
    int n = clang_Cursor_getNumArguments(cur);
    for (int i = 0; i < n; i++) {
        CXCursor a = clang_Cursor_getArgument(cur, (unsigned)i);
        Param p = {cx(clang_getCursorSpelling(a)), cx(clang_getTypeSpelling(clang_getCursorType(a)))};
        vec_push(&s->params, p);
    }
    if (clang_isFunctionTypeVariadic(t)) {
        Param p = {xstrdup("..."), NULL};
        vec_push(&s->params, p);
        s->variadic = 1;
    }
    vec_push(&c->job->r.syms, s);
}

typedef struct { CXCursor cur; Symbol *sym; } Pending;

static SymbolKind record_kind(enum CXCursorKind k) {
    return k == CXCursor_UnionDecl ? KIND_UNION : k == CXCursor_EnumDecl ? KIND_ENUM : KIND_STRUCT;
}

typedef struct { Ctx *c; Vec(Pending) pending; } TopCtx;

static enum CXChildVisitResult top_visit(CXCursor cur, CXCursor parent, CXClientData data) {
    (void)parent;
    TopCtx *t = data;
    Ctx *c = t->c;
    unsigned line, col, off;
    CXFile f;
    loc_of(clang_getCursorLocation(cur), &f, &line, &col, &off);
    if (!f || !clang_File_isEqual(f, c->main_file)) return CXChildVisit_Continue;
    enum CXCursorKind k = clang_getCursorKind(cur);
    if (k == CXCursor_MacroDefinition) macro_symbol(c, cur);
    else if (k == CXCursor_FunctionDecl) function_symbol(c, cur);
    else if ((k == CXCursor_StructDecl || k == CXCursor_UnionDecl || k == CXCursor_EnumDecl) &&
             clang_isCursorDefinition(cur)) {
        char *name = cx(clang_getCursorSpelling(cur));
        if (clang_Cursor_isAnonymous(cur) || strstr(name, "(unnamed") || strstr(name, "(anonymous")) name[0] = '\0';
        Symbol *s = new_symbol(c, name, record_kind(k), cur);
        free(name);
        fill_members(c, s, cur);
        char *raw = decl_text(c, cur);
        s->declaration = xprintf("%s;", raw);
        free(raw);
        Pending p = {cur, s};
        vec_push(&t->pending, p);
        if (*s->name) vec_push(&c->job->r.syms, s);
    } else if (k == CXCursor_TypedefDecl) {
        char *name = cx(clang_getCursorSpelling(cur));
        CXType under = clang_getTypedefDeclUnderlyingType(cur);
        CXCursor decl = clang_getTypeDeclaration(under);
        enum CXCursorKind dk = clang_getCursorKind(decl);
        if (dk == CXCursor_StructDecl || dk == CXCursor_UnionDecl || dk == CXCursor_EnumDecl) {
            for (size_t i = 0; i < t->pending.n; i++) {
                if (!clang_equalCursors(clang_getCanonicalCursor(t->pending.items[i].cur), clang_getCanonicalCursor(decl))) continue;
                CXSourceRange tr = clang_getCursorExtent(cur);
                unsigned tl, tc, to;
                CXFile tf;
                loc_of(clang_getRangeStart(tr), &tf, &tl, &tc, &to);
                Symbol *s = t->pending.items[i].sym;
                if ((int)tl > s->line) continue; // typedef written apart from the definition
                int anon = !*s->name;
                free(s->name);
                s->name = xstrdup(name);
                loc_of(clang_getRangeEnd(tr), &tf, &tl, &tc, &to);
                s->end_line = (int)tl;
                free(s->declaration);
                char *raw = decl_text(c, cur);
                s->declaration = xprintf("%s;", raw);
                free(raw);
                vec_push(&s->usrs, cx(clang_getCursorUSR(cur)));
                if (anon) vec_push(&c->job->r.syms, s);
                free(name);
                return CXChildVisit_Continue;
            }
            // `typedef struct X X;` (or a typedef of a record defined elsewhere): an alias
            vec_push(&c->job->r.aliases, cx(clang_getCursorUSR(cur)));
            char *tag = cx(clang_getCursorSpelling(decl));
            vec_push(&c->job->r.aliases, tag);
            // a doc block on the alias still belongs to the record
            Symbol *s = new_symbol(c, name, record_kind(dk), cur);
            s->declaration = NULL; // marks "alias only": merged into the record by extract_run
            vec_push(&c->job->r.syms, s);
            free(name);
            return CXChildVisit_Continue;
        }
        Symbol *s = new_symbol(c, name, KIND_TYPEDEF, cur);
        char *raw = decl_text(c, cur);
        s->declaration = xprintf("%s;", raw);
        free(raw);
        CXType canon = clang_getCanonicalType(under);
        if (canon.kind == CXType_Pointer) canon = clang_getPointeeType(canon);
        if (canon.kind == CXType_FunctionProto || canon.kind == CXType_FunctionNoProto) {
            s->return_type = cx(clang_getTypeSpelling(clang_getResultType(
                clang_getPointeeType(under).kind != CXType_Invalid ? clang_getPointeeType(under) : under)));
            if (!*s->return_type) {
                free(s->return_type);
                s->return_type = cx(clang_getTypeSpelling(clang_getResultType(canon)));
            }
            clang_visitChildren(cur, parm_visit, s);
        }
        free(name);
        vec_push(&c->job->r.syms, s);
    }
    return CXChildVisit_Continue;
}

// ---- references ------------------------------------------------------------------------------
// Where a use is written: its spelling location when that is in the main file (a macro
// argument, or in libclang 14 the expansion site of a macro body token, also when nested in
// another macro's argument), else its expansion location.
static void written_at(Ctx *c, CXSourceLocation l, unsigned *line, unsigned *col, unsigned *off) {
    CXFile f;
    clang_getSpellingLocation(l, &f, line, col, off);
    if (f && clang_File_isEqual(f, c->main_file)) return;
    clang_getExpansionLocation(l, &f, line, col, off);
}

static void add_ref(Ctx *c, CXCursor target, CXSourceLocation at, const char *kind) {
    if (clang_Cursor_isNull(target)) return;
    unsigned line, col, off;
    CXFile f;
    loc_of(clang_getCursorLocation(target), &f, &line, &col, &off);
    if (!public_rel(c, f)) { // a definition in a .c: public when first declared in a header
        loc_of(clang_getCursorLocation(clang_getCanonicalCursor(target)), &f, &line, &col, &off);
        if (!public_rel(c, f)) return;
    }
    written_at(c, at, &line, &col, &off);
    RawRef r = {cx(clang_getCursorUSR(target)), xstrdup(c->job->file), c->func ? xstrdup(c->func) : NULL,
                kind, (int)line, (int)col, c->fstart, c->fend};
    if (!*r.usr) {
        free(r.usr), free(r.file), free(r.function);
        return;
    }
    vec_push(&c->job->r.refs, r);
}

static void walk(Ctx *c, CXCursor cur);

static enum CXChildVisitResult walk_visit(CXCursor cur, CXCursor parent, CXClientData data) {
    (void)parent;
    walk(data, cur);
    return CXChildVisit_Continue;
}

static enum CXChildVisitResult collect_visit(CXCursor cur, CXCursor parent, CXClientData data) {
    (void)parent;
    Vec(CXCursor) *v = data;
    vec_push(v, cur);
    return CXChildVisit_Continue;
}

// A cursor that comes from a macro's body (not from its arguments) is written at the macro name.
static int from_macro_body(Ctx *c, CXSourceLocation l) {
    unsigned line, col, off;
    written_at(c, l, &line, &col, &off);
    for (size_t i = 0; i < c->macro_starts.n; i++)
        if (c->macro_starts.items[i] == off) return 1;
    return 0;
}

static void walk(Ctx *c, CXCursor cur) {
    CXSourceLocation loc = clang_getCursorLocation(cur);
    CXFile f;
    unsigned line, col, off;
    loc_of(loc, &f, &line, &col, &off);
    if (!f || !clang_File_isEqual(f, c->main_file)) return;
    enum CXCursorKind k = clang_getCursorKind(cur);
    if (k == CXCursor_MacroExpansion) {
        unsigned wl, wc, wo;
        written_at(c, loc, &wl, &wc, &wo);
        vec_push(&c->macro_starts, wo);
        add_ref(c, clang_getCursorReferenced(cur), loc, "macro-expansion");
        return;
    }
    if (k == CXCursor_FunctionDecl && clang_isCursorDefinition(cur)) {
        const char *saved = c->func;
        int s0 = c->fstart, e0 = c->fend;
        char *name = cx(clang_getCursorSpelling(cur));
        CXSourceRange r = clang_getCursorExtent(cur);
        unsigned l1, l2, cc, o;
        loc_of(clang_getRangeStart(r), &f, &l1, &cc, &o);
        loc_of(clang_getRangeEnd(r), &f, &l2, &cc, &o);
        c->func = name, c->fstart = (int)l1, c->fend = (int)l2;
        RawRef fr = {NULL, NULL, xstrdup(name), NULL, 0, 0, (int)l1, (int)l2};
        vec_push(&c->funcs, fr);
        clang_visitChildren(cur, walk_visit, c);
        c->func = saved, c->fstart = s0, c->fend = e0;
        free(name);
        return;
    }
    if (k == CXCursor_GenericSelectionExpr) {
        Vec(CXCursor) kids = {0};
        clang_visitChildren(cur, collect_visit, &kids);
        CXType want = clang_getCanonicalType(clang_getCursorType(cur));
        if (kids.n) walk(c, kids.items[0]);
        for (size_t i = 1; i < kids.n; i++) {
            if (!clang_equalTypes(clang_getCanonicalType(clang_getCursorType(kids.items[i])), want)) continue;
            int saved = c->in_generic;
            c->in_generic = 1;
            walk(c, kids.items[i]);
            c->in_generic = saved;
            break; // only the selected arm counts
        }
        free(kids.items);
        return;
    }
    int body = from_macro_body(c, loc);
    CXCursor ref = clang_getCursorReferenced(cur);
    enum CXCursorKind rk = clang_getCursorKind(ref);
    if (k == CXCursor_DeclRefExpr || k == CXCursor_CallExpr) {
        if (rk == CXCursor_FunctionDecl)
            add_ref(c, ref, loc, c->in_generic ? "generic-selection" : k == CXCursor_CallExpr ? "call" : "reference");
        else if (!body && rk == CXCursor_EnumConstantDecl)
            add_ref(c, ref, loc, "reference");
    } else if (!body && (k == CXCursor_TypeRef)) {
        add_ref(c, ref, loc, "type");
    } else if (!body && (k == CXCursor_MemberRefExpr || k == CXCursor_MemberRef)) {
        add_ref(c, ref, loc, "member");
    }
    clang_visitChildren(cur, walk_visit, c);
}

// ---- one translation unit ---------------------------------------------------------------------
static void inclusion_visit(CXFile f, CXSourceLocation *stack, unsigned depth, CXClientData data) {
    (void)stack, (void)depth;
    vec_push((StrVec *)data, cx(clang_getFileName(f)));
}

static void run_job(Run *run, Job *job, CXIndex index) {
    Ctx c = {0};
    c.run = run, c.job = job;
    const char **argv = xcalloc(job->args.n + 1, sizeof *argv);
    for (size_t i = 0; i < job->args.n; i++) argv[i] = job->args.items[i];
    CXTranslationUnit tu = NULL;
    enum CXErrorCode err = clang_parseTranslationUnit2(
        index, job->file, argv, (int)job->args.n, NULL, 0,
        CXTranslationUnit_DetailedPreprocessingRecord | CXTranslationUnit_KeepGoing, &tu);
    free(argv);
    if (err != CXError_Success || !tu) {
        diag_add(&job->r.diags, DIAG_ERROR, job->file, 0, "libclang could not parse this file (error %d)", (int)err);
        job->r.failed = 1;
        return;
    }
    unsigned nd = clang_getNumDiagnostics(tu);
    for (unsigned i = 0; i < nd; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) {
            CXFile f;
            unsigned line, col, off;
            clang_getExpansionLocation(clang_getDiagnosticLocation(d), &f, &line, &col, &off);
            char *fname = f ? cx(clang_getFileName(f)) : xstrdup(job->file);
            char *msg = cx(clang_getDiagnosticSpelling(d));
            char abs[PATH_MAX], *shown = fname;
            size_t rl = strlen(run->in->root);
            if (realpath(fname, abs) && strncmp(abs, run->in->root, rl) == 0 && abs[rl] == '/') shown = abs + rl + 1;
            diag_add(&job->r.diags, DIAG_ERROR, shown, (int)line, "does not compile: %s", msg);
            free(fname), free(msg);
            job->r.failed = 1;
        }
        clang_disposeDiagnostic(d);
    }
    c.tu = tu;
    c.main_file = clang_getFile(tu, job->file);
    clang_getInclusions(tu, inclusion_visit, &job->r.deps);
    if (job->is_header) {
        TopCtx t = {&c, {0}};
        clang_visitChildren(clang_getTranslationUnitCursor(tu), top_visit, &t);
        free(t.pending.items);
    }
    clang_visitChildren(clang_getTranslationUnitCursor(tu), walk_visit, &c);
    // macro expansions are visited at the top level: give them their enclosing function
    for (size_t i = 0; i < job->r.refs.n; i++) {
        RawRef *r = &job->r.refs.items[i];
        for (size_t k = 0; !r->function && k < c.funcs.n; k++)
            if (c.funcs.items[k].function_start <= r->line && r->line <= c.funcs.items[k].function_end) {
                r->function = xstrdup(c.funcs.items[k].function);
                r->function_start = c.funcs.items[k].function_start;
                r->function_end = c.funcs.items[k].function_end;
            }
    }
    free(c.macro_starts.items);
    clang_disposeTranslationUnit(tu);
}

static void *worker(void *arg) {
    Run *run = arg;
    CXIndex index = clang_createIndex(0, 0);
    const char *cache = run->o->cache_dir;
    for (;;) {
        size_t i = atomic_fetch_add(&run->next, 1);
        if (i >= run->in->jobs.n) break;
        Job *job = &run->in->jobs.items[i];
        if (cache && cache_load(cache, job->cache_key, &job->r)) continue;
        if (!job->is_header) { // a unit must be readable UTF-8 text (headers were read already)
            int n = 0;
            char **lines = read_lines(job->file, &n, &job->r.diags);
            if (!lines) {
                job->io_error = 1;
                continue;
            }
            for (int k = 0; k < n; k++) free(lines[k]);
            free(lines);
        }
        run_job(run, job, index);
        if (cache && !job->r.failed) cache_store(cache, job->cache_key, &job->r);
    }
    clang_disposeIndex(index);
    return NULL;
}

// ---- all units ------------------------------------------------------------------------------
void extract_units(const Options *o, Inputs *in) {
    Run run = {0};
    run.o = o, run.in = in;
    int nthreads = o->jobs > 0 ? o->jobs : 2;
    pthread_t th[16];
    if (nthreads > 16) nthreads = 16;
    for (int i = 0; i < nthreads; i++) pthread_create(&th[i], NULL, worker, &run);
    for (int i = 0; i < nthreads; i++) pthread_join(th[i], NULL);
}
