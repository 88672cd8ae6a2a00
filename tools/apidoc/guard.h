// SPDX-License-Identifier: MIT
// Include guards (guard.c).
#ifndef APIDOC_GUARD_H
#define APIDOC_GUARD_H

#include "model.h"

// The line (1-based) of the `#define` of `h`'s include guard, 0 when it has none: the guard is
// the macro of the header's first two directives, `#ifndef X` then `#define X`, with only blank
// lines and comments before them.
int header_guard_line(const HeaderFile *h);

#endif
