#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Doxygen INPUT_FILTER: rewrite the project's `///` grammar (design/DOC-COMMENTS.md) into Doxygen.

Doxygen runs `doxygen_filter.py FILE` and reads the rewritten text from stdout. The output has
exactly as many lines as the input, so every line number Doxygen records is the real one.

  description            kept; the first sentence is the brief (JAVADOC_AUTOBRIEF)
  name[in]: text         \\param[in] name text        ([out], [in,out], `...` as well)
  SUCCESS: / FAILURE:    \\success / \\failure         (ALIASES in docs/Doxyfile: separate \\par)
  RETURNS:               \\return
  USAGE:                 \\usage \\code{.c} ... \\endcode (alias: \\par Usage:)
  INFO: / NOTE: / WARN:  \\note / \\note / \\warning
  DEPRECATED:            \\deprecated
  SEE: A, B              \\sa A, B
  TAGS: A, B             \\tags{group} A, B (alias: \\ingroup of the first tag, since Doxygen
                         puts a member in one group only, and a "Tags:" paragraph with all);
                         tags folded to their canonical name through docs/tags.yml
  FIELDS: - name : text  moved to the member's own line as `///< text`
  _Static_assert         blanked (Doxygen takes it for a function)
  undocumented proto     blanked when another header of the directory documents the function
  continued `#define`    joined onto its first line, blank lines after (Breathe breaks the
                         signature at every newline of a macro body)
  file-top block         gets \\file (alias \\filedoc when its first line is not bare)
  prose                  Doxygen's special characters escaped outside `code spans`, so
                         "<what>" stays text and a `<script>` in a comment never runs

`doxygen_filter.py --groups docs/tags.yml` prints the \\defgroup of every tag instead.
"""
import glob
import os
import re
import sys

KEYWORDS = ("FIELDS", "SUCCESS", "FAILURE", "RETURNS", "USAGE", "INFO", "NOTE", "WARN",
            "DEPRECATED", "SEE", "TAGS")
KEYWORD_RE = re.compile(r"^(%s)\s*:(.*)$" % "|".join(KEYWORDS))
PARAM_RE = re.compile(r"^(\w+|\.\.\.)\s*\[\s*(in|out|in\s*,\s*out)\s*\]\s*:(.*)$")
FIELD_ITEM_RE = re.compile(r"^-\s*(\w+)\s*:(.*)$")
BLOCK_RE = re.compile(r"^(\s*)///(?!<)(.*)$")
SIMPLE = {"SUCCESS": "\\success", "FAILURE": "\\failure", "RETURNS": "\\return",
          "INFO": "\\note", "NOTE": "\\note", "WARN": "\\warning", "DEPRECATED": "\\deprecated",
          "SEE": "\\sa"}


def load_tags(path):
    """Map every tag name and synonym (lower case) to its canonical name, plus descriptions."""
    canonical, descriptions = {}, {}
    try:
        import yaml
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f) or {}
    except (OSError, ImportError):
        return canonical, descriptions
    for name, info in (data.get("tags") or {}).items():
        info = info or {}
        canonical[name.lower()] = name
        descriptions[name] = info.get("description", name)
        for syn in info.get("synonyms") or []:
            canonical[str(syn).lower()] = name
    return canonical, descriptions


def tags_path():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get("ALLOC_TAGS_YML", os.path.join(here, "..", "tags.yml"))


def group_id(tag):
    return "tag_" + re.sub(r"\W", "_", tag)


def print_groups(path):
    _, descriptions = load_tags(path)
    for name in sorted(descriptions):
        print("/// \\defgroup %s %s" % (group_id(name), name))
        print("/// %s" % descriptions[name])
        print("")


def strip_prefix(line):
    m = BLOCK_RE.match(line)
    text = m.group(2)
    return text[1:] if text.startswith(" ") else text


def find_blocks(lines):
    """Yield (start, end) index ranges (end exclusive) of `///` blocks."""
    i = 0
    while i < len(lines):
        if BLOCK_RE.match(lines[i]):
            j = i
            while j < len(lines) and BLOCK_RE.match(lines[j]):
                j += 1
            yield i, j
            i = j
        else:
            i += 1


def next_code_line(lines, j):
    while j < len(lines) and not lines[j].strip():
        j += 1
    return j


def is_file_block(lines, start, end):
    """A block at the top of the file (only plain comments before it) followed by a guard."""
    for line in lines[:start]:
        s = line.strip()
        if s and not s.startswith("//"):
            return False
    j = next_code_line(lines, end)
    return j < len(lines) and lines[j].lstrip().startswith("#ifndef")


def record_body(lines, j):
    """Line range (start, end) inside the braces of the record declared at line j, or None."""
    depth, opened, k = 0, False, j
    while k < len(lines) and k < j + 400:
        code = lines[k].split("//", 1)[0]
        if not opened and ";" in code and "{" not in code:
            return None
        for ch in code:
            if ch == "{":
                depth += 1
                if not opened:
                    opened, first = True, k
            elif ch == "}":
                depth -= 1
                if opened and depth == 0:
                    return first, k + 1
        k += 1
    return None


def attach_fields(lines, out, items, body):
    """Append `///< text` to each member's line; return the items that found no line."""
    missing, used = [], set()
    for name, text in items:
        pat = re.compile(r"(?<![\w.])%s\s*(\[[^\]]*\]\s*)*(;|,|=|:(?!:)|\)|$)" % re.escape(name))
        hit = None
        if body:
            for k in range(body[0], body[1]):
                code = lines[k].split("//", 1)[0]
                if k == body[0]:
                    code = code.split("{", 1)[-1]
                if pat.search(code) and k not in used and "\\" not in code:
                    hit = k
                    break
        if hit is None or "///<" in lines[hit]:
            if hit is None:
                missing.append((name, text))
            continue
        used.add(hit)
        code, _, comment = lines[hit].partition("//")
        doc = " ".join(text.split())
        if comment.strip():
            doc += " (%s)" % Escaper()(comment.strip())
        out[hit] = "%s ///< %s" % (code.rstrip(), doc)
    return missing


