/* The photo files of photo missions (server/api/photos.c writes them): the folder
 * "<db>-photos/<hunt>/<photo id>.jpg" beside the database. `spur backup` and
 * `restore` copy it with the database, `spur purge --photos` deletes a hunt's,
 * `spur export --photos DIR` saves the approved ones under readable names. */
#ifndef SPUR_TOOL_PHOTOS_H
#define SPUR_TOOL_PHOTOS_H

#include <stdint.h>

#include "game/state.h"

/* Copies every photo under from (the "-photos" folder of one database) to to (that of
 * another): a hard link on the same file system, else written, fsynced and renamed
 * into place; a file already there is kept (a photo's bytes never change under its
 * name). *copied counts the files.
 * 0, or -1 after saying why. A missing from is no photos: 0. */
int spur_tool_photos_copy(const char *from, const char *to, int64_t *copied);
/* The photo files in dir (one hunt's folder): counted, or deleted with it. 0 or -1
 * after saying why. */
int spur_tool_photos_count(const char *dir, int64_t *n);
int spur_tool_photos_delete(const char *dir, int64_t *deleted);
/* Copies g's approved photos of real teams from dir to out (made if missing) as
 * "<puzzle>_<team>_<id>.jpg", with an index.csv (file, team, puzzle, points, taken).
 * 0 or -1 after saying why; *saved counts them, *missing those whose file is gone. */
int spur_tool_photos_export(const spur_game_t *g, const char *dir, const char *out, int64_t *saved,
                            int64_t *missing);

#endif
