/* Helpers shared by the spur subcommands: error output, reading and validating a
 * hunt file with located, sorted and summed-up diagnostics (translated by msg.c),
 * opening the store and a stored hunt, and the URLs its codes encode. Everything
 * printed here goes to stderr; stdout is left to the commands' results. */
#include "tool.h"
#include "media.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/json.h"
#include "core/mem.h"
#include "game/codes.h"
#include "office/check.h"

#define MAX_FILE_BYTES (16u << 20) /* a hunt file is a few hundred KiB at most */

/* The whole message goes through msg.c, so an English one from the store or the rules
 * ("cannot open %s: %s") comes out German too; the tool's own are already written
 * in both languages (SPUR_TR) and pass unchanged. */
static void verr(const char *fmt, va_list ap)
{
    char line[2048];
    char *msg;
    vsnprintf(line, sizeof line, fmt, ap);
    msg = spur_tool_msg(line);
    fprintf(stderr, "spur: %s\n", msg);
    free(msg);
}

void spur_tool_err(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verr(fmt, ap);
    va_end(ap);
}

int spur_tool_usage_error(const char *cmd, const char *fmt, ...)
{
    const spur_tool_cmd_t *c = spur_tool_find_cmd(cmd);
    va_list ap;
    va_start(ap, fmt);
    verr(fmt, ap);
    va_end(ap);
    if (c)
        fprintf(
            stderr,
            SPUR_TR("Aufruf: %s\n(mehr mit `spur help %s`)\n", "usage: %s\n(see `spur help %s`)\n"),
            c->synopsis, c->name);
    return SPUR_EXIT_USAGE;
}

int spur_tool_bad_option(const char *cmd, int c, char **argv)
{
    const char *arg = argv[optind - 1];
    if (c == ':')
        return spur_tool_usage_error(
            cmd, SPUR_TR("%s: Option '%s' braucht einen Wert", "%s: option '%s' needs a value"),
            cmd, arg);
    if (optopt && optopt != '?')
        return spur_tool_usage_error(
            cmd, SPUR_TR("%s: unbekannte Option '-%c'", "%s: unknown option '-%c'"), cmd, optopt);
    return spur_tool_usage_error(
        cmd, SPUR_TR("%s: unbekannte Option '%s'", "%s: unknown option '%s'"), cmd, arg);
}

/* Reads the whole file; prints the reason and returns -1 on failure. */
static int read_file(const char *path, char **text, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    spur_buf_t b = {0};
    char chunk[65536];
    size_t got;

    if (!fp) {
        spur_tool_err(SPUR_TR("kann %s nicht lesen: %s", "cannot read %s: %s"), path,
                      strerror(errno));
        return -1;
    }
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        spur_buf_append(&b, chunk, got);
        if (b.len > MAX_FILE_BYTES) {
            spur_tool_err(SPUR_TR("%s: größer als %u Bytes", "%s: larger than %u bytes"), path,
                          MAX_FILE_BYTES);
            goto fail;
        }
    }
    if (ferror(fp)) {
        spur_tool_err(SPUR_TR("kann %s nicht lesen: %s", "cannot read %s: %s"), path,
                      strerror(errno));
        goto fail;
    }
    fclose(fp);
    if (!b.data)
        spur_buf_append(&b, "", 0);
    *text = spur_buf_steal(&b, len);
    return 0;
fail:
    fclose(fp);
    spur_buf_free(&b);
    return -1;
}

/* Prints one diagnostic, translated. line 0: not located, then at its JSON path. */
static void print_diag(const char *file, int line, int col, int warning, const char *path,
                       const char *english)
{
    int de = spur_tool_german();
    const char *kind = warning ? (de ? "Warnung" : "warning") : (de ? "Fehler" : "error");
    char *msg = spur_tool_msg(english);
    if (line)
        fprintf(stderr, "%s:%d:%d: %s: %s\n", file, line, col, kind, msg);
    else
        fprintf(stderr, "%s: %s: %s %s: %s\n", file, kind, de ? "bei" : "at",
                path && *path ? path : "(root)", msg);
    free(msg);
}

