///
/// A header that uses every section of the grammar.
///
/// TAGS: Allocator
///
#ifndef SECTIONS_H
#define SECTIONS_H

///
/// Copy `n` bytes from `src` to `dst`. Does nothing when `n` is 0.
///
/// The longer description has paragraphs,
/// a list:
/// - first item,
/// - second item;
/// and inline `code`.
///
/// dst[out]    : Destination buffer,
///               at least `n` bytes.
/// src[in]     : Source buffer.
/// n[in]       : Bytes to copy.
/// state[in,out] : Running checksum.
///
/// SUCCESS: Returns `dst`.
/// FAILURE: Returns NULL when `dst` is NULL;
///          nothing is copied.
///
/// USAGE:
///     char out[4];
///     unsigned sum = 0;
///     copy_bytes(out, "abc", 4, &sum);
///     if (sum) {
///         return 1;
///     }
///
/// INFO: Runs in O(n).
/// NOTE: Buffers must not overlap.
/// WARN: Not thread-safe
///       at all.
/// DEPRECATED: Use `copy_bytes2`.
/// SEE: copy_bytes2
/// TAGS : allocator, Free, Memory
///
void *copy_bytes(void *dst, const void *src, unsigned long n, unsigned *state);

///
/// The replacement of `copy_bytes`.
///
/// dst[out] : Destination.
/// src[in]  : Source.
///
/// SUCCESS: Returns `dst`.
/// FAILURE: Cannot fail.
///
/// TAGS: Allocator
///
void *copy_bytes2(void *dst, const void *src);

#endif
