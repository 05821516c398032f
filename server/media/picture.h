/* Pictures with libvips (picture.c): what `spur check`/`spur import` read beside a
 * hunt file and what the editor uploads to spurd become the same stored copy. */
#ifndef SPUR_PICTURE_H
#define SPUR_PICTURE_H

#include <stddef.h>

#include "game/hunt.h"
#include "store/store.h"

#define SPUR_MEDIA_FILE_MAX (10u * 1024 * 1024) /* bytes of a picture file as named */
#define SPUR_MEDIA_PIXELS_MAX 100000000         /* pixels of a picture file (a bomb guard) */
#define SPUR_MEDIA_EDGE 1280                    /* longest side of a stored copy, in pixels */
#define SPUR_MEDIA_ROWS_MAX 200                 /* pictures the editor may upload for one hunt */
#define SPUR_MEDIA_HUNT_MAX                                                                        \
    (64u * 1024 * 1024) /* bytes of a hunt's stored copies together:                               \
                           spurd holds them in memory */

/* Starts libvips once per process (no operation cache, its warnings quiet; shut down
 * at exit). Call from the main thread before any other thread uses it. 0 or -1. */
int spur_picture_start(void);

/* Re-encodes the picture (len bytes in buf; file: its name for messages) into m (data,
 * mime, width, height, len, key; file and hunt_id untouched). 0, or -1 after an error
 * at path in d. Any thread, once started. */
int spur_picture_encode(const char *buf, size_t len, const char *file, spur_media_t *m,
                        spur_diags_t *d, const char *path);

#endif
