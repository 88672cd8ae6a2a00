// SPDX-License-Identifier: MIT
// The Doxygen dialect of doc comments, read into the same Doc as the `///` grammar (comment.c):
// `/** … */`, `/*! … */`, `//!` runs and `///` runs that use commands, with `@` or `\`:
// brief/short, autobrief (first sentence), details, param[in|out|in,out], return(s)/result,
// retval, note, warning/attention, remark(s), since and other labelled paragraphs (as notes),
// see/sa, deprecated, code{.ext}…endcode and verbatim (the examples), par, li, ingroup (as tags),
// file (the header's summary) and the grouping commands (a block that only groups documents
// nothing). Inline p/c/ref become code spans, a/e/em/b plain words (the model's text has
// paragraphs, lists and code spans only), escapes (`\@`, `\\`, `\<` …) their character. An
// unknown command is kept as text; a malformed one is a `file:line` error. A pure module: text
// in, Doc and diagnostics out.
#include "comment_doxygen.h"

#include <ctype.h>  // isalnum, isalpha, isdigit, isspace, isupper
#include <stdlib.h> // free
#include <string.h> // memcpy, memmove, strcpy, strlen, strncmp, strstr

static const char *skip_ws(const char *s) {
    while (*s && isspace((unsigned char)*s)) s++;
    return s;
}

static int is_blank(const char *s) { return *skip_ws(s) == '\0'; }

// A copy of s[0..n) without leading and trailing whitespace (blank lines included).
static char *trimmed(const char *s, size_t n) {
    while (n && isspace((unsigned char)*s)) s++, n--;
    while (n && isspace((unsigned char)s[n - 1])) n--;
    return xstrndup(s, n);
}

// ---- commands ---------------------------------------------------------------------------------

typedef enum {
    C_BRIEF, C_DETAILS, C_PARAM, C_RETURN, C_RETVAL, C_NOTE, C_SEE, C_DEPRECATED, C_CODE, C_ENDCODE,
    C_VERBATIM, C_ENDVERBATIM, C_PAR, C_ITEM, C_NEWLINE, C_CODEWORD, C_EMWORD, C_BOLDWORD, C_REF,
    C_LINK, C_ENDLINK, C_ANCHOR, C_FILE, C_GROUP, C_INGROUP, C_ENTITY
} Cmd;

typedef struct {
    const char *name;
    Cmd         cmd;
    const char *kind, *label; // C_NOTE: the note's kind and the label its text starts with
    int         block;        // starts a paragraph: makes a `///` run Doxygen when at a line start
} Command;

