// SPDX-License-Identifier: MIT
// Command line of apidoc: `extract` (also one shard of it), `merge` (of the shards' parts) and
// `lint` (the `markdown` stage is dispatched by main.c).
// Parses options, runs the stages in order, prints diagnostics and returns the documented exit
// code: 0 ok, 1 documentation or compile errors, 2 usage, 3 I/O.
#include "stages.h"

#include <stdio.h>    // fprintf
#include <stdlib.h>   // atoi
#include <string.h>   // strcmp
#include <sys/stat.h> // mkdir
#include <time.h>     // clock_gettime (APIDOC_TIMING)
#include <unistd.h>   // chdir

static const char USAGE_TEXT[] =
    "usage: apidoc extract [options] [compile_commands.json | FILE.c... [-- FLAGS...]]\n"
    "       apidoc lint    [options] [compile_commands.json | api.json | FILE.c... [-- FLAGS...]]\n"
    "       apidoc extract --shard I/N [options] [compile_commands.json ...]   (writes a part, -o FILE)\n"
    "       apidoc merge   [options] PART... [compile_commands.json ...]      (the parts -> api.json)\n"
    "       apidoc markdown ARGS...\n"
    "options:\n"
    "  -p FILE        compile_commands.json (default build/compile_commands.json when no FILE is given)\n"
    "  -o FILE        output of extract (default build/docs/api.json; - for stdout); lint writes it only if given\n"
    "  --root DIR     repository root: inputs are read and paths printed relative to it (default .)\n"
    "  --header FILE  a public header (repeatable; default: every include/**.h)\n"
    "  --tags FILE    tag vocabulary (default docs/tags.yml)\n"
    "  -j N           parsing threads (default 2)\n"
    "  --cache DIR    keep each unit's results in DIR; reparse only units whose files changed\n"
    "  --unit-time S  stop (exit 1) when one unit takes longer than S seconds (default 600; 0: no bound)\n"
    "  --unit-memory MB  stop (exit 1) when memory passes MB while parsing (default 8192; 0: no bound)\n"
    "exit codes: 0 ok, 1 documentation or compile errors, 2 usage, 3 I/O\n";

// Whether a .json file is an api.json (an object with "format_version"), not a compile database.
static int json_is_api(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    int c;
    while ((c = fgetc(f)) == ' ' || c == '\n' || c == '\t' || c == '\r') {}
    fclose(f);
    return c == '{';
}

// Whether a file is a part written by `extract --shard` (shard.c's first line).
static int is_part(const char *path) {
    FILE *f = fopen(path, "rb");
    char head[16] = "";
    if (!f) return 0;
    size_t n = fread(head, 1, sizeof head - 1, f);
    fclose(f);
    return n >= 12 && strncmp(head, "apidoc-part-", 12) == 0;
}

// APIDOC_TIMING=1 prints how long each stage took, to stderr.
static void stage(const char *name) {
    static struct timespec last, last_cpu;
    static int on = -1;
    if (on < 0) on = getenv("APIDOC_TIMING") != NULL;
    if (!on) return;
    struct timespec now, cpu;
    clock_gettime(CLOCK_MONOTONIC, &now);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    long pages = 0, rss = 0;
    FILE *statm = fopen("/proc/self/statm", "r");
    if (statm && fscanf(statm, "%ld %ld", &pages, &rss) != 2) rss = 0;
    if (statm) fclose(statm);
    if (name)
        fprintf(stderr, "apidoc: timing: %-8s %6.3f s wall %6.3f s cpu %6ld MB resident\n", name,
                (double)(now.tv_sec - last.tv_sec) + (double)(now.tv_nsec - last.tv_nsec) / 1e9,
                (double)(cpu.tv_sec - last_cpu.tv_sec) + (double)(cpu.tv_nsec - last_cpu.tv_nsec) / 1e9,
                rss * sysconf(_SC_PAGESIZE) / (1024 * 1024));
    last = now, last_cpu = cpu;
}

static int usage_error(const char *msg, const char *arg) {
    fprintf(stderr, "apidoc: error: %s%s%s\n%s", msg, arg ? " " : "", arg ? arg : "", USAGE_TEXT);
    return 2;
}

static void mkdirs(const char *path) {
    char *p = xstrdup(path);
    for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        mkdir(p, 0777);
        *s = '/';
    }
    free(p);
}

// `apidoc lint api.json`: the rules over the model that file holds (its own tag vocabulary).
static int lint_api_json(const char *path) {
    Model m = {0};
    if (api_read(path, &m) != 0) {
        diag_print(&m.diags, "apidoc");
        return 3;
    }
    model_sort(&m);
    model_index(&m);
    lint_run(&m);
    diag_sort(&m.diags);
    int errors = diag_print(&m.diags, "apidoc");
    if (errors) fprintf(stderr, "apidoc: %d documentation error%s\n", errors, errors == 1 ? "" : "s");
    return errors ? 1 : 0;
}

