// SPDX-License-Identifier: MIT
// The libclang stage (with extract_symbols.c and extract_refs.c, the only files that touch
// libclang): parses every public header on its own (so a header nobody includes is still
// documented) and every translation unit of compile_commands.json, with
// CXTranslationUnit_DetailedPreprocessingRecord so macros exist, on -j threads with large
// stacks under the watchdog's bounds, each result from the cache when it is fresh. Headers give
// the symbols (`///` blocks by line from comment.c, then cursors); every unit gives raw uses
// (USR + written position + enclosing function) that resolve.c resolves. Entry point:
// extract_units (the units come from inputs.c; merge.c and resolve.c follow).
#include "extract.h"

#include <limits.h>   // PATH_MAX
#include <pthread.h>  // two parsing threads
#include <stdint.h>   // uintptr_t
#include <stdio.h>    // fprintf
#include <stdlib.h>   // realpath, qsort
#include <string.h>   // strcmp
#include <sys/stat.h> // stat

// ---- small helpers -------------------------------------------------------------------------
char *cx(CXString s) {
    const char *c = clang_getCString(s);
    char *r = xstrdup(c ? c : "");
    clang_disposeString(s);
    return r;
}

static const char NOT_PUBLIC[] = "";

static Target NOT_TARGET; // remembered misses

const Target *target_of(Ctx *c, CXFile f) {
    if (!f) return NULL;
    Target *t = map_get_p(&c->targets, f);
    if (t) return t == &NOT_TARGET ? NULL : t;
    for (size_t i = 0; i < c->targets.cap; i++) { // CXFile handles may differ for one file
        Target *x = c->targets.slots[i].value;
        if (c->targets.slots[i].hash && x != &NOT_TARGET && clang_File_isEqual(x->file, f)) return x;
    }
    map_put_p(&c->targets, f, &NOT_TARGET);
    return NULL;
}

// Relative path of a public header, or NULL when the file is not public.
const char *public_rel(Ctx *c, CXFile f) {
    if (!f) return NULL;
    const char *known = map_get_p(&c->files, f);
    if (known) return known == NOT_PUBLIC ? NULL : known;
    char *name = cx(clang_getFileName(f)), abs[PATH_MAX];
    const char *rel = realpath(name, abs) ? map_get(&c->run->in->public, abs) : NULL;
    free(name);
    map_put_p(&c->files, f, rel ? (void *)rel : (void *)NOT_PUBLIC);
    return rel;
}

void loc_of(CXSourceLocation l, CXFile *f, unsigned *line, unsigned *col, unsigned *off) {
    clang_getExpansionLocation(l, f, line, col, off);
}

// Source text between two (line, col) positions of `lines` (1-based, end exclusive).
char *text_between(char **lines, int nlines, unsigned l1, unsigned c1, unsigned l2, unsigned c2) {
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

char *collapse_ws(const char *s) {
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

char *type_of(CXType t) { return clean_type(cx(clang_getTypeSpelling(t))); }

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
            if (rl && run->in->root[rl - 1] == '/') rl--; // the root "/": every path is under it
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
    Target *main_t = xcalloc(1, sizeof *main_t);
    *main_t = (Target){c.main_file, job->file, job->header, 0};
    if (c.main_file) map_put_p(&c.targets, c.main_file, main_t);
    Vec(HeaderFile *) missed = {0};
    for (size_t i = 0; i < job->owned.n; i++) {
        char *abs = xprintf("%s/%s", run->in->root, job->owned.items[i]->path);
        CXFile f = clang_getFile(tu, abs);
        free(abs);
        if (!f) { // the include scan saw it, the preprocessor did not take it: parse it on its own
            vec_push(&missed, job->owned.items[i]);
            continue;
        }
        Target *t = xcalloc(1, sizeof *t);
        *t = (Target){f, job->owned.items[i]->path, job->owned.items[i], (int)i + 1};
        map_put_p(&c.targets, f, t);
    }
    clang_getInclusions(tu, inclusion_visit, &job->r.deps);
    if (job->is_header || job->owned.n) header_symbols(&c);
    walk_unit(&c);
    attribute_to_functions(&c);
    for (size_t i = 0; i < c.funcs.n; i++) free(c.funcs.items[i].function);
    free(c.funcs.items);
    map_free(&c.macro_starts);
    for (size_t i = 0; i < c.targets.cap; i++)
        if (c.targets.slots[i].hash && c.targets.slots[i].value != &NOT_TARGET) free(c.targets.slots[i].value);
    for (size_t i = 0; i < missed.n; i++) {
        Job h = {0};
        h.file = missed.items[i]->path, h.is_header = 1, h.header = missed.items[i];
        vec_push(&h.args, "-x");
        vec_push(&h.args, "c");
        for (size_t k = 0; k < job->args.n; k++) vec_push(&h.args, job->args.items[k]);
        run_job(run, &h, index);
        for (size_t k = 0; k < h.r.syms.n; k++) vec_push(&job->r.syms, h.r.syms.items[k]);
        for (size_t k = 0; k < h.r.refs.n; k++) vec_push(&job->r.refs, h.r.refs.items[k]);
        for (size_t k = 0; k < h.r.misuse.n; k++) vec_push(&job->r.misuse, h.r.misuse.items[k]);
        for (size_t k = 0; k < h.r.diags.n; k++) vec_push(&job->r.diags, h.r.diags.items[k]);
        for (size_t k = 0; k < h.r.deps.n; k++) vec_push(&job->r.deps, h.r.deps.items[k]);
        job->r.failed |= h.r.failed;
        free(h.args.items);
    }
    free(missed.items);
    map_free(&c.targets);
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
            lines_free(lines);
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
