#include "rank.h"

int main(void) {
    int n = 0;
    for (int i = 0; i < 10; i++)
        n = inc(n);
    return n == 10 ? 0 : 1;
}
