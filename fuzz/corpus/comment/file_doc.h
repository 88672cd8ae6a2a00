///
/// A file doc.
///
/// TAGS: Allocator
///
#ifndef X_H
#define X_H
