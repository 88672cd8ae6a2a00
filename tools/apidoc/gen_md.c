// SPDX-License-Identifier: MIT
// `apidoc markdown`: reads build/docs/api.json (jansson, never libclang) and writes the MkDocs
// sources of the reference site: docs/api/<Symbol>.md, a page per header, docs/tags/*.md, the
// A-Z index, source pages and docs/api/search-index.js. This file is the entry point
// (apidoc_markdown_main): options, loading and indexing the model; the writers live in
// gen_md_page.c (symbol pages), gen_md_index.c (indexes, search), gen_md_source.c (source pages),
// gen_md_code.c and gen_md_xref.c (linked code and cross-references) and gen_md_text.c.
#include "gen_md.h"
#include "gen_md_internal.h"

#include <stdio.h>   // fprintf
#include <stdlib.h>  // qsort, free
#include <string.h>  // strcmp
#include <strings.h> // strcasecmp

static const char usage[] =
    "usage: apidoc markdown [--out DIR] [--tags FILE] [--source-root DIR] [--nav FILE] API_JSON\n"
    "  Writes DIR/api/**.md, DIR/tags/**.md and DIR/api/search-index.js (DIR defaults to docs).\n"
    "  --tags FILE         ignored: api.json carries the tag vocabulary (kept for old scripts)\n"
    "  --source-root DIR   where the sources named in API_JSON are read, for source pages and\n"
    "                      scraped examples without embedded code (default: .)\n"
    "  --nav FILE          also write the MkDocs `nav:` (home, DIR/guides/*.md, reference)\n"
    "exit status: 0 ok, 1 bad input, 2 usage, 3 I/O error\n";

// Of one name, the ordinary identifier (function, typedef, variable) takes the plain page, then
// the tag, then the macro: C code names the function `gzgetc` more than the macro of that name.
static int md_namespace_rank(const MdSym *s) {
    const char *ns = md_json_str(s->json, "namespace");
    if (!ns || !strcmp(ns, "ordinary")) return 0;
    return strcmp(ns, "tag") == 0 ? 1 : 2;
}

static int md_sym_cmp(const void *a, const void *b) {
    const MdSym *x = a, *y = b;
    int c = strcasecmp(x->name, y->name);
    if (!c) c = strcmp(x->name, y->name);
    return c ? c : md_namespace_rank(x) - md_namespace_rank(y);
}

// Page names (MdSym.page), after sorting: one name in two namespaces gives two pages.
static int md_assign_pages(MdModel *m) {
    for (size_t k = 0; k < m->nsyms; k++) {
        MdSym *s = &m->syms[k];
        if (k && strcmp(m->syms[k - 1].name, s->name) == 0) {
            if (md_namespace_rank(&m->syms[k - 1]) == md_namespace_rank(s)) {
                fprintf(stderr, "%s:%ld: error: %s is declared twice (also %s:%ld)\n", s->file, s->line, s->name,
                        m->syms[k - 1].file, m->syms[k - 1].line);
                return 1;
            }
            const char *suffix = md_namespace_rank(s) == 2 ? "macro" : s->kind;
            if (asprintf(&s->page, "%s-%s", s->name, suffix) < 0) s->page = NULL;
        } else s->page = strdup(s->name);
        if (!s->page) return 3;
    }
    return 0;
}

static int md_tag_cmp(const void *a, const void *b) {
    return strcmp(((const MdTag *)a)->name, ((const MdTag *)b)->name);
}

static int md_str_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static MdTag *md_add_tag(MdModel *m, const char *name) {
    m->tags = realloc(m->tags, (m->ntags + 1) * sizeof *m->tags);
    if (!m->tags) exit(3);
    MdTag *t = &m->tags[m->ntags++];
    *t       = (MdTag){.name = strdup(name), .description = strdup("")};
    return t;
}