static const Command COMMANDS[] = {
    {"brief", C_BRIEF, 0, 0, 1},           {"short", C_BRIEF, 0, 0, 1},
    {"details", C_DETAILS, 0, 0, 1},       {"param", C_PARAM, 0, 0, 1},
    {"return", C_RETURN, 0, 0, 1},         {"returns", C_RETURN, 0, 0, 1},
    {"result", C_RETURN, 0, 0, 1},         {"retval", C_RETVAL, 0, 0, 1},
    {"note", C_NOTE, "note", 0, 1},        {"warning", C_NOTE, "warn", 0, 1},
    {"attention", C_NOTE, "warn", 0, 1},   {"remark", C_NOTE, "info", 0, 1},
    {"remarks", C_NOTE, "info", 0, 1},     {"since", C_NOTE, "info", "Since", 1},
    {"pre", C_NOTE, "info", "Precondition", 1}, {"post", C_NOTE, "info", "Postcondition", 1},
    {"invariant", C_NOTE, "info", "Invariant", 1}, {"todo", C_NOTE, "info", "To do", 1},
    {"bug", C_NOTE, "warn", "Bug", 1},     {"version", C_NOTE, "info", "Version", 1},
    {"author", C_NOTE, "info", "Author", 1}, {"authors", C_NOTE, "info", "Authors", 1},
    {"date", C_NOTE, "info", "Date", 1},   {"copyright", C_NOTE, "info", "Copyright", 1},
    {"see", C_SEE, 0, 0, 1},               {"sa", C_SEE, 0, 0, 1},
    {"deprecated", C_DEPRECATED, 0, 0, 1}, {"code", C_CODE, 0, 0, 1},
    {"endcode", C_ENDCODE, 0, 0, 1},       {"verbatim", C_VERBATIM, 0, 0, 1},
    {"endverbatim", C_ENDVERBATIM, 0, 0, 1}, {"par", C_PAR, 0, 0, 1},
    {"li", C_ITEM, 0, 0, 0},               {"arg", C_ITEM, 0, 0, 0},
    {"n", C_NEWLINE, 0, 0, 0},             {"p", C_CODEWORD, 0, 0, 0},
    {"c", C_CODEWORD, 0, 0, 0},            {"a", C_EMWORD, 0, 0, 0},
    {"e", C_EMWORD, 0, 0, 0},              {"em", C_EMWORD, 0, 0, 0},
    {"b", C_BOLDWORD, 0, 0, 0},            {"ref", C_REF, 0, 0, 0},
    {"link", C_LINK, 0, 0, 0},             {"endlink", C_ENDLINK, 0, 0, 0},
    {"anchor", C_ANCHOR, 0, 0, 0},         {"file", C_FILE, 0, 0, 1},
    {"defgroup", C_GROUP, 0, 0, 1},        {"addtogroup", C_GROUP, 0, 0, 1},
    {"weakgroup", C_GROUP, 0, 0, 1},       {"name", C_GROUP, 0, 0, 1},
    {"mainpage", C_GROUP, 0, 0, 1},        {"page", C_GROUP, 0, 0, 1},
    {"ingroup", C_INGROUP, 0, 0, 1},       {"fn", C_ENTITY, 0, 0, 1},
    {"var", C_ENTITY, 0, 0, 1},            {"def", C_ENTITY, 0, 0, 1},
    {"struct", C_ENTITY, 0, 0, 1},         {"union", C_ENTITY, 0, 0, 1},
    {"enum", C_ENTITY, 0, 0, 1},           {"typedef", C_ENTITY, 0, 0, 1},
};

// The command named at `s` (just after `@` or `\`); its name's length in *len.
static const Command *command_at(const char *s, size_t *len) {
    size_t n = 0;
    while (isalpha((unsigned char)s[n])) n++;
    if (!n) return NULL;
    for (size_t i = 0; i < sizeof COMMANDS / sizeof *COMMANDS; i++)
        if (strlen(COMMANDS[i].name) == n && strncmp(COMMANDS[i].name, s, n) == 0) {
            *len = n;
            return &COMMANDS[i];
        }
    return NULL;
}

// ---- the parser's state -----------------------------------------------------------------------

typedef enum { T_DESC, T_BRIEF, T_PARAM, T_RETURN, T_RETVAL, T_NOTE, T_SEE, T_DEPRECATED } Target;

typedef struct { const char *kind, *label; Str text; } Note;
typedef struct { Str text; size_t first, count; } ParamGroup; // d->params[first, first+count)

typedef struct {
    const char *path;
    DiagVec    *diags;
    int         line;
    Doc        *d;
    Str         brief, details, returns, retvals, see, usage, code, deprecated;
    Vec(ParamGroup) groups;
    Vec(Note)   notes;
    Target      target;
    int         note_at, group_at;     // the note / parameter group being written
    int         fresh;                 // the next text starts a new paragraph of its target
    Str        *last;                  // the target and line of the last text written
    int         last_line;
    int         code_mode, code_line;  // 1 in @code, 2 in @verbatim; where it opened
    int         has_brief, has_deprecated, has_return, file, group, braces;
    const Command *pending;            // a word command at a line's end: its word opens the next
    int         pending_line;
} P;

static Str *target_str(P *p) {
    switch (p->target) {
    case T_BRIEF: return &p->brief;
    case T_PARAM: return &p->groups.items[p->group_at].text;
    case T_RETURN: return &p->returns;
    case T_RETVAL: return &p->retvals;
    case T_NOTE: return &p->notes.items[p->note_at].text;
    case T_SEE: return &p->see;
    case T_DEPRECATED: return &p->deprecated;
    case T_DESC:
    default: return &p->details;
    }
}

static int is_name_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

// Looks like an API name (as lint's backtick rule): a `_`, `::` or an upper-case letter after the
// first character; a plain lower-case word is prose.
static int api_name(const char *b, const char *e) {
    if (isdigit((unsigned char)*b)) return 0;
    for (const char *q = b + 1; q < e; q++)
        if (*q == '_' || *q == ':' || isupper((unsigned char)*q)) return 1;
    return 0;
}

