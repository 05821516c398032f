/* Shared pieces of the `spur` command-line tool: the command table, exit codes,
 * error printing, and loading a hunt file or a stored hunt with diagnostics
 * printed the way every subcommand reports them. Single-threaded. */
#ifndef SPUR_TOOL_H
#define SPUR_TOOL_H

#include <stddef.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "game/hunt.h"
#include "store/load.h"
#include "store/store.h"

/* The server's public address when --base-url is not given: spurd's default. */
#define SPUR_TOOL_BASE_URL "http://127.0.0.1:8080"

/* Exit codes of every subcommand. */
enum {
    SPUR_EXIT_OK = 0,
    SPUR_EXIT_INVALID = 1, /* the hunt file has errors */
    SPUR_EXIT_USAGE = 2    /* bad command line, or a runtime failure (I/O, database) */
};

/* A subcommand: argv[0] is its name; returns an exit code. */
typedef int (*spur_tool_run_cb)(int argc, char **argv);

typedef struct {
    const char *name;
    const char *synopsis;                /* one line: "spur check FILE" */
    const char *summary;                 /* one line for `spur --help` */
    const char *details;                 /* the rest of `spur help CMD`, may be NULL */
    spur_tool_run_cb run;                /* NULL only for help, which spur.c handles itself */
    int hidden;                          /* not listed by `spur --help` */
    const char *summary_de, *details_de; /* the same in German, shown by the locale */
} spur_tool_cmd_t;

/* The command named name, or NULL; the table lives in spur.c. */
const spur_tool_cmd_t *spur_tool_find_cmd(const char *name);

int spur_cmd_check(int argc, char **argv);
int spur_cmd_import(int argc, char **argv);
int spur_cmd_qr(int argc, char **argv);
int spur_cmd_new(int argc, char **argv);         /* cmd_new.c */
int spur_cmd_posters(int argc, char **argv);     /* cmd_posters.c */
int spur_cmd_export(int argc, char **argv);      /* cmd_export.c */
int spur_cmd_purge(int argc, char **argv);       /* cmd_purge.c */
int spur_cmd_backup(int argc, char **argv);      /* cmd_backup.c */
int spur_cmd_restore(int argc, char **argv);     /* cmd_backup.c */
int spur_cmd_draw(int argc, char **argv);        /* cmd_draw.c */
int spur_cmd_verify_draw(int argc, char **argv); /* cmd_draw.c */
int spur_cmd_claim(int argc, char **argv);       /* cmd_draw.c */
int spur_cmd_teams(int argc, char **argv);       /* cmd_teams.c */
int spur_cmd_sheet(int argc, char **argv);       /* cmd_sheet.c */

/* The tool's language (msg.c): 1 when LC_ALL, else LC_MESSAGES, else LANG starts
 * with "de". */
int spur_tool_german(void);
/* english, translated into the tool's language when a template matches; a new string
 * the caller frees. */
char *spur_tool_msg(const char *english);
/* The German or the English text, by the tool's language: for the tool's own messages,
 * written side by side where they are used. As a macro the compiler checks both
 * printf formats against the same arguments. */
#define SPUR_TR(de, en) (spur_tool_german() ? (de) : (en))

/* The wall clock, Unix milliseconds. */
int64_t spur_tool_now_ms(void);

/* Prints "spur: <message>\n" to stderr. */
void spur_tool_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "spur: <message>" and the command's synopsis to stderr; returns SPUR_EXIT_USAGE. */
int spur_tool_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* For getopt_long run with opterr = 0 and an optstring starting with ':': reports the
 * option getopt_long just refused (c is '?' or ':') as a usage error; returns
 * SPUR_EXIT_USAGE. */
int spur_tool_bad_option(const char *cmd, int c, char **argv);

/* A hunt file read and validated. Every field is owned; free with spur_tool_hunt_file_free. */
typedef struct {
    char *text; /* the file's bytes, NUL-terminated */
    size_t len;
    cJSON *root;         /* NULL when the file is not valid JSON */
    spur_hunt_t *hunt;   /* NULL when the hunt has errors */
    spur_media_t *media; /* its pictures, re-encoded (tools/media.h) */
    size_t nmedia;
} spur_tool_hunt_file_t;

/* Reads and validates path and the pictures it names (tools/media.h), printing every diagnostic to
 * stderr as "FILE:LINE:COL: error: message" (or "warning:"; "FILE: error: at PATH: message" when
 * the path cannot be located), sorted by position, in the tool's language, then a
 * summary line ("2 errors, 1 warning") when there was any. Returns SPUR_EXIT_OK (f->hunt set),
 * SPUR_EXIT_INVALID or SPUR_EXIT_USAGE (unreadable file). f is filled as far as it got in every
 * case. */
int spur_tool_load_hunt_file(const char *path, spur_tool_hunt_file_t *f);
void spur_tool_hunt_file_free(spur_tool_hunt_file_t *f);

/* Opens the database, printing "spur: ..." on failure. Returns 0 or -1. */
int spur_tool_open_db(const char *path, sqlite3 **db);

/* Opens the database and rebuilds the live state as spurd does (spur_store_load), then
 * returns hunt_id's game, or NULL with "spur: ..." printed. *l is zeroed first, so the
 * caller always frees it with spur_loaded_free and *db with spur_store_close. */
spur_game_t *spur_tool_load_game(const char *db_path, const char *hunt_id, sqlite3 **db,
                                 spur_loaded_t *l);

/* Loads every stored hunt into *all / *n and points *h at hunt `id` (NULL when absent).
 * Prints "spur: ..." on a database failure. Returns 0 or -1; free *all with
 * spur_store_hunts_free. */
int spur_tool_stored_hunt(sqlite3 *db, const char *id, spur_store_hunt_t **all, size_t *n,
                          spur_store_hunt_t **h);

/* A stored hunt opened for reading: the database, the stored row and the hunt as it
 * loads now. Free with spur_tool_hunt_close. */
typedef struct {
    sqlite3 *db;
    spur_store_hunt_t *all; /* every stored hunt; `stored` points into it */
    size_t nall;
    spur_store_hunt_t *stored;
    cJSON *root;
    spur_hunt_t *hunt;
} spur_tool_hunt_t;

/* Opens db_path and loads hunt_id; prints "spur: ..." and returns -1 when the database,
 * the hunt or its stored file is unusable. 0 on success. */
int spur_tool_hunt_open(const char *db_path, const char *hunt_id, spur_tool_hunt_t *t);
void spur_tool_hunt_close(spur_tool_hunt_t *t);

/* "<base>/s/<token>" for place index i (base without trailing slashes); a new string.
 * short_code (SPUR_SHORT_LEN + 1 bytes) gets the printed code, when not NULL. */
char *spur_tool_scan_url(const spur_tool_hunt_t *t, size_t i, const char *base, char *short_code);
/* "<base>/?hunt=<id>": what a phone opens to join the hunt; a new string. */
char *spur_tool_join_url(const spur_tool_hunt_t *t, const char *base);

/* Warns on stderr when the base URL printed codes point at is the default (only this
 * computer reaches it) or not https (phones warn, the app cannot use the camera). */
void spur_tool_warn_base_url(const char *base);

/* Error correction level from "L", "M", "Q" or "H" (any case); -1 when invalid. */
int spur_tool_ec_level(const char *s);

#endif
