#include "rank.h"

int test_long(void);
int test_long(void) {
    int a = inc(1);
    int b = 2;
    int c = 3;
    return a + b + c;
}

int test_short(void);
int test_short(void) {
    return inc(2) == 3;
}
