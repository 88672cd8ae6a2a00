///
/// Allocate.
///
/// self[in,out] : The allocator.
/// bytes[in]    : Size.
///
/// SUCCESS: A block.
/// FAILURE: NULL.
///
/// USAGE:
///     void *p = f(a, 1);
///
/// TAGS: Allocator, Allocation
///
void *f(A *self, size bytes);
