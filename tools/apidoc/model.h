// SPDX-License-Identifier: MIT
// The documentation model: what `apidoc extract` finds, what lint checks and what the JSON and
// Markdown generators print. Knows nothing of libclang (no CXCursor leaves extract.c).
#ifndef APIDOC_MODEL_H
#define APIDOC_MODEL_H

#include "diag.h"
#include "util.h"

// ---- parsed `///` blocks (comment.c) ------------------------------------------------------
typedef struct { char *name, *direction, *description; int line; } DocParam;
typedef struct { char *name, *description; int line; } DocField;
typedef struct { char *kind, *text; } DocNote;

typedef struct Doc {
    int    line, end_line;
    char  *brief, *description;
    char  *success, *failure, *returns, *usage, *deprecated; // NULL when the section is absent
    Vec(DocParam) params;
    Vec(DocField) fields;
    Vec(DocNote)  notes;
    StrVec see;
    StrVec tags;         // canonical names (filled by tags_fold)
    StrVec tags_written; // as written
    int    has_tags;     // a TAGS: line exists
    int    tags_line;
    int    fields_line;  // line of FIELDS:, 0 when absent
    int    used;         // attached to something
    int    is_file_doc;
    int    is_doxygen;   // written in the Doxygen dialect (comment_doxygen.c)
} Doc;

typedef Vec(Doc *) DocVec;

// Split a file's text into `///` blocks and parse each; grammar errors go to `diags`.
// `lines` are the file's lines (without newlines), 1-based line i is lines[i-1].
void comment_parse_file(const char *path, char **lines, int nlines, DocVec *out, DiagVec *diags);
// The block whose first following non-blank line is `line`, or NULL.
Doc *comment_block_before(DocVec *docs, char **lines, int nlines, int line);
// The text after `///<` on a line, or NULL.
char *comment_trailing(const char *text);

// ---- tags (tags.c) ------------------------------------------------------------------------
typedef struct { char *name, *description; StrVec synonyms; } Tag;
typedef Vec(Tag) TagVec;
int         tags_load(const char *path, TagVec *out, DiagVec *diags); // 0 ok, -1 I/O or syntax
const char *tags_fold(const TagVec *tags, const char *written);       // canonical name or NULL
struct Model;
void        tags_fold_model(struct Model *m); // doc->tags from doc->tags_written

// ---- symbols -------------------------------------------------------------------------------
typedef enum {
    KIND_FUNCTION, KIND_FUNCTION_MACRO, KIND_OBJECT_MACRO, KIND_STRUCT, KIND_UNION, KIND_ENUM,
    KIND_TYPEDEF, KIND_VARIABLE
} SymbolKind;
const char *kind_name(SymbolKind k);

typedef struct { char *name, *type; } Param;                  // type NULL for macros and "..."
// A member. `bits` is the bit-field width (-1: not a bit-field); a named member of an unnamed
// record type (`struct { int a; } inner;`) has type "<anon struct>" and that record's members
// nested in `sub`.
typedef struct Field Field;
typedef struct FieldVec { Field *items; size_t n, cap; } FieldVec;
struct Field {
    char    *name, *type, *group, *trailing;
    int      line, bits;
    FieldVec sub;
    int      decl_line; // first line of the member's declaration (`union {` of `union {…} data;`)
};
typedef struct { char *name, *trailing; long long value; int line; } EnumValue;
typedef struct { char *type, *expression, *function; } Dispatch;

// C's name spaces: a function and a macro (or a struct tag) may share a name.
typedef enum { NS_ORDINARY, NS_TAG, NS_MACRO } Namespace;
const char *namespace_name(Namespace n);

typedef struct {
    char *file;
    int   line, column;
    const char *kind; // static string
    char *function;   // NULL at file scope
    int   function_start, function_end;
    int   example;    // index into Model.examples of the enclosing function, -1 at file scope
} Reference;

// An enclosing function of uses, stored once in the model and shared by every symbol it shows.
typedef struct {
    char *file, *function, *origin, *code;
    int   start, end;
    int   misuse; // a death test / expected abort (see resolve.c)
} Example;

// One symbol's uses inside one Example.
typedef struct {
    int      example;   // index into Model.examples
    Vec(int) use_lines; // sorted, unique
    char    *via;       // the macro through which the use occurs when no use line spells the name
} ExampleUse;

