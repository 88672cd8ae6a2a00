///
/// Every kind of symbol the generator knows, one of each.
///
/// TAGS: Types
///
#ifndef KINDS_H
#define KINDS_H

#include <stddef.h>

///
/// A byte count.
///
/// TAGS: Types
///
typedef size_t count;

///
/// A plain struct documented with `FIELDS:`.
///
/// FIELDS:
/// - x : Horizontal position,
///       in pixels.
/// - y : Vertical position.
///
/// TAGS: Types
///
typedef struct Point {
    int x;
    int y;
} Point;

///
/// A union documented with trailing `///<` comments.
///
/// TAGS: Types
///
union Value {
    long   i; ///< As an integer.
    double d; ///< As a floating-point number.
};

///
/// A struct with an anonymous union holding an anonymous struct.
///
/// FIELDS:
/// - tag   : Which member of the union is live.
/// - small : Inline storage.
/// - ptr   : Out-of-line storage.
/// - len   : Length of `ptr`.
/// - next  : Next shape in the list.
///
/// TAGS: Types
///
typedef struct Shape {
    int tag;
    union {
        char small[8];
        struct {
            char  *ptr;
            count len;
        };
    };
    struct Shape *next;
} Shape;

///
/// Colours, with computed values.
///
/// FIELDS:
/// - COLOUR_RED   : Red.
/// - COLOUR_GREEN : Green.
///
/// TAGS: Types, Config
///
typedef enum Colour {
    COLOUR_RED   = -1,
    COLOUR_GREEN = 1 << 4,
    COLOUR_BLUE, ///< The one after green.
} Colour;

typedef struct Opaque Opaque;

///
/// A type documented apart from its forward typedef.
///
/// FIELDS:
/// - n : A number.
///
/// TAGS: Types
///
struct Opaque {
    int n;
};

///
/// A handle documented at its forward typedef; the definition below has no block.
///
/// FIELDS:
/// - id : Identifier.
///
/// TAGS: Types
///
typedef struct Handle Handle;

struct Handle {
    int id;
};

///
/// Callback that receives a point.
///
/// p[in]        : The point.
/// context[in]  : Caller data.
///
/// SUCCESS: Returns non-zero to continue.
/// FAILURE: Returns 0 to stop.
///
/// TAGS: Types
///
typedef int (*PointVisitor)(const Point *p, void *context);

///
/// Maximum number of points.
///
/// TAGS: Config
///
#define POINTS_MAX 64

///
/// Twice a value; the argument is evaluated twice.
///
/// v[in] : The value.
///
/// SUCCESS: `v + v`.
/// FAILURE: Cannot fail.
///
/// TAGS: Types
///
#define TWICE(v) ((v) + (v))

///
/// Format a message; variadic.
///
/// fmt[in] : printf-style format.
/// ...[in] : Its arguments.
///
/// SUCCESS: Returns the number of bytes written.
/// FAILURE: Returns -1.
///
/// TAGS: Log
///
int say(const char *fmt, ...);

///
/// Length of a point (Manhattan).
///
/// p[in] : The point.
///
/// SUCCESS: `|x| + |y|`.
/// FAILURE: Cannot fail.
///
/// TAGS: Query
///
int point_len(const Point *p);

///
/// Length of a shape.
///
/// s[in] : The shape.
///
/// RETURNS: The number of bytes of `s`.
///
/// TAGS: Query
///
count shape_len(const Shape *s);

///
/// Length of a point or a shape, chosen by `_Generic`.
///
/// x[in] : A `Point *` or a `Shape *`.
///
/// SUCCESS: The length.
/// FAILURE: Does not compile for other types.
///
/// TAGS: Dispatch, Query
///
#define LEN(x)                                                                                     \
    _Generic((x),                                                                                  \
        Point *: point_len,                                                                        \
        Shape *: shape_len)(x)

#endif
