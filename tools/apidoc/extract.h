// SPDX-License-Identifier: MIT
// Private header of the libclang stage (extract.c runs the units; extract_symbols.c reads a
// header's declarations; extract_refs.c walks a unit for uses): the per-unit context and the
// helpers they share. Nothing here leaves the stage: the results are TuResult values (model.h).
#ifndef APIDOC_EXTRACT_H
#define APIDOC_EXTRACT_H

#include "stages.h"

#include <clang-c/Index.h>
#include <stdatomic.h>

typedef struct {
    const Options *o;
    Inputs        *in;
    atomic_size_t  next;
} Run;

typedef struct {
    Run *run;
    Job *job;
    CXTranslationUnit tu;
    CXFile main_file;
    Map files;                  // CXFile -> relative path of a public header, or &NOT_PUBLIC
    // reference walk state
    const char *func;
    int fstart, fend, in_generic;
    Map targets;                // CXFile -> Target: the files whose symbols and uses this job reads
    const struct Target *at;    // the file of the cursor being read
    Map macro_starts;           // (file id, offset + 1) of macro expansions
    Vec(RawRef) funcs;          // function definitions in the target files (file, name, start, end)
} Ctx;

// A file this job reads: the unit itself (id 0, header NULL) or a public header it owns.
typedef struct Target { CXFile file; const char *rel; HeaderFile *header; int id; } Target;
const Target *target_of(Ctx *c, CXFile f); // NULL for a file this job does not read

char       *cx(CXString s);                                   // a copy, the CXString disposed
const char *public_rel(Ctx *c, CXFile f);                     // relative path of a public header, or NULL
void        loc_of(CXSourceLocation l, CXFile *f, unsigned *line, unsigned *col, unsigned *off);
char       *text_between(char **lines, int nlines, unsigned l1, unsigned c1, unsigned l2, unsigned c2);
char       *collapse_ws(const char *s);
char       *type_of(CXType t);                                // spelling, no path of an unnamed record

void header_symbols(Ctx *c);          // extract_symbols.c: the header's declarations -> r.syms
void walk_unit(Ctx *c);               // extract_refs.c: every use in the unit -> r.refs, r.misuse
void attribute_to_functions(Ctx *c);  // extract_refs.c: enclosing function of top-level uses

#endif