// A `@see` paragraph: a list of names (`a, b()`, `c.`) goes to d->see; prose becomes a note.
static void flush_see(P *p) {
    if (!p->see.n) return;
    char *text = trimmed(p->see.buf, p->see.n);
    p->see.n   = 0;
    StrVec names = {0};
    int    prose = 0;
    for (const char *s = text; *s && !prose;) {
        s = skip_ws(s);
        if (!*s) break;
        const char *b = s;
        while (is_name_char(*s) || (*s == ':' && s[1] == ':') || (*s == ':' && s > b && s[-1] == ':')) s++;
        const char *e = s;
        if (e == b || (!api_name(b, e) && strncmp(e, "()", 2) != 0)) prose = 1;
        if (strncmp(s, "()", 2) == 0) s += 2;
        if (*s == ',' || *s == '.' || *s == ';') s++;
        if (*s && !isspace((unsigned char)*s)) prose = 1;
        if (!prose) vec_push(&names, xstrndup(b, (size_t)(e - b)));
    }
    if (prose || !names.n) {
        Note n = {"info", "See also", {0}};
        str_cat(&n.text, text);
        vec_push(&p->notes, n);
        for (size_t i = 0; i < names.n; i++) free(names.items[i]);
    } else {
        for (size_t i = 0; i < names.n; i++) vec_push(&p->d->see, names.items[i]);
    }
    free(names.items);
    free(text);
}

static void set_target(P *p, Target t) {
    if (p->target == T_SEE) flush_see(p);
    p->target = t;
    p->fresh  = 1;
}

// Text for the current target: lines of a paragraph joined with "\n", paragraphs with "\n\n";
// the description keeps its indentation (Markdown lists and code), the sections do not.
static void emit(P *p, const char *t, size_t n) {
    Str *s       = target_str(p);
    int  newline = s != p->last || p->line != p->last_line;
    if (p->fresh || (newline && p->target != T_DESC))
        while (n && isspace((unsigned char)*t)) t++, n--;
    size_t k = 0;
    while (k < n && isspace((unsigned char)t[k])) k++;
    if (k == n && (p->fresh || newline)) return; // nothing yet on this line
    if (s->n && (p->fresh || newline)) { // a line ends, without trailing blanks
        while (s->n && (s->buf[s->n - 1] == ' ' || s->buf[s->n - 1] == '\t')) s->buf[--s->n] = '\0';
        str_cat(s, p->fresh ? "\n\n" : "\n");
    }
    p->fresh     = 0;
    p->last      = s;
    p->last_line = p->line;
    str_add(s, t, n);
}

static void error(P *p, const char *fmt, const char *arg) {
    diag_add(p->diags, DIAG_ERROR, p->path, p->line, fmt, arg);
}

// A word argument (`@p name.`): the run of non-blanks without trailing punctuation.
static const char *word(const char *s, const char **end) {
    s = skip_ws(s);
    const char *e = s;
    while (*e && !isspace((unsigned char)*e)) e++;
    while (e > s && strchr(".,;:!?)'\"", e[-1])) e--;
    *end = e;
    return s;
}

static void add_code_line(P *p, const char *t, size_t n) {
    str_add(&p->code, t, n);
    str_cat(&p->code, "\n");
}

// The common indentation of every non-blank line removed; trailing blank lines dropped.
static char *dedented(const char *s) {
    size_t common = (size_t)-1;
    for (const char *l = s; *l;) {
        const char *e   = strchr(l, '\n');
        size_t      len = e ? (size_t)(e - l) : strlen(l), ind = 0;
        while (ind < len && (l[ind] == ' ' || l[ind] == '\t')) ind++;
        if (ind < len && ind < common) common = ind;
        l = e ? e + 1 : l + len;
    }
    if (common == (size_t)-1) common = 0;
    Str out = {0};
    str_cat(&out, "");
    for (const char *l = s; *l;) {
        const char *e   = strchr(l, '\n');
        size_t      len = e ? (size_t)(e - l) : strlen(l);
        if (len > common) str_add(&out, l + common, len - common);
        str_cat(&out, "\n");
        l = e ? e + 1 : l + len;
    }
    while (out.n && isspace((unsigned char)out.buf[out.n - 1])) out.buf[--out.n] = '\0';
    size_t lead = 0; // leading blank lines
    for (size_t i = 0; i < out.n && isspace((unsigned char)out.buf[i]); i++)
        if (out.buf[i] == '\n') lead = i + 1;
    memmove(out.buf, out.buf + lead, out.n - lead + 1);
    return out.buf;
}

