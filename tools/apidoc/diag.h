// SPDX-License-Identifier: MIT
// Diagnostics as values ({level, file, line, message}), printed `file:line: error: message`.
// Depends only on util.h.
#ifndef APIDOC_DIAG_H
#define APIDOC_DIAG_H

#include "util.h"

typedef enum { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR } DiagLevel;
typedef struct {
    DiagLevel level;
    char     *file; // relative path, or NULL for a diagnostic about no file
    int       line; // 1-based; 0 when unknown
    char     *message;
} Diag;
typedef Vec(Diag) DiagVec;

void diag_add(DiagVec *d, DiagLevel level, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void diag_sort(DiagVec *d);
int  diag_print(const DiagVec *d, const char *prog); // prints all, returns the number of errors

#endif
