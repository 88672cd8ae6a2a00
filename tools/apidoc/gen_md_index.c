// SPDX-License-Identifier: MIT
// The pages around the symbol pages: the A-Z index (api/index.md), a page per header
// (api/headers/**), a page per tag and the all-tags page (tags/**), and the symbol index of the
// search (api/search-index.js), which assigns a global so it loads from file:// without fetch.
// Entry points: md_index_pages, md_search_index (source pages: gen_md_source.c).
#include "gen_md_internal.h"

#include <ctype.h>   // toupper, isalnum
#include <dirent.h>  // opendir: the guides
#include <stdio.h>   // snprintf
#include <stdlib.h>  // free
#include <string.h>  // strcmp
#include <strings.h> // strcasecmp

static int md_str_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void md_brief_row(MdBuf *b, const MdModel *m, const MdSym *s, const char *from_dir, int with_kind) {
    md_put(b, "| ");
    md_sym_link(b, m, s->name, from_dir);
    if (with_kind) md_printf(b, " | %s", md_kind_label(s->kind));
    md_put(b, " | ");
    md_inline(b, m, md_json_str(s->doc, "brief"), from_dir);
    md_put(b, " |\n");
}

// --- A-Z -----------------------------------------------------------------------------------

static int md_az_page(const MdModel *m) {
    MdBuf b = {0};
    md_printf(&b, "---\ntitle: A–Z index\n---\n\n# A–Z index\n\nAll %zu public symbols by name.\n\n", m->nsyms);
    char letters[64] = {0};
    size_t nl = 0;
    for (size_t i = 0; i < m->nsyms; i++) {
        char c = (char)toupper((unsigned char)m->syms[i].name[0]);
        if (!isalpha((unsigned char)c)) c = '#';
        if (!nl || letters[nl - 1] != c) letters[nl++] = c;
    }
    for (size_t i = 0; i < nl; i++) {
        if (letters[i] == '#') md_printf(&b, "%s[\\_](#other)", i ? " · " : "");
        else md_printf(&b, "%s[%c](#%c)", i ? " · " : "", letters[i], tolower((unsigned char)letters[i]));
    }
    md_put(&b, "\n\n");
    char current = 0;
    for (size_t i = 0; i < m->nsyms; i++) {
        const MdSym *s = &m->syms[i];
        char c = (char)toupper((unsigned char)s->name[0]);
        if (!isalpha((unsigned char)c)) c = '#';
        if (c != current) {
            if (c == '#') md_put(&b, "\n## Other {#other}\n\n");
            else md_printf(&b, "\n## %c\n\n", c);
            md_put(&b, "| Name | Kind | Summary |\n|---|---|---|\n");
            current = c;
        }
        md_brief_row(&b, m, s, "api", 1);
    }
    int rc = md_write(m, "api/index.md", &b);
    md_free(&b);
    return rc;
}

// --- Headers -------------------------------------------------------------------------------

static const char *const md_kind_groups[][3] = {
    {"Types", "struct", "union"},
    {"Enumerations and typedefs", "enum", "typedef"},
    {"Functions", "function", "variable"},
    {"Function-like macros", "function-macro", NULL},
    {"Constants and macros", "object-macro", NULL},
};

static json_t *md_file_doc(const MdModel *m, const char *path) {
    size_t  i;
    json_t *f;
    json_array_foreach(json_object_get(m->root, "files"), i, f) {
        const char *p = md_json_str(f, "path");
        if (p && strcmp(p, path) == 0) return json_object_get(f, "doc");
    }
    return NULL;
}

static int md_header_page(const MdModel *m, const char *file, const char *include) {
    MdBuf b = {0};
    char  from[1024];
    snprintf(from, sizeof from, "api/headers/%s", include);
    *strrchr(from, '/') = '\0';
    md_printf(&b, "---\ntitle: %s\n---\n\n# %s\n\n", include, include);
    md_printf(&b, "```c\n#include \"%s\"\n```\n\n", include);
    json_t *doc = md_file_doc(m, file);
    const char *desc = md_json_str(doc, "description");
    if (!desc) desc = md_json_str(doc, "brief");
    if (desc) {
        md_text(&b, m, desc, from);
        md_putc(&b, '\n');
    }
    if (md_has_source(m, file)) {
        md_printf(&b, "Source: [%s](", file);
        md_up(&b, from);
        md_printf(&b, "source/%s.md)\n\n", file);
    }
    for (size_t g = 0; g < sizeof md_kind_groups / sizeof *md_kind_groups; g++) {
        int any = 0;
        for (size_t i = 0; i < m->nsyms; i++) {
            const MdSym *s = &m->syms[i];
            int in = 0;
            for (int k = 1; k < 3; k++) in |= md_kind_groups[g][k] && strcmp(s->kind, md_kind_groups[g][k]) == 0;
            if (!in || strcmp(s->file, file) != 0) continue;
            if (!any) md_printf(&b, "## %s\n\n| Name | Summary |\n|---|---|\n", md_kind_groups[g][0]);
            any = 1;
            md_put(&b, "| ");
            md_sym_link(&b, m, s->name, from);
            md_put(&b, " | ");
            md_inline(&b, m, md_json_str(s->doc, "brief"), from);
            md_put(&b, " |\n");
        }
        if (any) md_putc(&b, '\n');
    }
    char path[1024];
    snprintf(path, sizeof path, "api/headers/%s.md", include);
    int rc = md_write(m, path, &b);
    md_free(&b);
    return rc;
}