// A closed @code or @verbatim block goes to the examples (d->usage): the model's text has
// paragraphs, lists and code spans only, and the site shows the examples as code blocks.
static void close_code(P *p) {
    char *code = dedented(p->code.buf ? p->code.buf : "");
    if (*code) {
        if (p->usage.n) str_cat(&p->usage, "\n\n");
        str_cat(&p->usage, code);
    }
    free(code);
    p->code.n = 0;
    if (p->code.buf) p->code.buf[0] = '\0';
    p->code_mode = 0;
}

// `@param[dir] a,b text`: returns where the text starts, or NULL after a diagnostic.
static const char *param_command(P *p, const char *s) {
    const char *dir = NULL;
    size_t      dn  = 0;
    const char *q   = s;
    while (*q == ' ' || *q == '\t') q++;
    if (*q == '[') {
        const char *close = strchr(q, ']');
        if (!close) {
            error(p, "malformed `@param[`: missing `]`%s", "");
            return NULL;
        }
        dir = q + 1, dn = (size_t)(close - q - 1);
        s   = close + 1;
    }
    char d[16] = "";
    if (dir) {
        size_t k = 0;
        for (size_t i = 0; i < dn; i++)
            if (!isspace((unsigned char)dir[i]) && k < sizeof d - 1) d[k++] = dir[i];
        d[k] = '\0';
        if (strcmp(d, "out,in") == 0) strcpy(d, "in,out");
        if (strcmp(d, "in") && strcmp(d, "out") && strcmp(d, "in,out")) {
            char *w = xstrndup(dir, dn);
            error(p, "malformed `@param[%s]`: the direction is [in], [out] or [in,out]", w);
            free(w);
            return NULL;
        }
    }
    s = skip_ws(s);
    ParamGroup g = {{0}, p->d->params.n, 0};
    for (;;) {
        const char *b = s;
        if (strncmp(s, "...", 3) == 0) s += 3;
        else if (isalpha((unsigned char)*s) || *s == '_')
            while (is_name_char(*s)) s++;
        if (s == b || (*s && !isspace((unsigned char)*s) && *s != ',')) {
            const char *e = b;
            while (*e && !isspace((unsigned char)*e)) e++;
            char *w = xstrndup(b, (size_t)(e - b));
            if (*w) error(p, "malformed `@param`: `%s` is not a parameter name", w);
            else error(p, "`@param` without a parameter name%s", "");
            free(w);
            return NULL;
        }
        DocParam dp = {xstrndup(b, (size_t)(s - b)), dir ? xstrdup(d) : NULL, NULL, p->line};
        vec_push(&p->d->params, dp);
        g.count++;
        if (*s != ',') break;
        s = skip_ws(s + 1);
    }
    vec_push(&p->groups, g);
    p->group_at = (int)p->groups.n - 1;
    set_target(p, T_PARAM);
    return s;
}

