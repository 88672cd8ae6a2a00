// SPDX-License-Identifier: MIT
// DebugAllocator's reports: the lines (built in a stack buffer, handed to the configured sink or
// written to stderr with write(2)), the head line of a bug report, the backtraces, symbolised at
// report time by running addr2line (binutils) once per module and trace, and the leak report
// grouped by allocation stack. Nothing here runs on the allocation path. Entry points:
// debug_line_*, debug_emit_*, debug_report_leak_groups; see debug_internal.h.
#include "debug_internal.h"

#include <errno.h>    // EINTR
#include <fcntl.h>    // open: /dev/null for the tool's stderr
#include <stdlib.h>   // getenv
#include <sys/wait.h> // waitpid: the addr2line child
#include <unistd.h>   // write, fork, pipe, execve
#if defined(__GLIBC__)
#include <dlfcn.h> // dladdr1: module, load bias and symbol of a frame, without malloc
#include <link.h>  // struct link_map
#endif

extern char **environ;

// --- Lines --------------------------------------------------------------------------------------

void debug_line_start(DebugLine *line) {
    line->len = 0;
    debug_line_text(line, "alloc: debug: ");
}

void debug_line_text(DebugLine *line, const char *text) {
    while (*text && line->len + 2 < sizeof line->text) line->text[line->len++] = *text++;
    line->text[line->len] = '\0';
}

static void line_digits(DebugLine *line, u64 value, u32 base) {
    char digits[24];
    int  n = 0;
    do {
        digits[n++] = "0123456789abcdef"[value % base];
        value /= base;
    } while (value);
    char text[24];
    int  at = 0;
    while (n) text[at++] = digits[--n];
    text[at] = '\0';
    debug_line_text(line, text);
}

void debug_line_number(DebugLine *line, u64 value) { line_digits(line, value, 10); }

static void line_hex(DebugLine *line, u64 value) {
    debug_line_text(line, "0x");
    line_digits(line, value, 16);
}

void debug_line_pointer(DebugLine *line, const void *pointer) {
    if (!pointer) {
        debug_line_text(line, "(nil)");
        return;
    }
    line_hex(line, (u64)(uintptr_t)pointer);
}

static void write_all(int fd, const char *text, size len) {
    while (len) {
        ssize_t written = write(fd, text, len);
        if (written <= 0) return;
        text += written;
        len -= (size)written;
    }
}

void debug_line_emit(const DebugAllocator *self, DebugLine *line) {
    if (self->config.report) {
        self->config.report(line->text, self->config.report_context);
        return;
    }
    line->text[line->len] = '\n'; // room kept by debug_line_text
    write_all(2, line->text, line->len + 1);
    line->text[line->len] = '\0';
}

static void emit_text(const DebugAllocator *self, const char *text) {
    DebugLine line;
    debug_line_start(&line);
    debug_line_text(&line, text);
    debug_line_emit(self, &line);
}

// --- Bug head line ------------------------------------------------------------------------------

void debug_emit_bug(const DebugAllocator *self, const char *bug, const void *address,
                    const DebugRecord *record) {
    DebugLine line;
    debug_line_start(&line);
    debug_line_text(&line, "ERROR: ");
    debug_line_text(&line, bug);
    debug_line_text(&line, " at ");
    debug_line_pointer(&line, address);
    if (!record) {
        debug_line_text(&line, ": not in any block of this allocator");
        debug_line_emit(self, &line);
        return;
    }
    uintptr_t at = (uintptr_t)address;
    if (at < record->ptr) {
        debug_line_text(&line, ": ");
        debug_line_number(&line, record->ptr - at);
        debug_line_text(&line, record->ptr - at == 1 ? " byte before the start of" : " bytes before the start of");
    } else {
        debug_line_text(&line, ": offset ");
        debug_line_number(&line, at - record->ptr);
        debug_line_text(&line, at - record->ptr >= record->bytes ? ", past the end of" : " in");
    }
    debug_line_text(&line, " a block of ");
    debug_line_number(&line, record->bytes);
    debug_line_text(&line, " bytes at ");
    debug_line_pointer(&line, (const void *)record->ptr);
    if (record->state == DEBUG_RECORD_FREED) debug_line_text(&line, ", freed");
    debug_line_emit(self, &line);
}

