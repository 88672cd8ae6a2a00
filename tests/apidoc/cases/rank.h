///
/// Example ranking: one function used from an example, a test, and the library.
///
/// TAGS: Query
///
#ifndef RANK_H
#define RANK_H

///
/// Add one.
///
/// x[in] : A number.
///
/// SUCCESS: `x + 1`.
/// FAILURE: Cannot fail.
///
/// TAGS: Query
///
int inc(int x);

#endif
