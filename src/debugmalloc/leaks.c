// SPDX-License-Identifier: MIT
// The leak check of liballoc-debug.so, at exit: a live block is a leak when no root reaches it,
// as LeakSanitizer defines it. Roots: the writable segments of every loaded module (the state of
// this library excepted: its records name every block) and every anonymous writable mapping
// (thread stacks, other allocators' arenas); of the exiting thread's stack, only the part above
// the leak check's own frame (the frames of main, when it called exit, and of exit). Any aligned word that points into a live block marks it, and the marked
// blocks are scanned in turn; live blocks are never roots themselves, so a cycle of leaked blocks
// is still reported. All scratch memory is mapped here and excluded from the scan.
#include "debug_malloc.h"

#include <fcntl.h>  // open: /proc/self/maps
#include <link.h>   // dl_iterate_phdr
#include <unistd.h> // read, close

enum { SKIPS = 11 };

typedef struct Live {
    uintptr_t start, end; // the block's bytes
    u32       index;      // its record
} Live;

typedef struct Scan {
    DebugAllocator *debug;
    Live           *live;   // sorted by start
    u32             count;
    u8             *marked; // per record index
    u32            *work;   // indices into `live` still to scan
    u32             pending;
    uintptr_t       low, high; // the span of all live blocks
    uintptr_t       skip[SKIPS][2]; // never scanned: what names blocks (tables, scratch, state)
                                    // and what cannot hold a root (the unused bootstrap buffer)
    uintptr_t      *segments;       // sorted bases of the heap segments holding blocks
    u32             segment_count;
} Scan;

static Scan scan_state; // only used at exit, under the lock; never scanned (`low` is a block)

// The live block containing `v`, as an index into scan->live, or -1.
static long find_live(const Scan *scan, uintptr_t v) {
    u32 low = 0, high = scan->count;
    while (low < high) {
        u32 mid = (low + high) / 2;
        if (scan->live[mid].start <= v) low = mid + 1;
        else high = mid;
    }
    if (low == 0 || v >= scan->live[low - 1].end) return -1;
    return (long)low - 1;
}

static void mark_word(Scan *scan, uintptr_t v) {
    if (v < scan->low || v >= scan->high) return;
    long at = find_live(scan, v);
    if (at < 0 || scan->marked[scan->live[at].index]) return;
    scan->marked[scan->live[at].index] = 1;
    scan->work[scan->pending++]        = (u32)at;
}

static bool is_segment(const Scan *scan, uintptr_t base) {
    u32 low = 0, high = scan->segment_count;
    while (low < high) {
        u32 mid = (low + high) / 2;
        if (scan->segments[mid] < base) low = mid + 1;
        else high = mid;
    }
    return low < scan->segment_count && scan->segments[low] == base;
}

static void scan_words(Scan *scan, uintptr_t from, uintptr_t to) {
    from = (from + sizeof(uintptr_t) - 1) & ~(uintptr_t)(sizeof(uintptr_t) - 1);
    for (uintptr_t at = from; at + sizeof(uintptr_t) <= to; at += sizeof(uintptr_t)) {
        uintptr_t v;
        memcpy(&v, (const void *)at, sizeof v);
        mark_word(scan, v);
    }
}

// A gap between live blocks, minus the embedded heap's segments: between the blocks there is
// nothing but canaries, fill and free slots.
static void scan_gap(Scan *scan, uintptr_t from, uintptr_t to) {
    while (from < to) {
        uintptr_t base = from & ~(uintptr_t)(HEAP_SEGMENT_SIZE - 1);
        uintptr_t next = base + HEAP_SEGMENT_SIZE < to && base + HEAP_SEGMENT_SIZE > from
                             ? base + HEAP_SEGMENT_SIZE : to;
        if (!is_segment(scan, base)) scan_words(scan, from, next);
        from = next;
    }
}

