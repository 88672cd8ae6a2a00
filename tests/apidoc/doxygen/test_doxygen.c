// SPDX-License-Identifier: MIT
// Unit tests of the Doxygen-dialect parser (tools/apidoc/comment_doxygen.c) through comment.c's
// entry points: which dialect a block is read in, what lands in each part of the Doc, the exact
// `file:line` diagnostics of malformed commands, trailing member comments and attachment.
#include "comment_doxygen.h"

#include <criterion/criterion.h>
#include <string.h>

typedef struct {
    char  **lines;
    int     n;
    DocVec  docs;
    DiagVec diags;
} Parsed;

// Splits `text` into lines and parses them as header "t.h".
static Parsed parse(const char *text) {
    Parsed p = {0};
    char  *copy = xstrdup(text);
    for (char *s = copy; *s;) {
        char *e = strchr(s, '\n');
        p.lines = xrealloc(p.lines, (size_t)(p.n + 1) * sizeof *p.lines);
        p.lines[p.n++] = e ? xstrndup(s, (size_t)(e - s)) : xstrdup(s);
        if (!e) break;
        s = e + 1;
    }
    free(copy);
    comment_parse_file("t.h", p.lines, p.n, &p.docs, &p.diags);
    return p;
}

static void release(Parsed *p) {
    for (size_t i = 0; i < p->docs.n; i++) doxygen_doc_free(p->docs.items[i]);
    for (size_t i = 0; i < p->diags.n; i++) free(p->diags.items[i].file), free(p->diags.items[i].message);
    for (int i = 0; i < p->n; i++) free(p->lines[i]);
    free(p->docs.items), free(p->diags.items), free(p->lines);
}

static Doc *only(Parsed *p) {
    cr_assert_eq(p->docs.n, 1, "expected one block, got %zu", p->docs.n);
    return p->docs.items[0];
}

static void no_diags(const Parsed *p) {
    for (size_t i = 0; i < p->diags.n; i++) cr_log_error("%d: %s", p->diags.items[i].line, p->diags.items[i].message);
    cr_assert_eq(p->diags.n, 0);
}

static void one_diag(const Parsed *p, DiagLevel level, int line, const char *message) {
    cr_assert_eq(p->diags.n, 1, "expected one diagnostic, got %zu", p->diags.n);
    cr_expect_eq(p->diags.items[0].level, level);
    cr_expect_str_eq(p->diags.items[0].file, "t.h");
    cr_expect_eq(p->diags.items[0].line, line);
    cr_expect_str_eq(p->diags.items[0].message, message);
}

Test(doxygen, javadoc_block_autobrief_params_return) {
    Parsed p = parse("/**\n"
                     " * Open a repository. It must exist.\n"
                     " *\n"
                     " * More details\n"
                     " *   - a list item\n"
                     " *\n"
                     " * @param out where the repository goes\n"
                     " *        on success\n"
                     " * @param path its path\n"
                     " * @return 0 or an error code\n"
                     " */\n"
                     "int open(void **out, const char *path);\n");
    no_diags(&p);
    Doc *d = only(&p);
    cr_expect(d->is_doxygen);
    cr_expect_eq(d->line, 1);
    cr_expect_eq(d->end_line, 11);
    cr_expect_str_eq(d->brief, "Open a repository.");
    cr_expect_str_eq(d->description, "Open a repository. It must exist.\n\nMore details\n  - a list item");
    cr_assert_eq(d->params.n, 2);
    cr_expect_str_eq(d->params.items[0].name, "out");
    cr_expect_null(d->params.items[0].direction);
    cr_expect_str_eq(d->params.items[0].description, "where the repository goes\non success");
    cr_expect_eq(d->params.items[0].line, 7);
    cr_expect_str_eq(d->params.items[1].name, "path");
    cr_expect_str_eq(d->params.items[1].description, "its path");
    cr_expect_str_eq(d->returns, "0 or an error code");
    cr_expect_null(d->success);
    cr_expect_null(d->usage);
    cr_expect_null(d->deprecated);
    release(&p);
}

