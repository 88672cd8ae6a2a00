// SPDX-License-Identifier: MIT
// The pages around the symbol pages: the A-Z index (api/index.md), a page per header
// (api/headers/**), a page per tag and the all-tags page (tags/**) and the `nav:` of mkdocs.yml.
// Entry points: md_index_pages, md_nav. The search data is written by gen_md_search.c, the
// source pages by gen_md_source.c.
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
    md_sym_link(b, s, from_dir);
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
            md_sym_link(&b, s, from);
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

int md_symbol_has_tag(const MdModel *m, const MdSym *s, const MdTag *tag) {
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
