///
/// Café in Latin-1: not UTF-8.
///
/// TAGS: Debug
///
int latin1(void);