// Runs command `c` whose arguments start at `s`; returns where the line's text resumes.
static const char *run_command(P *p, const Command *c, const char *s) {
    const char *e, *w;
    char       *t;
    switch (c->cmd) {
    case C_BRIEF: p->has_brief = 1; set_target(p, T_BRIEF); return skip_ws(s);
    case C_DETAILS: set_target(p, T_DESC); return skip_ws(s);
    case C_PARAM: {
        const char *r = param_command(p, s);
        if (r) return r;
        set_target(p, T_DESC);
        return s + strlen(s);
    }
    case C_RETURN: p->has_return = 1; set_target(p, T_RETURN); return skip_ws(s);
    case C_RETVAL:
        w = word(s, &e);
        while (*e && !isspace((unsigned char)*e)) e++; // the value keeps its punctuation
        if (e == w) {
            error(p, "`@retval` without a value%s", "");
            set_target(p, T_DESC);
            return s + strlen(s);
        }
        if (p->retvals.n) str_cat(&p->retvals, "\n");
        t = xprintf("- `%.*s`", (int)(e - w), w);
        str_cat(&p->retvals, t);
        free(t);
        set_target(p, T_RETVAL);
        p->fresh = 0, p->last = &p->retvals, p->last_line = p->line;
        return e;
    case C_NOTE: {
        Note n = {c->kind, c->label, {0}};
        vec_push(&p->notes, n);
        p->note_at = (int)p->notes.n - 1;
        set_target(p, T_NOTE);
        return skip_ws(s);
    }
    case C_SEE: set_target(p, T_SEE); return skip_ws(s);
    case C_DEPRECATED: p->has_deprecated = 1; set_target(p, T_DEPRECATED); return skip_ws(s);
    case C_CODE:
    case C_VERBATIM:
        if (c->cmd == C_CODE && *s == '{') {
            const char *close = strchr(s, '}');
            if (!close) {
                error(p, "malformed `@code{`: missing `}`%s", "");
                return s + strlen(s);
            }
            s = close + 1;
        }
        p->code_mode = c->cmd == C_CODE ? 1 : 2;
        p->code_line = p->line;
        return s;
    case C_ENDCODE: error(p, "`@endcode` without `@code`%s", ""); return s;
    case C_ENDVERBATIM: error(p, "`@endverbatim` without `@verbatim`%s", ""); return s;
    case C_PAR:
        set_target(p, T_DESC);
        if (!is_blank(s)) {
            t = trimmed(s, strlen(s));
            emit(p, t, strlen(t));
            free(t);
            p->fresh = 1;
        }
        return s + strlen(s);
    case C_ITEM: {
        Str *t0 = target_str(p);
        if (t0->n) str_cat(t0, p->fresh ? "\n\n" : "\n");
        str_cat(t0, "- ");
        p->fresh = 0, p->last = t0, p->last_line = p->line;
        return skip_ws(s);
    }
    case C_NEWLINE: // the next text starts a new line
        p->last_line = -1;
        return skip_ws(s);
    case C_CODEWORD:
    case C_EMWORD:
    case C_BOLDWORD:
    case C_REF:
        w = word(s, &e);
        if (e == w && is_blank(s)) { // `… the @a` / `buffer …`: the word is on the next line
            p->pending = c, p->pending_line = p->line;
            return s;
        }
        if (e == w) {
            error(p, "`@%s` without an argument", c->name);
            return s;
        }
        if (c->cmd == C_REF) { // `@ref name "text"`: the text, else the name as code
            const char *q = skip_ws(e);
            const char *close = *q == '"' ? strchr(q + 1, '"') : NULL;
            if (close) {
                emit(p, q + 1, (size_t)(close - q - 1));
                return close + 1;
            }
        }
        // code becomes a code span; emphasis is not in the model's text, the word stays plain
        t = c->cmd == C_CODEWORD || c->cmd == C_REF ? xprintf("`%.*s`", (int)(e - w), w) : xstrndup(w, (size_t)(e - w));
        emit(p, t, strlen(t));
        free(t);
        return e;
    case C_LINK: word(s, &e); return e; // `@link target text @endlink`: the text stays
    case C_ENDLINK: return s;
    case C_ANCHOR: word(s, &e); return e;
    case C_FILE: p->file = 1; return s + strlen(s);
    case C_GROUP: p->group = 1; return s + strlen(s);
    case C_INGROUP:
        for (const char *q = skip_ws(s); *q; q = skip_ws(q)) {
            const char *b = q;
            while (*q && !isspace((unsigned char)*q)) q++;
            vec_push(&p->d->tags_written, xstrndup(b, (size_t)(q - b)));
        }
        p->d->has_tags  = 1;
        p->d->tags_line = p->line;
        return s + strlen(s);
    case C_ENTITY:
    default:
        diag_add(p->diags, DIAG_WARNING, p->path, p->line,
                 "`@%s` is ignored: a block documents the declaration that follows it", c->name);
        return s + strlen(s);
    }
}

