/* Loading the live state from the database: every hunt parsed and validated,
 * its teams, tokens and events replayed through the game rules. Blocking:
 * spurd calls it before the loop starts and on the writer thread for SIGHUP. */
#ifndef SPUR_LOAD_H
#define SPUR_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "game/state.h"

typedef struct spur_loaded {
    spur_game_t **games;
    size_t ngames;
    int64_t max_team_id;
} spur_loaded_t;

/* Builds the state. A stored hunt that no longer validates is skipped with a log line.
 * Returns 0 (caller frees with spur_loaded_free) or -1 with err. */
int spur_store_load(sqlite3 *db, spur_loaded_t *out, char *err, size_t err_size);
void spur_loaded_free(spur_loaded_t *l);

#endif
