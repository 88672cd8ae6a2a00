#include "rank.h"

int inc(int x) {
    return x + 1;
}

int twice_inc(int x);
int twice_inc(int x) {
    return inc(inc(x));
}
