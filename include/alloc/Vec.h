///
/// `Vec(T)`: a typed growable array that stores an `Allocator *`, the library's first user of
/// the allocator interface and the model for containers built on it.
///
/// A vector works with any allocator of the library (`VecInit(&heap)`, `VecInit(&arena)`, or an
/// `Allocator *`); it grows through `AllocatorRealloc` (in place when the allocator can, else by
/// moving) and releases its buffer with `AllocatorFree`. The operations are macros so they keep
/// the element type; each says which of its arguments it evaluates more than once.
///
/// TAGS: Container, Vec
///
#ifndef ALLOC_VEC_H
#define ALLOC_VEC_H

#include "alloc/Allocator.h"

ALLOC_BEGIN_DECLS

///
/// The type of a vector of `T`: an anonymous struct holding the elements, the count, the
/// capacity and the allocator the buffer comes from.
///
/// Each use of `Vec(T)` names a distinct struct type, so give a vector type a name with `typedef`
/// when it crosses a function boundary (`typedef Vec(int) IntVec;`). Its members, which code may
/// read freely but should change only through the `Vec` macros:
///
/// - `data`: the elements, `data[0]` to `data[len - 1]`; NULL while nothing was reserved.
/// - `len`: number of elements stored.
/// - `cap`: number of elements `data` has room for (elements, not bytes).
/// - `allocator`: the `Allocator *` the buffer comes from; set once by `VecInit`, never NULL.
///
/// Invariants: `len <= cap`; `data` is NULL exactly when `cap` is 0; `data` is a live block of
/// `allocator` with room for `cap` elements. `T` must not need an alignment greater than the
/// allocator's (16 bytes with a plain Init macro such as `HeapAllocatorInit`).
///
/// T[in] : The element type; any complete object type.
///
/// SUCCESS: A struct type specifier, usable wherever a type is (declarations, `typedef`,
///          `sizeof`); it expands to no code.
/// FAILURE: Does not compile when `T` is not a complete object type.
///
/// USAGE:
///     typedef Vec(double) Samples;
///     HeapAllocator heap = HeapAllocatorInit();
///     Samples samples = VecInit(&heap);
///     VecPush(&samples, 0.5);
///
/// TAGS: Container, Vec, Types
///
#define Vec(T)                                                                                     \
    struct {                                                                                       \
        T         *data;                                                                           \
        size_t     len;                                                                            \
        size_t     cap;                                                                            \
        Allocator *allocator;                                                                      \
    }

#ifdef __cplusplus
// C++ has no designated initializers before C++20: the same fields by position.
#define VecInit(allocator_ptr) {NULL, 0, 0, ALLOCATOR_OF(allocator_ptr)}
#else
///
/// Initializer of an empty vector that will allocate from `allocator_ptr`.
///
/// A brace initializer (not an expression): use it in a declaration, `Vec(int) v = VecInit(&a);`.
/// It makes no allocation and cannot fail; the first `VecPush` or `VecReserve` allocates.
///
/// allocator_ptr[in] : Pointer to any typed allocator (`HeapAllocator *`, `ArenaAllocator *`, …)
///                     or an `Allocator *`, converted with `ALLOCATOR_OF`; evaluated once. The
///                     allocator must outlive the vector's buffer.
///
/// SUCCESS: An empty vector (`data` NULL, `len` and `cap` 0) bound to the allocator.
/// FAILURE: Does not compile when `allocator_ptr` is not a pointer to an allocator.
///
/// USAGE:
///     ArenaAllocator arena = ArenaAllocatorInit();
///     Vec(int) numbers = VecInit(&arena);
///     for (int i = 0; i < 100; ++i)
///         if (!VecPush(&numbers, i * i)) break; // out of memory: numbers is unchanged
///     VecDeinit(&numbers);
///     ArenaAllocatorDeinit(&arena);
///
/// TAGS: Container, Vec, Init
///
#define VecInit(allocator_ptr)                                                                     \
    { .data = NULL, .len = 0, .cap = 0, .allocator = ALLOCATOR_OF(allocator_ptr) }
#endif