// --- Symbolisation ------------------------------------------------------------------------------

enum { SYMBOL_TEXT = 200, ADDR2LINE_OUTPUT = 1 << 16 };

// What one frame resolved to.
typedef struct Symbol {
    char function[SYMBOL_TEXT]; // "" when unknown
    char place[SYMBOL_TEXT];    // "file:line", "" when unknown
} Symbol;

typedef struct Module {
    const char *path;   // file of a shared object; NULL for the executable or when unknown
    const char *name;   // the name to print
    uintptr_t   bias;   // load bias: ELF address = frame - bias
    const char *symbol; // nearest dynamic symbol, or NULL
    uintptr_t   symbol_at;
    uintptr_t   base;   // lowest mapped address of the module
} Module;

static Module module_of(const void *frame) {
    Module module = {0};
#if defined(__GLIBC__)
    Dl_info          info;
    struct link_map *map = NULL;
    if (!dladdr1(frame, &info, (void **)&map, RTLD_DL_LINKMAP)) return module;
    // The executable's link map has an empty name (dli_fname is then argv[0], maybe relative).
    bool executable  = !map || !map->l_name || !map->l_name[0];
    module.path      = executable ? NULL : map->l_name;
    module.name      = info.dli_fname && info.dli_fname[0] ? info.dli_fname : module.path;
    module.bias      = map ? (uintptr_t)map->l_addr : (uintptr_t)info.dli_fbase;
    module.base      = (uintptr_t)info.dli_fbase;
    module.symbol    = info.dli_sname;
    module.symbol_at = (uintptr_t)info.dli_saddr;
#else
    (void)frame;
#endif
    return module;
}

// The running executable has no file name in its link map; /proc/self/exe names it.
static const char *module_file(const Module *module, char *buffer, size bytes) {
    if (module->path) return module->path;
    ssize_t got = readlink("/proc/self/exe", buffer, bytes - 1);
    if (got <= 0) return NULL;
    buffer[got] = '\0';
    return buffer;
}

// The first executable file named `name` in "/usr/bin:/bin" or $PATH; false when none.
static bool find_tool(const char *name, char *out, size bytes) {
    const char *path = "/usr/bin:/bin";
    for (int pass = 0; pass < 2; ++pass) {
        for (const char *at = path; at && *at;) {
            const char *end = at;
            while (*end && *end != ':') end += 1;
            size dir  = (size)(end - at);
            size want = dir + 1 + strlen(name) + 1;
            if (dir && want <= bytes) {
                memcpy(out, at, dir);
                out[dir] = '/';
                memcpy(out + dir + 1, name, strlen(name) + 1);
                if (access(out, X_OK) == 0) return true;
            }
            at = *end ? end + 1 : end;
        }
        path = getenv("PATH");
    }
    return false;
}