static int md_header_pages(const MdModel *m) {
    for (size_t i = 0; i < m->nsyms; i++) {
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++) seen = strcmp(m->syms[k].file, m->syms[i].file) == 0;
        if (!seen && md_header_page(m, m->syms[i].file, m->syms[i].include)) return -1;
    }
    return 0;
}

// --- Tags ----------------------------------------------------------------------------------

static int md_symbol_has_tag(const MdModel *m, const MdSym *s, const MdTag *tag) {
    size_t at = (size_t)(tag - m->tags);
    if (at < 64) return (s->tag_mask >> at) & 1;
    size_t  i;
    json_t *t;
    json_array_foreach(json_object_get(s->doc, "tags"), i, t) {
        if (json_is_string(t) && md_find_tag(m, json_string_value(t)) == tag) return 1;
    }
    return 0;
}

static int md_tag_pages(const MdModel *m) {
    MdBuf all = {0};
    md_put(&all, "---\ntitle: Tags\n---\n\n# Tags\n\nEvery tag of the API with the number of symbols that "
                 "carry it. In the search, `tag:Name` narrows the results to one tag.\n\n"
                 "| Tag | Symbols | Meaning |\n|---|---:|---|\n");
    for (size_t t = 0; t < m->ntags; t++) {
        const MdTag *tag = &m->tags[t];
        if (!tag->count) continue;
        md_printf(&all, "| [%s](%s.md) | %zu | ", tag->name, tag->name, tag->count);
        md_inline(&all, m, tag->description, "tags");
        md_put(&all, " |\n");
        MdBuf b = {0};
        md_printf(&b, "---\ntitle: \"Tag: %s\"\n---\n\n# Tag: %s\n\n", tag->name, tag->name);
        md_inline(&b, m, tag->description, "tags");
        md_printf(&b, "\n\n%zu symbol%s.", tag->count, tag->count == 1 ? "" : "s");
        if (tag->nsynonyms) {
            md_put(&b, " Also written:");
            for (size_t k = 0; k < tag->nsynonyms; k++) md_printf(&b, "%s `%s`", k ? "," : "", tag->synonyms[k]);
            md_putc(&b, '.');
        }
        md_put(&b, " [All tags](index.md).\n\n| Name | Kind | Summary |\n|---|---|---|\n");
        for (size_t i = 0; i < m->nsyms; i++)
            if (md_symbol_has_tag(m, &m->syms[i], tag)) md_brief_row(&b, m, &m->syms[i], "tags", 1);
        char path[512];
        snprintf(path, sizeof path, "tags/%s.md", tag->name);
        int rc = md_write(m, path, &b);
        md_free(&b);
        if (rc) return rc;
    }
    int rc = md_write(m, "tags/index.md", &all);
    md_free(&all);
    return rc;
}

int md_index_pages(const MdModel *m) {
    if (md_az_page(m) || md_header_pages(m) || md_tag_pages(m)) return -1;
    return 0;
}

// --- Search index --------------------------------------------------------------------------

// Example functions whose names go into the full text: api.json's first (best ranked) ones, as
// many as a symbol page shows (one shown, the rest folded); the long tail is left out.
enum { MD_SEARCH_EXAMPLES = 5 };