// One text line: commands run, escapes and unknown commands kept, code spans left alone.
static void parse_line(P *p, const char *s) {
    Str piece = {0};
    int tick  = 0;
    str_cat(&piece, "");
    if (p->pending && !p->code_mode) {
        const Command *c = p->pending;
        p->pending = NULL;
        s = run_command(p, c, s);
    }
    while (*s) {
        if (p->code_mode) {
            const char *end = NULL;
            const char *tag = p->code_mode == 1 ? "endcode" : "endverbatim";
            for (const char *q = s; *q && !end; q++)
                if ((*q == '@' || *q == '\\') && strncmp(q + 1, tag, strlen(tag)) == 0 &&
                    !isalpha((unsigned char)q[1 + strlen(tag)]))
                    end = q;
            if (!end) {
                add_code_line(p, s, strlen(s));
                break;
            }
            char *before = xstrndup(s, (size_t)(end - s));
            if (!is_blank(before)) add_code_line(p, before, strlen(before));
            free(before);
            close_code(p);
            s = end + 1 + strlen(tag);
            continue;
        }
        if (*s == '`') tick = !tick;
        // `%word`: Doxygen's mark against auto-linking, not shown (`\%` is a literal `%`)
        if (!tick && *s == '%' && (isalpha((unsigned char)s[1]) || s[1] == '_') &&
            (piece.n == 0 || !is_name_char(piece.buf[piece.n - 1])) && (piece.n == 0 || piece.buf[piece.n - 1] != '\\')) {
            s++;
            continue;
        }
        if (!tick && *s == '\\' && s[1] == ':' && s[2] == ':') { // `\::`
            str_cat(&piece, "::");
            s += 3;
            continue;
        }
        if (!tick && *s == '\\' && s[1] && strchr("\\@&$#<>%\".|-", s[1])) {
            str_add(&piece, s + 1, 1); // `\@`, `\\`, `\<` …: the character itself
            s += 2;
            continue;
        }
        if (!tick && *s == '\\' && s[1] == ' ') { // `e.g.\ this`: a space that ends no sentence
            str_cat(&piece, "\u00a0");
            s += 2;
            continue;
        }
        size_t      len = 0;
        const Command *c = NULL;
        if (!tick && (*s == '@' || *s == '\\')) {
            if (s[1] == '{' || s[1] == '}') {
                p->braces = 1;
                s += 2;
                continue;
            }
            if (piece.n == 0 || isspace((unsigned char)piece.buf[piece.n - 1]) || strchr("([\"'", piece.buf[piece.n - 1]))
                c = command_at(s + 1, &len);
        }
        if (!c) {
            str_add(&piece, s, 1);
            s++;
            continue;
        }
        emit(p, piece.buf, piece.n);
        piece.n = 0, piece.buf[0] = '\0';
        s = run_command(p, c, s + 1 + len);
        if (p->code_mode && is_blank(s)) break;
    }
    if (!p->code_mode) emit(p, piece.buf, piece.n);
    free(piece.buf);
}

// A word command whose word never came (the paragraph or the block ended first).
static void unpend(P *p) {
    if (!p->pending) return;
    int line = p->line;
    p->line  = p->pending_line;
    error(p, "`@%s` without an argument", p->pending->name);
    p->line    = line;
    p->pending = NULL;
}

// The first sentence of a description (autobrief): up to `. ` or the end of the paragraph.
static char *first_sentence(const char *desc) {
    size_t n = 0;
    while (desc[n] && !(desc[n] == '\n' && desc[n + 1] == '\n')) {
        if (desc[n] == '.' && (desc[n + 1] == ' ' || desc[n + 1] == '\n' || desc[n + 1] == '\0')) {
            n++;
            break;
        }
        n++;
    }
    return trimmed(desc, n);
}

// Whitespace runs (newlines included) folded to one space.
static char *one_line(char *s) {
    char *w = s;
    for (char *r = s; *r; r++)
        if (!isspace((unsigned char)*r)) *w++ = *r;
        else if (w > s && w[-1] != ' ') *w++ = ' ';
    *w = '\0';
    return s;
}

static char *str_take(Str *s) { // trimmed, or NULL when empty
    char *t = s->buf ? trimmed(s->buf, s->n) : NULL;
    free(s->buf);
    s->buf = NULL, s->n = s->cap = 0;
    if (t && !*t) free(t), t = NULL;
    return t;
}