Test(doxygen, explicit_brief_then_details) {
    Parsed p = parse("/*!\n"
                     "  \\brief Git blob routines\n"
                     "  spanning two lines\n"
                     "\n"
                     "  Details. Second sentence.\n"
                     "  \\details Another paragraph.\n"
                     "*/\n"
                     "int f(void);\n");
    no_diags(&p);
    Doc *d = only(&p);
    cr_expect_str_eq(d->brief, "Git blob routines spanning two lines");
    cr_expect_str_eq(d->description,
                     "Git blob routines spanning two lines\n\nDetails. Second sentence.\n\nAnother paragraph.");
    release(&p);
}

Test(doxygen, autobrief_ends_at_paragraph) {
    Parsed p = parse("/** Open working tree as a repository\n *\n * Then more.\n */\nint f(void);\n");
    cr_expect_str_eq(only(&p)->brief, "Open working tree as a repository");
    release(&p);
}

Test(doxygen, exclamation_line_run) {
    Parsed p = parse("//! Frees a thing.\n//! @param[in] x the thing\nvoid f(int x);\n");
    no_diags(&p);
    Doc *d = only(&p);
    cr_expect_str_eq(d->brief, "Frees a thing.");
    cr_expect_eq(d->end_line, 2);
    cr_assert_eq(d->params.n, 1);
    cr_expect_str_eq(d->params.items[0].direction, "in");
    release(&p);
}

Test(doxygen, triple_slash_with_commands_is_doxygen) {
    Parsed p = parse("/// Frees a thing.\n/// @param x the thing\n/// \\return nothing\nvoid f(int x);\n");
    no_diags(&p);
    Doc *d = only(&p);
    cr_expect(d->is_doxygen);
    cr_expect_str_eq(d->params.items[0].description, "the thing");
    cr_expect_str_eq(d->returns, "nothing");
    release(&p);
}

Test(doxygen, triple_slash_grammar_stays_itself) {
    Parsed p = parse("///\n/// Frees `x` with \\n inside @home.\n///\n/// x[in] : The thing.\n///\n/// "
                     "SUCCESS: Done.\n/// FAILURE: Never.\n/// TAGS: Cleanup\n///\nvoid f(int x);\n");
    no_diags(&p);
    Doc *d = only(&p);
    cr_expect_not(d->is_doxygen);
    cr_expect_str_eq(d->description, "Frees `x` with \\n inside @home.");
    cr_expect_str_eq(d->params.items[0].direction, "in");
    cr_expect_str_eq(d->success, "Done.");
    cr_expect_str_eq(d->tags_written.items[0], "Cleanup");
    release(&p);
}

Test(doxygen, param_directions_and_lists) {
    Parsed p = parse("/** F.\n * @param[in] a A\n * @param[out] b B\n * @param[in,out] c C\n"
                     " * @param[out, in] d D\n * @param x,y, z shared text\n * @param ... more\n */\n");
    no_diags(&p);
    Doc *d = only(&p);
    const char *names[] = {"a", "b", "c", "d", "x", "y", "z", "..."};
    const char *dirs[]  = {"in", "out", "in,out", "in,out", NULL, NULL, NULL, NULL};
    cr_assert_eq(d->params.n, 8);
    for (size_t i = 0; i < 8; i++) {
        cr_expect_str_eq(d->params.items[i].name, names[i]);
        if (dirs[i]) cr_expect_str_eq(d->params.items[i].direction, dirs[i]);
        else cr_expect_null(d->params.items[i].direction);
    }
    cr_expect_str_eq(d->params.items[5].description, "shared text");
    cr_expect_str_eq(d->params.items[6].description, "shared text");
    cr_expect_str_eq(d->params.items[7].description, "more");
    release(&p);
}

Test(doxygen, returns_and_retvals) {
    Parsed p = parse("/** F.\n * @returns the count\n * @retval 0 on success\n * @retval GIT_ENOTFOUND when"
                     "\n *   missing\n * @result more\n */\nint f(void);\n");
    no_diags(&p);
    cr_expect_str_eq(only(&p)->returns,
                     "the count\n\nmore\n\n- `0` on success\n- `GIT_ENOTFOUND` when\nmissing");
    release(&p);
}

