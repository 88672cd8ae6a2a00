///
/// Only here so the case has a header; the case points -p at a file that does not exist.
///
/// TAGS: Debug
///
#ifndef MISSING_CCDB_H
#define MISSING_CCDB_H
#endif
