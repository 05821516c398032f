/* `spur teams --db PATH --hunt ID [--search TEXT] [--json]` lists a hunt's teams as
 * staff see them (score, phones, when they joined, hidden, excluded with its reason,
 * staff test team); `spur teams ... --team N [--name NAME] [--hide|--show]
 * [--exclude REASON|--include] [--by WHO]` changes one, with the same rules as the
 * staff console (PATCH /api/admin/hunts/{h}/teams/{id}, api/staff.c): the team name
 * rules, a free name, exclusions fixed from draw_from on. The change and its
 * staff_log row are one transaction; a running spurd shows it after `kill -HUP`.
 * Contacts are never read. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "office/tz.h"
#include "tool.h"

typedef struct {
    const char *db, *hunt, *search, *name, *reason, *by;
    int64_t team;
    int json, hide, show, include;
} teams_opts_t;

/* 1 when the team's name contains key (a name key: compared case-folded like names
 * are, as the staff API's ?q= does); a NULL key matches every team. */
static int matches(const spur_team_t *t, const char *key)
{
    return !key || strstr(t->name_key, key) != NULL;
}

static void list_text(const spur_game_t *g, const char *search)
{
    spur_tz_t tz = {0};
    int de = spur_tool_german();
    size_t shown = 0;

    spur_tz_load(&tz, g->hunt->time_zone, NULL); /* UTC when it cannot */
    printf(de ? "%6s  %-32s %6s %6s  %-24s %s\n" : "%6s  %-32s %6s %6s  %-24s %s\n", "ID",
           de ? "Team" : "team", de ? "Punkte" : "score", de ? "Handys" : "phones",
           de ? "angemeldet" : "joined", de ? "Hinweise" : "notes");
    for (size_t i = 0; i < g->nteams; i++) {
        const spur_team_t *t = g->teams[i];
        char when[40];
        if (!matches(t, search))
            continue;
        shown++;
        spur_tz_format(&tz, t->created_at / 1000, de, when, sizeof when);
        printf("%6" PRId64 "  %-32s %6d %6u  %-24s", t->id, t->name, t->score, t->members, when);
        if (t->test)
            printf(" %s", de ? "Testteam" : "test team");
        if (t->hidden)
            printf(" %s", de ? "verborgen" : "hidden");
        if (t->excluded)
            printf(" %s: %s", de ? "ausgeschlossen" : "excluded", t->reason ? t->reason : "-");
        printf("\n");
    }
    printf(de ? "%zu von %zu Teams\n" : "%zu of %zu teams\n", shown, g->nteams);
    spur_tz_free(&tz);
}

static void list_json(const spur_game_t *g, const char *search)
{
    spur_buf_t b = {0};
    int first = 1;
    spur_buf_puts(&b, "{\"teams\":[");
    for (size_t i = 0; i < g->nteams; i++) {
        if (!matches(g->teams[i], search))
            continue;
        if (!first)
            spur_buf_puts(&b, ",");
        first = 0;
        spur_team_admin_json(&b, g->teams[i]);
    }
    spur_buf_puts(&b, "]}\n");
    fwrite(b.data, 1, b.len, stdout);
    spur_buf_free(&b);
}

/* The edit and its staff_log row in one transaction. Returns 0, 1 when the name was
 * taken meanwhile, -1 on a database error (printed). */
