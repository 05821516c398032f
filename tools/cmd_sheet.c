/* `spur sheet --db PATH --hunt ID -o FILE.pdf`: the organizers' answer sheet, an A4 PDF
 * marked confidential on every page: each puzzle in hunt order with its clue, the
 * accepted answers as written in the hunt file (or the number and its tolerance, or
 * the choices with the right one marked), the partial answers with their messages,
 * the hints and their costs, what it requires and when it opens, and its place with
 * the place's short code, so the office can help a team on the phone. Only reads the
 * database; writes only FILE. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "game/codes.h"
#include "game/markdown.h"
#include "print.h"

typedef struct {
    spur_print_t *p;
    int page;
} sheet_t;

/* Every page starts with the confidential line and the page number. */
static void page_head(void *data)
{
    sheet_t *s = data;
    spur_print_t *p = s->p;
    char *line;
    s->page++;
    cairo_set_source_rgb(p->cr, 0.7, 0.1, 0.1);
    cairo_rectangle(p->cr, 0, 0, SPUR_A4_W, 0.9 * SPUR_PT_PER_CM);
    cairo_fill(p->cr);
    line = spur_asprintf(p->de ? "VERTRAULICH – nur für das Orga-Team · %s · Seite %d"
                               : "CONFIDENTIAL – organizers only · %s · page %d",
                         p->hunt->title, s->page);
    spur_print_centred(p, line, 0.6 * SPUR_PT_PER_CM, 10, SPUR_FONT, CAIRO_FONT_WEIGHT_BOLD, 1);
    free(line);
    p->y = p->margin;
}

/* The answers of puzzle k as written in the hunt file (the model keeps them
 * normalised), one line each. */
static void answers(spur_print_t *p, const cJSON *pj, const spur_puzzle_t *pz)
{
    const cJSON *ans = cJSON_GetObjectItemCaseSensitive(pj, "answer"), *v;
    spur_buf_t b = {0};
    switch (pz->kind) {
    case SPUR_KIND_SCAN:
        spur_buf_puts(&b, p->de ? "Gelöst durch Scannen des Codes am Ort."
                                : "Solved by scanning the place's code.");
        break;
    case SPUR_KIND_CHECKIN:
        spur_buf_printf(&b,
                        p->de ? "Gelöst am Ort: Standort im Umkreis von %d m, oder Code/Scan."
                              : "Solved at the place: position within %d m, or code/scan.",
                        pz->radius);
        break;
    case SPUR_KIND_PHOTO:
        spur_buf_puts(&b, pz->review == SPUR_REVIEW_AUTO
                              ? (p->de ? "Foto: zählt sofort; das Orga-Team kann es widerrufen."
                                       : "Photo: counts at once; staff may revoke it.")
                              : (p->de ? "Foto: zählt, sobald das Orga-Team es freigibt."
                                       : "Photo: counts once staff approve it."));
        break;
    case SPUR_KIND_NUMBER:
        spur_buf_printf(&b, p->de ? "Zahl: %g (Toleranz ± %g)" : "Number: %g (tolerance ± %g)",
                        pz->number, pz->tolerance);
        break;
    case SPUR_KIND_CHOICE:
        spur_buf_puts(&b, p->de ? "Auswahl:" : "Choices:");
        for (size_t i = 0; i < pz->nchoices; i++)
            spur_buf_printf(&b, "\n   %s %s", (int)i == pz->correct ? "[x]" : "[ ]",
                            pz->choices[i]);
        break;
    case SPUR_KIND_TEXT:
        spur_buf_puts(&b, p->de ? "Richtig:" : "Accepted:");
        cJSON_ArrayForEach(v,
                           cJSON_GetObjectItemCaseSensitive(ans, "accept")) if (cJSON_IsString(v))
            spur_buf_printf(&b, "\n   „%s“", v->valuestring);
        v = cJSON_GetObjectItemCaseSensitive(ans, "partial");
        if (cJSON_IsObject(v) && v->child) {
            spur_buf_puts(&b, p->de ? "\nTeilweise richtig (Antwort → Meldung):"
                                    : "\nPartial (answer → message):");
            for (const cJSON *e = v->child; e; e = e->next)
                if (cJSON_IsString(e))
                    spur_buf_printf(&b, "\n   „%s“ → %s", e->string, e->valuestring);
        }
        break;
    }
    spur_print_para(p, b.data, 11, CAIRO_FONT_WEIGHT_BOLD, 40);
    spur_buf_free(&b);
}

