// SPDX-License-Identifier: MIT
// Bug: an array from new[] released by delete (not delete[]).
struct Point {
    int x, y;
};

int main() {
    Point *points = new Point[8];
    points[0].x   = 1;
    delete points; // the bug
    return 0;
}
