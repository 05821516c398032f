/* Team moderation shared by spurd's staff API (api/staff.c) and `spur teams`: a
 * team as staff see it, the staff_log detail of an edit, and when exclusions are
 * fixed. Pure: no I/O. */
#include "game/state.h"

#include <inttypes.h>

void spur_team_admin_json(spur_buf_t *b, const spur_team_t *t)
{
    char when[32];
    spur_time_format_ms(t->created_at, when, sizeof when);
    spur_buf_printf(b, "{\"id\":%" PRId64 ",\"name\":", t->id);
    spur_buf_json_str(b, t->name);
    spur_buf_printf(b,
                    ",\"score\":%d,\"solved\":%d,\"phones\":%u,\"created\":\"%s\",\"hidden\":%s,"
                    "\"excluded\":%s,\"reason\":",
                    t->score, t->nsolved, t->members, when, t->hidden ? "true" : "false",
                    t->excluded ? "true" : "false");
    if (t->reason)
        spur_buf_json_str(b, t->reason);
    else
        spur_buf_puts(b, "null");
    spur_buf_printf(b, ",\"test\":%s,\"contact_given\":%s}", t->test ? "true" : "false",
                    t->contact_given ? "true" : "false");
}

void spur_team_edit_detail(spur_buf_t *b, const spur_team_t *t, const char *new_name, int hidden,
                           int excluded, const char *reason)
{
    spur_buf_puts(b, "{");
    if (new_name) {
        spur_buf_puts(b, "\"name\":[");
        spur_buf_json_str(b, t->name);
        spur_buf_puts(b, ",");
        spur_buf_json_str(b, new_name);
        spur_buf_puts(b, "],");
    }
    spur_buf_printf(b, "\"hidden\":%s,\"excluded\":%s,\"reason\":", hidden ? "true" : "false",
                    excluded ? "true" : "false");
    if (reason)
        spur_buf_json_str(b, reason);
    else
        spur_buf_puts(b, "null");
    spur_buf_puts(b, "}");
}

int spur_game_exclusions_fixed(const spur_hunt_t *h, int64_t now_ms)
{
    return now_ms >= (h->ends_at + h->late_sync_grace) * 1000;
}