typedef struct Symbol {
    char      *id, *name, *header, *include, *declaration, *return_type;
    char      *tag_name; // the tag of a record named by a typedef (`typedef struct x_s {…} x_t;`:
                         // "x_s", an alias search and links resolve), or of an opaque typedef
    SymbolKind kind;
    Namespace  ns;
    int        line, end_line;
    int        basic;    // a typedef of a builtin type (`size`, `u8`): counted, no example list
    int        alias;    // `typedef struct X Y;` apart from X's definition: folded into X when a
                         // public header defines it, else an opaque typedef of its own
    Doc       *doc;
    Vec(Param)     params;
    FieldVec       fields;
    Vec(EnumValue) enum_values;
    Vec(Dispatch)  dispatch;
    StrVec         body_idents; // macros: identifiers of the body; others: referenced type names
    StrVec         usrs;        // libclang USRs that denote this symbol (model treats as strings)
    StrVec         member_usrs; // USRs of fields / enum constants (uses count for the symbol)
    Vec(Reference) refs;
    Vec(ExampleUse) examples;
    StrVec         uses;        // ids
    StrVec         same_name;   // ids of the symbols of the same name in other name spaces
    int            variadic;
} Symbol;

typedef struct {
    char  *path, *include;
    Doc   *doc;
    char **lines;
    int    nlines;
    int    guard_line; // line of the include guard's #define, 0 for none (header_guard_line)
    DocVec blocks;
} HeaderFile;

// A use as extract.c reports it, before it is resolved to a symbol.
typedef struct {
    char *usr, *file, *function;
    const char *kind;
    int   line, column, function_start, function_end;
} RawRef;
// A function definition a death-test runner is given (`expect_death(body, …)`): file, start line.
typedef struct { char *file; int line; } Site;
typedef Vec(Site) SiteVec;
typedef Vec(RawRef) RawRefVec;

// What one translation unit yields (extract.c), cached per unit by cache.c.
typedef struct {
    Vec(Symbol *) syms;    // header units only
    RawRefVec refs;
    SiteVec   misuse;      // function definitions run by a death-test helper
    DiagVec   diags;
    int       failed;
    StrVec    deps;        // every file the unit read
} TuResult;

// Returns 1 and fills `r` when the cache holds `key` and none of its files changed.
int  cache_load(const char *dir, const char *key, TuResult *r);
void cache_store(const char *dir, const char *key, const TuResult *r);
// A unit's result, encoded (cache.c): for the cache and for shard parts (shard.c).
typedef struct { char *data; size_t n, cap; } Buf;
void unit_encode(Buf *b, const TuResult *r);
int  unit_decode(const char *text, size_t len, TuResult *out); // bytes read, or -1 (then `out` untouched)

typedef struct Model {
    Vec(Symbol *)     symbols;
    Vec(HeaderFile *) files;
    TagVec            tags;
    RawRefVec         raw_refs;
    SiteVec           misuse;
    Vec(Example)      examples; // every enclosing function of a use, sorted by (file, start)
    Vec(Symbol *)     aliases;  // alias typedefs (`typedef struct X X;`) until resolve_aliases
    DiagVec           diags;
    Map               index;    // name (and tag name) -> symbol, built by model_index
} Model;

Symbol *model_find(const Model *m, const char *name); // any name space, ordinary first
void    model_index(Model *m);                           // makes model_find a hash lookup
void    model_sort(Model *m);
// Read a file into lines; NULL + diagnostic when unreadable or not UTF-8. The lines share one
// block: release them with lines_free, never line by line.
char  **read_lines(const char *path, int *nlines, DiagVec *diags);
void    lines_free(char **lines);
char   *read_text(const char *path, size_t *len);
const char *ref_category(const char *path);

// ---- stages ----------------------------------------------------------------------------------
typedef struct {
    const char *root;       // paths are printed relative to it
    const char *ccdb;       // compile_commands.json, or NULL
    const char *tags_path;  // docs/tags.yml
    const char *out;        // api.json path ("-" for stdout)
    const char *cache_dir;  // NULL: no cache
    StrVec      headers;    // public headers (relative paths); empty: include/**.h
    StrVec      sources;    // extra sources given on the command line
    StrVec      flags;      // flags for the command-line sources and the headers
    int         jobs;
    double      unit_time;   // seconds one unit may take (0: unbounded)
    double      unit_memory; // MB of resident memory while parsing (0: unbounded)
    int         shard, shards; // extract --shard I/N: this run parses units i with i % N == I - 1
} Options;

// extraction: inputs.c, extract.c, merge.c (stages.h), then resolve.c:
void xref_resolve(Model *m);                    // raw refs -> symbol refs, examples, uses
void lint_run(Model *m);                        // adds diagnostics
int  api_read(const char *path, Model *m);      // api.json back into a model; 0 ok, 3 I/O or format
int  gen_json_write(const Model *m, const char *path); // 0 ok, 3 I/O

int cli_main(int argc, char **argv);

#endif
