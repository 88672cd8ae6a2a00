// SPDX-License-Identifier: MIT
// Private header of the extraction pipeline: the units to parse (inputs.c builds them), what
// parsing each yields (extract.c, the only libclang user), and the stages after it (merge.c puts
// the units' symbols into one model, resolve.c links aliases and references). cli.c runs them.
#ifndef APIDOC_STAGES_H
#define APIDOC_STAGES_H

#include "model.h"

#include <limits.h> // PATH_MAX

// One translation unit to parse: a public header on its own, or an entry of the compile database.
typedef struct {
    char       *file; // relative path
    StrVec      args;
    int         is_header;
    HeaderFile *header;   // a header parsed on its own (no unit includes it)
    Vec(HeaderFile *) owned; // a unit: the public headers whose symbols it reads (it includes them first)
    char       *cache_key;
    int         io_error; // unreadable or not UTF-8: exit 3
    int         done;     // its result is in `r` already (read from a shard part)
    TuResult    r;
} Job;
typedef Vec(Job) JobVec;

typedef struct {
    char   root[PATH_MAX]; // absolute path of the repository root
    Map    public;         // absolute path of a public header -> its relative path
    JobVec jobs;           // header units first (in path order), then the database's units
} Inputs;

// Reads the public headers (lines, `///` blocks) into m->files and lists the units; 0 ok, 3 I/O.
int  inputs_load(const Options *o, Model *m, Inputs *in);
// Parses the units (o->jobs threads, o->cache_dir when set) into each job's TuResult.
void extract_units(const Options *o, Inputs *in);
// Moves the units' results into the model: diagnostics, raw uses, symbols with their doc blocks,
// redeclarations merged; 0 ok, 1 a unit failed to compile, 3 I/O.
int  merge_units(Model *m, Inputs *in);
// Alias typedefs (`typedef struct X X;`) into the record they name (their USRs and doc).
void resolve_aliases(Model *m);

// Shards (shard.c): unit i belongs to shard I of N when i % N == I - 1.
static inline int shard_owns(size_t i, int shard, int shards) { return shards <= 1 || (int)(i % (size_t)shards) == shard - 1; }
int shard_write(const char *path, const Inputs *in, int shard, int shards); // 0 ok, 3 I/O
int shard_read(const char *path, Inputs *in, DiagVec *diags);               // 0 ok, 3 not a part

// The per-unit bounds (watchdog.c): Options.unit_time seconds, Options.unit_memory MB resident.
void watchdog_start(const Options *o, Inputs *in);
void watchdog_stop(void);
void watchdog_begin(const Job *job);
void watchdog_end(const Job *job);

#endif
