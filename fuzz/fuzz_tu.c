// SPDX-License-Identifier: MIT
// libFuzzer target: apidoc over a whole translation unit. The input is written as a public
// header (include/t.h) and a unit that includes it (u.c), and the whole pipeline runs on them:
// inputs, libclang extraction (symbols and the reference walk), merge, resolve, lint and the
// api.json writer (to /dev/null). Any crash, hang or sanitizer report is a bug; a file that does
// not compile or is not UTF-8 is an expected diagnostic. The tool keeps its model for the life
// of the process by design, so leak detection is off for this target.
#include "stages.h"

#include <stdint.h>   // uint8_t
#include <stdio.h>    // fopen
#include <stdlib.h>   // mkdtemp
#include <sys/stat.h> // mkdir
#include <unistd.h>   // rmdir

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);
const char *__asan_default_options(void);

const char *__asan_default_options(void) { return "detect_leaks=0"; }

static int write_file(const char *path, const void *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t put = fwrite(data, 1, len, f);
    return fclose(f) == 0 && put == len ? 0 : -1;
}

static void run(char *header, char *unit, char *flag) {
    Options o = {0};
    o.jobs = 1, o.unit_time = 0, o.unit_memory = 0;
    vec_push(&o.headers, header);
    vec_push(&o.sources, unit);
    vec_push(&o.flags, flag);
    Model  m  = {0};
    Inputs in = {0};
    if (inputs_load(&o, &m, &in) == 0) {
        extract_units(&o, &in);
        if (merge_units(&m, &in) != 3) {
            resolve_aliases(&m);
            model_sort(&m);
            tags_fold_model(&m);
            xref_resolve(&m);
            model_index(&m);
            lint_run(&m);
            gen_json_write(&m, "/dev/null");
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len) {
    // a scratch tree per input, removed after it (absolute paths: libFuzzer's corpus paths are
    // relative to the working directory, which must not change)
    char dir[] = "/tmp/apidoc-fuzz-tu-XXXXXX";
    if (!mkdtemp(dir)) return 0;
    char *inc = xprintf("%s/include", dir), *header = xprintf("%s/t.h", inc), *unit = xprintf("%s/u.c", dir),
         *flag = xprintf("-I%s", inc);
    static const char text[] = "#include \"t.h\"\n";
    mkdir(inc, 0777);
    if (write_file(unit, text, sizeof text - 1) == 0 && write_file(header, data, len) == 0) run(header, unit, flag);
    remove(header), remove(unit), rmdir(inc), rmdir(dir);
    free(inc), free(header), free(unit), free(flag);
    return 0;
}

