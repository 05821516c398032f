/* The web app's files, loaded into memory at start-up and served from there.
 *
 * Only files found under the folder at load time are ever served, so no request
 * path can reach anything else (no file-system access after start-up). Dotfiles,
 * dot-directories and symbolic links are skipped. Each file gets a content type by
 * extension, a strong ETag (hash of its bytes) and a Cache-Control value.
 * Loop thread only (load/free may run before the loop starts). */
#ifndef SPUR_STATIC_H
#define SPUR_STATIC_H

#include <stddef.h>

#include "http/http.h"

typedef struct spur_static spur_static_t;

/* Most bytes loaded in total; a bigger folder is an error. */
#define SPUR_STATIC_MAX_TOTAL (32u * 1024 * 1024)

/* Loads every regular file under dir. Returns the set (free with spur_static_free), or
 * NULL with a reason in err (a missing folder, too much data, a read error). */
spur_static_t *spur_static_load(const char *dir, char *err, size_t err_size);

/* Answers req with the file at `path` (decoded request path, "/" means "/index.html"):
 * 200, or 304 when If-None-Match matches its ETag; HEAD is handled by the HTTP layer.
 * Returns 0 when answered, or UV_ENOENT without answering when there is no such file
 * or the path is not acceptable ("..", "//", NUL, backslash, a dot-segment start). */
int spur_static_serve(const spur_static_t *st, spur_http_req_t *req, const char *path);

/* Number of files loaded. */
size_t spur_static_count(const spur_static_t *st);

void spur_static_free(spur_static_t *st);

#endif
