/* The API side of start, reload and shutdown: the per-game data that lives
 * beside the rules' state, swapping in a reloaded state, and freeing it all. */
#include "api.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/log.h"

static void gx_free(spur_gx_t *x)
{
    spur_buf_free(&x->lb);
    spur_buf_free(&x->lb_gz);
    free(x->elig_hex);
    free(x->elig_n);
}

static void gx_reset(spur_server_t *srv)
{
    for (size_t i = 0; srv->gx && i < srv->live.ngames; i++)
        gx_free(&srv->gx[i]);
    free(srv->gx);
    srv->gx = spur_calloc(srv->live.ngames + 1, sizeof(*srv->gx));
    for (size_t i = 0; i < srv->live.ngames; i++) {
        srv->gx[i].lb_version = UINT64_MAX;
        for (int k = 0; k < 2; k++) {
            srv->gx[i].pushed_version[k] = srv->live.games[i]->version;
            srv->gx[i].pushed_state[k] = -1; /* push once to whoever listens */
        }
    }
}

void spur_api_reload(spur_server_t *srv, spur_loaded_t *fresh)
{
    if (fresh) {
        spur_loaded_t old = srv->live;
        for (size_t i = 0; i < srv->live.ngames; i++)
            gx_free(&srv->gx[i]);
        srv->live = *fresh;
        memset(fresh, 0, sizeof(*fresh));
        if (srv->live.max_team_id + 1 > srv->next_team_id)
            srv->next_team_id = srv->live.max_team_id + 1;
        free(srv->gx);
        srv->gx = NULL;
        gx_reset(srv);
        /* No old team is busy: every write submitted before the reload completed first. */
        spur_loaded_free(&old);
        /* Version counters start again with the replay: a new generation keeps every
           ETag of the old state from matching the new one. */
        srv->generation++;
        spur_info("reloaded %zu hunt(s): %lld rows read in %.0f ms", srv->live.ngames,
                  (long long)srv->live.rows, srv->live.load_ms);
        spur_api_push_reloaded(srv);
    }
    srv->reloading = 0;
    if (srv->after_reload)
        srv->after_reload(srv->after_reload_data);
    while (!srv->reloading && srv->parked_head) {
        spur_parked_t *p = srv->parked_head;
        srv->parked_head = p->next;
        if (!srv->parked_head)
            srv->parked_tail = NULL;
        spur_http_req_t *req = p->req;
        free(p);
        spur_api_handle(req, srv);
    }
}

void spur_api_init(spur_server_t *srv)
{
    gx_reset(srv);
    srv->generation = randombytes_random(); /* ETags from a previous run never match */
    spur_api_buckets_init(&srv->ip_buckets, spur_api_create_rate());
    spur_api_buckets_init(&srv->code_buckets, spur_api_code_rate());
}

void spur_api_free(spur_server_t *srv)
{
    for (size_t i = 0; srv->gx && i < srv->live.ngames; i++)
        gx_free(&srv->gx[i]);
    free(srv->gx);
    srv->gx = NULL;
    spur_loaded_free(&srv->live);
    spur_api_buckets_free(&srv->ip_buckets);
    spur_api_buckets_free(&srv->code_buckets);
    spur_map_free(&srv->decoding);
    spur_map_free(&srv->photo_uploading);
}
