/* The office workbook (xlsx.h): sheet "Rangliste" with the ranking, then one sheet
 * per drawn prize with its winners and reserves, their claim codes and an empty
 * "ausgegeben" column to tick off at the hand-over. German headers (the office is
 * German), bold, frozen, with an autofilter; times as real Excel date-times in the
 * hunt's time zone, shown as "18.06.2026 10:00".
 *
 * Keeps true: staff test teams appear nowhere; contact data is never read; a team's
 * name is written as a string cell, which Excel never runs as a formula. Rows are
 * written in order, so libxlsxwriter's constant-memory mode holds only one row of a
 * big hunt at a time. */
#include "office/xlsx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "office/tz.h"

#define SHEET_NAME_MAX 31 /* characters, Excel's limit */

void spur_office_take(spur_office_results_t *r, const spur_game_t *g, const spur_draw_pub_t *draws,
                      size_t ndraws)
{
    const spur_hunt_t *h = g->hunt;

    memset(r, 0, sizeof(*r));
    r->hunt_id = spur_strdup(h->id);
    r->title = spur_strdup(h->title);
    r->time_zone = spur_strdup(h->time_zone ? h->time_zone : SPUR_TZ_DEFAULT);
    r->teams = spur_calloc(g->nranked ? g->nranked : 1, sizeof(*r->teams));
    for (size_t i = 0; i < g->nranked; i++) { /* test teams are not ranked: not here */
        const spur_team_t *t = g->rank[i];
        spur_office_team_t *o = &r->teams[r->nteams++];
        o->id = t->id;
        o->name = spur_strdup(t->name);
        o->score = t->score;
        o->solved = t->nsolved;
        o->hints = spur_game_team_hints(g, t);
        o->last_solve = t->last_solve;
        o->hidden = t->hidden;
    }
    r->prizes = spur_calloc(ndraws ? ndraws : 1, sizeof(*r->prizes));
    for (size_t i = 0; i < ndraws; i++) {
        const spur_draw_pub_t *d = &draws[i];
        spur_office_prize_t *p;
        int pi;
        if (strcmp(d->hunt_id, h->id) != 0)
            continue;
        p = &r->prizes[r->nprizes++];
        pi = spur_hunt_prize_index(h, d->prize_id);
        p->prize_id = spur_strdup(d->prize_id);
        p->prize_name = spur_strdup(pi >= 0 ? h->prizes[pi].name : d->prize_name);
        p->drawn_at = d->drawn_at;
        p->picks = spur_calloc(d->nwinners + d->nreserves + 1, sizeof(*p->picks));
        for (size_t k = 0; k < d->nwinners + d->nreserves; k++) {
            int64_t id = k < d->nwinners ? d->winners[k] : d->reserves[k - d->nwinners];
            const spur_team_t *t = spur_game_team_by_id(g, id);
            spur_office_pick_t *o;
            if (t && t->test)
                continue;
            o = &p->picks[p->npicks++];
            o->team_id = id;
            o->team_name = spur_strdup(t ? t->name : "");
            o->reserve = k < d->nwinners ? 0 : k - d->nwinners + 1;
            o->place = k < d->nwinners ? k + 1 : o->reserve;
            spur_codes_claim_code(g->secret, h->id, d->prize_id, (long long)id, o->claim_code);
        }
    }
}

void spur_office_results_free(spur_office_results_t *r)
{
    for (size_t i = 0; i < r->nteams; i++)
        free(r->teams[i].name);
    for (size_t i = 0; i < r->nprizes; i++) {
        for (size_t k = 0; k < r->prizes[i].npicks; k++)
            free(r->prizes[i].picks[k].team_name);
        free(r->prizes[i].picks);
        free(r->prizes[i].prize_id);
        free(r->prizes[i].prize_name);
    }
    free(r->teams);
    free(r->prizes);
    free(r->hunt_id);
    free(r->title);
    free(r->time_zone);
    memset(r, 0, sizeof(*r));
}

/* ---- the workbook ---- */

typedef struct {
    lxw_workbook *wb;
    lxw_format *head, *when;
    spur_tz_t tz;
    char **names; /* sheet names given so far (Excel compares them ignoring case) */
    size_t nnames;
} book_t;

/* s cut to at most max characters, never inside a UTF-8 sequence. A new string. */
static char *cut_chars(const char *s, size_t max)
{
    size_t chars = 0, i;
    for (i = 0; s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars > max)
            break;
    return spur_strndup(s, i);
}