/* "2 errors, 1 warning" (or German) on stderr; nothing when both are 0. */
static void print_summary(size_t errors, size_t warnings)
{
    int de = spur_tool_german();
    if (errors)
        fprintf(stderr, "%zu %s", errors, de ? "Fehler" : errors == 1 ? "error" : "errors");
    if (errors && warnings)
        fputs(", ", stderr);
    if (warnings)
        fprintf(stderr, "%zu %s", warnings,
                de ? (warnings == 1 ? "Warnung" : "Warnungen")
                   : (warnings == 1 ? "warning" : "warnings"));
    if (errors || warnings)
        fputc('\n', stderr);
}

/* The tool's picture checks, run by the shared check once the rules accept the hunt. */
typedef struct {
    const char *path;
    spur_tool_hunt_file_t *f;
} media_ctx_t;

static void read_media(spur_hunt_t *hunt, spur_diags_t *diags, void *data)
{
    media_ctx_t *m = data;
    spur_tool_media_read(m->path, hunt, diags, &m->f->media, &m->f->nmedia);
}

int spur_tool_load_hunt_file(const char *path, spur_tool_hunt_file_t *f)
{
    spur_check_t c;
    media_ctx_t m = {path, f};

    memset(f, 0, sizeof *f);
    if (read_file(path, &f->text, &f->len) < 0)
        return SPUR_EXIT_USAGE;
    spur_check_run(&c, f->text, f->len, read_media, &m);
    /* the problems in file order, like a compiler, then the sum */
    for (size_t i = 0; i < c.n; i++)
        print_diag(path, c.problems[i].line, c.problems[i].col, c.problems[i].warning,
                   c.problems[i].path, c.problems[i].message);
    print_summary(c.errors, c.n - c.errors);
    f->root = c.root;
    f->hunt = c.hunt;
    c.root = NULL;
    c.hunt = NULL;
    if (!f->hunt && !c.n)
        fprintf(stderr,
                SPUR_TR("%s: Fehler: die Rallye wurde abgelehnt\n",
                        "%s: error: the hunt was refused\n"),
                path);
    spur_check_free(&c);
    return f->hunt ? SPUR_EXIT_OK : SPUR_EXIT_INVALID;
}

void spur_tool_hunt_file_free(spur_tool_hunt_file_t *f)
{
    spur_hunt_free(f->hunt);
    spur_tool_media_free(f->media, f->nmedia);
    cJSON_Delete(f->root);
    free(f->text);
    memset(f, 0, sizeof *f);
}

int spur_tool_open_db(const char *path, sqlite3 **db)
{
    char err[512];
    if (spur_store_open(path, db, err, sizeof err) < 0) {
        spur_tool_err("%s", err);
        return -1;
    }
    return 0;
}

int spur_tool_stored_hunt(sqlite3 *db, const char *id, spur_store_hunt_t **all, size_t *n,
                          spur_store_hunt_t **h)
{
    char err[512];
    *h = NULL;
    if (spur_store_hunts(db, all, n, err, sizeof err) < 0) {
        spur_tool_err("%s", err);
        return -1;
    }
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*all)[i].id, id) == 0)
            *h = &(*all)[i];
    return 0;
}

int64_t spur_tool_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

spur_game_t *spur_tool_load_game(const char *db_path, const char *hunt_id, sqlite3 **db,
                                 spur_loaded_t *l)
{
    char err[512];
    memset(l, 0, sizeof(*l));
    *db = NULL;
    if (spur_tool_open_db(db_path, db) < 0)
        return NULL;
    if (spur_store_load(*db, l, err, sizeof err) < 0) {
        spur_tool_err("%s", err);
        return NULL;
    }
    for (size_t i = 0; i < l->ngames; i++)
        if (strcmp(l->games[i]->hunt->id, hunt_id) == 0)
            return l->games[i];
    spur_tool_err(SPUR_TR("%s hat keine Rallye '%s' (oder sie lädt nicht mehr: "
                          "`spur check` hilft)",
                          "%s has no hunt '%s' (or it no longer loads: try `spur check`)"),
                  db_path, hunt_id);
    return NULL;
}

