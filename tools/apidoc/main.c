// SPDX-License-Identifier: MIT
// apidoc: the documentation generator of the alloc library. The pipeline:
//   sources --inputs.c (headers, `///` blocks by comment.c, the units to parse)
//           --extract.c (libclang, one unit at a time: extract_symbols.c, extract_refs.c)
//                      --> a TuResult per unit (cache.c keeps them; shard.c writes and reads parts)
//           --merge.c (redeclarations, doc attachment)--> model (model.h)
//           --resolve.c (aliases, references, uses, ranked examples)--> model
//           --gen_json.c--> build/docs/api.json      (`apidoc extract`)
//           --lint.c--> file:line diagnostics          (`apidoc lint`)
//   api.json --gen_md.c--> Markdown pages               (`apidoc markdown`)
// Errors stop it where they are found: bad usage (exit 2) before any work, unreadable input or
// output (exit 3) before anything is written, a unit that does not compile (exit 1) before
// api.json is written; documentation errors make lint exit 1. See cli.c for the commands.
#include "gen_md.h"
#include "model.h"

#include <string.h> // strcmp

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "markdown") == 0) return apidoc_markdown_main(argc - 1, argv + 1);
    return cli_main(argc, argv);
}