static Doc *finish(P *p) {
    Doc *d = p->d;
    unpend(p);
    set_target(p, T_DESC);
    if (p->code_mode) {
        p->line = p->code_line;
        error(p, p->code_mode == 1 ? "`@code` without `@endcode`%s" : "`@verbatim` without `@endverbatim`%s", "");
        close_code(p);
    }
    free(p->code.buf);
    char *details = str_take(&p->details), *brief = str_take(&p->brief);
    if (p->has_brief && brief) {
        d->brief       = one_line(brief);
        d->description = details ? xprintf("%s\n\n%s", brief, details) : xstrdup(brief);
        free(details);
    } else {
        free(brief);
        d->description = details ? details : xstrdup("");
        d->brief       = one_line(first_sentence(d->description));
    }
    char *ret = str_take(&p->returns), *retvals = str_take(&p->retvals);
    if (ret && retvals) d->returns = xprintf("%s\n\n%s", ret, retvals), free(ret), free(retvals);
    else d->returns = ret ? ret : retvals;
    if (p->has_return && !d->returns) d->returns = xstrdup("");
    d->deprecated = str_take(&p->deprecated);
    if (p->has_deprecated && !d->deprecated) d->deprecated = xstrdup("");
    d->usage = str_take(&p->usage);
    free(p->see.buf);
    for (size_t i = 0; i < p->groups.n; i++) {
        ParamGroup *g = &p->groups.items[i];
        char *text = str_take(&g->text);
        for (size_t k = 0; k < g->count; k++) d->params.items[g->first + k].description = xstrdup(text ? text : "");
        free(text);
    }
    free(p->groups.items);
    for (size_t i = 0; i < p->notes.n; i++) {
        Note *n = &p->notes.items[i];
        char *text = str_take(&n->text);
        DocNote dn = {xstrdup(n->kind), n->label ? xprintf("%s: %s", n->label, text ? text : "") : xstrdup(text ? text : "")};
        vec_push(&d->notes, dn);
        free(text);
    }
    free(p->notes.items);
    d->is_file_doc = p->file;
    d->is_doxygen  = 1;
    int empty = !*d->description && !d->params.n && !d->returns && !d->notes.n && !d->usage &&
                !d->deprecated && !d->see.n;
    if (!p->file && (p->group || (p->braces && empty))) {
        doxygen_doc_free(d);
        return NULL;
    }
    return d;
}

Doc *doxygen_parse(const char *path, char *const *text, int first, int count, DiagVec *diags) {
    P p = {0};
    p.path = path, p.diags = diags, p.fresh = 1;
    p.d = xcalloc(1, sizeof *p.d);
    p.d->line     = first;
    p.d->end_line = first + count - 1;
    for (int i = 0; i < count; i++) {
        p.line = first + i;
        if (p.code_mode && is_blank(text[i])) add_code_line(&p, "", 0);
        else if (p.code_mode) parse_line(&p, text[i]);
        else if (is_blank(text[i])) unpend(&p), set_target(&p, T_DESC);
        else parse_line(&p, text[i]);
    }
    return finish(&p);
}

// ---- finding blocks ---------------------------------------------------------------------------

int doxygen_opener(const char *line) {
    const char *s = skip_ws(line);
    if (strncmp(s, "/**", 3) == 0) return s[3] != '*' && s[3] != '/' && s[3] != '<';
    if (strncmp(s, "/*!", 3) == 0 || strncmp(s, "//!", 3) == 0) return s[3] != '<';
    return 0;
}

int doxygen_uses_commands(char *const *text, int count) {
    for (int i = 0; i < count; i++) {
        const char *s = skip_ws(text[i]);
        size_t      len;
        const Command *c = (*s == '@' || *s == '\\') ? command_at(s + 1, &len) : NULL;
        if (c && c->block && !is_name_char(s[1 + len])) return 1;
    }
    return 0;
}

// A `/** … */` line without its decoration: the leading `*` (and one blank after it).
static const char *undecorated(const char *l) {
    const char *s = skip_ws(l);
    if (*s == '*' && s[1] != '/') return s[1] == ' ' ? s + 2 : s + 1;
    return l;
}

