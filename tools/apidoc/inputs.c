// SPDX-License-Identifier: MIT
// The inputs of extraction: the public headers (every include/**.h, or --header), read as lines
// and split into `///` blocks (comment.c), and the units to parse: each header on its own, then
// every entry of compile_commands.json (or the files given with their flags); a header gets the
// flags of the first unit that includes it. Knows nothing of libclang. Entry point: inputs_load.
#include "guard.h"
#include "stages.h"

#include <dirent.h>   // opendir
#include <jansson.h>  // compile_commands.json
#include <stdio.h>    // snprintf
#include <stdlib.h>   // realpath, qsort
#include <stdint.h>   // uintptr_t
#include <string.h>   // strcmp
#include <sys/stat.h> // stat, lstat

// realpath(3) with each directory resolved once: realpath reads every component of every path
// (16,000 readlinks in a warm run of the synthetic tree), while a path whose last part is no
// link (lstat) is its directory's real path plus that part. Fills `abs` (PATH_MAX) or is NULL.
static Map real_dirs; // directory as written -> its real path, or NO_REAL
static char NO_REAL[] = "";
static char *real_path(const char *path, char *abs) {
    const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
    struct stat st;
    if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || lstat(path, &st) != 0 || S_ISLNK(st.st_mode))
        return realpath(path, abs);
    char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
    char *real = map_get(&real_dirs, dir);
    if (real) free(dir);
    else {
        char buf[PATH_MAX];
        real = map_put(&real_dirs, dir, realpath(dir, buf) ? xstrdup(buf) : NO_REAL);
    }
    size_t dl = strlen(real), bl = strlen(base);
    if (real == NO_REAL || dl + bl + 2 > PATH_MAX) return realpath(path, abs);
    memcpy(abs, real, dl);
    if (strcmp(real, "/") != 0) abs[dl++] = '/';
    memcpy(abs + dl, base, bl + 1);
    return abs;
}

static void split_command(const char *cmd, StrVec *out) {
    const char *p = cmd;
    while (*p) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        char buf[4096];
        size_t n = 0;
        char q = 0;
        for (; *p && (q || (*p != ' ' && *p != '\t')); p++) {
            if (q && *p == q) q = 0;
            else if (!q && (*p == '"' || *p == '\'')) q = *p;
            else if (*p == '\\' && p[1]) { if (n < sizeof buf - 1) buf[n++] = *++p; }
            else if (n < sizeof buf - 1) buf[n++] = *p;
        }
        vec_push(out, xstrndup(buf, n));
    }
}

// Compiler flags only: drop the compiler, -c, -o X, the source and -Werror.
// Compiler flags only: drop the compiler, -c, -o X, the source and -Werror. Paths of -I, -iquote,
// -isystem, -idirafter, -include and -imacros are made absolute against the entry's directory:
// libclang's -working-directory would change the whole process's directory (LLVM's real file
// system chdirs), under the other threads' feet.
static void clean_args(StrVec *raw, const char *file, const char *dir, StrVec *out) {
    static const char *const path_flags[] = {"-I", "-iquote", "-isystem", "-idirafter", "-include", "-imacros"};
    for (size_t i = 1; i < raw->n; i++) {
        const char *a = raw->items[i];
        if (strcmp(a, "-c") == 0 || strncmp(a, "-Werror", 7) == 0) continue;
        if (strcmp(a, "-o") == 0) { i++; continue; }
        if (strcmp(a, file) == 0) continue;
        const char *flag = NULL;
        for (size_t k = 0; k < sizeof path_flags / sizeof *path_flags && !flag; k++)
            if (strncmp(a, path_flags[k], strlen(path_flags[k])) == 0) flag = path_flags[k];
        if (flag && dir) {
            size_t n = strlen(flag);
            const char *p = a[n] ? a + n : (i + 1 < raw->n ? raw->items[++i] : "");
            if (*p && *p != '/') {
                vec_push(out, xprintf("%s%s/%s", flag, dir, p));
                continue;
            }
            vec_push(out, xprintf("%s%s", flag, p));
            continue;
        }
        vec_push(out, xstrdup(a));
    }
    vec_push(out, xstrdup("-Wno-everything"));
}