// format_version 2 stores each enclosing function once (root "examples") and has symbols point
// at it by index, and writes references as arrays. The page writers read an example's (and a
// reference's) facts from the entry itself, so each use and reference gets them (shared json_t,
// no text copied) and each reference becomes an object {file, line, column, kind, function}.
static void md_expand_examples(MdModel *m) {
    json_t *table = json_object_get(m->root, "examples");
    size_t  i, k;
    json_t *s, *x;
    json_array_foreach(json_object_get(m->root, "symbols"), i, s) {
        json_array_foreach(json_object_get(s, "examples"), k, x) {
            json_t *e = json_array_get(table, (size_t)md_json_int(x, "example"));
            if (!e) continue;
            static const char *const keys[] = {"file", "function", "start", "end", "code", "misuse"};
            for (size_t j = 0; j < sizeof keys / sizeof *keys; j++)
                json_object_set(x, keys[j], json_object_get(e, keys[j]));
            json_object_set(x, "category", json_object_get(e, "origin"));
        }
        json_t *refs = json_object_get(s, "references");
        json_array_foreach(refs, k, x) { // [file, line, column, kind, example] -> an object
            json_t *at = json_array_get(x, 4);
            json_t *e  = json_is_integer(at) ? json_array_get(table, (size_t)json_integer_value(at)) : NULL;
            json_t *r  = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O}", "file", json_array_get(x, 0), "line",
                                   json_array_get(x, 1), "column", json_array_get(x, 2), "kind", json_array_get(x, 3),
                                   "example", at ? at : json_null(), "function", e ? json_object_get(e, "function") : json_null());
            if (r) json_array_set_new(refs, k, r);
        }
    }
}

// The vocabulary carried by api.json itself: [{name, description, synonyms, symbols}].
static void md_load_json_tags(MdModel *m) {
    size_t  i;
    json_t *t;
    json_array_foreach(json_object_get(m->root, "tags"), i, t) {
        const char *name = md_json_str(t, "name");
        if (!name || md_find_tag(m, name)) continue;
        MdTag *tag = md_add_tag(m, name);
        if (md_json_str(t, "description")) {
            free(tag->description);
            tag->description = strdup(md_json_str(t, "description"));
        }
        size_t  k;
        json_t *syn;
        json_array_foreach(json_object_get(t, "synonyms"), k, syn) {
            if (!json_is_string(syn)) continue;
            tag->synonyms = realloc(tag->synonyms, (tag->nsynonyms + 1) * sizeof *tag->synonyms);
            if (!tag->synonyms) exit(3);
            tag->synonyms[tag->nsynonyms++] = strdup(json_string_value(syn));
        }
    }
}

static int md_load_symbols(MdModel *m) {
    json_t *syms = json_object_get(m->root, "symbols");
    if (!json_is_array(syms)) {
        fprintf(stderr, "apidoc: markdown: api.json has no \"symbols\" array\n");
        return 1;
    }
    m->syms = calloc(json_array_size(syms) + 1, sizeof *m->syms);
    if (!m->syms) return 3;
    size_t  i;
    json_t *s;
    json_array_foreach(syms, i, s) {
        MdSym sym = {.id = md_json_str(s, "id"), .name = md_json_str(s, "name"), .kind = md_json_str(s, "kind"),
                     .file = md_json_str(s, "header"), .include = md_json_str(s, "include"),
                     .decl = md_json_str(s, "declaration"), .line = md_json_int(s, "line"),
                     .json = s, .doc = json_object_get(s, "doc")};
        if (!sym.name || !sym.kind || !sym.file) {
            fprintf(stderr, "apidoc: markdown: symbol %zu lacks name, kind or header\n", i);
            return 1;
        }
        if (!json_is_object(sym.doc)) sym.doc = NULL;
        if (!sym.decl) sym.decl = "";
        if (!sym.include) {
            const char *inc = strstr(sym.file, "include/");
            sym.include     = inc ? inc + 8 : md_basename(sym.file);
        }
        m->syms[m->nsyms++] = sym;
    }
    qsort(m->syms, m->nsyms, sizeof *m->syms, md_sym_cmp);
    return md_assign_pages(m);
}

// Count each symbol's tags, adding tags missing from the vocabulary so no chip is dead.
static void md_count_tags(MdModel *m) {
    for (size_t i = 0; i < m->nsyms; i++) {
        json_t *tags = json_object_get(m->syms[i].doc, "tags");
        size_t  k;
        json_t *t;
        json_array_foreach(tags, k, t) {
            if (!json_is_string(t)) continue;
            MdTag *tag = (MdTag *)md_find_tag(m, json_string_value(t));
            if (!tag) tag = md_add_tag(m, json_string_value(t));
            tag->count++;
        }
    }
    qsort(m->tags, m->ntags, sizeof *m->tags, md_tag_cmp);
    for (size_t i = 0; i < m->nsyms; i++) {
        json_t *tags = json_object_get(m->syms[i].doc, "tags");
        size_t  k;
        json_t *t;
        json_array_foreach(tags, k, t) {
            const MdTag *tag = json_is_string(t) ? md_find_tag(m, json_string_value(t)) : NULL;
            size_t       at  = tag ? (size_t)(tag - m->tags) : 64;
            if (at < 64) m->syms[i].tag_mask |= 1ULL << at;
        }
    }
}

