# SPDX-License-Identifier: MIT
# MkDocs hooks of the reference site (make docs adds this file to the generated config):
# - every code block `apidoc markdown` writes as <div class="highlight apidoc-code"> (declarations,
#   scraped examples, source pages) is highlighted with Pygments (Debian's python3-pygments), the
#   links, anchors, line numbers and folds inside it kept where the generator put them;
# - backticked public names in the hand-written pages (docs/index.md, docs/guides/*.md) link to
#   their symbol pages, from api.json (config `extra.apidoc_json`, else $APIDOC_API_JSON); a
#   backticked name that looks like the API's but is not in it (a typo, a removed function) is a
#   build warning, which `mkdocs build --strict` turns into a failed build (not with
#   APIDOC_UNKNOWN_NAMES=ignore, for a site pairing the guides with another api.json);
# - each symbol page lists the sections of those pages that mention it ("In the guides").
import difflib
import html
import json
import logging
import os
import re

from markdown.extensions.toc import slugify
from pygments.lexers.c_cpp import CLexer
from pygments.token import STANDARD_TYPES, Token

log = logging.getLogger("mkdocs.plugins.apidoc")

# --- Highlighting -------------------------------------------------------------------------------

BLOCK = re.compile(r'<div class="highlight apidoc-code([^"]*)"><pre><code>(.*?)</code></pre></div>', re.S)
TAG = re.compile(r"<[^>]*>")
# A #define's head (`#define NAME(params)`): preprocessor colour; its body is lexed as C.
DEFINE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+\w+(?:\([^)\n]*\))?", re.M)
LEXER = CLexer(stripnl=False, ensurenl=False, tabsize=0)
# Tokens left without a span (names, punctuation, operators, blanks): fewer bytes per line.
PLAIN = {"", "n", "p", "o", "w", "nv"}


def _short(ttype):
    while ttype not in STANDARD_TYPES:
        ttype = ttype.parent
    return STANDARD_TYPES[ttype]


def _tokens(text):
    """(offset, short class, value) over text; macro bodies lexed as C, not as one comment."""
    pos = 0
    for m in DEFINE.finditer(text):
        if m.start() < pos:
            continue
        yield from ((pos + i, _short(t), v) for i, t, v in LEXER.get_tokens_unprocessed(text[pos:m.start()]))
        yield (m.start(), "cp", m.group(0))
        end = m.end()
        while True:  # the body runs to the first line not ending in a backslash
            eol = text.find("\n", end)
            if eol < 0:
                eol = len(text)
                break
            if text[eol - 1] != "\\":
                break
            end = eol + 1
        body = text[m.end():eol]
        yield from ((m.end() + i, _short(t), v) for i, t, v in LEXER.get_tokens_unprocessed(body))
        pos = eol
    yield from ((pos + i, _short(t), v) for i, t, v in LEXER.get_tokens_unprocessed(text[pos:]))


def _merged(tokens):
    """Runs of tokens of one class as one token (fewer spans)."""
    run = None
    for start, cls, value in tokens:
        if run and run[1] == cls and "\n" not in run[2]:
            run[2] += value
            continue
        if run:
            yield tuple(run)
        run = [start, cls, value]
    if run:
        yield tuple(run)


def _esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def highlight(inner):
    """Pygments over the text of a block, its elements (<a>, <i>, <span>) kept at their offsets."""
    parts, tags = TAG.split(inner), TAG.findall(inner)
    chunks, events, length = [], [], 0
    for i, part in enumerate(parts):
        piece = html.unescape(part)
        chunks.append(piece)
        length += len(piece)
        if i < len(tags):
            events.append((length, tags[i]))
    text = "".join(chunks)
    out, e = [], 0
    for start, cls, value in _merged(_tokens(text)):
        pos, end = start, start + len(value)
        while pos < end:
            while e < len(events) and events[e][0] <= pos:
                out.append(events[e][1])
                e += 1
            stop = events[e][0] if e < len(events) and events[e][0] < end else end
            piece = _esc(text[pos:stop])
            out.append(piece if cls in PLAIN else f'<span class="{cls}">{piece}</span>')
            pos = stop
    out.extend(tag for _, tag in events[e:])
    return "".join(out)


def on_page_content(html_text, page, config, files):
    def one(m):
        if "apidoc-plain" in m.group(1):
            return m.group(0)
        return f'<div class="highlight apidoc-code{m.group(1)}"><pre><code>{highlight(m.group(2))}</code></pre></div>'
    return BLOCK.sub(one, html_text)


# --- Guides <-> reference ------------------------------------------------------------------------

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
SPAN = re.compile(r"(?<![`\\])`([^`\n]+)`(?!`)")
NAME = re.compile(r"^([A-Za-z_]\w*[A-Za-z0-9])(?:\(\)|\s*\*+)?$")
MEMBER = re.compile(r"^([A-Za-z_]\w*)\.([A-Za-z_]\w*)$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")

_api = {"names": {}, "members": {}, "types": []}
_mentions = {}  # symbol -> [(page src path, page title, section title, anchor)]
MAX_SECTIONS = 2  # sections of one guide listed on a symbol page


def _is_generated(src):
    return src.startswith("api/") or src.startswith("tags/")