static int name_taken(const book_t *b, const char *name)
{
    for (size_t i = 0; i < b->nnames; i++)
        if (strcasecmp(b->names[i], name) == 0)
            return 1;
    return 0;
}

/* A sheet name Excel accepts from a prize name: no []:*?/\ or control characters,
 * no apostrophe at either end, at most 31 characters, not empty (else fallback),
 * unique ignoring case (" (2)", " (3)", ... appended). Remembered; a new string. */
static char *sheet_name(book_t *b, const char *want, const char *fallback)
{
    spur_buf_t s = {0};
    char *base, *name;

    for (const char *p = want; *p; p++) {
        unsigned char c = (unsigned char)*p;
        spur_buf_append(&s, strchr("[]:*?/\\", c) || c < 0x20 ? "_" : p, 1);
    }
    while (s.len && (s.data[s.len - 1] == '\'' || s.data[s.len - 1] == ' '))
        s.data[--s.len] = '\0';
    if (!s.len || s.data[0] == '\'') {
        spur_buf_free(&s);
        spur_buf_puts(&s, fallback);
    }
    base = spur_buf_steal(&s, NULL);
    name = cut_chars(base, SHEET_NAME_MAX);
    for (int n = 2; name_taken(b, name); n++) {
        char suffix[16];
        int sl = snprintf(suffix, sizeof(suffix), " (%d)", n);
        char *stem = cut_chars(base, SHEET_NAME_MAX - (size_t)sl);
        free(name);
        name = spur_asprintf("%s%s", stem, suffix);
        free(stem);
    }
    free(base);
    b->names = spur_realloc(b->names, (b->nnames + 1) * sizeof(*b->names));
    b->names[b->nnames++] = spur_strdup(name);
    return name;
}

static void write_when(book_t *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, int64_t ms)
{
    struct tm tm;
    lxw_datetime dt;
    if (!ms) {
        worksheet_write_blank(ws, row, col, b->when);
        return;
    }
    spur_tz_local(&b->tz, ms / 1000, &tm);
    dt.year = tm.tm_year + 1900;
    dt.month = tm.tm_mon + 1;
    dt.day = tm.tm_mday;
    dt.hour = tm.tm_hour;
    dt.min = tm.tm_min;
    dt.sec = tm.tm_sec + (double)(ms % 1000) / 1000.0;
    worksheet_write_datetime(ws, row, col, &dt, b->when);
}

