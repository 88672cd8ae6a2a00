// SPDX-License-Identifier: MIT
// The api.json schema in one place (docs/api-json.md documents each key): the format version
// and every key name, for the writer (gen_json.c) and the readers (api_read.c for `apidoc lint
// api.json`, gen_md*.c). Writers emit the keys of an object in the order listed here. (The
// per-unit cache and shard parts, cache.c, store the same facts positionally, in the order of the
// model's structs, and name no key.)
#ifndef APIDOC_SCHEMA_H
#define APIDOC_SCHEMA_H

#define API_FORMAT_VERSION 2

// Root: format_version, generator, files, symbols, examples, tags
#define K_FORMAT_VERSION "format_version"
#define K_GENERATOR      "generator"
#define K_FILES          "files"
#define K_SYMBOLS        "symbols"
#define K_EXAMPLES       "examples"
#define K_TAGS           "tags"

// File: path, include, doc, symbols
#define K_PATH    "path"
#define K_INCLUDE "include"
#define K_DOC     "doc"

// Symbol: id, name, kind, namespace, header, include, line, end_line, declaration, deprecated,
// doc, return_type, params, fields, enum_values, dispatch, tag_name, same_name, basic, use_count,
// references, examples, uses
#define K_ID          "id"
#define K_NAME        "name"
#define K_KIND        "kind"
#define K_NAMESPACE   "namespace"
#define K_HEADER      "header"
#define K_LINE        "line"
#define K_END_LINE    "end_line"
#define K_DECLARATION "declaration"
#define K_DEPRECATED  "deprecated"
#define K_RETURN_TYPE "return_type"
#define K_PARAMS      "params"
#define K_FIELDS      "fields"
#define K_ENUM_VALUES "enum_values"
#define K_DISPATCH    "dispatch"
#define K_TAG_NAME    "tag_name"
#define K_SAME_NAME   "same_name"
#define K_BASIC       "basic"
#define K_USE_COUNT   "use_count"
#define K_REFERENCES  "references"
#define K_USES        "uses"

// Doc: line, end_line, brief, description, params, fields, success, failure, returns, usage,
// notes, deprecated, see, tags, tags_written (DocParam: name, direction, description, line;
// DocField: name, description, line; Note: kind, text)
#define K_BRIEF        "brief"
#define K_DESCRIPTION  "description"
#define K_SUCCESS      "success"
#define K_FAILURE      "failure"
#define K_RETURNS      "returns"
#define K_USAGE        "usage"
#define K_NOTES        "notes"
#define K_SEE          "see"
#define K_TAGS_WRITTEN "tags_written"
#define K_DIRECTION    "direction"
#define K_TEXT         "text"

// Param: name, type, direction, description. Field: name, type, bits, description, line, group,
// fields. EnumValue: name, value, description, line. Dispatch: type, function, function_id,
// expression.
#define K_TYPE        "type"
#define K_BITS        "bits"
#define K_GROUP       "group"
#define K_VALUE       "value"
#define K_FUNCTION    "function"
#define K_FUNCTION_ID "function_id"
#define K_EXPRESSION  "expression"

// Reference: the array [file, line, column, kind, example] (readers name the items so)
#define K_FILE    "file"
#define K_COLUMN  "column"
#define K_EXAMPLE "example"

// Example (root list): file, function, start, end, origin, misuse, code
// ExampleUse (Symbol.examples): example, use_lines, via
#define K_START     "start"
#define K_END       "end"
#define K_ORIGIN    "origin"
#define K_MISUSE    "misuse"
#define K_CODE      "code"
#define K_USE_LINES "use_lines"
#define K_VIA       "via"

// Tag: name, description, synonyms, symbols
#define K_SYNONYMS "synonyms"

#endif