// Append the distinct words (identifiers, numbers) of `text` to `words`, skipping known ones.
static void md_words(json_t *seen, MdBuf *words, const char *text) {
    if (!text) return;
    for (const char *p = text; *p;) {
        if (!(isalnum((unsigned char)*p) || *p == '_')) {
            p++;
            continue;
        }
        const char *start = p;
        while (isalnum((unsigned char)*p) || *p == '_') p++;
        size_t n = (size_t)(p - start);
        if (n < 3 || n > 40) continue;
        char word[48];
        for (size_t i = 0; i < n; i++) word[i] = (char)tolower((unsigned char)start[i]);
        word[n] = '\0';
        static const char *const stop[] = {"the", "and", "for", "with", "from", "that", "this", "are", "not", "its",
                                           "when", "into", "but", "has", "have", "was", "one", "any", "all", "can",
                                           "then", "than", "else", "each", "only", "also", "does", "via", "per"};
        int skip = 0;
        for (size_t k = 0; k < sizeof stop / sizeof *stop && !skip; k++) skip = strcmp(word, stop[k]) == 0;
        if (skip || json_object_get(seen, word)) continue;
        json_object_set_new(seen, word, json_true());
        if (words->len) md_putc(words, ' ');
        md_put(words, word);
    }
}

// A one-line signature: the declaration with whitespace collapsed, macro bodies cut.
static char *md_signature(const MdSym *s) {
    MdBuf b = {0};
    if (!strcmp(s->kind, "struct") || !strcmp(s->kind, "union") || !strcmp(s->kind, "enum")) {
        md_printf(&b, "%s %s", s->kind, s->name);
    } else {
        int space = 0;
        for (const char *p = s->decl; *p && b.len < 160; p++) {
            if (*p == '\\' && (p[1] == '\n' || p[1] == '\0')) continue;
            if (*p == '\n' && !strncmp(s->decl, "#define", 7)) break;
            if (isspace((unsigned char)*p)) {
                space = 1;
                continue;
            }
            if (space && b.len) md_putc(&b, ' ');
            space = 0;
            md_putc(&b, *p);
        }
    }
    if (!b.data) md_put(&b, s->name);
    return b.data;
}

// Comment text as plain text: backticks and backslashes dropped.
static char *md_plain(const char *text) {
    MdBuf b = {0};
    for (const char *p = text ? text : ""; *p; p++)
        if (*p != '`') md_putc(&b, *p == '\n' ? ' ' : *p);
    if (!b.data) md_put(&b, "");
    return b.data;
}

static json_t *md_search_symbol(const MdModel *m, const MdSym *s, json_t *kinds, json_t *files) {
    json_t *row = json_array();
    json_array_append_new(row, json_string(s->name));
    size_t ki = 0, fi = 0;
    for (; ki < json_array_size(kinds); ki++)
        if (!strcmp(json_string_value(json_array_get(kinds, ki)), s->kind)) break;
    if (ki == json_array_size(kinds)) json_array_append_new(kinds, json_string(s->kind));
    for (; fi < json_array_size(files); fi++)
        if (!strcmp(json_string_value(json_array_get(files, fi)), s->include)) break;
    if (fi == json_array_size(files)) json_array_append_new(files, json_string(s->include));
    json_array_append_new(row, json_integer((json_int_t)ki));
    json_array_append_new(row, json_integer((json_int_t)fi));
    char *sig = md_signature(s);
    json_array_append_new(row, json_string(sig));
    free(sig);
    char *brief = md_plain(md_json_str(s->doc, "brief"));
    json_array_append_new(row, json_string(brief));
    free(brief);
    json_t *tags = json_array();
    for (size_t t = 0; t < m->ntags; t++)
        if (md_symbol_has_tag(m, s, &m->tags[t])) json_array_append_new(tags, json_integer((json_int_t)t));
    json_array_append_new(row, tags);
    // Full text: description, fields, parameters, contracts and the documented example, and the
    // functions of the examples the page shows. Words of the name and of the brief (searched
    // already) are left out: the search data stays small (budget: 30 KB gzip).
    json_t *seen  = json_object();
    MdBuf   words = {0}, known = {0};
    md_words(seen, &known, s->name);
    md_words(seen, &known, md_json_str(s->doc, "brief"));
    md_free(&known);
    static const char *const keys[] = {"description", "success", "failure", "returns", "usage"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) md_words(seen, &words, md_json_str(s->doc, keys[k]));
    const char *lists[] = {"fields", "params"};
    for (size_t l = 0; l < 2; l++) {
        size_t  i;
        json_t *f;
        json_array_foreach(json_object_get(s->doc, lists[l]), i, f) {
            md_words(seen, &words, md_json_str(f, "name"));
            md_words(seen, &words, md_desc(f));
        }
        json_array_foreach(json_object_get(s->json, lists[l]), i, f) {
            md_words(seen, &words, md_json_str(f, "name"));
            md_words(seen, &words, md_json_str(f, "type"));
            md_words(seen, &words, md_desc(f));
        }
    }
    size_t  i;
    json_t *e;
    json_array_foreach(json_object_get(s->json, "examples"), i, e) {
        if (i >= MD_SEARCH_EXAMPLES) break;
        md_words(seen, &words, md_json_str(e, "function"));
    }
    json_array_append_new(row, json_string(md_str(&words)));
    md_free(&words);
    json_decref(seen);
    return row;
}

