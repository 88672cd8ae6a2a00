// SPDX-License-Identifier: MIT
// Count the words of a text with a hash table that lives in a HeapAllocator, then print the most
// frequent ones. Shows the general-purpose allocator doing what malloc usually does: many small
// blocks of different sizes (the words), one table that grows (AllocatorRealloc), and a check at
// the end that every block was given back (AllocatorBytesInUse is 0).
//
// Usage: word_count [FILE]   (without FILE, counts a built-in text)
#include "alloc/Heap.h"

#include <ctype.h>  // tolower, isalpha
#include <stdio.h>  // printf, fopen, fread
#include <stdlib.h> // qsort
#include <string.h> // memcpy, strcmp

typedef struct Entry {
    char *word;  // NUL-terminated copy, owned by the table's allocator; NULL = empty slot
    size_t count;
} Entry;

typedef struct WordTable {
    Allocator *allocator; // where the slots and the words live
    Entry     *slots;     // cap slots, open addressing with linear probing
    size_t     cap;       // a power of two
    size_t     len;       // slots in use
} WordTable;

static size_t hash_word(const char *word, size_t len) {
    size_t h = 1469598103934665603u; // FNV-1a
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)word[i]) * 1099511628211u;
    return h;
}

static Entry *find_slot(Entry *slots, size_t cap, const char *word, size_t len) {
    size_t i = hash_word(word, len) & (cap - 1);
    while (slots[i].word && (strncmp(slots[i].word, word, len) != 0 || slots[i].word[len] != '\0'))
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

// Double the table; zeroed memory means every new slot starts empty.
static int grow(WordTable *t) {
    size_t cap   = t->cap ? t->cap * 2 : 64;
    Entry *slots = AllocatorAlloc(t->allocator, cap * sizeof(Entry), 1);
    if (!slots) return 0;
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->slots[i].word) continue;
        *find_slot(slots, cap, t->slots[i].word, strlen(t->slots[i].word)) = t->slots[i];
    }
    AllocatorFree(t->allocator, t->slots);
    t->slots = slots;
    t->cap   = cap;
    return 1;
}

static int add_word(WordTable *t, const char *word, size_t len) {
    if ((t->len + 1) * 4 > t->cap * 3 && !grow(t)) return 0; // keep the load under 3/4
    Entry *e = find_slot(t->slots, t->cap, word, len);
    if (!e->word) {
        e->word = AllocatorAlloc(t->allocator, len + 1, 0);
        if (!e->word) return 0;
        memcpy(e->word, word, len);
        e->word[len] = '\0';
        t->len++;
    }
    e->count++;
    return 1;
}

static void free_table(WordTable *t) {
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].word) AllocatorFree(t->allocator, t->slots[i].word);
    AllocatorFree(t->allocator, t->slots);
    *t = (WordTable){.allocator = t->allocator};
}

static int by_count_then_word(const void *a, const void *b) {
    const Entry *x = a, *y = b;
    if (x->count != y->count) return x->count < y->count ? 1 : -1;
    return strcmp(x->word, y->word);
}

// Split `text` into lower-case words of letters and count them.
static int count_words(WordTable *t, const char *text, size_t len) {
    char word[64];
    size_t n = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && isalpha((unsigned char)text[i])) {
            if (n < sizeof word) word[n++] = (char)tolower((unsigned char)text[i]);
        } else if (n) {
            if (!add_word(t, word, n)) return 0;
            n = 0;
        }
    }
    return 1;
}

// Read a whole file into a block of `a`; the text grows with AllocatorRealloc as it is read.
static char *read_file(Allocator *a, const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = AllocatorAlloc(a, cap, 0);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        char *bigger = AllocatorRealloc(a, buf, cap * 2);
        if (!bigger) {
            AllocatorFree(a, buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    fclose(f);
    *len = n;
    return buf;
}

static const char builtin_text[] =
    "It was the best of times, it was the worst of times, it was the age of wisdom, "
    "it was the age of foolishness, it was the epoch of belief, it was the epoch of "
    "incredulity, it was the season of Light, it was the season of Darkness, it was the "
    "spring of hope, it was the winter of despair.";

int main(int argc, char **argv) {
    HeapAllocator heap  = HeapAllocatorInit();
    WordTable     table = {.allocator = ALLOCATOR_OF(&heap)};

    const char *text = builtin_text;
    size_t      len  = sizeof builtin_text - 1;
    char       *file = NULL;
    if (argc > 1) {
        file = read_file(ALLOCATOR_OF(&heap), argv[1], &len);
        if (!file) {
            fprintf(stderr, "word_count: cannot read %s\n", argv[1]);
            HeapAllocatorDeinit(&heap);
            return 1;
        }
        text = file;
    }

    if (!count_words(&table, text, len)) {
        fprintf(stderr, "word_count: out of memory\n");
        HeapAllocatorDeinit(&heap); // releases everything, the table included
        return 1;
    }

    // Copy the used slots out, densely, and sort them by count.
    Entry *sorted = AllocatorAlloc(&heap, table.len * sizeof(Entry), 0);
    size_t n      = 0;
    for (size_t i = 0; sorted && i < table.cap; i++)
        if (table.slots[i].word) sorted[n++] = table.slots[i];
    if (sorted) qsort(sorted, n, sizeof(Entry), by_count_then_word);

    printf("%zu distinct words\n", table.len);
    for (size_t i = 0; sorted && i < n && i < 5; i++) printf("%6zu %s\n", sorted[i].count, sorted[i].word);
    printf("heap: %llu allocations, %zu bytes in use at the peak\n",
           (unsigned long long)AllocatorAllocations(&heap), AllocatorPeakBytesInUse(&heap));

    AllocatorFree(&heap, sorted);
    AllocatorFree(&heap, file);
    free_table(&table);
    printf("heap: %zu bytes in use after cleanup\n", AllocatorBytesInUse(&heap));
    HeapAllocatorDeinit(&heap);
    return 0;
}
