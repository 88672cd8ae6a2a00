#include "badsource.h"
// café
int x;
