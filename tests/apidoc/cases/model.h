///
/// The exact symbol model: C's name spaces, opaque and folded typedefs, anonymous enums,
/// members of unnamed records and bit-fields.
///
/// TAGS: Query
///
#ifndef MODEL_H
#define MODEL_H

///
/// An opaque handle: its record is defined in no public header.
///
/// TAGS: Query
///
typedef struct handle_s handle_t;

///
/// Reads one byte from `h`.
///
/// h[in] : The handle.
///
/// RETURNS: The byte, or -1.
///
/// TAGS: Query
///
int model_getc(handle_t *h);

///
/// The same as the function `model_getc`, as a macro.
///
/// h[in] : The handle.
///
/// RETURNS: The byte, or -1.
///
/// TAGS: Query
///
#define model_getc(h) (model_getc)(h)

///
/// Flags without a tag or typedef.
///
/// TAGS: Query
///
enum {
    MODEL_READ = 1,  ///< Readable.
    MODEL_WRITE = 2, ///< Writable.
};

///
/// A folded typedef with its own tag name.
///
/// FIELDS:
/// - kind  : What it is.
/// - small : Three bits.
/// - wide  : Five bits.
/// - inner : An unnamed record, nested.
///
/// TAGS: Query
///
typedef struct point_s {
    int kind;
    unsigned small : 3;
    unsigned wide : 5;
    struct {
        int x; ///< Across.
        int y; ///< Down.
    } inner;
} point_t;

#endif
