/* `spur draw`, `spur verify-draw` and `spur claim`: the prize draw from the
 * command line. draw loads the live state from the database exactly as spurd
 * does, makes the record with the same code (game/draw.h) and stores it; the
 * draws table's primary key keeps it to one draw per prize, whoever draws first,
 * this tool or spurd. verify-draw needs nothing but the record: it recomputes
 * everything from it. claim checks a winner's claim code. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/json.h"
#include "core/mem.h"
#include "game/codes.h"
#include "game/draw.h"
#include "store/load.h"
#include "tool.h"

#define MAX_RECORD_FILE (64u << 20) /* a record lists every eligible team: generous */

typedef struct {
    const char *db, *hunt, *prize, *beacon;
} draw_opts_t;

/* Parses --db, --hunt and (when want_prize) --prize; leaves optind at the first
 * operand. Returns 0 or an exit code. */
static int parse_opts(const char *cmd, int argc, char **argv, draw_opts_t *o, int want_prize)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"hunt", required_argument, NULL, 'H'},
        {"prize", required_argument, NULL, 'p'},
        {"beacon", required_argument, NULL, 'b'},
        {NULL, 0, NULL, 0},
    };
    int c;
    memset(o, 0, sizeof(*o));
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            o->db = optarg;
            break;
        case 'H':
            o->hunt = optarg;
            break;
        case 'p':
            if (!want_prize)
                return spur_tool_usage_error(cmd, "%s: unknown option '--prize'", cmd);
            o->prize = optarg;
            break;
        case 'b':
            if (!want_prize)
                return spur_tool_usage_error(cmd, "%s: unknown option '--beacon'", cmd);
            o->beacon = optarg;
            break;
        default:
            return spur_tool_bad_option(cmd, c, argv);
        }
    }
    if (!o->db || !o->hunt || (want_prize && !o->prize))
        return spur_tool_usage_error(cmd,
                                     want_prize ? "%s needs --db PATH, --hunt ID and --prize ID"
                                                : "%s needs --db PATH and --hunt ID",
                                     cmd);
    return 0;
}

/* Inserts the record. Returns 0, 1 when the prize was drawn before, -1 on error. */
static int insert_draw(sqlite3 *db, const char *hunt, const char *prize, const char *record,
                       int64_t at)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(
        db, "INSERT INTO draws(hunt_id, prize_id, record, drawn_at_ms) VALUES (?,?,?,?)", -1, &st,
        NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, hunt, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, prize, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, record, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, at);
        rc = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return 0;
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return 1;
    spur_tool_err("storing the draw: %s", sqlite3_errmsg(db));
    return -1;
}

/* Prints the stored record of (hunt, prize) to stdout. */
static void print_stored(sqlite3 *db, const char *hunt, const char *prize)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT record FROM draws WHERE hunt_id = ? AND prize_id = ?", -1,
                           &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, hunt, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, prize, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            printf("%s\n", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
}

