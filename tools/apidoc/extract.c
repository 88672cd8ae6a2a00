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
#include <stdint.h>   // uintptr_t
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
    Map files;                  // CXFile -> relative path of a public header, or &NOT_PUBLIC
    // reference walk state
    const char *func;
    int fstart, fend, in_generic;
    Map macro_starts;           // offsets (+1) of macro expansions in the main file
    Vec(RawRef) funcs;          // function definitions of the main file (name, start, end)
} Ctx;

static const char NOT_PUBLIC[] = "";

// Relative path of a public header, or NULL when the file is not public.
static const char *public_rel(Ctx *c, CXFile f) {
    if (!f) return NULL;
    const char *known = map_get_p(&c->files, f);
    if (known) return known == NOT_PUBLIC ? NULL : known;
    char *name = cx(clang_getFileName(f)), abs[PATH_MAX];
    const char *rel = realpath(name, abs) ? map_get(&c->run->in->public, abs) : NULL;
    free(name);
    map_put_p(&c->files, f, rel ? (void *)rel : (void *)NOT_PUBLIC);
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
    if (l1 < 1) l1 = 1, c1 = 1; // an extent that starts in no file (line 0) starts at the top
    for (unsigned l = l1; l <= l2 && (int)l <= nlines; l++) {
        const char *t = lines[l - 1];
        size_t len = strlen(t), a = l == l1 && c1 ? c1 - 1 : 0, b = l == l2 ? (c2 ? c2 - 1 : 0) : len;
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

// libclang spells an unnamed record `struct (unnamed struct at /abs/x.h:3:5)` (or `(anonymous
// …)`): every such part becomes `<anon struct>` / `<anon union>` / `<anon enum>`, so no path
// ever reaches api.json.
static char *clean_type(char *t) {
    static const char *const kinds[] = {"struct", "union", "enum"};
    for (;;) {
        char *p = strstr(t, "(unnamed");
        if (!p) p = strstr(t, "(anonymous");
        if (!p) return t;
        char *close = strchr(p, ')');
        if (!close) return t;
        const char *kind = "struct";
        char *start = p;
        for (int k = 0; k < 3; k++) {
            size_t n = strlen(kinds[k]);
            if (p - t >= (ptrdiff_t)n + 1 && strncmp(p - n - 1, kinds[k], n) == 0 && p[-1] == ' ')
                kind = kinds[k], start = p - n - 1;
            else if (strstr(p, kinds[k]) && strstr(p, kinds[k]) < close && start == p)
                kind = kinds[k];
        }
        char *r = xprintf("%.*s<anon %s>%s", (int)(start - t), t, kind, close + 1);
        free(t);
        t = r;
    }
}

static char *type_of(CXType t) { return clean_type(cx(clang_getTypeSpelling(t))); }

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
    s->ns       = kind == KIND_FUNCTION_MACRO || kind == KIND_OBJECT_MACRO     ? NS_MACRO
                  : kind == KIND_STRUCT || kind == KIND_UNION || kind == KIND_ENUM ? NS_TAG
                                                                               : NS_ORDINARY;
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

// One record being walked: where its members go and the group they carry. An unnamed record
// that is the type of a named member is walked into `pending` and attached to that member.
typedef struct { CXCursor record; FieldVec *into; char *group; CXCursor pending_rec; FieldVec *pending; } FieldFrame;
typedef struct { Ctx *c; Symbol *s; Vec(FieldFrame) stack; int counter; } FieldCtx;

static CXCursor record_of_type(CXType t) {
    while (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray || t.kind == CXType_Pointer)
        t = t.kind == CXType_Pointer ? clang_getPointeeType(t) : clang_getArrayElementType(t);
    return clang_getTypeDeclaration(t);
}

// Members of a record, walked on libclang's recursion with an explicit stack of records (the
// parent of each cursor says which record it is in), so nesting costs memory, not C stack.
static enum CXChildVisitResult field_visit(CXCursor cur, CXCursor parent, CXClientData data) {
    FieldCtx *fc = data;
    while (fc->stack.n > 1 && !clang_equalCursors(fc->stack.items[fc->stack.n - 1].record, parent)) fc->stack.n--;
    FieldFrame top = fc->stack.items[fc->stack.n - 1];
    HeaderFile *h = fc->c->job->header;
    enum CXCursorKind k = clang_getCursorKind(cur);
    unsigned line, col, off;
    CXFile f;
    loc_of(clang_getCursorLocation(cur), &f, &line, &col, &off);
    const char *trail = line >= 1 && (int)line <= h->nlines ? h->lines[line - 1] : "";
    if (k == CXCursor_FieldDecl) {
        char *name = cx(clang_getCursorSpelling(cur));
        if (!*name) {
            free(name);
            return CXChildVisit_Continue;
        }
        unsigned first, fcol, foff;
        CXFile ff;
        loc_of(clang_getRangeStart(clang_getCursorExtent(cur)), &ff, &first, &fcol, &foff);
        Field fl = {name, type_of(clang_getCursorType(cur)),
                    top.group ? xstrdup(top.group) : NULL, comment_trailing(trail), (int)line,
                    clang_getFieldDeclBitWidth(cur), {0}, (int)first};
        CXCursor rec = record_of_type(clang_getCursorType(cur));
        FieldFrame *tf = &fc->stack.items[fc->stack.n - 1];
        if (tf->pending && clang_equalCursors(clang_getCanonicalCursor(rec), clang_getCanonicalCursor(tf->pending_rec))) {
            fl.sub = *tf->pending;
        }
        vec_push(top.into, fl);
        vec_push(&fc->s->member_usrs, cx(clang_getCursorUSR(cur)));
    } else if (k == CXCursor_EnumConstantDecl) {
        EnumValue ev = {cx(clang_getCursorSpelling(cur)), comment_trailing(trail), clang_getEnumConstantDeclValue(cur),
                        (int)line};
        vec_push(&fc->s->enum_values, ev);
        vec_push(&fc->s->member_usrs, cx(clang_getCursorUSR(cur)));
    } else if (k == CXCursor_StructDecl || k == CXCursor_UnionDecl) {
        const char *kind = k == CXCursor_UnionDecl ? "union" : "struct";
        if (clang_Cursor_isAnonymousRecordDecl(cur)) { // members belong to the enclosing record
            fc->counter++;
            char *g = top.group ? xprintf("%s/%s#%d", top.group, kind, fc->counter) : xprintf("%s#%d", kind, fc->counter);
            FieldFrame fr = {cur, top.into, g, clang_getNullCursor(), NULL};
            vec_push(&fc->stack, fr);
            return CXChildVisit_Recurse;
        }
        if (clang_Cursor_isAnonymous(cur) && clang_isCursorDefinition(cur)) { // the type of the next member
            FieldFrame *tf = &fc->stack.items[fc->stack.n - 1];
            tf->pending = xcalloc(1, sizeof(FieldVec));
            tf->pending_rec = cur;
            FieldFrame fr = {cur, tf->pending, NULL, clang_getNullCursor(), NULL};
            vec_push(&fc->stack, fr);
            return CXChildVisit_Recurse;
        }
    }
    return CXChildVisit_Continue;
}

static void fill_members(Ctx *c, Symbol *s, CXCursor record) {
    FieldCtx fc = {c, s, {0}, 0};
    FieldFrame root = {record, &s->fields, NULL, clang_getNullCursor(), NULL};
    vec_push(&fc.stack, root);
    clang_visitChildren(record, field_visit, &fc);
    free(fc.stack.items);
}

static enum CXChildVisitResult parm_visit(CXCursor cur, CXCursor parent, CXClientData data) {
    (void)parent;
    Symbol *s = data;
    if (clang_getCursorKind(cur) == CXCursor_ParmDecl) {
        Param p = {cx(clang_getCursorSpelling(cur)), type_of((clang_getCursorType(cur)))};
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
    const char *first = s->line >= 1 && s->line <= h->nlines ? h->lines[s->line - 1] : "", *hash = strchr(first, '#');
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
    s->return_type = type_of((clang_getResultType(t)));
    int n = clang_Cursor_getNumArguments(cur);
    for (int i = 0; i < n; i++) {
        CXCursor a = clang_Cursor_getArgument(cur, (unsigned)i);
        Param p = {cx(clang_getCursorSpelling(a)), type_of((clang_getCursorType(a)))};
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
    else if (k == CXCursor_VarDecl) {
        char *name = cx(clang_getCursorSpelling(cur));
        Symbol *s = new_symbol(c, name, KIND_VARIABLE, cur);
        char *raw = decl_text(c, cur), *flat = collapse_ws(raw);
        s->declaration = xprintf("%s;", flat);
        s->return_type = NULL;
        free(raw), free(flat), free(name);
        vec_push(&c->job->r.syms, s);
    }
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
                if (!anon) s->tag_name = s->name; // `typedef struct x_s {…} x_t;`: x_s resolves too
                else free(s->name);
                s->name = xstrdup(name);
                s->ns = NS_ORDINARY;
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
            // `typedef struct X X;` (or a typedef of a record defined elsewhere): an alias, folded
            // into the record by resolve_aliases, or an opaque typedef when no header defines it
            Symbol *s = new_symbol(c, name, KIND_TYPEDEF, cur);
            char *raw = decl_text(c, cur);
            s->declaration = xprintf("%s;", raw);
            free(raw);
            s->tag_name = cx(clang_getCursorSpelling(decl));
            if (clang_Cursor_isAnonymous(decl) || strchr(s->tag_name, ' ')) s->tag_name[0] = '\0';
            s->alias = 1;
            char *rec_usr = cx(clang_getCursorUSR(decl)); // `struct X *` written in code is a use
            if (*rec_usr) vec_push(&s->usrs, rec_usr);
            else free(rec_usr);
            vec_push(&c->job->r.syms, s);
            free(name);
            return CXChildVisit_Continue;
        }
        Symbol *s = new_symbol(c, name, KIND_TYPEDEF, cur);
        char *raw = decl_text(c, cur);
        s->declaration = xprintf("%s;", raw);
        free(raw);
        CXType canon = clang_getCanonicalType(under);
        s->basic = canon.kind >= CXType_FirstBuiltin && canon.kind <= CXType_LastBuiltin;
        if (canon.kind == CXType_Pointer) canon = clang_getPointeeType(canon);
        if (canon.kind == CXType_FunctionProto || canon.kind == CXType_FunctionNoProto) {
            s->return_type = type_of((clang_getResultType(
                clang_getPointeeType(under).kind != CXType_Invalid ? clang_getPointeeType(under) : under)));
            if (!*s->return_type) {
                free(s->return_type);
                s->return_type = type_of((clang_getResultType(canon)));
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
    return map_get_p(&c->macro_starts, (void *)(uintptr_t)(off + 1)) != NULL;
}

// The function an argument names (`body` in `expect_death(body, …)`), through casts and parens.
static CXCursor named_function(CXCursor arg) {
    for (int depth = 0; depth < 8; depth++) {
        enum CXCursorKind k = clang_getCursorKind(arg);
        if (k == CXCursor_DeclRefExpr) {
            CXCursor f = clang_getCursorReferenced(arg);
            return clang_getCursorKind(f) == CXCursor_FunctionDecl ? f : clang_getNullCursor();
        }
        if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr && k != CXCursor_UnaryOperator) break;
        Vec(CXCursor) kids = {0};
        clang_visitChildren(arg, collect_visit, &kids);
        if (kids.n != 1) {
            free(kids.items);
            break;
        }
        arg = kids.items[0];
        free(kids.items);
    }
    return clang_getNullCursor();
}

// A death-test runner (a function whose name contains "death": `expect_death`, `EXPECT_DEATH`,
// `run_death_test`) runs the functions it is given expecting them to abort: they are misuse.
static void note_death_bodies(Ctx *c, CXCursor call, CXCursor callee) {
    char *name = cx(clang_getCursorSpelling(callee));
    int runner = strcasestr(name, "death") != NULL;
    free(name);
    if (!runner) return;
    int n = clang_Cursor_getNumArguments(call);
    for (int i = 0; i < n; i++) {
        CXCursor f = named_function(clang_Cursor_getArgument(call, (unsigned)i));
        if (clang_Cursor_isNull(f)) continue;
        CXCursor def = clang_getCursorDefinition(f);
        if (clang_Cursor_isNull(def)) continue;
        CXFile file;
        unsigned line, col, off;
        loc_of(clang_getRangeStart(clang_getCursorExtent(def)), &file, &line, &col, &off);
        if (!file || !clang_File_isEqual(file, c->main_file)) continue;
        Site site = {xstrdup(c->job->file), (int)line};
        vec_push(&c->job->r.misuse, site);
    }
}

// The references walk runs on libclang's own (data-recursive) traversal: the callback returns
// CXChildVisit_Recurse and keeps, on an explicit stack, what each open cursor means for its
// descendants (enclosing function, inside the selected arm of a _Generic). A cursor's parent is
// found on the stack by popping what is no longer open, so the depth of the tree (a 6,000-term
// expression) costs memory, never C stack.
typedef struct {
    CXCursor    cur;
    const char *func;
    int         fstart, fend, in_generic;
    int         generic;          // a _Generic: children 0 (controlling) and `selected` are walked
    int         selected, nchild;
} Frame;
typedef struct { Ctx *c; Vec(Frame) stack; } Walk;

static enum CXChildVisitResult walk_visit(CXCursor cur, CXCursor parent, CXClientData data) {
    Walk *w = data;
    Ctx  *c = w->c;
    while (w->stack.n > 1 && !clang_equalCursors(w->stack.items[w->stack.n - 1].cur, parent)) {
        Frame *t = &w->stack.items[w->stack.n - 1];
        if (t->func && (w->stack.n < 2 || t->func != w->stack.items[w->stack.n - 2].func)) free((char *)t->func);
        w->stack.n--;
    }
    Frame *top = &w->stack.items[w->stack.n - 1];
    Frame  f   = {cur, top->func, top->fstart, top->fend, top->in_generic, 0, 0, 0};
    if (top->generic) {
        int i = top->nchild++;
        if (i != 0 && i != top->selected) return CXChildVisit_Continue; // only the selected arm counts
        if (i != 0) f.in_generic = 1;
    }
    c->func = f.func, c->fstart = f.fstart, c->fend = f.fend, c->in_generic = f.in_generic;
    CXSourceLocation loc = clang_getCursorLocation(cur);
    CXFile file;
    unsigned line, col, off;
    loc_of(loc, &file, &line, &col, &off);
    if (!file || !clang_File_isEqual(file, c->main_file)) return CXChildVisit_Continue;
    enum CXCursorKind k = clang_getCursorKind(cur);
    if (k == CXCursor_MacroExpansion) {
        unsigned wl, wc, wo;
        written_at(c, loc, &wl, &wc, &wo);
        map_put_p(&c->macro_starts, (void *)(uintptr_t)(wo + 1), c);
        add_ref(c, clang_getCursorReferenced(cur), loc, "macro-expansion");
        return CXChildVisit_Continue;
    }
    if (k == CXCursor_FunctionDecl && clang_isCursorDefinition(cur)) {
        char *name = cx(clang_getCursorSpelling(cur));
        CXSourceRange r = clang_getCursorExtent(cur);
        unsigned l1, l2, cc, o;
        loc_of(clang_getRangeStart(r), &file, &l1, &cc, &o);
        loc_of(clang_getRangeEnd(r), &file, &l2, &cc, &o);
        f.func = name, f.fstart = (int)l1, f.fend = (int)l2;
        RawRef fr = {NULL, NULL, xstrdup(name), NULL, 0, 0, (int)l1, (int)l2};
        vec_push(&c->funcs, fr);
        vec_push(&w->stack, f);
        return CXChildVisit_Recurse;
    }
    if (k == CXCursor_GenericSelectionExpr) {
        Vec(CXCursor) kids = {0};
        clang_visitChildren(cur, collect_visit, &kids);
        CXType want = clang_getCanonicalType(clang_getCursorType(cur));
        f.generic = 1, f.selected = -1;
        for (size_t i = 1; i < kids.n && f.selected < 0; i++)
            if (clang_equalTypes(clang_getCanonicalType(clang_getCursorType(kids.items[i])), want)) f.selected = (int)i;
        free(kids.items);
        vec_push(&w->stack, f);
        return CXChildVisit_Recurse;
    }
    int body = from_macro_body(c, loc);
    CXCursor ref = clang_getCursorReferenced(cur);
    enum CXCursorKind rk = clang_getCursorKind(ref);
    if (k == CXCursor_DeclRefExpr || k == CXCursor_CallExpr) {
        if (rk == CXCursor_FunctionDecl)
            add_ref(c, ref, loc, c->in_generic ? "generic-selection" : k == CXCursor_CallExpr ? "call" : "reference");
        else if (!body && rk == CXCursor_EnumConstantDecl)
            add_ref(c, ref, loc, "reference");
        if (k == CXCursor_CallExpr && rk == CXCursor_FunctionDecl) note_death_bodies(c, cur, ref);
    } else if (!body && (k == CXCursor_TypeRef)) {
        add_ref(c, ref, loc, "type");
    } else if (!body && (k == CXCursor_MemberRefExpr || k == CXCursor_MemberRef)) {
        add_ref(c, ref, loc, "member");
    }
    vec_push(&w->stack, f);
    return CXChildVisit_Recurse;
}

static void walk_unit(Ctx *c) {
    Walk  w    = {c, {0}};
    Frame root = {clang_getTranslationUnitCursor(c->tu), NULL, 0, 0, 0, 0, 0, 0};
    vec_push(&w.stack, root);
    clang_visitChildren(root.cur, walk_visit, &w);
    for (size_t i = 1; i < w.stack.n; i++)
        if (w.stack.items[i].func && w.stack.items[i].func != w.stack.items[i - 1].func) free((char *)w.stack.items[i].func);
    free(w.stack.items);
}

static int func_cmp(const void *a, const void *b) {
    const RawRef *x = a, *y = b;
    return x->function_start != y->function_start ? (x->function_start < y->function_start ? -1 : 1)
                                                  : (x->function_end > y->function_end ? -1 : x->function_end < y->function_end);
}

// Macro expansions are visited at the top level: give each its enclosing function, found by
// binary search over the unit's function definitions (sorted by start; they do not nest in C).
static void attribute_to_functions(Ctx *c) {
    if (!c->funcs.n) return;
    qsort(c->funcs.items, c->funcs.n, sizeof(RawRef), func_cmp);
    for (size_t i = 0; i < c->job->r.refs.n; i++) {
        RawRef *r = &c->job->r.refs.items[i];
        if (r->function) continue;
        size_t lo = 0, hi = c->funcs.n; // first function starting after the line
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (c->funcs.items[mid].function_start <= r->line) lo = mid + 1;
            else hi = mid;
        }
        if (lo == 0) continue;
        size_t at = lo - 1; // of the definitions starting on one line (a macro-made test and its
        while (at > 0 && c->funcs.items[at - 1].function_start == c->funcs.items[lo - 1].function_start) at--;
        RawRef *fn = &c->funcs.items[at]; // helpers), the longest: it is first in the order
        if (fn->function_end < r->line) continue;
        r->function = xstrdup(fn->function);
        r->function_start = fn->function_start;
        r->function_end = fn->function_end;
    }
}

// ---- one translation unit ---------------------------------------------------------------------
static void inclusion_visit(CXFile f, CXSourceLocation *stack, unsigned depth, CXClientData data) {
    (void)stack, (void)depth;
    vec_push((StrVec *)data, cx(clang_getFileName(f)));
}

static void run_job(Run *run, Job *job, CXIndex index) {
    Ctx c = {0};
    c.run = run, c.job = job;
    // gcc has no bracket depth limit (it compiles 20,000 nested parentheses); clang stops at 256
    const char **argv = xcalloc(job->args.n + 2, sizeof *argv);
    argv[0] = "-fbracket-depth=100000";
    for (size_t i = 0; i < job->args.n; i++) argv[i + 1] = job->args.items[i];
    CXTranslationUnit tu = NULL;
    // by absolute path: the unit's -working-directory need not be the root
    char *path = job->file[0] == '/' ? xstrdup(job->file) : xprintf("%s/%s", run->in->root, job->file);
    enum CXErrorCode err = clang_parseTranslationUnit2(
        index, path, argv, (int)job->args.n + 1, NULL, 0,
        CXTranslationUnit_DetailedPreprocessingRecord | CXTranslationUnit_KeepGoing, &tu);
    free(argv);
    if (err != CXError_Success || !tu) {
        diag_add(&job->r.diags, DIAG_ERROR, job->file, 0, "libclang could not parse this file (error %d)", (int)err);
        free(path);
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
    c.main_file = clang_getFile(tu, path);
    free(path);
    clang_getInclusions(tu, inclusion_visit, &job->r.deps);
    if (job->is_header) {
        TopCtx t = {&c, {0}};
        clang_visitChildren(clang_getTranslationUnitCursor(tu), top_visit, &t);
        for (size_t i = 0; i < t.pending.n; i++) { // an enum no typedef names: its constants matter
            Symbol *s = t.pending.items[i].sym;
            if (*s->name || s->kind != KIND_ENUM || !s->enum_values.n) continue;
            free(s->name);
            s->name = xprintf("<anon enum %s>", s->enum_values.items[0].name);
            vec_push(&job->r.syms, s);
        }
        free(t.pending.items);
    }
    walk_unit(&c);
    attribute_to_functions(&c);
    for (size_t i = 0; i < c.funcs.n; i++) free(c.funcs.items[i].function);
    free(c.funcs.items);
    map_free(&c.macro_starts);
    map_free(&c.files);
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
        if (job->done || !shard_owns(i, run->o->shard, run->o->shards)) continue;
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
        watchdog_begin(job);
        run_job(run, job, index);
        watchdog_end(job);
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
    // libclang parses on the calling thread (LIBCLANG_NOTHREADS), which gets a large stack: the
    // parser recurses per nesting level, and its own 8 MB safety thread dies at ~60,000 terms.
    setenv("LIBCLANG_NOTHREADS", "1", 1);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, (size_t)1 << 30); // address space only; pages come on use
    for (int i = 0; i < nthreads; i++)
        if (pthread_create(&th[i], &attr, worker, &run) != 0) pthread_create(&th[i], NULL, worker, &run);
    pthread_attr_destroy(&attr);
    watchdog_start(o, in);
    for (int i = 0; i < nthreads; i++) pthread_join(th[i], NULL);
    watchdog_stop();
}
