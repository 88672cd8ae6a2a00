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
    // The page's basename under api/: the name, except for the second or third symbol of one
    // name in C's namespaces (a macro `gzgetc` beside the function, an `enum x` beside a function
    // x), which is `name-macro` / `name-struct`… (md_assign_pages). Owned by the model.
    char       *page;
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
    struct MdRefAt *refs;    // every reference of every symbol, sorted by (file, line, column)
    size_t      nrefs;
    struct MdXref *xref;     // the cross-reference index of gen_md_xref.c
} MdModel;

const char *md_json_str(const json_t *obj, const char *key); // NULL when absent or not a string
long        md_json_int(const json_t *obj, const char *key); // 0 when absent
// The symbol of that name; of several in C's namespaces, the one with the plain page (an
// ordinary identifier before a tag before a macro).
const MdSym *md_find(const MdModel *m, const char *name);
const MdSym *md_find_id(const MdModel *m, const char *id); // after md_index_xref
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
void md_sym_link(MdBuf *b, const MdSym *s, const char *from_dir);

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

// --- Linked code (gen_md_code.c, gen_md_xref.c) --------------------------------------------
// Code is written as `<div class="highlight apidoc-code ..."><pre><code>` holding escaped text,
// links and line marks; the MkDocs hook tools/apidoc/site_hooks.py highlights it with Pygments,
// keeping those elements where they are.

// One use of a public symbol where it is written (api.json references of every symbol),
// sorted by (file, line, column) in MdModel.refs.
typedef struct MdRefAt {
    const char  *file;
    long         line, column;
    const MdSym *target;
} MdRefAt;

// A link or an anchor over bytes [at, at + len) of a code text (an identifier).
typedef struct MdMark {
    size_t at, len;
    char   href[384]; // "" for none
    char   id[96];    // "" for none
} MdMark;

typedef struct MdCodeView {
    const char   *code;                // lines end in '\n'
    long          first;               // number of its first line; 0 for no line numbers
    int           anchors;             // line numbers are anchors #L<n> (source pages)
    const long   *hl;                  // highlighted line numbers
    size_t        nhl;
    long          show_from, show_to;  // lines outside are folded behind an expand control; 0: none
    const MdMark *marks;               // sorted by `at`, not overlapping
    size_t        nmarks;
    const char   *cls;                 // extra classes of the block: "apidoc-decl", "apidoc-src"
} MdCodeView;

// The block, at column 0 of a Markdown page (a raw HTML block: blank lines before and after).
void md_code_html(MdBuf *b, const MdCodeView *v);
// Whether p (inside code) starts identifier `name` as a whole word.
int md_word_at(const char *code, const char *p, const char *name, size_t n);
// Call fn for each identifier of C code outside comments, strings and character constants
// (`after_member`: it follows `.` or `->`; `depth`: of braces); stops when fn returns non-zero.
typedef int (*MdIdentFn)(void *ctx, const char *at, size_t len, int after_member, int depth);
void md_each_ident(const char *code, MdIdentFn fn, void *ctx);
// The uses written in `file` on lines [first, last] (a slice of MdModel.refs), count in *n.
const MdRefAt *md_refs_in(const MdModel *m, const char *file, long first, long last, size_t *n);
// Href from a page in `from_dir` ("api", "api/source/include/alloc") to the symbol page of s.
void md_sym_href(char *out, size_t cap, const MdSym *s, const char *from_dir);
// The definition of function s in a source file (an Example named s outside headers), or NULL.
const json_t *md_definition(const MdModel *m, const MdSym *s);
// Build MdModel.refs and .xref (once, after loading; md_find_id needs it); md_xref_free frees .xref.
void md_index_xref(MdModel *m);
void md_xref_free(MdModel *m);
const MdSym *md_find_tag_name(const MdModel *m, const char *tag); // `struct x_s` of `x_t`
// The type a macro expands to a value of (an init macro), or NULL.
const MdSym *md_produced_type(const MdModel *m, const MdSym *s);
// The declarations naming s (in their `uses` or a _Generic arm), NULL-terminated, in *n.
const MdSym *const *md_users(const MdModel *m, const MdSym *s, size_t *n);
// The links of a declaration: each name it refers to (resolved from the references written in
// its lines, its `uses` and its _Generic arms) to that symbol's page, each parameter, field and
// enum constant it declares to the anchor of its row (#param-, #field-, #value-). Caller frees.
size_t md_decl_marks(const MdModel *m, const MdSym *s, const char *decl, const char *from_dir, MdMark **out);
// Whether a C type spelling names type t (its name or tag as a whole word).
int md_type_names(const char *type, const MdSym *t);
// The `_Generic` arm of macro g whose type names t, or NULL.
const json_t *md_arm_for(const MdSym *g, const MdSym *t);
// The API of type t: functions taking or returning it and macros producing it (*funcs), generic
// macros with an arm for it (*accepted, NULL-terminated), in declaration order. Returns the
// number of *funcs (NULL-terminated too); caller frees both arrays.
size_t md_type_api(const MdModel *m, const MdSym *t, const MdSym ***funcs, const MdSym ***accepted);

#endif