// Run `argv` with stdout into `out` (NUL-terminated); the child gets the environment without
// LD_PRELOAD, so a preloaded debug malloc does not debug the tool too. False on any failure.
static bool run_tool(char *const *argv, char *out, size bytes) {
    char *env[64];
    int   n = 0;
    for (char **at = environ; at && *at && n < 63; ++at)
        if (strncmp(*at, "LD_PRELOAD=", 11) != 0) env[n++] = *at;
    env[n] = NULL;
    int fds[2];
    if (pipe(fds) != 0) return false;
    pid_t child = fork();
    if (child < 0) {
        close(fds[0]);
        close(fds[1]);
        return false;
    }
    if (child == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) dup2(null, 2);
        execve(argv[0], argv, env);
        _exit(127);
    }
    close(fds[1]);
    size    used = 0;
    ssize_t got;
    while (used + 1 < bytes && (got = read(fds[0], out + used, bytes - 1 - used)) > 0) used += (size)got;
    out[used] = '\0';
    close(fds[0]);
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// Copy the next output line of addr2line into `out`; "??" and "??:0" become "".
static const char *take_line(const char *at, char *out) {
    size n = 0;
    while (*at && *at != '\n') {
        if (n + 1 < SYMBOL_TEXT) out[n++] = *at;
        at += 1;
    }
    out[n] = '\0';
    if (strcmp(out, "??") == 0 || strncmp(out, "??:", 3) == 0) out[0] = '\0';
    char *colon = strrchr(out, ':'); // "file:?" or "file:0": no line, no place
    if (colon && (strcmp(colon, ":?") == 0 || strcmp(colon, ":0") == 0)) out[0] = '\0';
    char *note = strstr(out, " (discriminator");
    if (note) *note = '\0';
    return *at ? at + 1 : at;
}

// Resolve the frames of `modules[0..depth)` that lie in the module of frame `first`, with one
// addr2line run. `pc_first`: frames[0] is an exact pc (a fault); the others are return
// addresses, looked up one byte back (inside the call instruction).
static void symbolize_module(void *const *frames, const Module *modules, u32 depth, u32 first,
                             bool pc_first, Symbol *symbols) {
    static const char *const options[] = {"-f", "-C", "-e"};
    char  tool[256], file[512], numbers[DEBUG_ALLOCATOR_MAX_BACKTRACE_DEPTH][24];
    char *argv[4 + DEBUG_ALLOCATOR_MAX_BACKTRACE_DEPTH + 2];
    u32   which[DEBUG_ALLOCATOR_MAX_BACKTRACE_DEPTH];
    const char *path = module_file(&modules[first], file, sizeof file);
    if (!path || !find_tool("addr2line", tool, sizeof tool)) return;
    int argc     = 0;
    argv[argc++] = tool;
    for (int i = 0; i < 3; ++i) argv[argc++] = (char *)options[i];
    argv[argc++] = (char *)path;
    u32 count    = 0;
    for (u32 i = first; i < depth; ++i) {
        if (modules[i].path != modules[first].path || modules[i].bias != modules[first].bias) continue;
        uintptr_t address = (uintptr_t)frames[i] - modules[i].bias - (pc_first && i == 0 ? 0 : 1);
        DebugLine hex;
        hex.len = 0;
        line_hex(&hex, address);
        memcpy(numbers[count], hex.text, hex.len + 1);
        argv[argc++]   = numbers[count];
        which[count++] = i;
    }
    argv[argc] = NULL;
    char *output = alloc_os_map(NULL, ADDR2LINE_OUTPUT); // no state kept between reports
    if (!output) return;
    if (run_tool(argv, output, ADDR2LINE_OUTPUT)) {
        const char *at = output;
        for (u32 k = 0; k < count && *at; ++k) {
            at = take_line(at, symbols[which[k]].function);
            at = take_line(at, symbols[which[k]].place);
        }
    }
    alloc_os_unmap(NULL, output, ADDR2LINE_OUTPUT);
}

static void symbolize(const DebugAllocator *self, void *const *frames, const Module *modules,
                      u32 depth, bool pc_first, Symbol *symbols) {
    bool done[DEBUG_ALLOCATOR_MAX_BACKTRACE_DEPTH] = {0};
    for (u32 i = 0; i < depth; ++i) symbols[i].function[0] = symbols[i].place[0] = '\0';
    if (!self->config.symbolize) return;
    for (u32 i = 0; i < depth; ++i) {
        if (done[i] || !modules[i].base) continue;
        symbolize_module(frames, modules, depth, i, pc_first, symbols);
        for (u32 j = i; j < depth; ++j)
            if (modules[j].path == modules[i].path && modules[j].bias == modules[i].bias) done[j] = true;
    }
}

