///
/// A header whose translation unit does not compile.
///
/// TAGS: Debug
///
#ifndef BROKEN_H
#define BROKEN_H

///
/// Fine on its own.
///
/// SUCCESS: 1.
/// FAILURE: Cannot fail.
///
/// TAGS: Query
///
int fine(void);

#endif
