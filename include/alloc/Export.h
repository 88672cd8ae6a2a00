///
/// Build and linkage macros every public header of the alloc library uses: the `ALLOC_API`
/// export marker, C linkage for C++ includers, and portable spellings of "does not return" and
/// of a compile-time assertion. Each macro has one definition per compiler; the one documented
/// here is the one a C compiler on Linux (gcc or clang) sees.
///
/// TAGS: Build
///
#ifndef ALLOC_EXPORT_H
#define ALLOC_EXPORT_H

#if defined(_WIN32) && defined(ALLOC_BUILDING)
#define ALLOC_API __declspec(dllexport)
#elif defined(_WIN32)
#define ALLOC_API __declspec(dllimport)
#elif defined(__GNUC__)
///
/// Marks a function that `liballoc.so` exports. The library is compiled with
/// `-fvisibility=hidden`, so every function without this marker stays private to it, and the
/// exported list is checked against `abi/liballoc.symbols` by `make test`.
///
/// Expands to `__attribute__((visibility("default")))` on gcc and clang, to
/// `__declspec(dllexport)` while building the library on Windows (with ALLOC_BUILDING defined) and
/// `__declspec(dllimport)` for its users there, and to nothing on other compilers.
///
/// USAGE:
///     ALLOC_API void *heap_allocator_allocate(HeapAllocator *self, size_t bytes, int8_t zeroed);
///
/// TAGS: Build
///
#define ALLOC_API __attribute__((visibility("default")))
#else
#define ALLOC_API
#endif

#ifdef __cplusplus
#define ALLOC_BEGIN_DECLS extern "C" {
#define ALLOC_END_DECLS }
#else
///
/// Opens a block of declarations with C linkage when a C++ compiler reads the header
/// (`extern "C" {`); expands to nothing in C. Every public header wraps its declarations in
/// `ALLOC_BEGIN_DECLS` … `ALLOC_END_DECLS`, so a C++ program links against the C library.
///
/// TAGS: Build
///
#define ALLOC_BEGIN_DECLS

///
/// Closes the block opened by `ALLOC_BEGIN_DECLS` (`}` in C++, nothing in C).
///
/// TAGS: Build
///
#define ALLOC_END_DECLS
#endif

#ifdef __cplusplus
#define ALLOC_NORETURN [[noreturn]]
#define ALLOC_STATIC_ASSERT(cond, message) static_assert(cond, message)
#else
///
/// "This function never returns", spelled for the language reading the header: `_Noreturn` in
/// C11 and later, `[[noreturn]]` in C++. Written first in a declaration, before `ALLOC_API`.
///
/// TAGS: Build
///
#define ALLOC_NORETURN _Noreturn

///
/// A compile-time assertion that reads the same in C11 and C++11: `_Static_assert` in C,
/// static_assert in C++.
///
/// cond[in]    : An integer constant expression that must be non-zero.
/// message[in] : The string literal the compiler prints when it is zero.
///
/// SUCCESS: Compiles to nothing.
/// FAILURE: Stops the compilation with `message` when `cond` is zero.
///
/// TAGS: Build
///
#define ALLOC_STATIC_ASSERT(cond, message) _Static_assert(cond, message)
#endif

#endif // ALLOC_EXPORT_H
