/* Strict JSON for request bodies and hunt files, on top of cJSON.
 * spur_json_parse refuses what cJSON alone would let through: trailing bytes,
 * invalid UTF-8, NUL in strings (raw or \u0000), duplicate keys, nesting deeper
 * than SPUR_JSON_MAX_DEPTH, lone surrogate escapes. Any thread. */
#ifndef SPUR_JSON_H
#define SPUR_JSON_H

#include <stddef.h>

#include <cjson/cJSON.h>

#define SPUR_JSON_MAX_DEPTH 32

/* Parses exactly len bytes. Returns the tree (caller frees with cJSON_Delete) or NULL;
 * then, when err is not NULL, writes a short English reason and the byte offset. */
cJSON *spur_json_parse(const char *text, size_t len, char *err, size_t err_size,
                       size_t *err_offset);

/* Finds the byte offset of the value at JSON path `path` ("puzzles[2].answer",
 * "" = root) in text; for a path whose last key is missing, the offset of the
 * enclosing object. Then converts to 1-based line and column (column counts
 * characters, not bytes). Returns 0, or -1 when no part of the path exists. */
int spur_json_locate(const char *text, size_t len, const char *path, int *line, int *col);

/* spur_json_locate for each of paths[0, n) at once (a NULL path is not located), in one
 * walk through the text instead of one per path: lines[i], cols[i] get path i's place,
 * 0 when it cannot be located. For text spur_json_parse accepts, the same places as
 * spur_json_locate. Returns 0, or -1 when the text holds no JSON value at all. */
int spur_json_locate_many(const char *text, size_t len, const char *const *paths, size_t n,
                          int *lines, int *cols);

/* Converts a byte offset into 1-based line:col (columns in characters). */
void spur_json_line_col(const char *text, size_t len, size_t offset, int *line, int *col);

/* Typed getters for request bodies: the member must exist with the right type.
 * Return the value or NULL/-1 (so handlers can answer 400 bad_json). */
const char *spur_json_str(const cJSON *obj, const char *key);

#endif