class Escaper:
    """Escape Doxygen's special characters in prose, leaving `code spans` (which may run over
    several lines) alone: `<what>` must stay text, not become an HTML tag (nor `<script>` run),
    and `@x`, `%x`, `\\x`, `#x` must not become commands or link markers."""
    SPECIAL = re.compile(r"([\\@<>%&#$])")

    def __init__(self):
        self.in_code = False

    def __call__(self, text):
        parts = text.split("`")
        for i, part in enumerate(parts):
            if not self.in_code:
                parts[i] = self.SPECIAL.sub(r"\\\1", part)
            if i < len(parts) - 1:
                self.in_code = not self.in_code
        return "`".join(parts)


def rewrite_block(lines, out, start, end, canonical):
    texts = [strip_prefix(lines[k]) for k in range(start, end)]
    indent = BLOCK_RE.match(lines[start]).group(1)
    escape = Escaper()
    new = list(texts)
    section, usage_lines, items, item_lines = None, [], [], []
    for k, text in enumerate(texts):
        m = KEYWORD_RE.match(text)
        p = PARAM_RE.match(text) if section != "USAGE" else None
        if m or p:
            escape.in_code = False
        if not m and section != "USAGE":
            new[k] = escape(text)
        if m:
            section, rest = m.group(1), m.group(2).strip()
            if section in SIMPLE:
                new[k] = "%s %s" % (SIMPLE[section], escape(rest))
            elif section == "USAGE":
                new[k] = "\\usage \\code{.c}"  # \code written out: Doxygen's
                # comment pass must see it, or a /* in the example opens a nested comment
            elif section == "FIELDS":
                new[k] = ""
                item_lines.append(k)
            elif section == "TAGS":
                tags = []
                for t in rest.split(","):
                    t = canonical.get(t.strip().lower(), t.strip())
                    if t and t not in tags:
                        tags.append(t)
                # `%Name` keeps Doxygen from turning the tag `Allocator` into a link to the struct
                new[k] = ("\\tags{%s} %s" % (group_id(tags[0]), ", ".join("%" + t for t in tags))
                          if tags else "")
        elif section == "USAGE":
            usage_lines.append(k)
        elif p:
            section = "PARAM"
            direction = re.sub(r"\s", "", p.group(2))
            new[k] = "\\param[%s] %s %s" % (direction, p.group(1), escape(p.group(3).strip()))
        elif section == "FIELDS":
            item = FIELD_ITEM_RE.match(text)
            if item:
                escape.in_code = False
                items.append([item.group(1), escape(item.group(2).strip())])
            elif items and text.strip():
                items[-1][1] += " " + escape(text.strip())
            item_lines.append(k)
            new[k] = ""
        if section != "USAGE" and usage_lines:
            close_usage(new, usage_lines)
            usage_lines = []
    if usage_lines:
        close_usage(new, usage_lines)
    if items:
        decl = next_code_line(lines, end)
        missing = attach_fields(lines, out, items, record_body(lines, decl))
        if missing:  # keep what found no member in the description, as a list
            new[item_lines[0]] = "\\par Fields:"
            for k, (name, text) in zip(item_lines[1:], missing):
                new[k] = "- `%s`: %s" % (name, text)
    if is_file_block(lines, start, end):
        new[0] = "\\filedoc " + new[0] if new[0].strip() else "\\file"
    for k, text in enumerate(new):
        out[start + k] = ("%s/// %s" % (indent, text)).rstrip()