int cli_main(int argc, char **argv) {
    if (argc < 2) return usage_error("no command given", NULL);
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(USAGE_TEXT, stdout);
        return 0;
    }
    int lint = strcmp(cmd, "lint") == 0, merge = strcmp(cmd, "merge") == 0;
    if (!lint && !merge && strcmp(cmd, "extract") != 0) return usage_error("unknown command", cmd);
    StrVec parts = {0};
    Options o = {0};
    o.tags_path = "docs/tags.yml";
    o.jobs = 2;
    o.unit_time = 600, o.unit_memory = 8192;
    const char *root = NULL, *json_arg = NULL;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (strcmp(a, "--") == 0) {
            for (i++; i < argc; i++) vec_push(&o.flags, argv[i]);
            break;
        }
        if (strcmp(a, "-p") == 0 && more) o.ccdb = argv[++i];
        else if (strcmp(a, "-o") == 0 && more) o.out = argv[++i];
        else if (strcmp(a, "--root") == 0 && more) root = argv[++i];
        else if (strcmp(a, "--header") == 0 && more) vec_push(&o.headers, argv[++i]);
        else if (strcmp(a, "--tags") == 0 && more) o.tags_path = argv[++i];
        else if (strcmp(a, "-j") == 0 && more) o.jobs = atoi(argv[++i]);
        else if (strcmp(a, "--cache") == 0 && more) o.cache_dir = argv[++i];
        else if (strcmp(a, "--unit-time") == 0 && more) o.unit_time = atof(argv[++i]);
        else if (strcmp(a, "--unit-memory") == 0 && more) o.unit_memory = atof(argv[++i]);
        else if (strcmp(a, "--shard") == 0 && more && !lint && !merge) {
            char tail = 0;
            if (sscanf(argv[++i], "%d/%d%c", &o.shard, &o.shards, &tail) != 2 || o.shard < 1 || o.shard > o.shards)
                return usage_error("--shard needs I/N with 1 <= I <= N, e.g. --shard 2/3:", argv[i]);
        }
        else if (merge && is_part(a)) vec_push(&parts, argv[i]);
        else if (a[0] == '-') return usage_error("unknown option or missing value:", a);
        else if (strlen(a) > 5 && strcmp(a + strlen(a) - 5, ".json") == 0) json_arg = a;
        else vec_push(&o.sources, argv[i]);
    }
    if (o.jobs < 1) return usage_error("-j needs a positive number", NULL);
    if (root && chdir(root) != 0) {
        fprintf(stderr, "apidoc: error: cannot enter root directory %s\n", root);
        return 3;
    }
    if (json_arg) { // a compilation database, or an api.json (lint checks that file)
        if (json_is_api(json_arg)) {
            if (!lint) return usage_error("extract writes api.json; it does not read one:", json_arg);
            if (o.ccdb || o.sources.n || o.headers.n)
                return usage_error("lint of an api.json takes no sources, headers or database:", json_arg);
            return lint_api_json(json_arg);
        } else if (o.ccdb) {
            return usage_error("two compilation databases given:", json_arg);
        } else {
            o.ccdb = json_arg;
        }
    }
    if (!o.ccdb && !o.sources.n && !o.headers.n) o.ccdb = "build/compile_commands.json";
    if (merge && !parts.n) return usage_error("merge needs the parts written by extract --shard", NULL);
    char *part_out = o.shards ? xprintf("build/docs/api-%d-of-%d.part", o.shard, o.shards) : NULL;
    if (!o.out && !lint) o.out = o.shards ? part_out : "build/docs/api.json";
    Model m = {0};
    stage(NULL);
    if (tags_load(o.tags_path, &m.tags, &m.diags) != 0) {
        diag_sort(&m.diags);
        diag_print(&m.diags, "apidoc");
        return 3;
    }
    Inputs in = {0};
    int rc = inputs_load(&o, &m, &in);
    stage("inputs");
    for (size_t i = 0; rc == 0 && i < parts.n; i++) rc = shard_read(parts.items[i], &in, &m.diags);
    for (size_t i = 0; rc == 0 && merge && i < in.jobs.n; i++)
        if (!in.jobs.items[i].done) {
            diag_add(&m.diags, DIAG_ERROR, in.jobs.items[i].file, 0, "this unit is in none of the parts given: merge every shard 1..N");
            rc = 3;
        }
    if (rc == 0) extract_units(&o, &in);
    stage("units");
    if (rc == 0 && o.shards) { // a shard writes its part; the merge does the rest
        mkdirs(o.out);
        if (shard_write(o.out, &in, o.shard, o.shards) != 0) {
            fprintf(stderr, "apidoc: error: cannot write %s\n", o.out);
            return 3;
        }
        return 0;
    }
    if (rc == 0) rc = merge_units(&m, &in);
    if (rc != 3) resolve_aliases(&m);
    if (rc == 3) {
        diag_sort(&m.diags);
        diag_print(&m.diags, "apidoc");
        return 3;
    }
    stage("merge");
    model_sort(&m);
    tags_fold_model(&m);
    xref_resolve(&m);
    model_index(&m);
    stage("xref");
    if (lint) lint_run(&m);
    diag_sort(&m.diags);
    int errors = diag_print(&m.diags, "apidoc");
    if (rc == 1) {
        fprintf(stderr, "apidoc: error: a translation unit does not compile; no output written\n");
        return 1;
    }
    if (o.out) {
        if (strcmp(o.out, "-") != 0) mkdirs(o.out);
        if (gen_json_write(&m, o.out) != 0) {
            fprintf(stderr, "apidoc: error: cannot write %s\n", o.out);
            return 3;
        }
        stage("json");
    }
    if (lint && errors) fprintf(stderr, "apidoc: %d documentation error%s\n", errors, errors == 1 ? "" : "s");
    return errors ? 1 : 0;
}
