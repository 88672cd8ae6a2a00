///
/// A clean header whose source file is not UTF-8.
///
/// TAGS: Debug
///
#ifndef BADSOURCE_H
#define BADSOURCE_H
#endif