Test(doxygen, notes_warnings_since) {
    Parsed p = parse("/** F.\n * @note Read it.\n * @warning Hot.\n * \\attention Sharp.\n * @remark Aside.\n"
                     " * @since 1.2\n * @todo Later.\n */\nint f(void);\n");
    no_diags(&p);
    Doc *d = only(&p);
    const char *kinds[] = {"note", "warn", "warn", "info", "info", "info"};
    const char *texts[] = {"Read it.", "Hot.", "Sharp.", "Aside.", "**Since:** 1.2", "**To do:** Later."};
    cr_assert_eq(d->notes.n, 6);
    for (size_t i = 0; i < 6; i++) {
        cr_expect_str_eq(d->notes.items[i].kind, kinds[i]);
        cr_expect_str_eq(d->notes.items[i].text, texts[i]);
    }
    cr_expect_str_eq(d->description, "F.");
    release(&p);
}

Test(doxygen, see_names_and_prose) {
    Parsed p = parse("/** F.\n * @see git_a, git_b()\n * @sa git_c.\n *\n * @see git_tag_create for rules.\n */\n"
                     "int f(void);\n");
    no_diags(&p);
    Doc *d = only(&p);
    cr_assert_eq(d->see.n, 3);
    cr_expect_str_eq(d->see.items[0], "git_a");
    cr_expect_str_eq(d->see.items[1], "git_b");
    cr_expect_str_eq(d->see.items[2], "git_c");
    cr_assert_eq(d->notes.n, 1);
    cr_expect_str_eq(d->notes.items[0].text, "**See also:** git_tag_create for rules.");
    release(&p);
}

Test(doxygen, deprecated_with_and_without_text) {
    Parsed p = parse("/** F.\n * @deprecated Use g\n *   instead.\n */\nint f(void);\n/** G.\n * @deprecated\n */\n"
                     "int g(void);\n");
    no_diags(&p);
    cr_assert_eq(p.docs.n, 2);
    cr_expect_str_eq(p.docs.items[0]->deprecated, "Use g\ninstead.");
    cr_expect_str_eq(p.docs.items[1]->deprecated, "");
    release(&p);
}

Test(doxygen, code_blocks_are_the_examples) {
    Parsed p = parse("/** F.\n"
                     " * Example:\n"
                     " * @code{.c}\n"
                     " *     int x = f();\n"
                     " *\n"
                     " *     if (x) { g(); } // @param not a command here\n"
                     " * @endcode\n"
                     " * After.\n"
                     " * \\code\n"
                     " * h();\n"
                     " * \\endcode\n"
                     " */\nint f(void);\n");
    no_diags(&p);
    Doc *d = only(&p);
    cr_expect_str_eq(d->usage, "int x = f();\n\nif (x) { g(); } // @param not a command here\n\nh();");
    cr_expect_str_eq(d->description, "F.\nExample:\nAfter.");
    cr_expect_eq(d->params.n, 0);
    release(&p);
}

Test(doxygen, verbatim_goes_to_the_description) {
    Parsed p = parse("/** F.\n * @verbatim\n *   raw @b text\n * @endverbatim\n */\nint f(void);\n");
    no_diags(&p);
    cr_expect_str_eq(only(&p)->description, "F.\n\n```\nraw @b text\n```");
    release(&p);
}

Test(doxygen, inline_commands_become_markdown) {
    Parsed p = parse("/** Sets @p x to \\c NULL, @a really @b now; see @ref git_x and @ref y \"the y\".\n"
                     " * Code spans stay: `a\\nb @p c`. Mail a@b.org, escape \\@ and \\\\.\n */\nint f(int x);\n");
    no_diags(&p);
    cr_expect_str_eq(only(&p)->description,
                     "Sets `x` to `NULL`, *really* **now**; see `git_x` and the y.\n"
                     "Code spans stay: `a\\nb @p c`. Mail a@b.org, escape \\@ and \\\\.");
    release(&p);
}

Test(doxygen, unknown_commands_are_kept_as_text) {
    Parsed p = parse("/** F.\n * @foo bar \\baz\n */\nint f(void);\n");
    no_diags(&p);
    cr_expect_str_eq(only(&p)->description, "F.\n@foo bar \\baz");
    release(&p);
}