// "#I 0xADDR in function file:line", or "#I 0xADDR function+0xOFF (module+0xOFF)".
static void emit_frame(const DebugAllocator *self, u32 i, const void *frame, const Module *module,
                       const Symbol *symbol) {
    DebugLine line;
    debug_line_start(&line);
    debug_line_text(&line, "    #");
    debug_line_number(&line, i);
    debug_line_text(&line, " ");
    debug_line_pointer(&line, frame);
    if (symbol->function[0] && symbol->place[0]) {
        debug_line_text(&line, " in ");
        debug_line_text(&line, symbol->function);
        debug_line_text(&line, " ");
        debug_line_text(&line, symbol->place);
        debug_line_emit(self, &line);
        return;
    }
    if (symbol->function[0]) {
        debug_line_text(&line, " in ");
        debug_line_text(&line, symbol->function);
    } else if (module->symbol && module->symbol_at) {
        debug_line_text(&line, " ");
        debug_line_text(&line, module->symbol);
        debug_line_text(&line, "+");
        line_hex(&line, (u64)((uintptr_t)frame - module->symbol_at));
    }
    if (module->base) {
        debug_line_text(&line, " (");
        debug_line_text(&line, module->name ? module->name : "<executable>");
        debug_line_text(&line, "+");
        line_hex(&line, (u64)((uintptr_t)frame - module->base));
        debug_line_text(&line, ")");
    }
    debug_line_emit(self, &line);
}

static void emit_trace(const DebugAllocator *self, const char *title, void *const *frames,
                       u32 depth, bool pc_first) {
    emit_text(self, title);
    if (depth == 0) {
        emit_text(self, "    (no backtrace recorded)");
        return;
    }
    Module modules[DEBUG_ALLOCATOR_MAX_BACKTRACE_DEPTH];
    Symbol symbols[DEBUG_ALLOCATOR_MAX_BACKTRACE_DEPTH];
    if (depth > DEBUG_ALLOCATOR_MAX_BACKTRACE_DEPTH) depth = DEBUG_ALLOCATOR_MAX_BACKTRACE_DEPTH;
    for (u32 i = 0; i < depth; ++i) modules[i] = module_of(frames[i]);
    symbolize(self, frames, modules, depth, pc_first, symbols);
    for (u32 i = 0; i < depth; ++i) emit_frame(self, i, frames[i], &modules[i], &symbols[i]);
}

void debug_emit_stack(const DebugAllocator *self, const char *title, u32 id) {
    u32          depth;
    void *const *frames = debug_stack_frames(self, id, &depth);
    emit_trace(self, title, frames, depth, false);
}

void debug_emit_frames(const DebugAllocator *self, const char *title, void *const *frames,
                       u32 depth, bool pc_first) {
    emit_trace(self, title, frames, depth, pc_first);
}

void debug_emit_block_traces(const DebugAllocator *self, const DebugRecord *record) {
    if (record->state == DEBUG_RECORD_FREED) debug_emit_stack(self, "freed at:", record->free_stack);
    debug_emit_stack(self, "allocated at:", record->alloc_stack);
}

// --- Leaks --------------------------------------------------------------------------------------

// One group: the live blocks allocated from one stack.
typedef struct LeakGroup {
    u32  stack;  // backtrace id
    u32  blocks; // how many
    size bytes;  // their requested bytes
    u32  first;  // record index of one of them (the first found)
} LeakGroup;

// Report order: most bytes first, then most blocks, then table order.
static bool group_before(const LeakGroup *x, const LeakGroup *y) {
    if (x->bytes != y->bytes) return x->bytes > y->bytes;
    if (x->blocks != y->blocks) return x->blocks > y->blocks;
    return x->first < y->first;
}

