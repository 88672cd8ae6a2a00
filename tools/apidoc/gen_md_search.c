// SPDX-License-Identifier: MIT
// The search data of the reference site: api/search-index.js, which assigns window.APIDOC_INDEX
// (a script, not a fetch, so symbol search also works from file://) for docs/assets/search.js.
// Entries are the public symbols, their fields and enum constants, and the sections of the
// hand-written pages (DIR/*.md, DIR/guides/*.md) by heading. Each entry carries what ranking
// needs (kind, rank class, use count), the C types of its signatures (type-based search) and
// its full text as an inverted index over one sorted vocabulary. Entry point: md_search_index.
#include "gen_md_internal.h"

#include <ctype.h>  // isalnum, isspace, tolower
#include <dirent.h> // opendir: the hand-written pages
#include <stdio.h>  // snprintf
#include <stdlib.h> // free, qsort
#include <string.h> // strcmp, strncmp

// Rank classes, the first tie-break after the match tier (lower first): the API a reader calls
// or declares; sections of the hand-written pages; vtable adapters (functions only ever
// referenced by address, stored in a table); constants, fields and enum constants.
enum { MD_RANK_API = 0, MD_RANK_GUIDE = 1, MD_RANK_ADAPTER = 2, MD_RANK_MEMBER = 3 };

typedef struct MdSearch {
    json_t *kinds, *kind_ids;   // kind names, and name -> index
    json_t *files, *file_ids;   // include paths and page paths, and path -> index
    json_t *types, *type_ids;   // normalized C types, and type -> index
    json_t *aliases;            // basic typedef name -> normalized underlying type
    json_t *entries;            // rows (see md_search_row)
    json_t *words;              // per entry, the set of its full-text words (word -> true)
} MdSearch;

static size_t md_intern(json_t *list, json_t *ids, const char *s) {
    json_t *at = json_object_get(ids, s);
    if (at) return (size_t)json_integer_value(at);
    size_t n = json_array_size(list);
    json_array_append_new(list, json_string(s));
    json_object_set_new(ids, s, json_integer((json_int_t)n));
    return n;
}

// --- Words ---------------------------------------------------------------------------------