int md_search_index(const MdModel *m) {
    json_t *root = json_object(), *tags = json_array(), *kinds = json_array(), *files = json_array(),
           *rows = json_array();
    for (size_t t = 0; t < m->ntags; t++) {
        json_t *syn = json_array();
        for (size_t k = 0; k < m->tags[t].nsynonyms; k++) json_array_append_new(syn, json_string(m->tags[t].synonyms[k]));
        json_array_append_new(tags, json_pack("[s,s,o]", m->tags[t].name, m->tags[t].description, syn));
    }
    for (size_t i = 0; i < m->nsyms; i++) json_array_append_new(rows, md_search_symbol(m, &m->syms[i], kinds, files));
    json_object_set_new(root, "version", json_integer(1));
    json_object_set_new(root, "tags", tags);
    json_object_set_new(root, "kinds", kinds);
    json_object_set_new(root, "files", files);
    json_object_set_new(root, "symbols", rows);
    char *text = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    json_decref(root);
    if (!text) return -1;
    MdBuf b = {0};
    md_put(&b, "// Generated by `apidoc markdown`: the symbol index of the search.\n"
               "// symbols: [name, kind index, include index, signature, brief, [tag index...], words]\n"
               "window.APIDOC_INDEX = ");
    md_put(&b, text);
    md_put(&b, ";\n");
    free(text);
    int rc = md_write(m, "api/search-index.js", &b);
    md_free(&b);
    return rc;
}

// --- Navigation ----------------------------------------------------------------------------

static void md_yaml_quoted(MdBuf *b, const char *text) {
    md_putc(b, '"');
    for (const char *p = text; *p; p++) {
        if (*p == '"' || *p == '\\') md_putc(b, '\\');
        if ((unsigned char)*p >= 0x20) md_putc(b, *p);
    }
    md_putc(b, '"');
}

// The guides written by hand in DIR/guides/*.md, titled by their first `# ` line.
static void md_nav_guides(MdBuf *b, const MdModel *m) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/guides", m->out_dir);
    DIR *d = opendir(dir);
    if (!d) return;
    char  **names = NULL;
    size_t  n     = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".md") != 0 || e->d_name[0] == '.') continue;
        names = realloc(names, (n + 1) * sizeof *names);
        if (!names) exit(3);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, md_str_cmp);
    if (n) md_put(b, "  - Guides:\n");
    for (size_t i = 0; i < n; i++) {
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        char *text  = md_read_file(path, NULL);
        char *title = NULL;
        for (char *line = text; line && *line;) {
            char *eol = strchr(line, '\n');
            if (strncmp(line, "# ", 2) == 0) {
                title = strndup(line + 2, eol ? (size_t)(eol - line - 2) : strlen(line + 2));
                break;
            }
            line = eol ? eol + 1 : NULL;
        }
        md_put(b, "      - ");
        md_yaml_quoted(b, title ? title : names[i]);
        md_printf(b, ": guides/%s\n", names[i]);
        free(title);
        free(text);
        free(names[i]);
    }
    free(names);
}

int md_nav(const MdModel *m, const char *path) {
    MdBuf b = {0};
    md_put(&b, "nav:\n  - Home: index.md\n");
    md_nav_guides(&b, m);
    md_put(&b, "  - Reference:\n      - \"A–Z index\": api/index.md\n      - Headers:\n");
    for (size_t i = 0; i < m->nsyms; i++) {
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++) seen = strcmp(m->syms[k].file, m->syms[i].file) == 0;
        if (seen) continue;
        md_put(&b, "          - ");
        md_yaml_quoted(&b, m->syms[i].include);
        md_printf(&b, ": api/headers/%s.md\n", m->syms[i].include);
    }
    md_put(&b, "      - Tags: tags/index.md\n");
    FILE *f = fopen(path, "wb");
    int   bad = !f || fwrite(md_str(&b), 1, b.len, f) != b.len;
    if (f && fclose(f) != 0) bad = 1;
    if (bad) fprintf(stderr, "apidoc: markdown: cannot write %s\n", path);
    md_free(&b);
    return bad ? -1 : 0;
}