int spur_tool_hunt_open(const char *db_path, const char *hunt_id, spur_tool_hunt_t *t)
{
    memset(t, 0, sizeof *t);
    if (spur_tool_open_db(db_path, &t->db) < 0 ||
        spur_tool_stored_hunt(t->db, hunt_id, &t->all, &t->nall, &t->stored) < 0)
        goto fail;
    if (!t->stored) {
        spur_tool_err(SPUR_TR("%s hat keine Rallye '%s'", "%s has no hunt '%s'"), db_path, hunt_id);
        goto fail;
    }
    t->root = spur_json_parse(t->stored->json, t->stored->json_len, NULL, 0, NULL);
    t->hunt = t->root ? spur_hunt_from_json(t->root, NULL) : NULL;
    if (!t->hunt) {
        spur_tool_err(SPUR_TR("die gespeicherte Rallye %s lädt nicht mehr; bitte korrigieren "
                              "und neu importieren",
                              "the stored hunt %s no longer loads; fix it and import it again"),
                      hunt_id);
        goto fail;
    }
    return 0;
fail:
    spur_tool_hunt_close(t);
    return -1;
}

void spur_tool_hunt_close(spur_tool_hunt_t *t)
{
    spur_hunt_free(t->hunt);
    cJSON_Delete(t->root);
    spur_store_hunts_free(t->all, t->nall);
    spur_store_close(t->db);
    memset(t, 0, sizeof *t);
}

static int base_len(const char *base)
{
    size_t n = strlen(base);
    while (n > 0 && base[n - 1] == '/')
        n--;
    return (int)n;
}

char *spur_tool_scan_url(const spur_tool_hunt_t *t, size_t i, const char *base, char *short_code)
{
    char token[SPUR_TOKEN_LEN + 1];
    const char *place = t->hunt->places[i].id;
    spur_codes_place_token(t->stored->secret, t->hunt->id, place, token);
    if (short_code)
        spur_codes_place_short(t->stored->secret, t->hunt->id, place, short_code);
    return spur_asprintf("%.*s/s/%s", base_len(base), base, token);
}

char *spur_tool_join_url(const spur_tool_hunt_t *t, const char *base)
{
    return spur_asprintf("%.*s/?hunt=%s", base_len(base), base, t->hunt->id);
}

void spur_tool_warn_base_url(const char *base)
{
    if (strcmp(base, SPUR_TOOL_BASE_URL) == 0)
        fprintf(stderr,
                SPUR_TR("spur: Warnung: kein --base-url: die gedruckten Codes zeigen auf %s, das "
                        "nur dieser Rechner erreicht\n",
                        "spur: warning: no --base-url: the printed codes point at %s, which only "
                        "this computer reaches\n"),
                base);
    else if (strncmp(base, "https://", 8) != 0)
        fprintf(stderr,
                SPUR_TR("spur: Warnung: %s ist kein https: Handys öffnen die gedruckten Codes dann "
                        "mit einer Warnung, und die App kann die Kamera nicht selbst nutzen\n",
                        "spur: warning: %s is not https: phones then open the printed codes with "
                        "a warning and the app cannot use the camera itself\n"),
                base);
}

int spur_tool_ec_level(const char *s)
{
    if (!s || !s[0] || s[1])
        return -1;
    switch (s[0]) {
    case 'L':
    case 'l':
        return 'L';
    case 'M':
    case 'm':
        return 'M';
    case 'Q':
    case 'q':
        return 'Q';
    case 'H':
    case 'h':
        return 'H';
    default:
        return -1;
    }
}