///
/// Grow a vector's buffer to room for at least `min_cap` elements: the out-of-line slow path
/// behind `VecPush` and `VecReserve`.
///
/// The new capacity is the larger of `min_cap` and twice the old one (at least 4 elements), so a
/// run of pushes costs amortised O(1). The buffer is resized through `AllocatorRealloc` (in place
/// when the allocator can, else moved, keeping the stored elements); when the doubled capacity
/// cannot be had, exactly `min_cap` is tried before giving up.
///
/// allocator[in,out] : The vector's allocator.
/// data_field[in,out] : Address of the vector's `data` member (a `T **` passed as `void *`); read
///                      and written with `memcpy`, so any object-pointer type works.
/// cap[in,out]        : Address of the vector's `cap` member; updated on success.
/// elem_size[in]      : `sizeof(T)`; greater than 0.
/// min_cap[in]        : The capacity wanted, in elements.
///
/// SUCCESS: Returns 1; `*cap >= min_cap` and the data pointer names a block of that many
///          elements. Returns 1 at once, allocating nothing, when `*cap >= min_cap` already.
/// FAILURE: Returns 0, leaving the data pointer, `*cap` and the elements unchanged, iff
///          `min_cap * elem_size` overflows `size_t`, or the allocator returns NULL (out of memory,
///          or a request beyond what the allocator serves, e.g. larger than a slab slot). Aborts
///          via `AllocFatal` like `allocator_realloc_dyn` when `allocator` is NULL,
///          uninitialised or corrupted.
///
/// TAGS: Container, Vec, Reallocation
///
ALLOC_API int8_t vec_grow(Allocator *allocator, void *data_field, size_t *cap, size_t elem_size, size_t min_cap);

///
/// Check an index for `VecAt`: the out-of-range test of the macro, kept in one function.
///
/// index[in] : The index the caller asked for.
/// len[in]   : The vector's length.
/// vec[in]   : The vector, printed in the diagnostic.
///
/// SUCCESS: Returns `index` when `index < len`.
/// FAILURE: Aborts via `AllocFatal` with `alloc: fatal: VecAt: index out of range <vec>`.
///
/// TAGS: Container, Vec, Check
///
static inline size_t vec_checked_index(size_t index, size_t len, const void *vec) {
    if (__builtin_expect(index >= len, 0)) AllocFatal("VecAt", "index out of range", vec);
    return index;
}

///
/// Take one element off a vector's length for `VecPop`: the empty test of the macro.
///
/// len[in,out] : Address of the vector's `len` member; decremented on success.
/// vec[in]     : The vector, printed in the diagnostic.
///
/// SUCCESS: Returns the index of the element being popped (the new `*len`).
/// FAILURE: Aborts via `AllocFatal` with `alloc: fatal: VecPop: pop from empty vector <vec>`
///          when `*len` is 0.
///
/// TAGS: Container, Vec, Check
///
static inline size_t vec_pop_index(size_t *len, const void *vec) {
    if (__builtin_expect(*len == 0, 0)) AllocFatal("VecPop", "pop from empty vector", vec);
    return --*len;
}

///
/// Make room for at least `n` elements in total, so the next pushes up to `n` cannot fail.
///
/// `n` is a total capacity, not a number of extra elements; a smaller `n` never shrinks the
/// buffer. `v` and `n` are evaluated more than once: pass them without side effects.
///
/// v[in,out] : Pointer to a `Vec(T)`.
/// n[in]     : The capacity wanted, in elements.
///
/// SUCCESS: Non-zero; `VecCap(v) >= n`, elements unchanged (the buffer may have moved).
/// FAILURE: 0 iff `n * sizeof(T)` overflows or the allocator cannot supply the block; the
///          vector is then unchanged. Aborts like `vec_grow` on a bad allocator.
///
/// USAGE:
///     Vec(uint32_t) ids = VecInit(&heap);
///     if (!VecReserve(&ids, 1000)) return -1; // the 1000 pushes below cannot fail
///     for (uint32_t i = 0; i < 1000; ++i) VecPush(&ids, i);
///     VecDeinit(&ids);
///
/// TAGS: Container, Vec, Reallocation
///
#define VecReserve(v, n)                                                                           \
    ((size_t)(n) <= (v)->cap                                                                       \
         ? 1                                                                                       \
         : vec_grow((v)->allocator, &(v)->data, &(v)->cap, sizeof *(v)->data, (size_t)(n)))

