// SPDX-License-Identifier: MIT
// Linked code blocks of the site (declarations, scraped examples, source pages): escaped text with
// links and anchors over identifiers, line numbers, highlighted lines and folded lines, written as
// raw HTML that the MkDocs hook (tools/apidoc/site_hooks.py) highlights with Pygments. Also the
// C scanner the link finders share (md_each_ident) and the reference index (md_refs_in).
#include "gen_md_internal.h"

#include <ctype.h>  // isalnum
#include <string.h> // strlen

int md_word_at(const char *code, const char *p, const char *name, size_t n) {
    return strncmp(p, name, n) == 0 && (p == code || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
           !(isalnum((unsigned char)p[n]) || p[n] == '_');
}

void md_each_ident(const char *code, MdIdentFn fn, void *ctx) {
    int member = 0; // the last token was `.` or `->`
    int depth  = 0; // of braces
    for (const char *p = code; *p;) {
        if (p[0] == '/' && p[1] == '/') {
            while (*p && *p != '\n') p++;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            p               = end ? end + 2 : p + strlen(p);
        } else if (*p == '"' || *p == '\'') {
            char q = *p++;
            while (*p && *p != q && *p != '\n') p += (*p == '\\' && p[1]) ? 2 : 1;
            if (*p == q) p++;
            member = 0;
        } else if (isalpha((unsigned char)*p) || *p == '_') {
            const char *start = p;
            while (isalnum((unsigned char)*p) || *p == '_') p++;
            if (fn(ctx, start, (size_t)(p - start), member, depth)) return;
            member = 0;
        } else if (isdigit((unsigned char)*p)) {
            while (isalnum((unsigned char)*p) || *p == '_' || *p == '.') p++;
            member = 0;
        } else {
            depth += *p == '{' ? 1 : *p == '}' && depth > 0 ? -1 : 0;
            if (*p == '.' || (p[0] == '-' && p[1] == '>')) member = 1;
            else if (!isspace((unsigned char)*p) && *p != '\\') member = 0;
            p += (p[0] == '-' && p[1] == '>') ? 2 : 1;
        }
    }
}

const MdRefAt *md_refs_in(const MdModel *m, const char *file, long first, long last, size_t *n) {
    size_t lo = 0, hi = m->nrefs;
    while (lo < hi) { // first entry >= (file, first)
        size_t mid = lo + (hi - lo) / 2;
        int    c   = strcmp(m->refs[mid].file, file);
        if (c < 0 || (c == 0 && m->refs[mid].line < first)) lo = mid + 1;
        else hi = mid;
    }
    size_t end = lo;
    while (end < m->nrefs && strcmp(m->refs[end].file, file) == 0 && m->refs[end].line <= last) end++;
    *n = end - lo;
    return m->refs + lo;
}

void md_sym_href(char *out, size_t cap, const MdSym *s, const char *from_dir) {
    MdBuf up = {0};
    md_up(&up, from_dir);
    snprintf(out, cap, "%s%s.html", md_str(&up), s->page);
    md_free(&up);
}

const json_t *md_definition(const MdModel *m, const MdSym *s) {
    if (strcmp(s->kind, "function") != 0) return NULL;
    size_t  i;
    json_t *e;
    json_array_foreach(json_object_get(m->root, "examples"), i, e) {
        const char *fn = md_json_str(e, "function"), *file = md_json_str(e, "file");
        if (fn && file && strcmp(fn, s->name) == 0 && strcmp(md_json_str(e, "origin") ? md_json_str(e, "origin") : "", "header"))
            return e;
    }
    return NULL;
}

// --- The block -----------------------------------------------------------------------------

static void md_code_text(MdBuf *b, const char *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        switch (p[i]) {
        case '<': md_put(b, "&lt;"); break;
        case '>': md_put(b, "&gt;"); break;
        case '&': md_put(b, "&amp;"); break;
        default: md_putc(b, p[i]);
        }
    }
}

static int md_is_hl(const MdCodeView *v, long line) {
    for (size_t i = 0; i < v->nhl; i++)
        if (v->hl[i] == line) return 1;
    return 0;
}

void md_code_html(MdBuf *b, const MdCodeView *v) {
    md_printf(b, "<div class=\"highlight apidoc-code%s%s\"><pre><code>", v->cls ? " " : "", v->cls ? v->cls : "");
    const char *code  = v->code;
    size_t      mark  = 0;
    long        line  = v->first ? v->first : 1;
    int         fold  = 0;
    for (const char *p = code; *p; line++) {
        const char *eol = strchr(p, '\n');
        size_t      n   = eol ? (size_t)(eol - p) : strlen(p);
        long        at  = line;
        int folded = v->show_from && (at < v->show_from || at > v->show_to);
        if (folded && !fold) md_put(b, "<span class=\"apidoc-fold\">"), fold = 1;
        else if (!folded && fold) md_put(b, "</span>"), fold = 0;
        int hl = md_is_hl(v, at);
        if (hl) md_put(b, "<span class=\"hll\">");
        // A line anchor is a link target, not a link: no tab stop, nothing for a screen reader.
        if (v->first && v->anchors) md_printf(b, "<a id=\"L%ld\" data-n=\"%ld\"></a>", at, at);
        else if (v->first) md_printf(b, "<i data-n=\"%ld\"></i>", at);
        size_t off = (size_t)(p - code), done = 0;
        while (mark < v->nmarks && v->marks[mark].at < off) mark++; // marks in folded-away text
        while (mark < v->nmarks && v->marks[mark].at + v->marks[mark].len <= off + n) {
            const MdMark *k = &v->marks[mark++];
            md_code_text(b, p + done, k->at - off - done);
            md_put(b, "<a");
            if (k->id[0]) md_printf(b, " id=\"%s\"", k->id);
            if (k->href[0]) md_printf(b, " href=\"%s\"", k->href);
            md_putc(b, '>');
            md_code_text(b, code + k->at, k->len);
            md_put(b, "</a>");
            done = k->at + k->len - off;
        }
        md_code_text(b, p + done, n - done);
        md_putc(b, '\n');
        if (hl) md_put(b, "</span>");
        p += n + (eol ? 1 : 0);
    }
    if (fold) md_put(b, "</span>");
    md_put(b, "</code></pre></div>\n");
}
