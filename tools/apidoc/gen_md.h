// apidoc markdown: api.json -> docs/api/**.md, docs/tags/**.md and the search data.
#ifndef APIDOC_GEN_MD_H
#define APIDOC_GEN_MD_H

// Entry point of `apidoc markdown ARGS...`; argv[0] is "markdown". Returns the process exit code.
int apidoc_markdown_main(int argc, char **argv);

#endif
