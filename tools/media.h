/* The pictures a hunt file names, read beside it, checked and re-encoded
 * (tools/media.c, with media/picture.h); and a stored copy turned into pixels for
 * print. */
#ifndef SPUR_TOOL_MEDIA_H
#define SPUR_TOOL_MEDIA_H

#include <stddef.h>

#include <cairo.h>

#include "game/hunt.h"
#include "media/picture.h"
#include "store/store.h"

/* Reads every picture of h (files relative to the folder of hunt_path), checks and
 * re-encodes it; each problem goes into d as an error at the picture's "file" (or
 * at the root for the total). A file named twice is read once. *media / *n get the
 * copies (hunt_id NULL); free with spur_tool_media_free. */
void spur_tool_media_read(const char *hunt_path, spur_hunt_t *h, spur_diags_t *d,
                          spur_media_t **media, size_t *n);
void spur_tool_media_free(spur_media_t *m, size_t n);

/* A stored copy (JPEG or WebP bytes) as a cairo image surface, or NULL when it cannot
 * be decoded. The caller destroys it. */
cairo_surface_t *spur_tool_media_surface(const void *data, size_t len);

#endif
