// SPDX-License-Identifier: MIT
// Every use of a public symbol in one unit, with where it is written and the function around it,
// found on libclang's own data-recursive traversal with an explicit stack (a deep expression costs
// memory, not C stack); the selected `_Generic` arm only; the functions death-test runners are
// given (misuse). Entry points: walk_unit, attribute_to_functions.
#include "extract.h"

#include <limits.h> // PATH_MAX
#include <stdint.h> // uintptr_t
#include <stdlib.h> // qsort
#include <string.h> // strcmp

// ---- references ------------------------------------------------------------------------------
// Where a use is written: its spelling location when that is in the main file (a macro
// argument, or in libclang 14 the expansion site of a macro body token, also when nested in
// another macro's argument), else its expansion location.
static void written_at(Ctx *c, CXSourceLocation l, unsigned *line, unsigned *col, unsigned *off) {
    CXFile f;
    clang_getSpellingLocation(l, &f, line, col, off);
    if (f && c->at && clang_File_isEqual(f, c->at->file)) return;
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
    RawRef r = {cx(clang_getCursorUSR(target)), xstrdup(c->at->rel), c->func ? xstrdup(c->func) : NULL,
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
    return map_get_p(&c->macro_starts, (void *)(((uintptr_t)c->at->id << 40) | (off + 1))) != NULL;
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
        const Target *t = target_of(c, file);
        if (!t) continue;
        Site site = {xstrdup(t->rel), (int)line};
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
    c->at = target_of(c, file);
    if (!c->at) return CXChildVisit_Continue;
    enum CXCursorKind k = clang_getCursorKind(cur);
    if (k == CXCursor_MacroExpansion) {
        unsigned wl, wc, wo;
        written_at(c, loc, &wl, &wc, &wo);
        map_put_p(&c->macro_starts, (void *)(((uintptr_t)c->at->id << 40) | (wo + 1)), c);
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
        RawRef fr = {NULL, (char *)c->at->rel, xstrdup(name), NULL, 0, 0, (int)l1, (int)l2};
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

void walk_unit(Ctx *c) {
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
    int c = strcmp(x->file, y->file);
    if (c) return c;
    return x->function_start != y->function_start ? (x->function_start < y->function_start ? -1 : 1)
                                                  : (x->function_end > y->function_end ? -1 : x->function_end < y->function_end);
}
// Macro expansions are visited at the top level: give each its enclosing function, found by
// binary search over the unit's function definitions (sorted by start; they do not nest in C).
void attribute_to_functions(Ctx *c) {
    if (!c->funcs.n) return;
    qsort(c->funcs.items, c->funcs.n, sizeof(RawRef), func_cmp);
    for (size_t i = 0; i < c->job->r.refs.n; i++) {
        RawRef *r = &c->job->r.refs.items[i];
        if (r->function) continue;
        size_t lo = 0, hi = c->funcs.n; // first function after (file, line)
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            int cmp = strcmp(c->funcs.items[mid].file, r->file);
            if (cmp < 0 || (cmp == 0 && c->funcs.items[mid].function_start <= r->line)) lo = mid + 1;
            else hi = mid;
        }
        if (lo == 0 || strcmp(c->funcs.items[lo - 1].file, r->file) != 0) continue;
        size_t at = lo - 1; // of the definitions starting on one line (a macro-made test and its
        while (at > 0 && strcmp(c->funcs.items[at - 1].file, r->file) == 0 &&
               c->funcs.items[at - 1].function_start == c->funcs.items[lo - 1].function_start)
            at--;
        RawRef *fn = &c->funcs.items[at]; // helpers), the longest: it is first in the order
        if (fn->function_end < r->line) continue;
        r->function = xstrdup(fn->function);
        r->function_start = fn->function_start;
        r->function_end = fn->function_end;
    }
}