Doc *doxygen_block(const char *path, char **lines, int nlines, int start, int *next, DiagVec *diags) {
    Vec(char *) text = {0};
    const char *open = skip_ws(lines[start]);
    int         end  = start, same_line_code = 0;
    if (open[1] == '/') { // a run of `//!` lines
        while (end < nlines && strncmp(skip_ws(lines[end]), "//!", 3) == 0 && skip_ws(lines[end])[3] != '<') {
            const char *t = skip_ws(lines[end]) + 3;
            vec_push(&text, xstrdup(*t == ' ' ? t + 1 : t));
            end++;
        }
        end--;
    } else {
        const char *t = open + 3;
        for (;; end++) {
            if (end == nlines) {
                diag_add(diags, DIAG_ERROR, path, start + 1, "unterminated doc comment: `%.3s` without `*/`", open);
                end = nlines - 1;
                break;
            }
            if (end > start) t = undecorated(lines[end]);
            const char *close = strstr(t, "*/");
            if (close) {
                const char *b = close;
                while (b > t && b[-1] == '*') b--; // `**/`
                vec_push(&text, xstrndup(t, (size_t)(b - t)));
                same_line_code = !is_blank(close + 2);
                break;
            }
            vec_push(&text, xstrdup(t));
        }
    }
    // Lines without `*` decoration keep the comment's indentation: remove what they share (not
    // the opening line's), so a paragraph never turns into a Markdown code block.
    size_t first = open[1] == '/' ? 0 : 1, common = (size_t)-1;
    for (size_t i = first; i < text.n; i++) {
        size_t n = 0;
        while (text.items[i][n] == ' ' || text.items[i][n] == '\t') n++;
        if (text.items[i][n] && n < common) common = n;
    }
    if (common != (size_t)-1 && common)
        for (size_t i = first; i < text.n; i++) {
            size_t n = 0;
            while (n < common && (text.items[i][n] == ' ' || text.items[i][n] == '\t')) n++;
            memmove(text.items[i], text.items[i] + n, strlen(text.items[i] + n) + 1);
        }
    *next  = end + 1;
    Doc *d = doxygen_parse(path, text.items, start + 1, (int)text.n, diags);
    // `/** Doc. */ int f(void);` documents the declaration on its own closing line.
    if (d && same_line_code) d->end_line = end;
    for (size_t i = 0; i < text.n; i++) free(text.items[i]);
    free(text.items);
    return d;
}

Doc *doxygen_trailing_doc(const char *line, int lineno) {
    const char *p = strstr(line, "/**<"), *q = strstr(line, "/*!<"), *r = strstr(line, "//!<");
    if (!p || (q && q < p)) p = q;
    if (!p || (r && r < p)) p = r;
    if (!p) return NULL;
    char *t = xstrdup(p + 4);
    if (p[1] == '*') {
        char *close = strstr(t, "*/");
        if (close) *close = '\0';
    }
    DiagVec ignored = {0};
    Doc *d = doxygen_parse("", &t, lineno, 1, &ignored);
    for (size_t i = 0; i < ignored.n; i++) free(ignored.items[i].file), free(ignored.items[i].message);
    free(ignored.items);
    free(t);
    return d;
}

char *doxygen_trailing(const char *line) {
    Doc *d = doxygen_trailing_doc(line, 1);
    if (!d && !strstr(line, "/**<") && !strstr(line, "/*!<") && !strstr(line, "//!<")) return NULL;
    char *out = xstrdup(d ? d->description : "");
    doxygen_doc_free(d);
    return out;
}

void doxygen_doc_free(Doc *d) {
    if (!d) return;
    free(d->brief), free(d->description), free(d->success), free(d->failure);
    free(d->returns), free(d->usage), free(d->deprecated);
    for (size_t i = 0; i < d->params.n; i++)
        free(d->params.items[i].name), free(d->params.items[i].direction), free(d->params.items[i].description);
    for (size_t i = 0; i < d->fields.n; i++) free(d->fields.items[i].name), free(d->fields.items[i].description);
    for (size_t i = 0; i < d->notes.n; i++) free(d->notes.items[i].kind), free(d->notes.items[i].text);
    free(d->params.items), free(d->fields.items), free(d->notes.items);
    for (size_t i = 0; i < d->see.n; i++) free(d->see.items[i]);
    for (size_t i = 0; i < d->tags.n; i++) free(d->tags.items[i]);
    for (size_t i = 0; i < d->tags_written.n; i++) free(d->tags_written.items[i]);
    free(d->see.items), free(d->tags.items), free(d->tags_written.items);
    free(d);
}
