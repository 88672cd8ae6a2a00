// SPDX-License-Identifier: MIT
// Shards for a CI matrix: `apidoc extract --shard I/N` parses units I, I+N, I+2N… (in the order
// inputs.c lists them, which does not depend on the shard) and writes their results as a part;
// `apidoc merge PARTS…` lists the same units, takes every result from the parts and runs the
// rest of the pipeline, so its api.json is byte-identical to a single run. Entry points:
// shard_write, shard_read.
#include "stages.h"

#include <jansson.h>
#include <string.h> // strcmp

#define PART_FORMAT "apidoc-part-1"

int shard_write(const char *path, const Inputs *in, int shard, int shards) {
    json_t *root = json_object(), *units = json_object();
    json_object_set_new(root, "format", json_string(PART_FORMAT));
    json_object_set_new(root, "shard", json_pack("[i, i]", shard, shards));
    json_object_set_new(root, "units_total", json_integer((json_int_t)in->jobs.n));
    for (size_t i = 0; i < in->jobs.n; i++) {
        const Job *j = &in->jobs.items[i];
        if (!shard_owns(i, shard, shards)) continue;
        json_t *u = tu_out(&j->r);
        json_object_set_new(u, "file", json_string(j->file));
        json_object_set_new(u, "io_error", json_integer(j->io_error));
        json_object_set_new(units, j->cache_key, u);
    }
    json_object_set_new(root, "units", units);
    int rc = json_dump_file(root, path, JSON_COMPACT | JSON_SORT_KEYS) == 0 ? 0 : 3;
    json_decref(root);
    return rc;
}

int shard_read(const char *path, Inputs *in, DiagVec *diags) {
    json_error_t e;
    json_t *root = json_load_file(path, 0, &e);
    if (!root) {
        diag_add(diags, DIAG_ERROR, path, e.line, "not a shard part: %s", e.text);
        return 3;
    }
    const char *format = json_string_value(json_object_get(root, "format"));
    if (!format || strcmp(format, PART_FORMAT) != 0) {
        diag_add(diags, DIAG_ERROR, path, 1, "not a shard part of this apidoc (format %s)", format ? format : "missing");
        json_decref(root);
        return 3;
    }
    if ((size_t)json_integer_value(json_object_get(root, "units_total")) != in->jobs.n) {
        diag_add(diags, DIAG_ERROR, path, 1, "written for %lld units, this tree has %zu: run the shards and the merge on the same tree and options",
                 (long long)json_integer_value(json_object_get(root, "units_total")), in->jobs.n);
        json_decref(root);
        return 3;
    }
    json_t *units = json_object_get(root, "units");
    for (size_t i = 0; i < in->jobs.n; i++) {
        Job *j = &in->jobs.items[i];
        json_t *u = json_object_get(units, j->cache_key);
        if (!u || j->done) continue;
        tu_in(u, &j->r);
        j->io_error = (int)json_integer_value(json_object_get(u, "io_error"));
        j->done = 1;
    }
    json_decref(root);
    return 0;
}