def close_usage(new, usage_lines):
    """Put \\endcode on the last blank line of the example, or after its last line."""
    while len(usage_lines) > 1 and not new[usage_lines[-1]].strip() \
            and not new[usage_lines[-2]].strip():
        usage_lines.pop()
    last = usage_lines[-1]
    if not new[last].strip():
        new[last] = "\\endcode"
    else:
        new[last] = new[last] + " \\endcode"


PROTO_RE = re.compile(r"^\s*(?:[A-Za-z_]\w*[\s*]+)+\**(\w+)\s*\([^;{}]*\)\s*;\s*$")


def documented_functions(paths):
    """Names of the functions that have a `///` block in the given headers."""
    names = set()
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                lines = f.read().split("\n")
        except OSError:
            continue
        for _, end in find_blocks(lines):
            j = next_code_line(lines, end)
            m = PROTO_RE.match(lines[j]) if j < len(lines) else None
            if m:
                names.add(m.group(1))
    return names


def drop_hidden_code(lines, out, elsewhere):
    """Blank what Doxygen would misread, keeping the line count.

    - `_Static_assert(...)`: Doxygen takes it for a function declaration.
    - An undocumented prototype of a function that another header documents (Allocator.h
      declares every typed vtable function for its `_Generic` macros; Page.h documents
      `page_allocator_allocate`): Doxygen would list it under both files, the C domain would see
      it twice, and the page of Allocator.h would show an entry with no text.
    """
    i, documented = 0, False
    while i < len(lines):
        stripped = lines[i].strip()
        if re.match(r"(_Static_assert|static_assert)\s*\(", stripped):
            while i < len(lines) and ";" not in lines[i]:
                out[i] = ""
                i += 1
            if i < len(lines):
                out[i] = ""
        else:
            m = PROTO_RE.match(lines[i])
            if m and not documented and m.group(1) in elsewhere:
                out[i] = ""
        if stripped:
            documented = bool(BLOCK_RE.match(lines[i]))
        i += 1


def filter_text(text, canonical, elsewhere=frozenset()):
    lines = text.split("\n")
    # A continued `#define` becomes one line followed by blank ones (same line count): Breathe
    # 4.34 turns each newline of a macro body into a paragraph break inside the signature, and
    # the padding that aligns `=` and backslashes in the source means nothing on the page.
    out, head = list(lines), None
    for i, line in enumerate(lines):
        if head is None and not line.lstrip().startswith("#define"):
            continue
        text = re.sub(r"\s+", " ", line.strip())
        more = text.endswith("\\")
        text = text[:-1].rstrip() if more else text
        if head is None:
            head = i
            out[i] = line[:len(line) - len(line.lstrip())] + text
        else:
            out[head] += " " + text
            out[i] = ""
        if not more:
            head = None
    drop_hidden_code(lines, out, elsewhere)
    for start, end in find_blocks(lines):
        rewrite_block(lines, out, start, end, canonical)
    return "\n".join(out)


def main(argv):
    if len(argv) == 3 and argv[1] == "--groups":
        print_groups(argv[2])
        return 0
    if len(argv) != 2:
        sys.stderr.write("usage: doxygen_filter.py FILE | --groups TAGS_YML\n")
        return 2
    canonical, _ = load_tags(tags_path())
    with open(argv[1], encoding="utf-8") as f:
        text = f.read()
    here = os.path.abspath(argv[1])
    siblings = [p for p in glob.glob(os.path.join(os.path.dirname(here), "*.h")) if p != here]
    sys.stdout.write(filter_text(text, canonical, documented_functions(siblings)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
