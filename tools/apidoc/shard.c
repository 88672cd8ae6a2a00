// SPDX-License-Identifier: MIT
// Shards for a CI matrix: `apidoc extract --shard I/N` parses units I, I+N, I+2N… (in the order
// inputs.c lists them, which does not depend on the shard) and writes their results as a part;
// `apidoc merge PARTS…` lists the same units, takes every result from the parts and runs the
// rest of the pipeline, so its api.json is byte-identical to a single run. A part is a first
// line `apidoc-part-2 SHARD N UNITS`, then per unit a line `KEY IO_ERROR BYTES` and that many
// bytes of unit_encode (cache.c). Entry points: shard_write, shard_read.
#include "stages.h"

#include <stdio.h>  // fopen, fprintf
#include <stdlib.h> // free
#include <string.h> // strcmp

#define PART_MAGIC "apidoc-part-2"

int shard_write(const char *path, const Inputs *in, int shard, int shards) {
    FILE *f = fopen(path, "wb");
    if (!f) return 3;
    fprintf(f, "%s %d %d %zu\n", PART_MAGIC, shard, shards, in->jobs.n);
    for (size_t i = 0; i < in->jobs.n; i++) {
        const Job *j = &in->jobs.items[i];
        if (!shard_owns(i, shard, shards)) continue;
        Buf b = {0};
        unit_encode(&b, &j->r);
        fprintf(f, "%s %d %zu\n", j->cache_key, j->io_error, b.n);
        fwrite(b.data, 1, b.n, f);
        free(b.data);
    }
    int bad = ferror(f);
    return fclose(f) != 0 || bad ? 3 : 0;
}

int shard_read(const char *path, Inputs *in, DiagVec *diags) {
    size_t len = 0;
    char *text = read_text(path, &len);
    if (!text) {
        diag_add(diags, DIAG_ERROR, path, 0, "cannot read file");
        return 3;
    }
    char magic[32] = "";
    int shard = 0, shards = 0, used = 0;
    size_t total = 0;
    if (sscanf(text, "%31s %d %d %zu\n%n", magic, &shard, &shards, &total, &used) != 4 || strcmp(magic, PART_MAGIC) != 0) {
        diag_add(diags, DIAG_ERROR, path, 1, "not a shard part of this apidoc (expected `%s …`)", PART_MAGIC);
        free(text);
        return 3;
    }
    if (total != in->jobs.n) {
        diag_add(diags, DIAG_ERROR, path, 1, "written for %zu units, this tree has %zu: run the shards and the merge on the same tree and options",
                 total, in->jobs.n);
        free(text);
        return 3;
    }
    Map by_key = {0};
    for (size_t i = 0; i < in->jobs.n; i++) map_put(&by_key, in->jobs.items[i].cache_key, &in->jobs.items[i]);
    const char *p = text + used, *end = text + len;
    int rc = 0;
    while (p < end && rc == 0) {
        char key[64];
        int io = 0, n = 0;
        size_t bytes = 0;
        if (sscanf(p, "%63s %d %zu\n%n", key, &io, &bytes, &n) != 3 || bytes > (size_t)(end - p - n)) {
            diag_add(diags, DIAG_ERROR, path, 0, "damaged part (a unit record does not parse)");
            rc = 3;
            break;
        }
        p += n;
        Job *j = map_get(&by_key, key);
        if (j && !j->done) {
            if (unit_decode(p, bytes, &j->r) < 0) {
                diag_add(diags, DIAG_ERROR, path, 0, "damaged part (unit %s)", j->file);
                rc = 3;
            }
            j->io_error = io;
            j->done = 1;
        }
        p += bytes;
    }
    map_free(&by_key);
    free(text);
    return rc;
}