Test(doxygen, par_and_list_items) {
    Parsed p = parse("/** F.\n * @par Thread safety\n * Not safe.\n * @li one\n * @li two\n */\nint f(void);\n");
    no_diags(&p);
    cr_expect_str_eq(only(&p)->description, "F.\n\n**Thread safety**\n\nNot safe.\n- one\n- two");
    release(&p);
}

Test(doxygen, malformed_direction) {
    Parsed p = parse("/** F.\n *\n * @param[inout] a A\n */\nint f(int a);\n");
    one_diag(&p, DIAG_ERROR, 3, "malformed `@param[inout]`: the direction is [in], [out] or [in,out]");
    cr_expect_eq(only(&p)->params.n, 0);
    release(&p);
}

Test(doxygen, param_without_name) {
    Parsed p = parse("/** F.\n * @param\n */\nint f(int a);\n");
    one_diag(&p, DIAG_ERROR, 2, "`@param` without a parameter name");
    release(&p);
}

Test(doxygen, param_with_bad_name) {
    Parsed p = parse("/** F.\n * @param 2x text\n */\nint f(int a);\n");
    one_diag(&p, DIAG_ERROR, 2, "malformed `@param`: `2x` is not a parameter name");
    release(&p);
}

Test(doxygen, param_unclosed_direction) {
    Parsed p = parse("/** F.\n * @param[in a text\n */\nint f(int a);\n");
    one_diag(&p, DIAG_ERROR, 2, "malformed `@param[`: missing `]`");
    release(&p);
}

Test(doxygen, retval_without_value) {
    Parsed p = parse("/** F.\n * @retval\n */\nint f(void);\n");
    one_diag(&p, DIAG_ERROR, 2, "`@retval` without a value");
    release(&p);
}

Test(doxygen, code_without_endcode) {
    Parsed p = parse("/** F.\n * @code\n * x();\n */\nint f(void);\n");
    one_diag(&p, DIAG_ERROR, 2, "`@code` without `@endcode`");
    cr_expect_str_eq(only(&p)->usage, "x();");
    release(&p);
}

Test(doxygen, endcode_without_code) {
    Parsed p = parse("/** F.\n *\n * @endcode\n */\nint f(void);\n");
    one_diag(&p, DIAG_ERROR, 3, "`@endcode` without `@code`");
    release(&p);
}

Test(doxygen, inline_command_without_argument) {
    Parsed p = parse("/** F @p\n */\nint f(void);\n");
    one_diag(&p, DIAG_ERROR, 1, "`@p` without an argument");
    release(&p);
}

Test(doxygen, unterminated_block) {
    Parsed p = parse("int a;\n/** F.\n * never closed\nint f(void);\n");
    one_diag(&p, DIAG_ERROR, 2, "unterminated doc comment: `/**` without `*/`");
    cr_expect_eq(only(&p)->end_line, 4);
    release(&p);
}

Test(doxygen, entity_commands_warn) {
    Parsed p = parse("/** @fn int f(void)\n * F.\n */\nint f(void);\n");
    one_diag(&p, DIAG_WARNING, 1, "`@fn` is ignored: a block documents the declaration that follows it");
    cr_expect_str_eq(only(&p)->description, "F.");
    release(&p);
}

Test(doxygen, grouping_blocks_document_nothing) {
    Parsed p = parse("/** @name Deprecated\n * Kept for compatibility.\n * @{\n */\nint a;\n/**@}*/\n"
                     "/** @defgroup g Group title */\n/** @} */\nint b;\n");
    no_diags(&p);
    cr_expect_eq(p.docs.n, 0);
    release(&p);
}

Test(doxygen, braces_with_documentation_still_document) {
    Parsed p = parse("/** F. @{ */\nint f(void);\n");
    cr_expect_str_eq(only(&p)->description, "F.");
    release(&p);
}

Test(doxygen, file_block_and_ingroup) {
    Parsed p = parse("/* license */\n#ifndef X_H\n/**\n * @file git2/x.h\n * @brief X routines\n"
                     " * @defgroup git_x X routines\n * @ingroup Git Other\n * @{\n */\nint f(void);\n");
    no_diags(&p);
    Doc *d = only(&p);
    cr_expect(d->is_file_doc);
    cr_expect_str_eq(d->brief, "X routines");
    cr_expect_str_eq(d->description, "X routines");
    cr_expect(d->has_tags);
    cr_expect_eq(d->tags_line, 7);
    cr_assert_eq(d->tags_written.n, 2);
    cr_expect_str_eq(d->tags_written.items[0], "Git");
    cr_expect_str_eq(d->tags_written.items[1], "Other");
    release(&p);
}