/* A header row: bold, frozen, with an autofilter over last_row rows of data. */
static void header(book_t *b, lxw_worksheet *ws, const char *const *cols, const double *widths,
                   size_t n, size_t rows)
{
    for (size_t c = 0; c < n; c++) {
        worksheet_write_string(ws, 0, (lxw_col_t)c, cols[c], b->head);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_autofilter(ws, 0, 0, (lxw_row_t)rows, (lxw_col_t)(n - 1));
}

static void ranking_sheet(book_t *b, const spur_office_results_t *r, int tz_ok)
{
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Rangliste");
    char last[96];
    const char *cols[] = {"Rang",  "Team", "Punkte",  "Gelöst",
                          "Tipps", last,   "Team-ID", "verborgen"};
    static const double widths[] = {7, 32, 9, 9, 8, 24, 10, 11};

    b->names = spur_realloc(b->names, (b->nnames + 1) * sizeof(*b->names));
    b->names[b->nnames++] = spur_strdup("Rangliste");
    snprintf(last, sizeof(last), "Letzte Lösung (%s)", tz_ok ? r->time_zone : "UTC");
    header(b, ws, cols, widths, sizeof(cols) / sizeof(*cols), r->nteams);
    for (size_t i = 0; i < r->nteams; i++) {
        const spur_office_team_t *t = &r->teams[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        worksheet_write_number(ws, row, 0, (double)(i + 1), NULL);
        worksheet_write_string(ws, row, 1, t->name, NULL);
        worksheet_write_number(ws, row, 2, t->score, NULL);
        worksheet_write_number(ws, row, 3, t->solved, NULL);
        worksheet_write_number(ws, row, 4, t->hints, NULL);
        write_when(b, ws, row, 5, t->last_solve);
        worksheet_write_number(ws, row, 6, (double)t->id, NULL);
        worksheet_write_string(ws, row, 7, t->hidden ? "ja" : "nein", NULL);
    }
}

static void prize_sheet(book_t *b, const spur_office_prize_t *p)
{
    char *name = sheet_name(b, p->prize_name, p->prize_id);
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, name);
    static const char *const cols[] = {"Platz", "Team-ID", "Team", "Abholcode", "ausgegeben"};
    static const double widths[] = {15, 10, 32, 13, 14};

    free(name);
    if (!ws)
        return; /* workbook_close reports it */
    header(b, ws, cols, widths, sizeof(cols) / sizeof(*cols), p->npicks);
    for (size_t k = 0; k < p->npicks; k++) {
        const spur_office_pick_t *o = &p->picks[k];
        lxw_row_t row = (lxw_row_t)(k + 1);
        char place[32];
        snprintf(place, sizeof(place), "%s %zu", o->reserve ? "Nachrücker" : "Gewinner", o->place);
        worksheet_write_string(ws, row, 0, place, NULL);
        worksheet_write_number(ws, row, 1, (double)o->team_id, NULL);
        worksheet_write_string(ws, row, 2, o->team_name, NULL);
        worksheet_write_string(ws, row, 3, o->claim_code, NULL);
        worksheet_write_blank(ws, row, 4, NULL);
    }
}

int spur_office_xlsx_write(const spur_office_results_t *r, const char *path, char *err,
                           size_t err_size)
{
    char tmpdir[256];
    const char *td = getenv("TMPDIR");
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .use_zip64 = LXW_TRUE};
    lxw_doc_properties props = {0};
    book_t b = {0};
    lxw_error e;
    int tz_ok;

    snprintf(tmpdir, sizeof(tmpdir), "%s", td && *td ? td : "/tmp");
    opt.tmpdir = tmpdir;
    b.wb = workbook_new_opt(path, &opt);
    if (!b.wb) {
        snprintf(err, err_size, "kann %s nicht anlegen / cannot create %s: %s", path, path,
                 strerror(errno));
        return -1;
    }
    tz_ok = spur_tz_load(&b.tz, r->time_zone, NULL) == 0;
    props.title = r->title;
    props.subject = "Ergebnisse / results";
    props.author = "spur";
    workbook_set_properties(b.wb, &props);
    b.head = workbook_add_format(b.wb);
    format_set_bold(b.head);
    format_set_bottom(b.head, LXW_BORDER_THIN);
    b.when = workbook_add_format(b.wb);
    format_set_num_format(b.when, "dd.mm.yyyy hh:mm");
    format_set_align(b.when, LXW_ALIGN_LEFT);

    ranking_sheet(&b, r, tz_ok);
    for (size_t i = 0; i < r->nprizes; i++)
        prize_sheet(&b, &r->prizes[i]);
    e = workbook_close(b.wb);
    spur_tz_free(&b.tz);
    for (size_t i = 0; i < b.nnames; i++)
        free(b.names[i]);
    free(b.names);
    if (e != LXW_NO_ERROR) {
        snprintf(err, err_size, "Arbeitsmappe %s nicht geschrieben / workbook %s not written: %s",
                 path, path, lxw_strerror(e));
        return -1;
    }
    return 0;
}

int spur_office_xlsx(const spur_office_results_t *r, spur_buf_t *out, char *err, size_t err_size)
{
    const char *td = getenv("TMPDIR");
    char *path = spur_asprintf("%s/spur-xlsx-XXXXXX", td && *td ? td : "/tmp");
    int fd = mkstemp(path), rc = -1;
    FILE *fp = NULL;
    char chunk[65536];
    size_t got;

    if (fd < 0) {
        snprintf(err, err_size, "keine temporäre Datei / no temporary file in %s: %s",
                 td && *td ? td : "/tmp", strerror(errno));
        goto out;
    }
    close(fd); /* libxlsxwriter opens it by name; mkstemp made it ours (0600) */
    if (spur_office_xlsx_write(r, path, err, err_size) < 0)
        goto out;
    fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, err_size, "%s: %s", path, strerror(errno));
        goto out;
    }
    while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
        spur_buf_append(out, chunk, got);
    if (ferror(fp)) {
        snprintf(err, err_size, "%s: %s", path, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (fp)
        fclose(fp);
    if (fd >= 0)
        unlink(path);
    free(path);
    return rc;
}
