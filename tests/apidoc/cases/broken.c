#include "broken.h"

int fine(void) {
    return undeclared_thing + 1;
}