static void puzzle(spur_print_t *p, const spur_tool_hunt_t *t, size_t k)
{
    const spur_hunt_t *h = t->hunt;
    const spur_puzzle_t *pz = &h->puzzles[k];
    const cJSON *pj =
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(t->root, "puzzles"), (int)k);
    spur_buf_t b = {0};
    char *head = spur_asprintf(p->de ? "%zu. %s  (%s, %d Punkte)" : "%zu. %s  (%s, %d points)",
                               k + 1, pz->title, pz->id, pz->points);

    p->y += 8;
    spur_print_para(p, head, 14, CAIRO_FONT_WEIGHT_BOLD, 120);
    free(head);
    if (pz->clue && *pz->clue) { /* Markdown: on paper its words, without the syntax */
        char *clue = spur_markdown_plain(pz->clue, strlen(pz->clue));
        if (*clue)
            spur_print_para(p, clue, 11, CAIRO_FONT_WEIGHT_NORMAL, 30);
        free(clue);
    }
    answers(p, pj, pz);
    if (pz->place >= 0) {
        char code[SPUR_SHORT_LEN + 1];
        const spur_place_t *pl = &h->places[pz->place];
        free(spur_tool_scan_url(t, (size_t)pz->place, SPUR_TOOL_BASE_URL, code));
        spur_buf_printf(&b, p->de ? "Ort: %s%s%s · Kurzcode %s" : "Place: %s%s%s · short code %s",
                        pl->name, pl->where ? " – " : "", pl->where ? pl->where : "", code);
    }
    if (pz->nrequires) {
        spur_buf_puts(&b, b.len ? "\n" : "");
        spur_buf_puts(&b, p->de ? "Erst nach: " : "Only after: ");
        for (size_t i = 0; i < pz->nrequires; i++)
            spur_buf_printf(&b, "%s„%s“", i ? ", " : "", h->puzzles[pz->requires[i]].title);
    }
    if (pz->opens_at) {
        char when[40];
        spur_print_time(p, pz->opens_at, when, sizeof when);
        spur_buf_printf(&b, "%s%s%s", b.len ? "\n" : "", p->de ? "Öffnet: " : "Opens: ", when);
    }
    for (size_t i = 0; i < pz->nhints; i++) {
        char *hint = spur_markdown_plain(pz->hints[i].text, strlen(pz->hints[i].text));
        spur_buf_printf(&b, p->de ? "%sTipp %zu (−%d): %s" : "%sHint %zu (−%d): %s",
                        b.len ? "\n" : "", i + 1, pz->hints[i].cost, hint);
        free(hint);
    }
    if (b.len)
        spur_print_para(p, b.data, 10, CAIRO_FONT_WEIGHT_NORMAL, 30);
    spur_buf_free(&b);
}

int spur_cmd_sheet(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"hunt", required_argument, NULL, 'H'},
        {"out", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    const char *db_path = NULL, *hunt_id = NULL, *out = NULL;
    int c, rc = SPUR_EXIT_USAGE;
    spur_tool_hunt_t t;
    spur_print_t p;
    sheet_t s = {&p, 0};

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db_path = optarg;
            break;
        case 'H':
            hunt_id = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        default:
            return spur_tool_bad_option("sheet", c, argv);
        }
    }
    if (optind != argc)
        return spur_tool_usage_error(
            "sheet",
            SPUR_TR("sheet: unerwartetes Argument '%s'", "sheet: unexpected argument '%s'"),
            argv[optind]);
    if (!db_path || !hunt_id || !out)
        return spur_tool_usage_error("sheet",
                                     SPUR_TR("sheet braucht --db PFAD, --hunt ID und -o DATEI",
                                             "sheet needs --db PATH, --hunt ID and -o FILE"));
    if (spur_tool_hunt_open(db_path, hunt_id, &t) < 0)
        return SPUR_EXIT_USAGE;
    if (spur_print_open(&p, out, t.hunt, "spur sheet") == 0) {
        p.on_page = page_head;
        p.data = &s;
        cairo_set_source_rgb(p.cr, 1, 1, 1);
        cairo_paint(p.cr);
        page_head(&s);
        spur_print_para(&p, t.hunt->title, 20, CAIRO_FONT_WEIGHT_BOLD, 40);
        spur_print_para(&p,
                        p.de ? "Lösungsblatt: alle Rätsel mit ihren Antworten. Nicht aushängen, "
                               "nicht weitergeben."
                             : "Answer sheet: every puzzle with its answers. Do not post or "
                               "pass on.",
                        11, CAIRO_FONT_WEIGHT_NORMAL, 30);
        for (size_t k = 0; k < t.hunt->npuzzles; k++)
            puzzle(&p, &t, k);
        cairo_show_page(p.cr);
        rc = spur_print_close(&p) == 0 ? SPUR_EXIT_OK : SPUR_EXIT_USAGE;
    }
    if (rc == SPUR_EXIT_OK)
        printf(SPUR_TR("%s: Lösungsblatt, %d %s, vertraulich\n",
                       "%s: answer sheet, %d %s, confidential\n"),
               out, s.page,
               spur_tool_german() ? (s.page == 1 ? "Seite" : "Seiten")
                                  : (s.page == 1 ? "page" : "pages"));
    spur_tool_hunt_close(&t);
    return rc;
}