// A root range minus the skipped ranges and minus the live blocks inside it.
static void scan_root(Scan *scan, uintptr_t from, uintptr_t to) {
    for (int k = 0; k < SKIPS; ++k) {
        uintptr_t lo = scan->skip[k][0], hi = scan->skip[k][1];
        if (lo < hi && lo < to && hi > from) {
            if (lo > from) scan_root(scan, from, lo);
            if (hi < to) scan_root(scan, hi, to);
            return;
        }
    }
    long at = find_live(scan, from);
    u32  i  = at >= 0 ? (u32)at : 0;
    while (i < scan->count && scan->live[i].end <= from) i += 1;
    while (from < to) {
        uintptr_t gap_end = i < scan->count && scan->live[i].start < to ? scan->live[i].start : to;
        if (gap_end > from) scan_gap(scan, from, gap_end);
        if (i >= scan->count || scan->live[i].start >= to) break;
        from = scan->live[i].end;
        i += 1;
    }
}

static int scan_module(struct dl_phdr_info *info, size_t bytes, void *context) {
    (void)bytes;
    Scan *scan = context;
    for (int i = 0; i < info->dlpi_phnum; ++i) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W)) continue;
        uintptr_t start = (uintptr_t)info->dlpi_addr + (uintptr_t)ph->p_vaddr;
        uintptr_t end   = start + (uintptr_t)ph->p_memsz;
        scan_root(scan, start, end); // this library's too: its bootstrap buffer is a root

    }
    return 0;
}

static uintptr_t parse_hex(const char **at) {
    uintptr_t v = 0;
    for (;; ++*at) {
        char c = **at;
        int  d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0) return v;
        v = v * 16 + (uintptr_t)d;
    }
}

// "start-end rw-p offset dev inode [path]": anonymous writable mappings, not the main stack.
static void scan_maps_line(Scan *scan, const char *line) {
    const char *at    = line;
    uintptr_t   start = parse_hex(&at);
    if (*at++ != '-') return;
    uintptr_t end = parse_hex(&at);
    if (*at++ != ' ' || at[0] != 'r' || at[1] != 'w') return;
    at += 5;                             // perms and a space
    for (int field = 0; field < 2; ++field) { // offset, dev
        while (*at && *at != ' ') at += 1;
        while (*at == ' ') at += 1;
    }
    uintptr_t inode = 0;
    while (*at >= '0' && *at <= '9') inode = inode * 10 + (uintptr_t)(*at++ - '0');
    while (*at == ' ') at += 1;
    if (inode != 0 || strncmp(at, "[vvar]", 6) == 0) return;
    if (*at && *at != '[') return; // a file mapped writable: not a root
    // A stack: only its live part, from here up (for the thread calling exit; the frames of
    // main and of exit's callers are live, the space below this frame is not).
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    if (here >= start && here < end) start = here;
    scan_root(scan, start, end);
}

static void scan_maps(Scan *scan) {
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    char    buffer[8192];
    size    used = 0;
    ssize_t got;
    while ((got = read(fd, buffer + used, sizeof buffer - 1 - used)) > 0) {
        used += (size)got;
        buffer[used] = '\0';
        char *line = buffer;
        for (char *nl; (nl = strchr(line, '\n'));) {
            *nl = '\0';
            scan_maps_line(scan, line);
            line = nl + 1;
        }
        used = (size)(buffer + used - line);
        memmove(buffer, line, used);
        if (used == sizeof buffer - 1) used = 0; // an absurd line: drop it
    }
    close(fd);
}

static bool is_unreached(const DebugAllocator *debug, u32 index, void *context) {
    (void)debug;
    return !((Scan *)context)->marked[index];
}

static void sort_words(uintptr_t *words, u32 n) {
    for (u32 gap = n / 2; gap > 0; gap /= 2)
        for (u32 i = gap; i < n; ++i) {
            uintptr_t moving = words[i];
            u32       j      = i;
            for (; j >= gap && words[j - gap] > moving; j -= gap) words[j] = words[j - gap];
            words[j] = moving;
        }
}

static void sort_live(Live *live, u32 n) {
    for (u32 gap = n / 2; gap > 0; gap /= 2)
        for (u32 i = gap; i < n; ++i) {
            Live moving = live[i];
            u32  j      = i;
            for (; j >= gap && live[j - gap].start > moving.start; j -= gap) live[j] = live[j - gap];
            live[j] = moving;
        }
}