def _load_api(config):
    path = (config.get("extra") or {}).get("apidoc_json")
    if path and not os.path.isabs(path):  # relative to the config file; the variable to the cwd
        path = os.path.join(os.path.dirname(config.config_file_path), path)
    path = path or os.environ.get("APIDOC_API_JSON")
    if not path:
        return
    with open(path, encoding="utf-8") as f:
        root = json.load(f)
    names, members, types = {}, {}, []
    for s in root["symbols"]:
        names[s["name"]] = s["name"]
        if s.get("tag_name"):
            names.setdefault(s["tag_name"], s["name"])
        for v in s.get("enum_values") or []:
            names.setdefault(v["name"], f'{s["name"]}#value-{v["name"]}')
        for f in s.get("fields") or []:
            if f.get("name"):
                members[(s["name"], f["name"])] = f'{s["name"]}#field-{f["name"]}'
        if s["kind"] in ("struct", "union", "enum", "typedef") and not s.get("basic"):
            types.append(s["name"])
    _api.update(names=names, members=members, types=types)


def _snake(name):
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _looks_public(word):
    """A name shaped like the API's own: a type's name (or its snake_case prefix) extended, or one
    edit or two away from a public name."""
    for t in _api["types"]:
        if len(word) > len(t) and word.startswith(t) and word[len(t)].isupper():
            return True
        snake = _snake(t) + "_"
        if word.startswith(snake) and len(word) > len(snake):
            return True
    if len(word) >= 8:
        close = difflib.get_close_matches(word, list(_api["names"]), n=1, cutoff=0.88)
        return bool(close)
    return False


def _target(span):
    """The page (and anchor) a code span names, or None."""
    m = NAME.match(span)
    if m and m.group(1) in _api["names"]:
        return _api["names"][m.group(1)]
    m = MEMBER.match(span)
    if m and (m.group(1), m.group(2)) in _api["members"]:
        return _api["members"][(m.group(1), m.group(2))]
    return None


def _scan(markdown, src, on_span):
    """Call on_span(span text, section title, anchor) for each code span outside code blocks;
    returns the text with each span replaced by on_span's result."""
    out, fence, section, anchor, seen = [], None, "", "", {}
    for line in markdown.split("\n"):
        f = FENCE.match(line)
        if fence:
            if f and f.group(1)[0] == fence[0] and len(f.group(1)) >= len(fence):
                fence = None
            out.append(line)
            continue
        if f:
            fence = f.group(1)
            out.append(line)
            continue
        h = HEADING.match(line)
        if h:
            section = re.sub(r"[`*_]", "", h.group(2))
            slug = slugify(section, "-")
            n = seen.get(slug, 0)
            seen[slug] = n + 1
            anchor = slug if not n else f"{slug}_{n}"
            out.append(line)
            continue
        def one(m):
            before, after = line[:m.start()], line[m.end():]
            if before.count("[") > before.count("]") and "](" in after:
                return m.group(0)  # inside a link's text already
            return on_span(m.group(1), section, anchor, m.group(0))
        out.append(SPAN.sub(one, line))
    return "\n".join(out)


def on_config(config):
    _load_api(config)
    return config


def on_files(files, config):
    _mentions.clear()
    if not _api["names"]:
        return files
    for f in files.documentation_pages():
        if _is_generated(f.src_path):
            continue
        with open(f.abs_src_path, encoding="utf-8") as fh:
            text = fh.read()
        title = next((m.group(2) for m in map(HEADING.match, text.split("\n")) if m and m.group(1) == "#"), f.src_path)

        def note(span, section, anchor, whole, src=f.src_path, title=title):
            target = _target(span)
            if target:
                name = target.split("#")[0]
                spot = (src, title, section if section != title else "", anchor)
                if spot not in _mentions.setdefault(name, []):
                    _mentions[name].append(spot)
            return whole
        _scan(text, f.src_path, note)
    return files


def on_page_markdown(markdown, page, config, files):
    if not _api["names"]:
        return markdown
    src = page.file.src_path
    if _is_generated(src):
        name = src[4:-3] if src.startswith("api/") and src.count("/") == 1 else None
        spots = _mentions.get(name) if name else None
        if not spots:
            return markdown
        lines = ["", "## In the guides", ""]
        pages = {}
        for path, title, section, anchor in spots:
            pages.setdefault((path, title), []).append((section, anchor))
        for (path, title), sections in pages.items():  # one line a page, its first sections
            rel = os.path.relpath(path, "api").replace(os.sep, "/")
            named = [(s, a) for s, a in sections if s and a]
            more = "".join(f"{', ' if i else ': '}[{s}]({rel}#{a})" for i, (s, a) in enumerate(named[:MAX_SECTIONS]))
            rest = f" and {len(named) - MAX_SECTIONS} more sections" if len(named) > MAX_SECTIONS else ""
            lines.append(f"- [{title}]({rel}){more}{rest}")
        return markdown.rstrip("\n") + "\n" + "\n".join(lines) + "\n"
    base = os.path.dirname(src)

    def link(span, section, anchor, whole):
        target = _target(span)
        if target:
            page_name, _, frag = target.partition("#")
            rel = os.path.relpath(f"api/{page_name}.md", base or ".").replace(os.sep, "/")
            return f"[{whole}]({rel}{'#' + frag if frag else ''})"
        word = NAME.match(span)
        if word and os.environ.get("APIDOC_UNKNOWN_NAMES", "warn") != "ignore" and _looks_public(word.group(1)):
            log.warning(f"{src}: `{span}` is not a public name of the API (no symbol page to link)")
        return whole
    return _scan(markdown, src, link)