Test(doxygen, openers) {
    cr_expect(doxygen_opener("  /** x"));
    cr_expect(doxygen_opener("/*!"));
    cr_expect(doxygen_opener("\t//! x"));
    cr_expect_not(doxygen_opener("/***********"));
    cr_expect_not(doxygen_opener("/**/"));
    cr_expect_not(doxygen_opener("/**< member */"));
    cr_expect_not(doxygen_opener("//!< member"));
    cr_expect_not(doxygen_opener("/* plain */"));
    cr_expect_not(doxygen_opener("int x; /** late */"));
    Parsed p = parse("/*****\n * banner\n *****/\n/**/\nint f(void);\n");
    cr_expect_eq(p.docs.n, 0);
    release(&p);
}

Test(doxygen, trailing_member_comments) {
    char *a = comment_trailing("\tunsigned int version; /**< The @p version */");
    char *b = comment_trailing("\tGIT_A = 1, //!< First.");
    char *c = comment_trailing("\tGIT_B = 2 /*!< Second */");
    char *d = comment_trailing("\tint x; ///< Ours.");
    cr_expect_str_eq(a, "The `version`");
    cr_expect_str_eq(b, "First.");
    cr_expect_str_eq(c, "Second");
    cr_expect_str_eq(d, "Ours.");
    cr_expect_null(comment_trailing("\tint y; /* plain */"));
    free(a), free(b), free(c), free(d);
}

Test(doxygen, block_and_code_on_one_line) {
    Parsed p = parse("/** F. */ int f(void);\n/** G. */\nint g(void);\n");
    no_diags(&p);
    cr_assert_eq(p.docs.n, 2);
    cr_expect_eq(comment_block_before(&p.docs, p.lines, p.n, 1), p.docs.items[0]);
    cr_expect_eq(comment_block_before(&p.docs, p.lines, p.n, 3), p.docs.items[1]);
    release(&p);
}

Test(doxygen, block_before_includes_and_conditionals) {
    Parsed p = parse("/** Portable types. */\n#include <sys/types.h>\n#ifdef AMIGA\n#include <stdint.h>\n#endif\n"
                     "\n#if defined(_MSC_VER)\ntypedef __int64 off;\n#else\ntypedef long off;\n#endif\nint later;\n");
    cr_assert_eq(p.docs.n, 1);
    cr_expect_eq(comment_block_before(&p.docs, p.lines, p.n, 10), p.docs.items[0]);
    cr_expect_null(comment_block_before(&p.docs, p.lines, p.n, 12));
    release(&p);
}

Test(doxygen, trailing_doc_of_a_declaration) {
    Doc *d = doxygen_trailing_doc("typedef long t; /**< Seconds since @p epoch. */", 7);
    cr_assert_not_null(d);
    cr_expect_eq(d->line, 7);
    cr_expect_str_eq(d->brief, "Seconds since `epoch`.");
    cr_expect(d->is_doxygen);
    doxygen_doc_free(d);
    cr_expect_null(doxygen_trailing_doc("typedef long t; ///< ours, not Doxygen's", 7));
}

Test(doxygen, block_before_a_conditional) {
    Parsed p = parse("/** Callback. */\n#if defined(_MSC_VER)\n# define CB(n) (__cdecl *n)\n#else\n"
                     "# define CB(n) (*n)\n#endif\nint after;\n///\n/// Ours.\n///\n#if X\nint x;\n#endif\n");
    cr_assert_eq(p.docs.n, 2);
    cr_expect_eq(comment_block_before(&p.docs, p.lines, p.n, 5), p.docs.items[0]);
    cr_expect_eq(comment_block_before(&p.docs, p.lines, p.n, 3), p.docs.items[0]);
    cr_expect_null(comment_block_before(&p.docs, p.lines, p.n, 7));  // after the #endif
    cr_expect_null(comment_block_before(&p.docs, p.lines, p.n, 12)); // the `///` grammar: no
    release(&p);
}