u32 debug_malloc_report_leaks(void) {
    DebugAllocator *debug = &debug_malloc.debug;
    if (debug->live_count == 0) return 0;
    Scan *scan = &scan_state;
    size  n    = debug->live_count;
    size  live_bytes   = alloc_align_up(n * sizeof(Live), debug->page_size);
    size  marked_bytes = alloc_align_up(debug->record_used, debug->page_size);
    size  work_bytes   = alloc_align_up(n * sizeof(u32), debug->page_size);
    *scan = (Scan){.debug = debug};
    scan->live   = alloc_os_map(&debug->base, live_bytes);
    scan->marked = alloc_os_map(&debug->base, marked_bytes);
    scan->work   = alloc_os_map(&debug->base, work_bytes);
    size segment_bytes = alloc_align_up((size)debug->record_used * sizeof(uintptr_t) + 1, debug->page_size);
    scan->segments     = alloc_os_map(&debug->base, segment_bytes);
    if (!scan->live || !scan->marked || !scan->work || !scan->segments)
        return debug_report_leak_groups(debug, NULL, NULL);
    // The segments of the embedded heap: those of its small blocks (live or quarantined).
    for (u32 i = 0; i < debug->record_used; ++i) {
        const DebugRecord *record = debug_record_at(debug, i);
        if (record->state == DEBUG_RECORD_UNUSED || debug_record_mapped(record)) continue;
        if ((uintptr_t)record->ptr + record->bytes - (uintptr_t)record->raw > HEAP_SMALL_MAX) continue;
        scan->segments[scan->segment_count++] = (uintptr_t)record->raw & ~(uintptr_t)(HEAP_SEGMENT_SIZE - 1);
    }
    sort_words(scan->segments, scan->segment_count);
    u32 unique = 0;
    for (u32 i = 0; i < scan->segment_count; ++i)
        if (!unique || scan->segments[unique - 1] != scan->segments[i]) scan->segments[unique++] = scan->segments[i];
    scan->segment_count = unique;
    for (u32 i = 0; i < debug->record_used; ++i) {
        const DebugRecord *record = debug_record_at(debug, i);
        if (record->state != DEBUG_RECORD_LIVE) continue;
        scan->live[scan->count++] = (Live){record->ptr, record->ptr + (record->bytes ? record->bytes : 1), i};
    }
    sort_live(scan->live, scan->count);
    scan->low  = scan->live[0].start;
    scan->high = scan->live[scan->count - 1].end;
    uintptr_t boot_used, boot_end;
    debug_malloc_boot_span(&boot_used, &boot_end);
    uintptr_t skips[SKIPS][2] = {
        {(uintptr_t)&debug_malloc, (uintptr_t)&debug_malloc + sizeof debug_malloc},
        {(uintptr_t)scan, (uintptr_t)scan + sizeof *scan},
        {(uintptr_t)debug->records, (uintptr_t)debug->records + debug->records_bytes},
        {(uintptr_t)scan->live, (uintptr_t)scan->live + live_bytes},
        {(uintptr_t)scan->marked, (uintptr_t)scan->marked + marked_bytes},
        {(uintptr_t)scan->work, (uintptr_t)scan->work + work_bytes},
        {(uintptr_t)scan->segments, (uintptr_t)scan->segments + segment_bytes},
        {(uintptr_t)debug->frames, (uintptr_t)debug->frames + debug->frames_bytes},
        {(uintptr_t)debug->index.slots, (uintptr_t)debug->index.slots + debug->index.bytes},
        {(uintptr_t)debug->spares, (uintptr_t)debug->spares + (debug->spares ? debug->page_size : 0)},
        {boot_used, boot_end},
    };
    memcpy(scan->skip, skips, sizeof skips);
    dl_iterate_phdr(scan_module, scan);
    scan_maps(scan);
    while (scan->pending) {
        const Live *block = &scan->live[scan->work[--scan->pending]];
        scan_words(scan, block->start, block->end);
    }
    u32 leaked = debug_report_leak_groups(debug, is_unreached, scan);
    alloc_os_unmap(&debug->base, scan->live, live_bytes);
    alloc_os_unmap(&debug->base, scan->marked, marked_bytes);
    alloc_os_unmap(&debug->base, scan->work, work_bytes);
    alloc_os_unmap(&debug->base, scan->segments, segment_bytes);
    return leaked;
}
