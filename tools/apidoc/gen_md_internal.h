// SPDX-License-Identifier: MIT
// Private header of the Markdown stage (gen_md*.c): the read-only view of api.json the page
// writers share, a growable text buffer, and the escaping rules. Nothing here touches libclang.
#ifndef APIDOC_GEN_MD_INTERNAL_H
#define APIDOC_GEN_MD_INTERNAL_H

#include <jansson.h>
#include <stdarg.h>  // va_list
#include <stddef.h>  // size_t

// --- Text buffer ---------------------------------------------------------------------------

typedef struct MdBuf {
    char  *data; // NUL-terminated once anything was written
    size_t len;
    size_t cap;
} MdBuf;

void md_put(MdBuf *b, const char *s);
void md_putn(MdBuf *b, const char *s, size_t n);
void md_putc(MdBuf *b, char c);
void md_printf(MdBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void md_free(MdBuf *b);
const char *md_str(const MdBuf *b); // "" for an empty buffer

// --- The model: api.json, indexed ----------------------------------------------------------

typedef struct MdSym {
    const char *id;       // opaque, for `uses` and `function_id`
    const char *name;
    const char *kind;     // function, function-macro, object-macro, struct, union, enum, typedef
    const char *file;     // repository-relative path of the home header ("header" in api.json)
    const char *include;  // "alloc/Page.h"
    const char *decl;     // exact declaration text
    long        line;     // 1-based
    json_t     *json;     // the symbol object
    json_t     *doc;      // its "doc" object, or NULL when undocumented
    unsigned long long tag_mask; // bit t set when it carries m->tags[t] (first 64 tags)
} MdSym;

typedef struct MdTag {
    char  *name;        // canonical PascalCase name
    char  *description; // one line, may be ""
    char **synonyms;
    size_t nsynonyms;
    size_t count;       // symbols carrying the tag
} MdTag;

typedef struct MdModel {
    json_t     *root;
    MdSym      *syms;  // sorted by name (case-folded, then exact)
    size_t      nsyms;
    MdTag      *tags;  // sorted by name; vocabulary plus any tag met in the symbols
    size_t      ntags;
    const char *out_dir;     // where docs/ lives ("docs")
    const char *source_root; // where the sources are read for source pages; NULL for none
    char      **sources;     // files that got a source page, sorted
    size_t      nsources;
} MdModel;

const char *md_json_str(const json_t *obj, const char *key); // NULL when absent or not a string
long        md_json_int(const json_t *obj, const char *key); // 0 when absent
const MdSym *md_find(const MdModel *m, const char *name);
const MdSym *md_find_id(const MdModel *m, const char *id);
// A doc text: "description", or "text" in hand-written older fixtures.
const char  *md_desc(const json_t *obj);
const MdTag *md_find_tag(const MdModel *m, const char *name); // folds case and synonyms
const char  *md_kind_label(const char *kind);                 // "function-like macro"
int          md_has_source(const MdModel *m, const char *file);
int          md_is_test_path(const char *path);
int          md_is_example_path(const char *path);
const char  *md_basename(const char *path);

// --- Escaping and rendering of comment text -----------------------------------------------

// Comment text (Markdown subset: paragraphs, `- ` and `1. ` lists, inline code) made safe:
// HTML and Markdown metacharacters are escaped, so text never becomes markup; a code span that
// names a documented symbol becomes a link (paths relative to `from_dir`, "api" or "tags").
void md_text(MdBuf *b, const MdModel *m, const char *text, const char *from_dir);
// The same on one line, for a table cell (newlines become spaces).
void md_inline(MdBuf *b, const MdModel *m, const char *text, const char *from_dir);
// HTML-escape for attribute values and raw HTML.
void md_html(MdBuf *b, const char *text);
// Relative path from a page in `from_dir` ("api", "tags", "api/headers/alloc") to docs/api/.
void md_up(MdBuf *b, const char *from_dir);
// Link from a page in `from_dir` to a symbol page.
void md_sym_link(MdBuf *b, const MdModel *m, const char *name, const char *from_dir);
// A fenced code block, fenced so that no line of `code` can close it.
void md_code(MdBuf *b, const char *code, const char *options, const char *indent);

// --- Files ---------------------------------------------------------------------------------

// Write `b` to out_dir/relpath, creating directories; 0 on success, prints an error otherwise.
int   md_write(const MdModel *m, const char *relpath, const MdBuf *b);
char *md_read_file(const char *path, size_t *len); // NULL when unreadable
// Lines [first, last] (1-based, inclusive) of a source file; NULL when unreadable.
char *md_source_lines(const MdModel *m, const char *file, long first, long last);

// --- Page writers --------------------------------------------------------------------------

int md_symbol_pages(const MdModel *m);
int md_index_pages(const MdModel *m);
int md_source_pages(const MdModel *m);
int md_search_index(const MdModel *m); // api/search-index.js (gen_md_search.c)
// Whether `s` carries `tag` (gen_md_index.c).
int md_symbol_has_tag(const MdModel *m, const MdSym *s, const MdTag *tag);
int md_nav(const MdModel *m, const char *path); // the `nav:` of mkdocs.yml, as YAML

#endif
