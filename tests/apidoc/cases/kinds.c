#include "kinds.h"

// point_len in a comment is no use; neither is "point_len" in a string.
static const char *name = "point_len";

int point_len(const Point *p) {
    return (p->x < 0 ? -p->x : p->x) + (p->y < 0 ? -p->y : p->y);
}

count shape_len(const Shape *s) {
    return s->tag ? s->len : sizeof s->small;
}

int demo(void);
int demo(void) {
    Point  pt = {1, 2};
    Shape  sh = {0};
    Colour c  = COLOUR_GREEN;
    int    n  = (int)LEN(&pt) + (int)LEN(&sh) + TWICE(POINTS_MAX);
    (void)name;
    return n + (int)c;
}

int direct(Point *p);
int direct(Point *p) {
    PointVisitor v = 0;
    (void)v;
    return point_len(p);
}