static int load_ccdb(const Options *o, Inputs *run, JobVec *jobs, DiagVec *diags, StrVec *first_flags) {
    json_error_t e;
    json_t *db = json_load_file(o->ccdb, 0, &e);
    if (!db) {
        struct stat st;
        if (stat(o->ccdb, &st) != 0)
            diag_add(diags, DIAG_ERROR, o->ccdb, 0, "cannot open the compilation database (run `make all` to create it, or give files and flags: apidoc extract FILE... -- FLAGS)");
        else
            diag_add(diags, DIAG_ERROR, o->ccdb, e.line, "not a valid compilation database: %s", e.text);
        return 3;
    }
    if (!json_is_array(db)) {
        diag_add(diags, DIAG_ERROR, o->ccdb, 1, "not a valid compilation database: expected a JSON array");
        json_decref(db);
        return 3;
    }
    size_t i;
    json_t *entry;
    size_t rl = strlen(run->root);
    json_array_foreach(db, i, entry) {
        const char *file = json_string_value(json_object_get(entry, "file"));
        const char *dir = json_string_value(json_object_get(entry, "directory"));
        const char *cmd = json_string_value(json_object_get(entry, "command"));
        json_t *args = json_object_get(entry, "arguments");
        if (!file || (!cmd && !json_is_array(args))) {
            diag_add(diags, DIAG_ERROR, o->ccdb, 0, "entry %zu has no `file` and `command`/`arguments`", i + 1);
            json_decref(db);
            return 3;
        }
        StrVec raw = {0};
        if (cmd) split_command(cmd, &raw);
        else {
            size_t j;
            json_t *a;
            json_array_foreach(args, j, a) vec_push(&raw, xstrdup(json_string_value(a) ? json_string_value(a) : ""));
        }
        char path[PATH_MAX * 2], abs[PATH_MAX];
        snprintf(path, sizeof path, "%s%s%s", file[0] == '/' || !dir ? "" : dir, file[0] == '/' || !dir ? "" : "/", file);
        const char *rel = path;
        if (real_path(path, abs) && strncmp(abs, run->root, rl) == 0 && abs[rl] == '/') rel = abs + rl + 1;
        Job j = {0};
        j.file = xstrdup(rel);
        clean_args(&raw, file, dir, &j.args);
        if (first_flags->n == 0) {
            for (size_t k = 0; k < j.args.n; k++) vec_push(first_flags, xstrdup(j.args.items[k]));
        }
        vec_push(jobs, j);
    }
    json_decref(db);
    return 0;
}


static int str_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

