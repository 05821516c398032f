/* The hunt file check shared by `spur check` and POST /api/admin/check (check.h).
 * Keeps true: problems are exactly the parse error or the diagnostics, each once, in
 * a total order (line, column, the order the checks found them), so the tool and the
 * API list the same problems the same way. */
#include "check.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "office/tz.h"

typedef struct {
    spur_check_problem_t p;
    size_t order; /* the checks' order, to break ties */
} located_t;

static int by_position(const void *a, const void *b)
{
    const located_t *x = a, *y = b;
    /* unlocated ones last; then by line, column, and the checks' order */
    if ((x->p.line == 0) != (y->p.line == 0))
        return x->p.line == 0 ? 1 : -1;
    if (x->p.line != y->p.line)
        return x->p.line < y->p.line ? -1 : 1;
    if (x->p.col != y->p.col)
        return x->p.col < y->p.col ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* The rules check only the shape of "time_zone" (they do no I/O); here the zone must
 * also exist in the system's tzdata, else every time shown would silently be UTC. An
 * absent key means the default, which is not the author's mistake. */
static void check_zone(const spur_hunt_t *h, const cJSON *root, spur_diags_t *diags)
{
    spur_tz_t tz;
    int rc;
    if (!cJSON_GetObjectItemCaseSensitive(root, "time_zone"))
        return;
    rc = spur_tz_load(&tz, h->time_zone, NULL);
    spur_tz_free(&tz);
    if (rc == -ENOENT)
        spur_diags_add(diags, 0, "time_zone",
                       "unknown time zone \"%s\" (no %s/%s; is the tzdata package installed?)",
                       h->time_zone, spur_tz_dir(), h->time_zone);
    else if (rc < 0)
        spur_diags_add(diags, 0, "time_zone", "time zone \"%s\" cannot be read from %s/%s: %s",
                       h->time_zone, spur_tz_dir(), h->time_zone, strerror(-rc));
}

/* The diagnostics located in text (one walk through it for all of them) and sorted
 * into c->problems. */
static void locate(spur_check_t *c, const char *text, size_t len)
{
    const spur_diags_t *d = &c->diags;
    size_t n = d->n ? d->n : 1;
    located_t *v = spur_calloc(n, sizeof *v);
    const char **paths = spur_calloc(n, sizeof *paths);
    int *lines = spur_calloc(n, sizeof *lines), *cols = spur_calloc(n, sizeof *cols);

    for (size_t i = 0; i < d->n; i++)
        paths[i] = d->items[i].path ? d->items[i].path : "";
    spur_json_locate_many(text, len, paths, d->n, lines, cols);
    for (size_t i = 0; i < d->n; i++) {
        v[i].p.line = lines[i];
        v[i].p.col = cols[i];
        v[i].p.warning = d->items[i].warning;
        v[i].p.path = paths[i];
        v[i].p.message = d->items[i].message;
        v[i].order = i;
    }
    qsort(v, d->n, sizeof *v, by_position);
    c->problems = spur_calloc(n, sizeof *c->problems);
    for (size_t i = 0; i < d->n; i++)
        c->problems[i] = v[i].p;
    c->n = d->n;
    c->errors = d->errors;
    free(lines);
    free(cols);
    free(paths);
    free(v);
}

void spur_check_run(spur_check_t *c, const char *text, size_t len, spur_check_extra_cb extra,
                    void *data)
{
    size_t off = 0;

    memset(c, 0, sizeof *c);
    c->root = spur_json_parse(text, len, c->parse_error, sizeof c->parse_error, &off);
    if (!c->root) {
        c->problems = spur_calloc(1, sizeof *c->problems);
        spur_json_line_col(text, len, off, &c->problems[0].line, &c->problems[0].col);
        c->problems[0].path = "";
        c->problems[0].message = c->parse_error;
        c->n = c->errors = 1;
        return;
    }
    c->hunt = spur_hunt_from_json(c->root, &c->diags);
    if (c->hunt)
        check_zone(c->hunt, c->root, &c->diags);
    if (c->hunt && extra)
        extra(c->hunt, &c->diags, data);
    if (c->hunt && c->diags.errors) {
        /* the rules' contract says they cannot pass a hunt with an error, but the later
           checks can find one: refuse rather than trust it */
        spur_hunt_free(c->hunt);
        c->hunt = NULL;
    }
    locate(c, text, len);
}

void spur_check_free(spur_check_t *c)
{
    free(c->problems);
    spur_hunt_free(c->hunt);
    cJSON_Delete(c->root);
    spur_diags_free(&c->diags);
    memset(c, 0, sizeof *c);
}
