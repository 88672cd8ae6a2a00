// SPDX-License-Identifier: MIT
// Stand-alone driver of the Markdown stage for the site tests: `markdown ARGS...` is exactly
// `apidoc markdown ARGS...`, without linking the libclang half of apidoc.
#include "gen_md.h"

int main(int argc, char **argv) { return apidoc_markdown_main(argc, argv); }