int spur_cmd_draw(int argc, char **argv)
{
    draw_opts_t o;
    sqlite3 *db = NULL;
    spur_loaded_t l;
    spur_game_t *g;
    char *record = NULL;
    int idx, rc = parse_opts("draw", argc, argv, &o, 1), ins;
    int64_t now = spur_tool_now_ms(), from_s;

    if (rc)
        return rc;
    if (optind != argc)
        return spur_tool_usage_error("draw", "draw: unexpected argument '%s'", argv[optind]);
    rc = SPUR_EXIT_USAGE;
    if (!(g = spur_tool_load_game(o.db, o.hunt, &db, &l)))
        goto out;
    idx = spur_hunt_prize_index(g->hunt, o.prize);
    if (idx < 0) {
        spur_tool_err("hunt %s has no prize '%s'", o.hunt, o.prize);
        goto out;
    }
    if (spur_loaded_draw(&l, o.hunt, o.prize)) {
        print_stored(db, o.hunt, o.prize);
        spur_tool_err("prize %s of hunt %s was drawn before (record above); a prize is drawn "
                      "only once",
                      o.prize, o.hunt);
        rc = SPUR_EXIT_INVALID;
        goto out;
    }
    from_s = g->hunt->ends_at + g->hunt->late_sync_grace;
    if (now < from_s * 1000) {
        char when[32];
        spur_time_format(from_s, when, sizeof when);
        spur_tool_err("too early: the draw can be run from %s on (the deadline plus the time "
                      "offline answers may still arrive)",
                      when);
        rc = SPUR_EXIT_INVALID;
        goto out;
    }
    /* the beacon, as spurd takes it (api/draw.c): required exactly when the hunt
       names a draw_beacon */
    if (g->hunt->draw_beacon && (!o.beacon || !o.beacon[0])) {
        spur_tool_err("Rallye %s nennt einen draw_beacon (\"%s\"): gebt seinen Wert mit --beacon "
                      "an / hunt %s names a draw_beacon: give its value with --beacon",
                      o.hunt, g->hunt->draw_beacon, o.hunt);
        goto out;
    }
    if (!g->hunt->draw_beacon && o.beacon) {
        spur_tool_err("Rallye %s nennt keinen draw_beacon; --beacon passt nicht / hunt %s names "
                      "no draw_beacon; --beacon does not apply",
                      o.hunt, o.hunt);
        goto out;
    }
    if (o.beacon && !spur_draw_beacon_ok(o.beacon, strlen(o.beacon))) {
        spur_tool_err("--beacon: 1 bis %d Bytes UTF-8 ohne Steuerzeichen / 1 to %d bytes of "
                      "UTF-8 without control characters",
                      SPUR_DRAW_BEACON_MAX, SPUR_DRAW_BEACON_MAX);
        goto out;
    }
    record = spur_draw_record(g, (size_t)idx, now, o.beacon);
    ins = insert_draw(db, o.hunt, o.prize, record, now);
    if (ins < 0)
        goto out;
    if (ins > 0) { /* someone (spurd) drew it between our load and our insert */
        print_stored(db, o.hunt, o.prize);
        spur_tool_err("prize %s of hunt %s was drawn before (record above); a prize is drawn "
                      "only once",
                      o.prize, o.hunt);
        rc = SPUR_EXIT_INVALID;
        goto out;
    }
    printf("%s\n", record);
    fprintf(stderr, "spur: stored; a running spurd publishes it after `kill -HUP`\n");
    rc = SPUR_EXIT_OK;
out:
    free(record);
    spur_loaded_free(&l);
    spur_store_close(db);
    return rc;
}