// Files that get a source page: every declaring or referencing file readable under the root.
static void md_collect_sources(MdModel *m) {
    if (!m->source_root) return;
    for (size_t i = 0; i < m->nsyms; i++) {
        const char *files[1 + 4096];
        size_t      nf  = 0;
        files[nf++]     = m->syms[i].file;
        json_t *refs    = json_object_get(m->syms[i].json, "references");
        size_t  k;
        json_t *r;
        json_array_foreach(refs, k, r) {
            if (nf < sizeof files / sizeof *files && md_json_str(r, "file")) files[nf++] = md_json_str(r, "file");
        }
        for (size_t f = 0; f < nf; f++) {
            if (md_has_source(m, files[f]) || strstr(files[f], "..") || files[f][0] == '/') continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", m->source_root, files[f]);
            FILE *fp = fopen(path, "rb");
            if (!fp) continue;
            fclose(fp);
            m->sources = realloc(m->sources, (m->nsources + 1) * sizeof *m->sources);
            if (!m->sources) exit(3);
            m->sources[m->nsources++] = strdup(files[f]);
        }
    }
    if (m->nsources) qsort(m->sources, m->nsources, sizeof *m->sources, md_str_cmp);
}

static void md_model_free(MdModel *m) {
    for (size_t i = 0; i < m->ntags; i++) {
        for (size_t s = 0; s < m->tags[i].nsynonyms; s++) free(m->tags[i].synonyms[s]);
        free(m->tags[i].synonyms);
        free(m->tags[i].name);
        free(m->tags[i].description);
    }
    for (size_t i = 0; i < m->nsources; i++) free(m->sources[i]);
    free(m->sources);
    free(m->refs);
    md_xref_free(m);
    free(m->tags);
    for (size_t i = 0; i < m->nsyms; i++) free(m->syms[i].page);
    free(m->syms);
    json_decref(m->root);
}

int apidoc_markdown_main(int argc, char **argv) {
    MdModel     m         = {.out_dir = "docs", .source_root = "."};
    const char *input = NULL, *nav_path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if ((strcmp(a, "--out") == 0 || strcmp(a, "--tags") == 0 || strcmp(a, "--source-root") == 0 ||
             strcmp(a, "--nav") == 0) && i + 1 < argc) {
            const char *v = argv[++i];
            if (a[2] == 'o') m.out_dir = v;
            else if (a[2] == 't') (void)v; // --tags: the vocabulary is in api.json
            else if (a[2] == 'n') nav_path = v;
            else m.source_root = *v ? v : NULL;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (a[0] == '-' || input) {
            fprintf(stderr, "apidoc: markdown: unexpected argument '%s'\n%s", a, usage);
            return 2;
        } else {
            input = a;
        }
    }
    if (!input) {
        fprintf(stderr, "apidoc: markdown: no api.json given\n%s", usage);
        return 2;
    }
    json_error_t err;
    m.root = json_load_file(input, 0, &err);
    if (!m.root) {
        fprintf(stderr, "%s:%d: error: %s\n", input, err.line, err.text);
        return err.line > 0 ? 1 : 3;
    }
    long version = md_json_int(m.root, "format_version");
    if (version != 1 && version != 2) {
        fprintf(stderr, "%s: error: format_version %ld is not supported (expected 1 or 2)\n", input, version);
        md_model_free(&m);
        return 1;
    }
    md_load_json_tags(&m);
    if (version == 2) md_expand_examples(&m);
    int rc = md_load_symbols(&m);
    if (rc == 0) {
        md_count_tags(&m);
        md_collect_sources(&m);
        md_index_xref(&m);
        if (md_symbol_pages(&m) || md_index_pages(&m) || md_source_pages(&m) || md_search_index(&m) ||
            (nav_path && md_nav(&m, nav_path)))
            rc = 3;
    }
    md_model_free(&m);
    return rc;
}