// Every *.h under `dir`, entries walked in name order. Each directory and file is taken once by
// its (device, inode): a link back to a directory already walked (`loop -> .`, `up -> ..`) or a
// second path to a header is a warning naming the link, never a loop.
static void find_headers(const char *dir, StrVec *out, Map *seen, DiagVec *diags) {
    DIR *d = opendir(dir);
    if (!d) return;
    StrVec names = {0};
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.') vec_push(&names, xstrdup(e->d_name));
    closedir(d);
    if (names.n) qsort(names.items, names.n, sizeof(char *), str_cmp);
    for (size_t i = 0; i < names.n; i++) {
        char *p = xprintf("%s/%s", dir, names.items[i]);
        free(names.items[i]);
        struct stat st;
        int is_dir = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
        int is_h = !is_dir && strlen(p) > 2 && strcmp(p + strlen(p) - 2, ".h") == 0;
        if (!is_dir && !is_h) {
            free(p);
            continue;
        }
        char *id = xprintf("%llu:%llu", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
        const char *first = map_get(seen, id);
        if (first) {
            diag_add(diags, DIAG_WARNING, p, 0, "%s already read as %s; skipped (a link loop or a second path)",
                     is_dir ? "directory" : "header", first);
            free(id), free(p);
            continue;
        }
        map_put(seen, id, xstrdup(p));
        if (is_dir) find_headers(p, out, seen, diags), free(p);
        else vec_push(out, p);
    }
    free(names.items);
}

// ---- which unit includes a header --------------------------------------------------------------
// Each header is parsed with the flags of the first unit (in database order) that includes it,
// directly or through other headers: found by following the `#include` lines of the unit's files
// with its own -I/-iquote/-isystem paths, files inside the root only.
typedef struct { StrVec quote, angle; } SearchPath;

static void search_path(const StrVec *args, const char *root, SearchPath *sp) {
    const char *wd = root; // clean_args made the database's paths absolute
    for (size_t i = 0; i < args->n; i++) {
        const char *a = args->items[i], *dir = NULL;
        int quote_only = 0;
        if (strncmp(a, "-iquote", 7) == 0) quote_only = 1, dir = a[7] ? a + 7 : (i + 1 < args->n ? args->items[++i] : NULL);
        else if (strncmp(a, "-isystem", 8) == 0) dir = a[8] ? a + 8 : (i + 1 < args->n ? args->items[++i] : NULL);
        else if (strncmp(a, "-I", 2) == 0) dir = a[2] ? a + 2 : (i + 1 < args->n ? args->items[++i] : NULL);
        if (!dir) continue;
        char *full = dir[0] == '/' ? xstrdup(dir) : xprintf("%s/%s", wd, dir);
        vec_push(&sp->quote, full);
        if (!quote_only) vec_push(&sp->angle, full);
    }
}

static char *resolve_include(const char *from, const char *name, int quoted, const SearchPath *sp) {
    char abs[PATH_MAX];
    if (quoted) {
        const char *slash = strrchr(from, '/');
        char *p = xprintf("%.*s/%s", slash ? (int)(slash - from) : 1, slash ? from : ".", name);
        if (real_path(p, abs)) return free(p), xstrdup(abs);
        free(p);
    }
    const StrVec *dirs = quoted ? &sp->quote : &sp->angle;
    for (size_t i = 0; i < dirs->n; i++) {
        char *p = xprintf("%s/%s", dirs->items[i], name);
        int found = real_path(p, abs) != NULL;
        free(p);
        if (found) return xstrdup(abs);
    }
    return NULL;
}

// The files `file`'s `#include` lines name, resolved with one search path; read and resolved
// once per (search path, file): units share their headers, and reading each header again for
// every unit that reaches it cost a warm run more than its one parse.
static const StrVec *includes_of(const char *file, const SearchPath *sp, Map *memo) {
    StrVec *found = map_get(memo, file);
    if (found) return found;
    found = xcalloc(1, sizeof *found);
    map_put(memo, xstrdup(file), found);
    char *text = read_text(file, NULL);
    for (char *line = text; line && *line;) {
        char *end = strchr(line, '\n');
        if (end) *end = '\0';
        const char *p = line;
        while (*p == ' ' || *p == '\t') p++;
        if (*p == '#') {
            p++;
            while (*p == ' ' || *p == '\t') p++;
            if (strncmp(p, "include", 7) == 0) {
                p += 7;
                while (*p == ' ' || *p == '\t') p++;
                char close = *p == '"' ? '"' : *p == '<' ? '>' : 0;
                const char *e = close ? strchr(p + 1, close) : NULL;
                if (e) {
                    char *name = xstrndup(p + 1, (size_t)(e - p - 1));
                    char *hit = resolve_include(file, name, close == '"', sp);
                    if (hit) vec_push(found, hit);
                    free(name);
                }
            }
        }
        line = end ? end + 1 : NULL;
    }
    free(text);
    return found;
}

// Marks in `owner` (public header -> unit index) every public header `file` reaches.
static void scan_includes(const char *file, const SearchPath *sp, Map *memo, const Inputs *in, Map *visited, Map *owner, size_t unit) {
    StrVec todo = {0};
    vec_push(&todo, xstrdup(file));
    size_t rl = strlen(in->root);
    while (todo.n) {
        char *f = todo.items[--todo.n];
        if (map_get(visited, f) || strncmp(f, in->root, rl) != 0) {
            free(f);
            continue;
        }
        map_put(visited, f, f);
        const char *rel = map_get(&in->public, f);
        if (rel && !map_get(owner, rel)) map_put(owner, rel, (void *)(uintptr_t)(unit + 1));
        const StrVec *inc = includes_of(f, sp, memo);
        for (size_t i = 0; i < inc->n; i++) vec_push(&todo, xstrdup(inc->items[i]));
    }
    free(todo.items);
}

// The search path as one string: units whose paths are equal share a memo of includes_of.
static char *search_path_key(const SearchPath *sp) {
    Str k = {0};
    str_add(&k, "", 0);
    for (size_t i = 0; i < sp->quote.n; i++) str_cat(&k, sp->quote.items[i]), str_add(&k, "\n", 1);
    str_add(&k, "\1", 1);
    for (size_t i = 0; i < sp->angle.n; i++) str_cat(&k, sp->angle.items[i]), str_add(&k, "\n", 1);
    return k.buf;
}

static char *job_key(const Job *j) {
    unsigned long long h = 1469598103934665603ULL;
    const char *parts[3] = {j->file, j->is_header ? "header" : "unit", NULL};
    for (int p = 0; p < 2; p++)
        for (const char *s = parts[p]; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    for (size_t i = 0; i < j->args.n; i++) {
        h = (h ^ 0xff) * 1099511628211ULL;
        for (const char *s = j->args.items[i]; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    }
    for (size_t i = 0; i < j->owned.n; i++) { // the headers it reads symbols from
        h = (h ^ 0xfe) * 1099511628211ULL;
        for (const char *s = j->owned.items[i]->path; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    }
    return xprintf("%016llx", h);
}

int inputs_load(const Options *o, Model *m, Inputs *in) {
    if (!realpath(".", in->root)) return 3;
    JobVec jobs = {0};
    StrVec flags = {0};
    // public headers
    StrVec headers = {0};
    for (size_t i = 0; i < o->headers.n; i++) vec_push(&headers, xstrdup(o->headers.items[i]));
    if (!headers.n) {
        Map seen = {0};
        struct stat st;
        if (stat("include", &st) == 0)
            map_put(&seen, xprintf("%llu:%llu", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino), "include");
        find_headers("include", &headers, &seen, &m->diags);
    }
    if (headers.n) qsort(headers.items, headers.n, sizeof(char *), str_cmp);
    if (!headers.n) {
        diag_add(&m->diags, DIAG_ERROR, "include", 0, "no public header found");
        return 3;
    }
    int io = 0;
    for (size_t i = 0; i < headers.n; i++) {
        HeaderFile *h = xcalloc(1, sizeof *h);
        h->path = headers.items[i];
        h->include = xstrdup(strncmp(h->path, "include/", 8) == 0 ? h->path + 8 : h->path);
        h->lines = read_lines(h->path, &h->nlines, &m->diags);
        if (!h->lines) { io = 1; continue; }
        h->guard_line = header_guard_line(h);
        comment_parse_file(h->path, h->lines, h->nlines, &h->blocks, &m->diags);
        for (size_t b = 0; b < h->blocks.n; b++)
            if (h->blocks.items[b]->is_file_doc) h->doc = h->blocks.items[b], h->doc->used = 1;
        vec_push(&m->files, h);
        char abs[PATH_MAX];
        if (real_path(h->path, abs)) map_put(&in->public, xstrdup(abs), h->path);
    }
    if (io) return 3;
    if (o->ccdb) {
        int rc = load_ccdb(o, in, &jobs, &m->diags, &flags);
        if (rc) return rc;
    }
    for (size_t i = 0; i < o->sources.n; i++) {
        Job j = {0};
        j.file = xstrdup(o->sources.items[i]);
        for (size_t k = 0; k < o->flags.n; k++) vec_push(&j.args, xstrdup(o->flags.items[k]));
        vec_push(&j.args, xstrdup("-Wno-everything"));
        vec_push(&jobs, j);
    }
    if (o->flags.n || !flags.n) {
        for (size_t k = 0; k < o->flags.n; k++) vec_push(&flags, xstrdup(o->flags.items[k]));
        vec_push(&flags, xstrdup("-Wno-everything"));
    }
    // which unit includes each header (its flags are the header's)
    Map owner = {0}, memos = {0}; // search path -> (file -> its resolved includes)
    for (size_t u = 0; u < jobs.n; u++) {
        SearchPath sp = {0};
        search_path(&jobs.items[u].args, in->root, &sp);
        char *sp_key = search_path_key(&sp);
        Map *memo = map_get(&memos, sp_key);
        if (memo) free(sp_key);
        else memo = map_put(&memos, sp_key, xcalloc(1, sizeof(Map)));
        Map visited = {0};
        char abs[PATH_MAX];
        char *unit = jobs.items[u].file[0] == '/' ? xstrdup(jobs.items[u].file) : xprintf("%s/%s", in->root, jobs.items[u].file);
        if (real_path(unit, abs)) scan_includes(abs, &sp, memo, in, &visited, &owner, u);
        free(unit);
        for (size_t k = 0; k < visited.cap; k++) free(visited.slots[k].hash ? visited.slots[k].value : NULL);
        map_free(&visited);
    }
    // a header a unit includes is read from that unit's parse (its flags, no parse of its own);
    // one no unit includes is parsed on its own: those jobs first, then the units
    for (size_t i = 0; i < m->files.n; i++) {
        size_t by = (size_t)(uintptr_t)map_get(&owner, m->files.items[i]->path);
        if (by) {
            vec_push(&jobs.items[by - 1].owned, m->files.items[i]);
            continue;
        }
        Job j = {0};
        j.file = xstrdup(m->files.items[i]->path);
        j.is_header = 1;
        j.header = m->files.items[i];
        vec_push(&j.args, xstrdup("-x"));
        vec_push(&j.args, xstrdup("c"));
        for (size_t k = 0; k < flags.n; k++) vec_push(&j.args, xstrdup(flags.items[k]));
        vec_push(&in->jobs, j);
    }
    map_free(&owner);
    for (size_t i = 0; i < jobs.n; i++) vec_push(&in->jobs, jobs.items[i]);
    free(jobs.items);
    for (size_t i = 0; i < in->jobs.n; i++) in->jobs.items[i].cache_key = job_key(&in->jobs.items[i]);
    return 0;
}
