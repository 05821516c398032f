/* A game for the unit tests, built from a hunt file's text the way spurd builds one
 * (strict JSON, then the validator); every test file that plays a game starts here. */
#ifndef SPUR_TEST_FIXTURE_H
#define SPUR_TEST_FIXTURE_H

#include <string.h>

#include "core/json.h"
#include "game/state.h"

static inline spur_game_t *fixture_game(const char *hunt_json)
{
    unsigned char secret[32] = {1}, seed[32] = {2};
    char err[128];
    size_t off;
    cJSON *root = spur_json_parse(hunt_json, strlen(hunt_json), err, sizeof(err), &off);
    spur_diags_t d = {0};
    spur_hunt_t *h;

    assert_non_null(root);
    h = spur_hunt_from_json(root, &d);
    cJSON_Delete(root);
    spur_diags_free(&d);
    assert_non_null(h);
    return spur_game_new(h, secret, seed);
}

#endif