// The stem of a full-text word, so that the forms of one word are one entry of the vocabulary
// (block/blocks, free/freed/freeing, entry/entries, allocate/allocated/allocating). Words with
// a digit or an underscore (identifiers) are kept whole. search.js stems query words the same
// way (stem() there): change both or neither.
static void md_search_stem(char *w) {
    size_t n = strlen(w);
    for (size_t i = 0; i < n; i++)
        if (!isalpha((unsigned char)w[i])) return;
    if (n < 4) return;
    if (n > 4 && !strcmp(w + n - 3, "ies")) w[n -= 2] = '\0';
    else if (w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u' && w[n - 2] != 'i') w[--n] = '\0';
    if (n >= 6 && !strcmp(w + n - 3, "ing")) w[n -= 3] = '\0';
    else if (n >= 5 && !strcmp(w + n - 2, "ed")) w[n -= 2] = '\0';
    if (n >= 4 && w[n - 1] == 'e') w[--n] = '\0';
    if (n >= 4 && w[n - 1] == 'y') w[n - 1] = 'i';
}

// English function words (as in lunr's and Lucene's lists): in no query that tells pages apart.
// They are no words of the full text, and the index lists them (stemmed) among the `common`
// words, which search.js lets stand aside in a query ("use after free").
static const char *const md_stop_words[] = {
    "about", "above", "after", "again", "against", "all", "also", "and", "any", "are", "because", "been",
    "before", "being", "both", "but", "can", "could", "did", "does", "doing", "down", "during", "each",
    "either", "else", "even", "ever", "for", "from", "further", "had", "has", "have", "having", "her",
    "here", "him", "his", "how", "into", "its", "itself", "just", "may", "might", "more", "most", "much",
    "must", "nor", "not", "now", "off", "once", "one", "only", "onto", "other", "ought", "our", "out",
    "over", "own", "per", "same", "she", "should", "since", "some", "such", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "those", "through", "too", "under",
    "until", "upon", "very", "via", "was", "were", "what", "when", "where", "whether", "which", "while",
    "who", "whom", "why", "will", "with", "within", "would", "yet", "you", "your"};

// Add the distinct words (identifiers and words of 3 to 40 characters that do not start with a
// digit, folded to lower case and stemmed, md_stop_words left out) of `text` to the set `words`.
static void md_search_words(json_t *words, const char *text) {
    for (const char *p = text ? text : ""; *p;) {
        if (!(isalnum((unsigned char)*p) || *p == '_')) {
            p++;
            continue;
        }
        const char *start = p;
        while (isalnum((unsigned char)*p) || *p == '_') p++;
        size_t n = (size_t)(p - start);
        // Numbers (4096, 0x7f3a2c001040, 64k) are not what a reader types to find a page.
        if (n < 3 || n > 40 || isdigit((unsigned char)*start)) continue;
        char word[48];
        for (size_t i = 0; i < n; i++) word[i] = (char)tolower((unsigned char)start[i]);
        word[n] = '\0';
        int skip = 0;
        for (size_t k = 0; k < sizeof md_stop_words / sizeof *md_stop_words && !skip; k++)
            skip = strcmp(word, md_stop_words[k]) == 0;
        if (skip) continue;
        md_search_stem(word);
        json_object_set_new(words, word, json_true());
    }
}

static int md_search_str_cmp(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

// --- C types ---------------------------------------------------------------------------------

// A C type spelled the one way search.js compares them: qualifiers (const, volatile, restrict)
// and the struct/union/enum keywords dropped, a basic typedef replaced by what it names
// (`size` -> `size_t`), identifiers separated by one space, `*` written `T *`, `T **`.
// search.js normalizes the query's types with the same rules.
static char *md_search_type(const char *type, const json_t *aliases) {
    MdBuf b = {0};
    for (const char *p = type ? type : ""; *p;) {
        if (isspace((unsigned char)*p)) {
            p++;
            continue;
        }
        if (isalnum((unsigned char)*p) || *p == '_') {
            const char *start = p;
            while (isalnum((unsigned char)*p) || *p == '_') p++;
            char word[128];
            size_t n = (size_t)(p - start) < sizeof word - 1 ? (size_t)(p - start) : sizeof word - 1;
            memcpy(word, start, n);
            word[n] = '\0';
            static const char *const drop[] = {"const", "volatile", "restrict", "struct", "union", "enum"};
            int skip = 0;
            for (size_t k = 0; k < sizeof drop / sizeof *drop && !skip; k++) skip = strcmp(word, drop[k]) == 0;
            if (skip) continue;
            const char *alias = json_string_value(json_object_get(aliases, word));
            if (b.len) md_putc(&b, ' ');
            md_put(&b, alias ? alias : word);
            continue;
        }
        if (*p == '*' && b.len && b.data[b.len - 1] != '*') md_putc(&b, ' ');
        else if (*p != '*' && b.len && b.data[b.len - 1] != '(' && *p != ')' && *p != ',') md_putc(&b, ' ');
        md_putc(&b, *p++);
    }
    if (!b.data) md_put(&b, "");
    return b.data;
}

// Basic typedefs (`typedef size_t size;`): their name stands for the type they name.
static void md_search_aliases(const MdModel *m, json_t *aliases) {
    for (size_t i = 0; i < m->nsyms; i++) {
        const MdSym *s = &m->syms[i];
        if (strcmp(s->kind, "typedef") || !json_is_true(json_object_get(s->json, "basic"))) continue;
        const char *d = s->decl, *end = d ? strrchr(d, ';') : NULL;
        if (!end || strncmp(d, "typedef", 7) || isalnum((unsigned char)d[7])) continue;
        size_t n = strlen(s->name);
        const char *name = end;
        while (name > d && isspace((unsigned char)name[-1])) name--;
        if ((size_t)(name - d) < 7 + n || strncmp(name - n, s->name, n)) continue;
        char *under = strndup(d + 7, (size_t)(name - n - d - 7));
        char *norm  = md_search_type(under, NULL);
        if (*norm && strcmp(norm, s->name)) json_object_set_new(aliases, s->name, json_string(norm));
        free(norm);
        free(under);
    }
}

static json_t *md_search_sigtypes(MdSearch *x, const char *ret, json_t *params) {
    json_t *sig = json_array();
    char   *r   = md_search_type(ret, x->aliases);
    json_array_append_new(sig, json_integer((json_int_t)md_intern(x->types, x->type_ids, r)));
    free(r);
    size_t  i;
    json_t *p;
    json_array_foreach(params, i, p) {
        const char *type = md_json_str(p, "type");
        if (!type) { // a macro parameter: no C type
            json_decref(sig);
            return NULL;
        }
        char *t = md_search_type(type, x->aliases);
        json_array_append_new(sig, json_integer((json_int_t)md_intern(x->types, x->type_ids, t)));
        free(t);
    }
    return sig;
}

// The C signatures of a symbol for type-based search, each [return type, parameter types...]:
// a function's prototype; a `_Generic` macro, the prototype of every public function of its arms.
static json_t *md_search_signatures(const MdModel *m, MdSearch *x, const MdSym *s) {
    json_t *sigs = json_array();
    if (!strcmp(s->kind, "function") && md_json_str(s->json, "return_type")) {
        json_t *sig = md_search_sigtypes(x, md_json_str(s->json, "return_type"), json_object_get(s->json, "params"));
        if (sig) json_array_append_new(sigs, sig);
    }
    size_t  i;
    json_t *d;
    json_array_foreach(json_object_get(s->json, "dispatch"), i, d) {
        const MdSym *f = md_json_str(d, "function_id") ? md_find_id(m, md_json_str(d, "function_id")) : NULL;
        if (!f || strcmp(f->kind, "function") || !md_json_str(f->json, "return_type")) continue;
        json_t *sig = md_search_sigtypes(x, md_json_str(f->json, "return_type"), json_object_get(f->json, "params"));
        if (sig) json_array_append_new(sigs, sig);
    }
    return sigs;
}

// --- Entries -------------------------------------------------------------------------------

// A one-line signature: the declaration with whitespace collapsed, macro bodies cut, and the
// leading attribute macros of the API (`ALLOC_API`, `ALLOC_NORETURN`: object-like macros before
// the declaration proper) left out.
static char *md_search_signature(const MdModel *m, const MdSym *s) {
    MdBuf b = {0};
    if (!strcmp(s->kind, "struct") || !strcmp(s->kind, "union") || !strcmp(s->kind, "enum")) {
        md_printf(&b, "%s %s", s->kind, s->name);
    } else {
        const char *p = s->decl;
        while (p && strncmp(p, "#define", 7)) {
            const char *w = p;
            while (isalnum((unsigned char)*w) || *w == '_') w++;
            char word[128];
            size_t n = (size_t)(w - p);
            if (!n || n >= sizeof word || !isspace((unsigned char)*w)) break;
            memcpy(word, p, n);
            word[n] = '\0';
            const MdSym *macro = md_find(m, word);
            if (!macro || strcmp(macro->kind, "object-macro")) break;
            for (p = w; isspace((unsigned char)*p);) p++;
        }
        int space = 0;
        for (; p && *p && b.len < 160; p++) {
            if (*p == '\\' && (p[1] == '\n' || p[1] == '\0')) continue;
            if (*p == '\n' && !strncmp(s->decl, "#define", 7)) break;
            if (*p == '{' && !strcmp(s->kind, "function")) { // a static inline's body: the prototype only
                md_putc(&b, ';');
                break;
            }
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

// Comment text as plain text on one line: backticks dropped.
static char *md_search_plain(const char *text) {
    MdBuf b = {0};
    for (const char *p = text ? text : ""; *p; p++)
        if (*p != '`') md_putc(&b, *p == '\n' ? ' ' : *p);
    if (!b.data) md_put(&b, "");
    return b.data;
}

// The rank class of a symbol, from api.json's facts alone.
static int md_search_rank(const MdSym *s) {
    if (!strcmp(s->kind, "object-macro") || !strcmp(s->kind, "variable")) return MD_RANK_MEMBER;
    if (strcmp(s->kind, "function")) return MD_RANK_API;
    json_t *refs = json_object_get(s->json, "references");
    size_t  i;
    json_t *r;
    json_array_foreach(refs, i, r) {
        const char *kind = md_json_str(r, "kind");
        if (!kind || strcmp(kind, "reference")) return MD_RANK_API;
    }
    return json_array_size(refs) ? MD_RANK_ADAPTER : MD_RANK_API;
}

// Append one entry: the row [name, kind, file, signature, brief, [tag...], uses, rank, url,
// [signature...]] and its full-text words (a set, taken over).
static void md_search_row(MdSearch *x, const char *name, const char *kind, const char *file, const char *sig,
                          const char *brief, json_t *tags, json_t *words, long uses, int rank, const char *url,
                          json_t *sigs) {
    char *plain = md_search_plain(brief);
    json_array_append_new(x->entries,
                          json_pack("[s,I,I,s,s,o,I,i,s,o]", name, (json_int_t)md_intern(x->kinds, x->kind_ids, kind),
                                    (json_int_t)md_intern(x->files, x->file_ids, file), sig, plain,
                                    tags ? tags : json_array(), (json_int_t)uses, rank, url ? url : "",
                                    sigs ? sigs : json_array()));
    json_array_append_new(x->words, words ? words : json_object());
    free(plain);
}

// The url column of a symbol's rows: its page when that is not its name (a macro beside a
// function of the same name), else "" and search.js takes the name.
static const char *md_search_page_of(const MdSym *s) { return strcmp(s->page, s->name) ? s->page : NULL; }

static void md_search_symbol(const MdModel *m, MdSearch *x, const MdSym *s) {
    json_t *tags = json_array();
    for (size_t t = 0; t < m->ntags; t++)
        if (md_symbol_has_tag(m, s, &m->tags[t])) json_array_append_new(tags, json_integer((json_int_t)t));
    // Full text: description, contracts, the documented example, fields and parameters; the name
    // and brief are matched apart.
    json_t *words = json_object();
    static const char *const keys[] = {"description", "success", "failure", "returns"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) md_search_words(words, md_json_str(s->doc, keys[k]));
    const char *lists[] = {"fields", "params", "enum_values"};
    for (size_t l = 0; l < 3; l++) {
        size_t  i;
        json_t *f;
        json_array_foreach(json_object_get(s->doc, lists[l]), i, f) md_search_words(words, md_desc(f));
        json_array_foreach(json_object_get(s->json, lists[l]), i, f) {
            // A parameter's name is a word (`zeroed`); fields and enum constants are entries of
            // their own. Types are searched as types, not words.
            if (l == 1) md_search_words(words, md_json_str(f, "name"));
            md_search_words(words, md_desc(f));
        }
    }
    json_t *known = json_object();
    md_search_words(known, s->name);
    md_search_words(known, md_json_str(s->doc, "brief"));
    const char *w;
    json_t     *v;
    json_object_foreach(known, w, v) json_object_del(words, w);
    json_decref(known);
    long uses = md_json_int(s->json, "use_count");
    if (!json_object_get(s->json, "use_count")) uses = (long)json_array_size(json_object_get(s->json, "references"));
    char *sig = md_search_signature(m, s);
    md_search_row(x, s->name, s->kind, s->include, sig, md_json_str(s->doc, "brief"), tags, words, uses,
                  md_search_rank(s), md_search_page_of(s), md_search_signatures(m, x, s));
    free(sig);
}

// A member's brief: its description up to the first ". " or "; ", at most MD_MEMBER_BRIEF
// characters cut at a space and marked with an ellipsis (the page has the whole text).
enum { MD_MEMBER_BRIEF = 48 };
static char *md_search_member_brief(const char *text) {
    const char *p = text ? text : "", *end = p;
    while (*end && !((end[0] == '.' || end[0] == ';') && (isspace((unsigned char)end[1]) || !end[1])) &&
           strncmp(end, "\n\n", 2))
        end++;
    if (*end == '.') end++;
    if (end - p <= MD_MEMBER_BRIEF) return strndup(p, (size_t)(end - p));
    const char *cut = p + MD_MEMBER_BRIEF;
    while (cut > p && !isspace((unsigned char)*cut)) cut--;
    if (cut == p) cut = p + MD_MEMBER_BRIEF;
    MdBuf b = {0};
    md_putn(&b, p, (size_t)(cut - p));
    md_put(&b, "…");
    return b.data;
}

// Fields (nested ones as `outer.inner`, named `Symbol.outer.inner`, their signature column the
// type alone: search.js adds the member) and enum constants. search.js builds their url: the anchor `#field-outer.inner` or `#value-NAME` on the page of the symbol
// (for a field the url column, else the name before the first dot; for a constant the url column).
static void md_search_fields(MdSearch *x, const MdSym *s, json_t *fields, const char *prefix) {
    size_t  i;
    json_t *f;
    json_array_foreach(fields, i, f) {
        const char *fname = md_json_str(f, "name");
        if (!fname || !*fname) continue;
        char member[512], name[768];
        snprintf(member, sizeof member, "%s%s", prefix, fname);
        snprintf(name, sizeof name, "%s.%s", s->name, member);
        const char *type = md_json_str(f, "type");
        char *brief = md_search_member_brief(md_json_str(f, "description"));
        md_search_row(x, name, "field", s->include, type ? type : "", brief, NULL, NULL, 0, MD_RANK_MEMBER,
                      md_search_page_of(s), NULL);
        free(brief);
        char nested[520];
        snprintf(nested, sizeof nested, "%s.", member);
        md_search_fields(x, s, json_object_get(f, "fields"), nested);
    }
}

static void md_search_members(MdSearch *x, const MdSym *s) {
    md_search_fields(x, s, json_object_get(s->json, "fields"), "");
    size_t  i;
    json_t *v;
    json_array_foreach(json_object_get(s->json, "enum_values"), i, v) {
        const char *vname = md_json_str(v, "name");
        if (!vname) continue;
        char sig[1024];
        snprintf(sig, sizeof sig, "%s = %ld", vname, md_json_int(v, "value"));
        char *brief = md_search_member_brief(md_json_str(v, "description"));
        md_search_row(x, vname, "enum-constant", s->include, sig, brief, NULL, NULL, 0, MD_RANK_MEMBER, s->page, NULL);
        free(brief);
    }
}

// --- Hand-written pages ----------------------------------------------------------------------

// A heading's text as Python-Markdown's toc extension sees it (inline markup gone) and its id
// (toc's default slugify: ASCII word characters, spaces and hyphens kept, lower case, runs of
// spaces and hyphens become one hyphen; a repeated id gets _1, _2...).
static void md_search_heading(const char *line, size_t n, MdBuf *text, MdBuf *slug, json_t *ids) {
    const char *end = line + n;
    while (end > line && (isspace((unsigned char)end[-1]) || end[-1] == '#')) end--;
    for (const char *p = line; p < end; p++) {
        if (*p == '`' || *p == '*') continue;
        if (*p == '[') continue;
        if (*p == ']' && p + 1 < end && p[1] == '(') {
            while (p < end && *p != ')') p++;
            continue;
        }
        md_putc(text, *p);
    }
    int dash = 0;
    for (const char *p = md_str(text); *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (isspace(c) || c == '-') dash = slug->len > 0;
        else if (isalnum(c) || c == '_') {
            if (dash) md_putc(slug, '-');
            dash = 0;
            md_putc(slug, (char)tolower(c));
        }
    }
    if (!slug->data) md_put(slug, "");
    char base[512];
    snprintf(base, sizeof base, "%s", md_str(slug));
    for (int k = 1; json_object_get(ids, md_str(slug)); k++) {
        slug->len = 0;
        md_printf(slug, "%s_%d", base, k);
    }
    json_object_set_new(ids, md_str(slug), json_true());
}

// The entry of one heading of a page, its text `words` (taken over) without the heading's own
// words, which the name tiers match.
static void md_search_section(MdSearch *x, const char *rel, const MdBuf *heading, const char *sig,
                              const MdBuf *anchor, json_t *words) {
    json_t *known = json_object();
    md_search_words(known, md_str(heading));
    const char *w;
    json_t     *v;
    json_object_foreach(known, w, v) json_object_del(words, w);
    json_decref(known);
    md_search_row(x, md_str(heading), "guide", rel, sig, "", NULL, words, 0, MD_RANK_GUIDE, md_str(anchor), NULL);
}

// One page: an entry per heading (url column: the heading's anchor, "" for the page title; the
// signature column: the page title on the page's first entry, "" on the others), with the words
// of the prose under it when `with_text`; front matter and fenced code are left out.
static void md_search_page(MdSearch *x, const char *dir, const char *rel, int with_text) {
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    char *text = md_read_file(path, NULL);
    if (!text) return;
    json_t *ids = json_object(), *words = NULL;
    MdBuf   title = {0}, heading = {0}, anchor = {0};
    int     fence = 0, front = strncmp(text, "---\n", 4) == 0, rows = 0;
    for (char *line = text; line && *line;) {
        char  *eol = strchr(line, '\n');
        size_t n   = eol ? (size_t)(eol - line) : strlen(line);
        size_t hashes = 0;
        while (hashes < n && hashes < 7 && line[hashes] == '#') hashes++;
        if (front) {
            if (line != text && n == 3 && !strncmp(line, "---", 3)) front = 0;
        } else if (!strncmp(line, "```", 3) || !strncmp(line, "~~~", 3)) {
            fence = !fence;
        } else if (!fence && hashes >= 1 && hashes <= 6 && hashes < n && line[hashes] == ' ') {
            if (words) md_search_section(x, rel, &heading, rows++ ? "" : md_str(&title), &anchor, words);
            MdBuf slug = {0};
            heading.len = anchor.len = 0;
            md_search_heading(line + hashes + 1, n - hashes - 1, &heading, &slug, ids);
            if (!title.len) md_put(&title, md_str(&heading));
            md_put(&anchor, hashes == 1 ? "" : md_str(&slug));
            md_free(&slug);
            words = json_object();
        } else if (!fence && words && with_text) {
            char *chunk = strndup(line, n);
            md_search_words(words, chunk);
            free(chunk);
        }
        line = eol ? eol + 1 : NULL;
    }
    if (words) md_search_section(x, rel, &heading, rows ? "" : md_str(&title), &anchor, words);
    md_free(&title);
    md_free(&heading);
    md_free(&anchor);
    json_decref(ids);
    free(text);
}

// The hand-written pages in name order: the guides (DIR/guides/*.md) by heading and text, the
// other pages (DIR/*.md: home, the api.json schema...) by heading.
static void md_search_pages(MdSearch *x, const MdModel *m) {
    const char *const subdirs[] = {"", "guides/"};
    for (size_t d = 0; d < 2; d++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/%s", m->out_dir, subdirs[d]);
        DIR *h = opendir(dir);
        if (!h) continue;
        char         **names = NULL;
        size_t         n     = 0;
        struct dirent *e;
        while ((e = readdir(h)) != NULL) {
            size_t len = strlen(e->d_name);
            if (len < 4 || strcmp(e->d_name + len - 3, ".md") || e->d_name[0] == '.') continue;
            names = realloc(names, (n + 1) * sizeof *names);
            if (!names) exit(3);
            names[n] = malloc(strlen(subdirs[d]) + len + 1);
            if (!names[n]) exit(3);
            snprintf(names[n++], strlen(subdirs[d]) + len + 1, "%s%s", subdirs[d], e->d_name);
        }
        closedir(h);
        if (n) qsort(names, n, sizeof *names, md_search_str_cmp);
        for (size_t i = 0; i < n; i++) {
            md_search_page(x, m->out_dir, names[i], d == 1);
            free(names[i]);
        }
        free(names);
    }
}

// --- The file --------------------------------------------------------------------------------

static void md_search_base36(MdBuf *b, size_t n) {
    char   digits[32];
    size_t d    = sizeof digits;
    digits[--d] = '\0';
    do digits[--d] = "0123456789abcdefghijklmnopqrstuvwxyz"[n % 36];
    while ((n /= 36) > 0);
    md_put(b, digits + d);
}

// A gap of a posting list, self-delimiting so that gaps need no separator: base 32, most
// significant digit first, the last digit from "0-9a-v" and the others from "w-zA-Z-_".
static void md_search_gap(MdBuf *b, size_t n) {
    static const char last[] = "0123456789abcdefghijklmnopqrstuv", more[] = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
    char   digits[16];
    size_t d    = sizeof digits;
    digits[--d] = '\0';
    digits[--d] = last[n % 32];
    while ((n /= 32) > 0) digits[--d] = more[n % 32];
    md_put(b, digits + d);
}

// A word in more than a quarter of the entries (and in more than MD_COMMON_MIN) tells them apart
// no better than none: it is listed in `common`, which search.js skips in query words.
enum { MD_COMMON_MIN = 32 };

// The full text as an inverted index: `words`, the sorted vocabulary front-coded (each word
// written as the base-36 count of leading characters it shares with the previous word, then
// the rest: "page 4s 5d" = page pages paged), space-separated; `postings`, per word in the
// same order, the entries that contain it as gaps between entry indexes (the first is the index
// itself), each written by md_search_gap, words separated by commas.
// A word that is a compound public name (`AllocatorAlloc`, `page_allocator_allocate` written in a
// description or a guide) stays out:
// the name tiers find that symbol, and its page lists who uses it and the guides that mention it.
static void md_search_fulltext(const MdModel *m, MdSearch *x, json_t *root) {
    size_t       nw = 0, ne = json_array_size(x->words);
    json_t      *all = json_object(), *names = json_object();
    const char  *w;
    json_t      *v;
    size_t       e;
    json_t      *set;
    for (size_t i = 0; i < m->nsyms; i++) // `size` or `u8` is also a word of prose: only compound names
        if (strpbrk(m->syms[i].name, "_ABCDEFGHIJKLMNOPQRSTUVWXYZ") && strpbrk(m->syms[i].name + 1, "_ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
            md_search_words(names, m->syms[i].name);
    json_array_foreach(x->words, e, set) json_object_foreach(set, w, v) {
        if (json_object_get(names, w)) continue;
        json_t *count = json_object_get(all, w);
        json_object_set_new(all, w, json_integer(count ? json_integer_value(count) + 1 : 1));
    }
    const char **list = malloc((json_object_size(all) + 1) * sizeof *list);
    if (!list) exit(3);
    size_t cap = ne / 4 > MD_COMMON_MIN ? ne / 4 : MD_COMMON_MIN;
    json_object_foreach(all, w, v) list[nw++] = w;
    if (nw) qsort(list, nw, sizeof *list, md_search_str_cmp);
    MdBuf   words = {0}, postings = {0};
    json_t *common = json_array();
    for (size_t k = 0, kept = 0; k < nw; k++) {
        if ((size_t)json_integer_value(json_object_get(all, list[k])) > cap) {
            json_array_append_new(common, json_string(list[k]));
            continue;
        }
        size_t same = 0;
        const char *before = kept ? list[kept - 1] : "";
        while (same < 35 && list[k][same] && list[k][same] == before[same]) same++;
        if (kept) md_putc(&words, ' ');
        md_search_base36(&words, same);
        md_put(&words, list[k] + same);
        if (kept) md_putc(&postings, ',');
        list[kept++] = list[k];
        size_t last = 0;
        for (e = 0; e < ne; e++) {
            if (!json_object_get(json_array_get(x->words, e), list[k])) continue;
            md_search_gap(&postings, e - last);
            last = e;
        }
    }
    free(list);
    json_decref(all);
    json_decref(names);
    json_object_set_new(root, "words", json_string(md_str(&words)));
    json_object_set_new(root, "postings", json_string(md_str(&postings)));
    for (size_t k = 0; k < sizeof md_stop_words / sizeof *md_stop_words; k++) {
        char stop[48];
        snprintf(stop, sizeof stop, "%s", md_stop_words[k]);
        md_search_stem(stop);
        json_array_append_new(common, json_string(stop));
    }
    json_object_set_new(root, "common", common);
    md_free(&words);
    md_free(&postings);
}

int md_search_index(const MdModel *m) {
    MdSearch x = {json_array(), json_object(), json_array(), json_object(), json_array(),
                  json_object(), json_object(), json_array(), json_array()};
    md_search_aliases(m, x.aliases);
    for (size_t i = 0; i < m->nsyms; i++) md_search_symbol(m, &x, &m->syms[i]);
    for (size_t i = 0; i < m->nsyms; i++) md_search_members(&x, &m->syms[i]);
    md_search_pages(&x, m);
    json_t *tags = json_array();
    for (size_t t = 0; t < m->ntags; t++) {
        json_t *syn = json_array();
        for (size_t k = 0; k < m->tags[t].nsynonyms; k++) json_array_append_new(syn, json_string(m->tags[t].synonyms[k]));
        json_array_append_new(tags, json_pack("[s,s,o]", m->tags[t].name, m->tags[t].description, syn));
    }
    json_t *aliases = json_array();
    const char *name;
    json_t     *to;
    json_object_foreach(x.aliases, name, to) json_array_append_new(aliases, json_pack("[s,O]", name, to));
    json_t *root = json_object();
    json_object_set_new(root, "version", json_integer(2));
    md_search_fulltext(m, &x, root);
    json_object_set_new(root, "tags", tags);
    json_object_set_new(root, "kinds", x.kinds);
    json_object_set_new(root, "files", x.files);
    json_object_set_new(root, "types", x.types);
    json_object_set_new(root, "aliases", aliases);
    json_object_set_new(root, "entries", x.entries);
    json_decref(x.kind_ids);
    json_decref(x.file_ids);
    json_decref(x.type_ids);
    json_decref(x.aliases);
    json_decref(x.words);
    char *text = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    json_decref(root);
    if (!text) return -1;
    MdBuf b = {0};
    // The format, for a reader of the file: entries are [name, kind index, file index, signature,
    // brief, [tag index...], use count, rank class (0 API, 1 page section, 2 vtable adapter,
    // 3 constant/field/enum constant), url part, [[return type index, parameter type index...]...]];
    // words + postings are the full text, inverted (md_search_fulltext); aliases are [basic
    // typedef, the type it names]. Every page loads the file, so it names its writer only.
    md_put(&b, "// Generated by `apidoc markdown`: the search data (format: tools/apidoc/gen_md_search.c).\n"
               "window.APIDOC_INDEX = ");
    md_put(&b, text);
    md_put(&b, ";\n");
    free(text);
    int rc = md_write(m, "api/search-index.js", &b);
    md_free(&b);
    return rc;
}
