// SPDX-License-Identifier: MIT
// Bug: a block from the aligned operator new released by the plain operator delete.
#include <new>

int main() {
    void *block = ::operator new(256, std::align_val_t(64));
    ::operator delete(block); // the bug: must be ::operator delete(block, std::align_val_t(64))
    return 0;
}
