// Placeholder until the Markdown generator lands: says so and fails, so nothing mistakes it for output.
#include "gen_md.h"

#include <stdio.h>

int apidoc_markdown_main(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "apidoc: markdown: not implemented yet\n");
    return 2;
}
