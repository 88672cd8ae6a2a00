// SPDX-License-Identifier: MIT
// A main() for the fuzz targets without libFuzzer: runs LLVMFuzzerTestOneInput once per file
// named on the command line (a corpus, a crash artifact). Used to replay the seed corpora under
// valgrind (make test-valgrind) and to reproduce a crash in a debugger.
#include "fuzz_ops.h"

#include <stdio.h>  // fopen, fread, printf
#include <stdlib.h> // malloc, free: the test driver, not the library

static int replay(const char *path) {
    FILE *file = fopen(path, "rb");
    if (!file) {
        printf("replay: cannot open %s\n", path);
        return 1;
    }
    static uint8_t data[1 << 20];
    size_t         len = fread(data, 1, sizeof data, file);
    fclose(file);
    uint8_t *copy = malloc(len ? len : 1); // exact-size heap copy: overreads are caught
    for (size_t i = 0; i < len; ++i) copy[i] = data[i];
    LLVMFuzzerTestOneInput(copy, len);
    free(copy);
    return 0;
}

int main(int argc, char **argv) {
    int errors = 0;
    for (int i = 1; i < argc; ++i) errors += replay(argv[i]);
    printf("replayed %d inputs, %d unreadable\n", argc - 1, errors);
    return errors != 0;
}
