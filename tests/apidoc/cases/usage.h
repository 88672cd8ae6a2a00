///
/// Only here so the case has a header; the case gives an unknown option.
///
/// TAGS: Debug
///
#ifndef USAGE_H
#define USAGE_H
#endif
