// SPDX-License-Identifier: MIT
// Private header of the Doxygen-dialect parser (comment_doxygen.c), used by comment.c: blocks
// opened by `/**`, `/*!` or `//!`, `///` runs that use `@`/`\` commands, and trailing member
// comments `/**< */`, `/*!< */`, `//!<`, all read into the same Doc as the `///` grammar.
#ifndef APIDOC_COMMENT_DOXYGEN_H
#define APIDOC_COMMENT_DOXYGEN_H

#include "model.h"

// 1 when `line` (after blanks) opens a Doxygen block: `/**` (not `/***`, `/**/`, `/**<`), `/*!`
// (not `/*!<`) or `//!` (not `//!<`).
int doxygen_opener(const char *line);

// Parses the Doxygen block that opens at lines[start] (0-based); *next is set to the index of
// the line after it. A `/** … */` block ends with the line holding `*/`; a `//!` block is the run
// of `//!` lines. Returns NULL for a block that documents no declaration (a grouping block:
// `@defgroup`, `@addtogroup`, `@name`, or only `@{` / `@}`), after reporting its errors.
Doc *doxygen_block(const char *path, char **lines, int nlines, int start, int *next, DiagVec *diags);

// 1 when one of `count` text lines (comment prefix stripped) starts with a Doxygen command
// (`@param`, `\brief`, `@return`, …): such a `///` run is read as Doxygen, not as the `///` grammar.
int doxygen_uses_commands(char *const *text, int count);

// Parses text lines whose comment decoration is already stripped; text[0] is line `first` of
// `path`. Errors (malformed `@param`, `@code` without `@endcode`, …) go to `diags`. NULL as for
// doxygen_block.
Doc *doxygen_parse(const char *path, char *const *text, int first, int count, DiagVec *diags);

// The documentation of a trailing member comment on `line` (`/**< … */`, `/*!< … */`, `//!< …`),
// inline commands converted; NULL when the line has none.
char *doxygen_trailing(const char *line);

// The same as a Doc (line `lineno`): what a trailing comment after a file-scope declaration says.
Doc *doxygen_trailing_doc(const char *line, int lineno);

// Frees a Doc returned by the functions above (or by comment.c's parser).
void doxygen_doc_free(Doc *d);

#endif