static int store_edit(sqlite3 *db, const spur_game_t *g, const spur_team_t *t, const char *name,
                      const char *key, int hidden, int excluded, const char *reason,
                      const char *who, const char *detail)
{
    sqlite3_stmt *up = NULL, *log = NULL;
    int rc = -1, step;

    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, SPUR_SQL_TEAM_EDIT, -1, &up, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, SPUR_SQL_STAFF_LOG, -1, &log, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_text(up, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(up, 2, key, -1, SQLITE_STATIC);
    sqlite3_bind_int(up, 3, hidden);
    sqlite3_bind_int(up, 4, excluded);
    sqlite3_bind_text(up, 5, reason, -1, SQLITE_STATIC);
    sqlite3_bind_int64(up, 6, t->id);
    step = sqlite3_step(up);
    if (step == SQLITE_CONSTRAINT) {
        rc = 1;
        goto out;
    }
    if (step != SQLITE_DONE)
        goto out;
    sqlite3_bind_text(log, 1, g->hunt->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(log, 2, spur_tool_now_ms());
    sqlite3_bind_text(log, 3, who, -1, SQLITE_STATIC);
    sqlite3_bind_text(log, 4, "spur teams", -1, SQLITE_STATIC);
    sqlite3_bind_text(log, 5, "edit_team", -1, SQLITE_STATIC);
    sqlite3_bind_int64(log, 6, t->id);
    sqlite3_bind_text(log, 7, detail, -1, SQLITE_STATIC);
    if (sqlite3_step(log) == SQLITE_DONE &&
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
        rc = 0;
out:
    if (rc < 0)
        spur_tool_err(SPUR_TR("Speichern fehlgeschlagen: %s", "saving failed: %s"),
                      sqlite3_errmsg(db));
    if (rc != 0)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_finalize(up);
    sqlite3_finalize(log);
    return rc;
}

/* Checks and stores the edit o asks for. Returns an exit code. */
static int edit(sqlite3 *db, spur_game_t *g, const teams_opts_t *o)
{
    spur_team_t *t = spur_game_team_by_id(g, o->team);
    char *shown = NULL, *key = NULL;
    int hidden, excluded, rc = SPUR_EXIT_INVALID, s;
    const char *reason, *who = o->by ? o->by : getenv("USER");
    spur_buf_t detail = {0};

    if (!t) {
        spur_tool_err(
            SPUR_TR("die Rallye %s hat kein Team %" PRId64, "hunt %s has no team %" PRId64),
            g->hunt->id, o->team);
        return SPUR_EXIT_INVALID;
    }
    hidden = o->hide ? 1 : o->show ? 0 : t->hidden;
    excluded = o->reason ? 1 : o->include ? 0 : t->excluded;
    reason = o->reason ? o->reason : excluded ? t->reason : NULL;
    if (excluded != t->excluded && spur_game_exclusions_fixed(g->hunt, spur_tool_now_ms())) {
        spur_tool_err(SPUR_TR("seit draw_from steht fest, wer an der Verlosung teilnimmt; "
                              "Ausschlüsse lassen sich nicht mehr ändern",
                              "since draw_from it is fixed who takes part in the draw; "
                              "exclusions can no longer change"));
        return SPUR_EXIT_INVALID;
    }
    if (o->reason && (!o->reason[0] || strlen(o->reason) > SPUR_REASON_MAX)) {
        spur_tool_err(SPUR_TR("der Grund hat 1 bis %d Bytes", "the reason has 1 to %d bytes"),
                      SPUR_REASON_MAX);
        return SPUR_EXIT_INVALID;
    }
    if (o->name) {
        if (spur_team_name_check(o->name, strlen(o->name), &shown, &key) < 0) {
            spur_tool_err(SPUR_TR("ein Teamname hat 1 bis 32 Zeichen und keine Steuerzeichen",
                                  "a team name has 1 to 32 characters, no control characters"));
            goto out;
        }
        if (strcmp(key, t->name_key) != 0 && spur_map_get(&g->by_name, key, strlen(key))) {
            spur_tool_err(SPUR_TR("ein Team mit dem Namen '%s' gibt es schon",
                                  "a team named '%s' already exists"),
                          shown);
            goto out;
        }
    }
    spur_team_edit_detail(&detail, t, shown, hidden, excluded, reason);
    s = store_edit(db, g, t, shown, key, hidden, excluded, reason, who && *who ? who : "spur",
                   detail.data);
    if (s == 1)
        spur_tool_err(SPUR_TR("ein Team mit dem Namen '%s' gibt es schon",
                              "a team named '%s' already exists"),
                      shown);
    if (s == 0) {
        printf(SPUR_TR("Team %" PRId64 " geändert: %s\n", "team %" PRId64 " changed: %s\n"), t->id,
               detail.data);
        fprintf(stderr, SPUR_TR("Ein laufender spurd zeigt das nach `kill -HUP`.\n",
                                "A running spurd shows it after `kill -HUP`.\n"));
        rc = SPUR_EXIT_OK;
    }
    if (s < 0)
        rc = SPUR_EXIT_USAGE;
out:
    spur_buf_free(&detail);
    free(shown);
    free(key);
    return rc;
}

int spur_cmd_teams(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},      {"hunt", required_argument, NULL, 'H'},
        {"search", required_argument, NULL, 's'},  {"json", no_argument, NULL, 'j'},
        {"team", required_argument, NULL, 't'},    {"name", required_argument, NULL, 'n'},
        {"hide", no_argument, NULL, 'h'},          {"show", no_argument, NULL, 'S'},
        {"exclude", required_argument, NULL, 'x'}, {"include", no_argument, NULL, 'i'},
        {"by", required_argument, NULL, 'b'},      {NULL, 0, NULL, 0},
    };
    teams_opts_t o = {0};
    int c, rc = SPUR_EXIT_USAGE;
    sqlite3 *db = NULL;
    spur_loaded_t loaded;
    spur_game_t *g;
    char *end, *search_key = NULL;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            o.db = optarg;
            break;
        case 'H':
            o.hunt = optarg;
            break;
        case 's':
            o.search = optarg;
            break;
        case 'j':
            o.json = 1;
            break;
        case 't':
            o.team = strtoll(optarg, &end, 10);
            if (*end || o.team <= 0)
                return spur_tool_usage_error(
                    "teams",
                    SPUR_TR("teams: --team will die Nummer (ID) eines Teams, nicht '%s'",
                            "teams: --team wants a team's number (id), not '%s'"),
                    optarg);
            break;
        case 'n':
            o.name = optarg;
            break;
        case 'h':
            o.hide = 1;
            break;
        case 'S':
            o.show = 1;
            break;
        case 'x':
            o.reason = optarg;
            break;
        case 'i':
            o.include = 1;
            break;
        case 'b':
            o.by = optarg;
            break;
        default:
            return spur_tool_bad_option("teams", c, argv);
        }
    }
    if (optind != argc)
        return spur_tool_usage_error(
            "teams",
            SPUR_TR("teams: unerwartetes Argument '%s'", "teams: unexpected argument '%s'"),
            argv[optind]);
    if (!o.db || !o.hunt)
        return spur_tool_usage_error("teams", SPUR_TR("teams braucht --db PFAD und --hunt ID",
                                                      "teams needs --db PATH and --hunt ID"));
    if ((o.hide && o.show) || (o.reason && o.include))
        return spur_tool_usage_error("teams",
                                     SPUR_TR("teams: --hide oder --show, --exclude oder --include",
                                             "teams: --hide or --show, --exclude or --include"));
    if (!o.team && (o.name || o.hide || o.show || o.reason || o.include))
        return spur_tool_usage_error("teams", SPUR_TR("teams: welches Team? --team ID fehlt",
                                                      "teams: which team? --team ID is missing"));
    if (o.team && !(o.name || o.hide || o.show || o.reason || o.include))
        return spur_tool_usage_error(
            "teams", SPUR_TR("teams: --team braucht eine Änderung (--name, --hide, --show, "
                             "--exclude, --include)",
                             "teams: --team needs a change (--name, --hide, --show, --exclude, "
                             "--include)"));
    if (o.search) {
        char *shown = NULL;
        if (spur_team_name_check(o.search, strlen(o.search), &shown, &search_key) < 0)
            return spur_tool_usage_error("teams",
                                         SPUR_TR("teams: --search will einen Teil eines Teamnamens",
                                                 "teams: --search wants part of a team name"));
        free(shown);
    }
    if ((g = spur_tool_load_game(o.db, o.hunt, &db, &loaded))) {
        if (o.team)
            rc = edit(db, g, &o);
        else {
            if (o.json)
                list_json(g, search_key);
            else
                list_text(g, search_key);
            rc = SPUR_EXIT_OK;
        }
    }
    spur_loaded_free(&loaded);
    spur_store_close(db);
    free(search_key);
    return rc;
}