/* Reads a whole file. Returns a heap string (caller frees) or NULL (printed). */
static char *read_all(const char *path, size_t *len)
{
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    spur_buf_t b = {0};
    char chunk[65536];
    size_t got;

    if (!fp) {
        spur_tool_err("cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0 && b.len <= MAX_RECORD_FILE)
        spur_buf_append(&b, chunk, got);
    if (ferror(fp) || b.len > MAX_RECORD_FILE) {
        spur_tool_err("cannot read %s: %s", path, ferror(fp) ? strerror(errno) : "too large");
        if (fp != stdin)
            fclose(fp);
        spur_buf_free(&b);
        return NULL;
    }
    if (fp != stdin)
        fclose(fp);
    spur_buf_append(&b, "", 0);
    return spur_buf_steal(&b, len);
}

/* Verifies one record and prints the outcome, German first, then English.
 * Returns 1 when VERIFIED. */
static int verify_one(const cJSON *rec, const char *commitment, const char *beacon)
{
    spur_draw_diffs_t d = {0};
    const cJSON *prize = cJSON_GetObjectItemCaseSensitive(rec, "prize");
    const cJSON *hunt = cJSON_GetObjectItemCaseSensitive(rec, "hunt");
    const char *p = cJSON_IsString(prize) ? prize->valuestring : "?";
    const char *h = cJSON_IsString(hunt) ? hunt->valuestring : "?";
    size_t n = spur_draw_verify(rec, commitment, beacon, &d);

    if (!n)
        printf("VERIFIZIERT / VERIFIED: Preis %s der Rallye %s / prize %s of hunt %s\n", p, h, p,
               h);
    else {
        printf("NICHT VERIFIZIERT / NOT VERIFIED: Preis %s der Rallye %s / prize %s of hunt %s\n",
               p, h, p, h);
        for (size_t i = 0; i < d.n; i++)
            printf("  - %s\n", d.msgs[i]);
    }
    spur_draw_diffs_free(&d);
    return n == 0;
}

int spur_cmd_verify_draw(int argc, char **argv)
{
    static const struct option opts[] = {
        {"commitment", required_argument, NULL, 'c'},
        {"beacon", required_argument, NULL, 'b'},
        {NULL, 0, NULL, 0},
    };
    const char *commitment = NULL, *beacon = NULL, *path;
    char *text, why[160];
    size_t len = 0, off = 0, total = 0, ok = 0;
    const cJSON *draws, *rec, *doc_commit;
    cJSON *root;
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        if (c == 'c')
            commitment = optarg;
        else if (c == 'b')
            beacon = optarg;
        else
            return spur_tool_bad_option("verify-draw", c, argv);
    }
    if (optind + 1 != argc)
        return spur_tool_usage_error("verify-draw", "verify-draw takes one RECORD.json");
    path = argv[optind];
    text = read_all(path, &len);
    if (!text)
        return SPUR_EXIT_USAGE;
    /* strict: a duplicate key could make a record say two things */
    root = spur_json_parse(text, len, why, sizeof why, &off);
    free(text);
    if (!root) {
        spur_tool_err("%s: not a JSON record: %s at byte %zu", path, why, off);
        return SPUR_EXIT_INVALID;
    }
    draws = cJSON_GetObjectItemCaseSensitive(root, "draws");
    doc_commit = cJSON_GetObjectItemCaseSensitive(root, "commitment");
    if (cJSON_IsArray(draws)) {
        /* the GET /api/hunts/{h}/draw document: every record, and its commitment */
        if (!commitment && cJSON_IsString(doc_commit))
            commitment = doc_commit->valuestring;
        cJSON_ArrayForEach(rec, draws)
        {
            total++;
            ok += (size_t)verify_one(rec, commitment, beacon);
        }
    } else {
        total = 1;
        ok = (size_t)verify_one(root, commitment, beacon);
    }
    cJSON_Delete(root);
    if (total == 0) {
        spur_tool_err("%s holds no draw record", path);
        return SPUR_EXIT_INVALID;
    }
    if (total > 1)
        printf("%zu von %zu Protokollen verifiziert / %zu of %zu records verified\n", ok, total, ok,
               total);
    return ok == total ? SPUR_EXIT_OK : SPUR_EXIT_INVALID;
}

int spur_cmd_claim(int argc, char **argv)
{
    draw_opts_t o;
    sqlite3 *db = NULL;
    spur_loaded_t l;
    spur_game_t *g;
    char canon[9];
    int rc = parse_opts("claim", argc, argv, &o, 0);

    if (rc)
        return rc;
    if (optind + 1 != argc)
        return spur_tool_usage_error("claim", "claim takes one claim code");
    if (spur_codes_short_canon(argv[optind], canon) < 0)
        return spur_tool_usage_error("claim", "claim: '%s' is not a code like ABCD-EFGH",
                                     argv[optind]);
    rc = SPUR_EXIT_USAGE;
    if (!(g = spur_tool_load_game(o.db, o.hunt, &db, &l)))
        goto out;
    rc = SPUR_EXIT_INVALID;
    for (size_t i = 0; i < l.ndraws && rc != SPUR_EXIT_OK; i++) {
        const spur_draw_pub_t *d = &l.draws[i];
        if (strcmp(d->hunt_id, o.hunt) != 0)
            continue;
        for (size_t k = 0; k < d->nwinners + d->nreserves; k++) {
            int64_t id = k < d->nwinners ? d->winners[k] : d->reserves[k - d->nwinners];
            char code[SPUR_SHORT_LEN + 1], c8[9];
            const spur_team_t *t;
            spur_codes_claim_code(g->secret, o.hunt, d->prize_id, (long long)id, code);
            if (spur_codes_short_canon(code, c8) < 0 || memcmp(c8, canon, 8) != 0)
                continue;
            t = spur_game_team_by_id(g, id);
            if (k < d->nwinners)
                printf("%s: team %" PRId64 " \"%s\" won %s (%s)\n", code, id, t ? t->name : "?",
                       d->prize_id, d->prize_name);
            else
                printf("%s: team %" PRId64 " \"%s\" is reserve %zu for %s (%s)\n", code, id,
                       t ? t->name : "?", k - d->nwinners + 1, d->prize_id, d->prize_name);
            rc = SPUR_EXIT_OK;
            break;
        }
    }
    if (rc != SPUR_EXIT_OK)
        spur_tool_err("no prize of hunt %s was won with code %s", o.hunt, argv[optind]);
out:
    spur_loaded_free(&l);
    spur_store_close(db);
    return rc;
}
