///
/// Documentation mistakes, one per declaration; lint reports each.
///
/// TAGS: Debug
///
#ifndef GRAMMAR_H
#define GRAMMAR_H

///
/// A block that documents nothing: a normal comment follows.
///
// an ordinary comment
int after_comment(void);

///
/// Unknown section and a malformed parameter row.
///
/// a[inout] : Wrong direction.
/// b[in] no colon
///
/// RESULT: Not a section.
/// SUCCESS: Fine.
/// FAILURE: Fine.
/// TAGS: Debug
///
int bad_rows(int a, int b);

///
/// FIELDS item for a member that does not exist; one member undocumented.
///
/// FIELDS:
/// - first  : The first.
/// - second : Not a member.
/// this line is not an item
///
/// TAGS: Debug
///
struct Pair {
    int first;
    int third;
};

///
/// Parameters: one missing, one unknown; no SUCCESS:/FAILURE:; unknown tag; `not_a_symbol`.
///
/// x[in] : Documented.
/// z[in] : Not a parameter.
///
/// SEE: NoSuchThing
/// TAGS: Debug, Sparkly
///
int params(int x, int y);

int undocumented(void);

///
/// Trivial accessor: tagged Query, one parameter, may omit SUCCESS:/FAILURE:.
///
/// p[in] : The pair.
///
/// TAGS: Query
///
int pair_first(const struct Pair *p);

#endif