// Shell sort (no qsort: it may call malloc, which is the debug malloc itself).
static void sort_groups(LeakGroup *groups, u32 n) {
    for (u32 gap = n / 2; gap > 0; gap /= 2) {
        for (u32 i = gap; i < n; ++i) {
            LeakGroup moving = groups[i];
            u32       j      = i;
            for (; j >= gap && group_before(&moving, &groups[j - gap]); j -= gap) groups[j] = groups[j - gap];
            groups[j] = moving;
        }
    }
}

static void emit_group(const DebugAllocator *self, const LeakGroup *group) {
    const DebugRecord *record = debug_record_at(self, group->first);
    DebugLine          line;
    debug_line_start(&line);
    debug_line_text(&line, "leak: ");
    debug_line_number(&line, group->bytes);
    debug_line_text(&line, " bytes in ");
    debug_line_number(&line, group->blocks);
    debug_line_text(&line, group->blocks == 1 ? " block at " : " blocks (one at ");
    debug_line_pointer(&line, (const void *)record->ptr);
    debug_line_text(&line, group->blocks == 1 ? " allocated at:" : ") allocated at:");
    debug_line_emit(self, &line);
    u32          depth;
    void *const *frames = debug_stack_frames(self, group->stack, &depth);
    if (depth == 0) {
        emit_text(self, "    (no backtrace recorded)");
        return;
    }
    Module modules[DEBUG_ALLOCATOR_MAX_BACKTRACE_DEPTH];
    Symbol symbols[DEBUG_ALLOCATOR_MAX_BACKTRACE_DEPTH];
    for (u32 i = 0; i < depth; ++i) modules[i] = module_of(frames[i]);
    symbolize(self, frames, modules, depth, false, symbols);
    for (u32 i = 0; i < depth; ++i) emit_frame(self, i, frames[i], &modules[i], &symbols[i]);
}

// Scratch: a group per stack id, found by open addressing, in memory mapped for this call.
u32 debug_report_leak_groups(DebugAllocator *self, DebugLeakFilter keep, void *context) {
    u32 cap = 16;
    while (cap < 2 * self->live_count + 2) cap *= 2;
    size       bytes  = alloc_align_up((size)cap * sizeof(LeakGroup), self->page_size);
    LeakGroup *groups = alloc_os_map(&self->base, bytes);
    u32        count  = 0;
    size       total = 0;
    for (u32 i = 0; i < self->record_used; ++i) {
        const DebugRecord *record = debug_record_at(self, i);
        if (record->state != DEBUG_RECORD_LIVE || (keep && !keep(self, i, context))) continue;
        count += 1;
        total += record->bytes;
        if (!groups) { // no scratch memory: one group per block
            emit_group(self, &(LeakGroup){record->alloc_stack, 1, record->bytes, i});
            continue;
        }
        u32 slot = (record->alloc_stack * 2654435761u) & (cap - 1);
        while (groups[slot].blocks && groups[slot].stack != record->alloc_stack)
            slot = (slot + 1) & (cap - 1);
        if (!groups[slot].blocks) groups[slot] = (LeakGroup){record->alloc_stack, 0, 0, i};
        groups[slot].blocks += 1;
        groups[slot].bytes += record->bytes;
    }
    if (groups) {
        u32 n = 0;
        for (u32 slot = 0; slot < cap; ++slot)
            if (groups[slot].blocks) groups[n++] = groups[slot];
        sort_groups(groups, n);
        for (u32 k = 0; k < n; ++k) emit_group(self, &groups[k]);
        alloc_os_unmap(&self->base, groups, bytes);
    }
    if (count == 0) return 0;
    DebugLine line;
    debug_line_start(&line);
    debug_line_number(&line, count);
    debug_line_text(&line, count == 1 ? " leaked block, " : " leaked blocks, ");
    debug_line_number(&line, total);
    debug_line_text(&line, " bytes");
    debug_line_emit(self, &line);
    return count;
}
