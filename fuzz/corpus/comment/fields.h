///
/// A struct.
///
/// FIELDS:
/// - a : First.
/// - b : Second,
///       continued.
///
/// NOTE: careful.
/// SEE: f
/// DEPRECATED: use g.
///
typedef struct S { int a; int b; ///< trailing
} S;
