///
/// Fatal-error reporting: how the library reports programmer errors, and how a program or a
/// test replaces the abort.
///
/// TAGS: Log, Debug
///
#ifndef ALLOC_LOG_H
#define ALLOC_LOG_H

#include "alloc/Export.h"

#include <stddef.h> // size_t
#include <stdint.h> // int8_t … uint64_t

ALLOC_BEGIN_DECLS

///
/// Signature of a fatal-error handler installed with `AllocSetFatalHandler`.
///
/// line[in]    : The complete diagnostic, one line without the trailing newline, of the form
///               `alloc: fatal: <function>: <reason> <pointer>`.
/// context[in] : The pointer given to `AllocSetFatalHandler`, passed back unchanged.
///
/// SUCCESS: The handler may log, flush, or leave with `longjmp`; if it returns, the library
///          calls `abort()` anyway, because the allocator's state cannot be trusted any more.
/// FAILURE: Not applicable; a handler has no way to report failure.
///
/// TAGS: Log, Debug
///
typedef void (*AllocFatalHandler)(const char *line, void *context);

///
/// Install the process-wide fatal-error handler, or restore the default with NULL.
///
/// The default handler writes the diagnostic line to stderr with `write(2)`, then a backtrace
/// where the platform provides one, then aborts. This handler is the library's only global
/// state; it is read once per fatal error, never on a fast path.
///
/// handler[in] : The new handler, or NULL for the default (print to stderr, then abort).
/// context[in] : Passed back to `handler` unchanged; may be NULL.
///
/// SUCCESS: The handler is installed; the previous one is returned so a caller can restore it.
/// FAILURE: Cannot fail.
///
/// USAGE:
///     static void keep_line(const char *line, void *context) {
///         strncpy(context, line, 255);
///     }
///     char last[256] = {0};
///     AllocFatalHandler previous = AllocSetFatalHandler(keep_line, last);
///     // ... a misuse now records its line in `last`, then aborts ...
///     AllocSetFatalHandler(previous, NULL);
///
/// TAGS: Log, Debug, Config
///
ALLOC_API AllocFatalHandler AllocSetFatalHandler(AllocFatalHandler handler, void *context);

///
/// Report a programmer error and end the process: the one fatal path of the library.
///
/// Formats `alloc: fatal: <function>: <reason> <pointer>` into a stack buffer (no allocation),
/// hands it to the installed handler (default: stderr plus backtrace), then calls `abort()`.
/// The reason strings are part of the API: tests pin them.
///
/// function[in] : Name of the public entry point the caller used (e.g. `page_allocator_deallocate`).
/// reason[in]   : Fixed text naming what went wrong (e.g. `double free`).
/// pointer[in]  : The offending pointer, printed in hex; NULL prints `(nil)`.
///
/// SUCCESS: Never returns.
/// FAILURE: Never returns; if the handler returns, the process aborts with SIGABRT.
///
/// USAGE:
///     if (!owns(block)) AllocFatal("my_pool_free", "foreign pointer", block);
///
/// TAGS: Log, Debug
///
ALLOC_NORETURN ALLOC_API void AllocFatal(const char *function, const char *reason, const void *pointer);

///
/// Report a programmer error from the current function: `AllocFatal(__func__, reason, pointer)`.
///
/// reason[in]  : Fixed text naming the error.
/// pointer[in] : The offending pointer.
///
/// SUCCESS: Never returns.
/// FAILURE: Never returns; aborts via the installed fatal handler.
///
/// TAGS: Log, Debug
///
#define ALLOC_LOG_FATAL(reason, pointer) AllocFatal(__func__, (reason), (pointer))

ALLOC_END_DECLS

#endif // ALLOC_LOG_H
