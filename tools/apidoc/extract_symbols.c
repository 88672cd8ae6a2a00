// SPDX-License-Identifier: MIT
// A header's own declarations as symbols, from libclang's cursors: functions, variables, macros
// (parameters and body tokens, the `_Generic` table, include guards left out), records and enums
// with their members (an explicit stack of records, so nesting costs memory), typedefs (folded
// into the record they name, opaque, basic, function pointers). Entry point: header_symbols.
#include "extract.h"

#include <stdlib.h> // free
#include <string.h> // strcmp

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
    s->header   = xstrdup(c->at->header->path);
    s->include  = xstrdup(c->at->header->include);
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
    HeaderFile *h = c->at->header;
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
    HeaderFile *h = fc->c->at->header;
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
        unsigned first, fc0, fo;
        CXFile ff;
        loc_of(clang_getRangeStart(clang_getCursorExtent(cur)), &ff, &first, &fc0, &fo);
        Field fl = {name, type_of(clang_getCursorType(cur)),
                    top.group ? xstrdup(top.group) : NULL, comment_trailing(trail), (int)line,
                    clang_getFieldDeclBitWidth(cur), {0}, first >= 1 && first <= line ? (int)first : (int)line};
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

static char *tok_text(Ctx *c, CXToken *toks, unsigned a, unsigned b) { // tokens a..b inclusive
    CXSourceRange r1 = clang_getTokenExtent(c->tu, toks[a]), r2 = clang_getTokenExtent(c->tu, toks[b]);
    unsigned l1, c1, l2, c2, o;
    CXFile f;
    clang_getSpellingLocation(clang_getRangeStart(r1), &f, &l1, &c1, &o);
    clang_getSpellingLocation(clang_getRangeEnd(r2), &f, &l2, &c2, &o);
    HeaderFile *h = c->at->header;
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
    if (!fnlike && s->line == c->at->header->guard_line) {
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
    HeaderFile *h = c->at->header;
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
    c->at = target_of(c, f);
    if (!c->at || !c->at->header) return CXChildVisit_Continue; // the unit's own file has no symbols
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

// The symbols a header declares (its own top-level cursors), into c->job->r.syms.
void header_symbols(Ctx *c) {
    TopCtx t = {c, {0}};
    clang_visitChildren(clang_getTranslationUnitCursor(c->tu), top_visit, &t);
    for (size_t i = 0; i < t.pending.n; i++) { // an enum no typedef names: its constants matter
        Symbol *s = t.pending.items[i].sym;
        if (*s->name || s->kind != KIND_ENUM || !s->enum_values.n) continue;
        free(s->name);
        s->name = xprintf("<anon enum %s>", s->enum_values.items[0].name);
        vec_push(&c->job->r.syms, s);
    }
    free(t.pending.items);
}