///
/// Append `value` at the end of a vector, growing it when it is full.
///
/// `v` is evaluated more than once: pass a plain pointer, without side effects. `value` is
/// evaluated at most once — and not at all when growth fails — and converted to `T` as by
/// assignment.
///
/// v[in,out]   : Pointer to a `Vec(T)`.
/// value[in]   : The element to append.
///
/// SUCCESS: Non-zero; `value` is the last element and `VecLen(v)` grew by one. Amortised O(1):
///          a full vector doubles its capacity through `AllocatorRealloc`.
/// FAILURE: 0 iff growth failed (the allocator returned NULL, or the byte size overflows); the
///          vector is then unchanged and `value` was not evaluated. Aborts like `vec_grow` on a
///          bad allocator.
///
/// NOTE: A compound literal holds commas the preprocessor would split on: wrap it in
///       parentheses, `VecPush(&points, ((Point){1.0, 2.0}))`.
///
/// USAGE:
///     Vec(const char *) words = VecInit(&heap);
///     if (!VecPush(&words, "alpha") || !VecPush(&words, "beta")) fputs("out of memory\n", stderr);
///     VecDeinit(&words);
///
/// TAGS: Container, Vec, Allocation
///
#define VecPush(v, value)                                                                          \
    (((v)->len < (v)->cap ||                                                                       \
      vec_grow((v)->allocator, &(v)->data, &(v)->cap, sizeof *(v)->data, (v)->len + 1))            \
         ? ((v)->data[(v)->len] = (value), (v)->len += 1, 1)                                       \
         : 0)

///
/// Remove the last element of a vector and yield it.
///
/// The buffer is kept (capacity unchanged). `v` is evaluated more than once: pass it without
/// side effects.
///
/// v[in,out] : Pointer to a non-empty `Vec(T)`.
///
/// SUCCESS: The removed element (an rvalue of type `T`); `VecLen(v)` shrank by one.
/// FAILURE: Aborts via `AllocFatal` with `alloc: fatal: VecPop: pop from empty vector <v>` when
///          the vector is empty.
///
/// USAGE:
///     while (VecLen(&stack) > 0) visit(VecPop(&stack));
///
/// TAGS: Container, Vec, Query
///
#define VecPop(v) ((v)->data[vec_pop_index(&(v)->len, (v))])

///
/// The element at index `i`, bounds-checked: an lvalue, so it can be read or assigned.
///
/// `v` is evaluated more than once (pass it without side effects), `i` exactly once.
///
/// v[in] : Pointer to a `Vec(T)`.
/// i[in] : Index, converted to `size_t`; a negative index converts to a huge one and is caught.
///
/// SUCCESS: The element `data[i]`, as an lvalue of type `T`.
/// FAILURE: Aborts via `AllocFatal` with `alloc: fatal: VecAt: index out of range <v>` when
///          `i >= VecLen(v)`.
///
/// USAGE:
///     VecAt(&numbers, 0) = 42;
///     int first = VecAt(&numbers, 0);
///
/// TAGS: Container, Vec, Query
///
#define VecAt(v, i) ((v)->data[vec_checked_index((size_t)(i), (v)->len, (v))])

///
/// Number of elements stored in a vector (read-only).
///
/// v[in] : Pointer to a `Vec(T)`; evaluated once.
///
/// TAGS: Container, Vec, Query
///
#define VecLen(v) ((size_t)(v)->len)

///
/// Number of elements a vector has room for before it must grow (read-only).
///
/// v[in] : Pointer to a `Vec(T)`; evaluated once.
///
/// TAGS: Container, Vec, Query
///
#define VecCap(v) ((size_t)(v)->cap)

///
/// Release a vector's buffer and leave it empty, still bound to its allocator.
///
/// The elements are not visited (free whatever they own first). An empty vector that never
/// allocated calls nothing, so it may be deinitialised even after its allocator was. The vector
/// can be pushed to again afterwards. `v` is evaluated more than once.
///
/// v[in,out] : Pointer to a `Vec(T)`.
///
/// SUCCESS: The buffer is returned with `AllocatorFree`; `data` is NULL, `len` and `cap` are 0.
/// FAILURE: Aborts like `AllocatorFree` when the allocator is uninitialised or was deinitialised
///          while the buffer was live, or the buffer is not a live block of it.
///
/// USAGE:
///     HeapAllocator heap = HeapAllocatorInit();
///     Vec(int) v = VecInit(&heap);
///     VecPush(&v, 1);
///     VecDeinit(&v);
///     HeapAllocatorDeinit(&heap);
///
/// TAGS: Container, Vec, Cleanup
///
#define VecDeinit(v)                                                                               \
    ((v)->data ? (void)AllocatorFree((v)->allocator, (v)->data) : (void)0, (v)->data = NULL,       \
     (v)->len = 0, (v)->cap = 0, (void)0)

ALLOC_END_DECLS

#endif // ALLOC_VEC_H
