///
/// Opt-in short names for the standard integer and size types: `size`, `i8`…`i64`, `u8`…`u64`.
///
/// No other header of the library includes this one: the public headers spell `size_t`,
/// `int8_t`, `uint32_t`… so that including them never puts a name like `u8` or `size` into your
/// program. Include `alloc/Types.h` yourself if you want the short names (the library's own
/// sources do). These are the only public names without one of the library's prefixes.
///
/// TAGS: Types
///
#ifndef ALLOC_TYPES_H
#define ALLOC_TYPES_H

#include <stddef.h> // size_t
#include <stdint.h> // int8_t … uint64_t

///
/// Unsigned size of an object or a block in bytes; the same as `size_t`.
///
/// TAGS: Types
///
typedef size_t size;

///
/// Signed 8-bit integer; also used as the library's boolean (0 = false, non-zero = true).
///
/// TAGS: Types
///
typedef int8_t i8;

///
/// Signed 16-bit integer.
///
/// TAGS: Types
///
typedef int16_t i16;

///
/// Signed 32-bit integer.
///
/// TAGS: Types
///
typedef int32_t i32;

///
/// Signed 64-bit integer.
///
/// TAGS: Types
///
typedef int64_t i64;

///
/// Unsigned 8-bit integer (a byte).
///
/// TAGS: Types
///
typedef uint8_t u8;

///
/// Unsigned 16-bit integer.
///
/// TAGS: Types
///
typedef uint16_t u16;

///
/// Unsigned 32-bit integer.
///
/// TAGS: Types
///
typedef uint32_t u32;

///
/// Unsigned 64-bit integer.
///
/// TAGS: Types
///
typedef uint64_t u64;

#endif // ALLOC_TYPES_H
