/* Helpers shared by the spur subcommands: error output, reading and validating a
 * hunt file with located diagnostics, and opening the store. Everything printed
 * here goes to stderr; stdout is left to the commands' results. */
#include "tool.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"

#define MAX_FILE_BYTES (16u << 20) /* a hunt file is a few hundred KiB at most */

void spur_tool_err(const char *fmt, ...)
{
    va_list ap;
    fputs("spur: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int spur_tool_usage_error(const char *cmd, const char *fmt, ...)
{
    const spur_tool_cmd_t *c = spur_tool_find_cmd(cmd);
    va_list ap;
    fputs("spur: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (c)
        fprintf(stderr, "usage: %s\n(see `spur help %s`)\n", c->synopsis, c->name);
    return SPUR_EXIT_USAGE;
}

int spur_tool_bad_option(const char *cmd, int c, char **argv)
{
    const char *arg = argv[optind - 1];
    if (c == ':')
        return spur_tool_usage_error(cmd, "%s: option '%s' needs a value", cmd, arg);
    if (optopt && optopt != '?')
        return spur_tool_usage_error(cmd, "%s: unknown option '-%c'", cmd, optopt);
    return spur_tool_usage_error(cmd, "%s: unknown option '%s'", cmd, arg);
}

/* Reads the whole file; prints the reason and returns -1 on failure. */
static int read_file(const char *path, char **text, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    spur_buf_t b = {0};
    char chunk[65536];
    size_t got;

    if (!fp) {
        spur_tool_err("cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        spur_buf_append(&b, chunk, got);
        if (b.len > MAX_FILE_BYTES) {
            spur_tool_err("%s: larger than %u bytes", path, MAX_FILE_BYTES);
            goto fail;
        }
    }
    if (ferror(fp)) {
        spur_tool_err("cannot read %s: %s", path, strerror(errno));
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

typedef struct {
    const spur_diag_t *d;
    int line, col; /* 0 when the path could not be located */
    size_t order;  /* the loader's order, to break ties */
} located_t;

static int by_position(const void *a, const void *b)
{
    const located_t *x = a, *y = b;
    /* unlocated ones last; then by line, column, and the loader's order */
    if ((x->line == 0) != (y->line == 0))
        return x->line == 0 ? 1 : -1;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Prints the loader's diagnostics in file order, like a compiler. */
static void print_diags(const char *path, const char *text, size_t len, const spur_diags_t *diags)
{
    located_t *v = spur_calloc(diags->n, sizeof *v);
    for (size_t i = 0; i < diags->n; i++) {
        const char *dpath = diags->items[i].path ? diags->items[i].path : "";
        v[i].d = &diags->items[i];
        v[i].order = i;
        if (spur_json_locate(text, len, dpath, &v[i].line, &v[i].col) < 0)
            v[i].line = v[i].col = 0;
    }
    qsort(v, diags->n, sizeof *v, by_position);
    for (size_t i = 0; i < diags->n; i++) {
        const char *kind = v[i].d->warning ? "warning" : "error";
        if (v[i].line)
            fprintf(stderr, "%s:%d:%d: %s: %s\n", path, v[i].line, v[i].col, kind, v[i].d->message);
        else
            fprintf(stderr, "%s: %s: at %s: %s\n", path, kind,
                    v[i].d->path && *v[i].d->path ? v[i].d->path : "(root)", v[i].d->message);
    }
    free(v);
}

int spur_tool_load_hunt_file(const char *path, spur_tool_hunt_file_t *f)
{
    char why[256] = "";
    size_t off = 0;
    spur_diags_t diags = {0};
    size_t ndiags;
    int line, col;

    memset(f, 0, sizeof *f);
    if (read_file(path, &f->text, &f->len) < 0)
        return SPUR_EXIT_USAGE;
    f->root = spur_json_parse(f->text, f->len, why, sizeof why, &off);
    if (!f->root) {
        spur_json_line_col(f->text, f->len, off, &line, &col);
        fprintf(stderr, "%s:%d:%d: error: %s\n", path, line, col, why);
        return SPUR_EXIT_INVALID;
    }
    f->hunt = spur_hunt_from_json(f->root, &diags);
    print_diags(path, f->text, f->len, &diags);
    if (f->hunt && diags.errors) {
        /* the loader's contract says this cannot happen; refuse rather than trust it */
        spur_hunt_free(f->hunt);
        f->hunt = NULL;
    }
    ndiags = diags.n;
    spur_diags_free(&diags);
    if (!f->hunt) {
        if (!ndiags)
            fprintf(stderr, "%s: error: the hunt was refused\n", path);
        return SPUR_EXIT_INVALID;
    }
    return SPUR_EXIT_OK;
}

void spur_tool_hunt_file_free(spur_tool_hunt_file_t *f)
{
    spur_hunt_free(f->hunt);
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
