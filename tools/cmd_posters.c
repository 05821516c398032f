/* `spur posters --db PATH --hunt ID -o FILE.pdf`: an A4 PDF (cairo) with one page per
 * place, to print and hang there: hunt title, place name and where, a QR code of
 * the place's scan URL at least 12 cm wide (error correction Q by default, never
 * below M, quiet zone of 4 modules), the short code in large letters for people who
 * type, a one-line instruction in the hunt's language and a footer with the hunt's
 * start and end in its time zone ("18.06.2026, 10:00 Uhr" for German hunts). Text uses cairo's toy
 * font API with "DejaVu Sans" (fonts-dejavu-core); the QR code is filled rectangles, so it stays
 * sharp at any printer resolution. Only reads the database; writes only FILE. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <qrencode.h>

#include "core/mem.h"
#include "game/codes.h"
#include "office/tz.h"
#include "tool.h"

#define PT_PER_CM (72.0 / 2.54)
#define PAGE_W 595.28 /* A4 in points */
#define PAGE_H 841.89
#define MARGIN (1.8 * PT_PER_CM)
#define QR_CM 13.0 /* width of the modules alone; the quiet zone comes on top */
#define QUIET 4    /* modules */
#define FONT "DejaVu Sans"
#define FONT_MONO "DejaVu Sans Mono"

typedef struct {
    cairo_t *cr;
    int de;       /* the hunt's language is German */
    spur_tz_t tz; /* the hunt's time zone (UTC when it cannot be read) */
} poster_t;

/* Shows text centred at baseline y in the largest size <= size that fits the page
 * between the margins (but not below 9 pt). Returns the size used. */
static double centred(poster_t *p, const char *text, double y, double size, const char *family,
                      cairo_font_weight_t weight, double grey)
{
    cairo_text_extents_t ext;
    double max_w = PAGE_W - 2 * MARGIN;

    cairo_select_font_face(p->cr, family, CAIRO_FONT_SLANT_NORMAL, weight);
    for (;;) {
        cairo_set_font_size(p->cr, size);
        cairo_text_extents(p->cr, text, &ext);
        if (ext.x_advance <= max_w || size <= 9)
            break;
        size *= 0.92;
    }
    cairo_set_source_rgb(p->cr, grey, grey, grey);
    cairo_move_to(p->cr, (PAGE_W - ext.x_advance) / 2, y);
    cairo_show_text(p->cr, text);
    return size;
}

/* Draws the QR code of text with its top at y, centred; returns its bottom, or -1
 * when the text does not fit a QR code. */
static double draw_qr(poster_t *p, const char *text, QRecLevel level, double y)
{
    QRcode *qr = QRcode_encodeData((int)strlen(text), (const unsigned char *)text, 0, level);
    double m, x0, y0, side;

    if (!qr)
        return -1;
    m = QR_CM * PT_PER_CM / qr->width;
    side = (qr->width + 2 * QUIET) * m;
    x0 = (PAGE_W - side) / 2 + QUIET * m;
    y0 = y + QUIET * m;
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    for (int r = 0; r < qr->width; r++) {
        for (int c = 0; c < qr->width;) {
            int run = 0;
            while (c + run < qr->width && (qr->data[r * qr->width + c + run] & 1))
                run++;
            if (run) {
                /* a hair of overlap, so no renderer shows seams between rows */
                cairo_rectangle(p->cr, x0 + c * m, y0 + r * m, run * m, m + 0.05);
                c += run;
            } else {
                c++;
            }
        }
    }
    cairo_fill(p->cr);
    QRcode_free(qr);
    return y + side;
}

static int draw_page(poster_t *p, const spur_tool_hunt_t *t, size_t i, const char *base,
                     QRecLevel level)
{
    const spur_hunt_t *h = t->hunt;
    const spur_place_t *pl = &h->places[i];
    char code[SPUR_SHORT_LEN + 1], from[40], to[40];
    char *url = spur_tool_scan_url(t, i, base, code);
    char *line;
    double y;

    cairo_set_source_rgb(p->cr, 1, 1, 1);
    cairo_paint(p->cr);
    y = MARGIN + 20;
    centred(p, h->title, y, 22, FONT, CAIRO_FONT_WEIGHT_NORMAL, 0.35);
    y += 52;
    centred(p, pl->name, y, 40, FONT, CAIRO_FONT_WEIGHT_BOLD, 0);
    if (pl->where) {
        y += 30;
        centred(p, pl->where, y, 18, FONT, CAIRO_FONT_WEIGHT_NORMAL, 0.2);
    }
    y = draw_qr(p, url, level, y + 8);
    free(url);
    if (y < 0)
        return -1;
    y += 48;
    centred(p, code, y, 56, FONT_MONO, CAIRO_FONT_WEIGHT_BOLD, 0);
    y += 36;
    centred(p,
            p->de ? "Mit der Handykamera scannen oder den Code in der App eingeben"
                  : "Scan with your phone camera or type the code in the app",
            y, 16, FONT, CAIRO_FONT_WEIGHT_NORMAL, 0);
    y += 22;
    line = spur_asprintf("%.*s", (int)strcspn(base, "?#"), base);
    centred(p, line, y, 13, FONT, CAIRO_FONT_WEIGHT_NORMAL, 0.35);
    free(line);

    spur_tz_format(&p->tz, h->starts_at, p->de, from, sizeof from);
    spur_tz_format(&p->tz, h->ends_at, p->de, to, sizeof to);
    line = spur_asprintf(p->de ? "%s · vom %s bis %s" : "%s · %s to %s", h->title, from, to);
    centred(p, line, PAGE_H - MARGIN, 11, FONT, CAIRO_FONT_WEIGHT_NORMAL, 0.35);
    free(line);
    cairo_show_page(p->cr);
    return 0;
}

/* Frees cairo's font caches and fontconfig's configuration, so leak checkers (the
 * ASan test build) see only our own memory; what cairo's own test suite does. */
static void release_font_caches(void)
{
    cairo_debug_reset_static_data();
    FcFini();
}

int spur_cmd_posters(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},  {"hunt", required_argument, NULL, 'H'},
        {"out", required_argument, NULL, 'o'}, {"base-url", required_argument, NULL, 'b'},
        {"ec", required_argument, NULL, 'e'},  {NULL, 0, NULL, 0},
    };
    const char *db_path = NULL, *hunt_id = NULL, *out = NULL, *base = SPUR_TOOL_BASE_URL;
    QRecLevel level = QR_ECLEVEL_Q;
    int c, ec, rc = SPUR_EXIT_USAGE;
    spur_tool_hunt_t t;
    cairo_surface_t *surf;
    poster_t p = {0};

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
        case 'b':
            base = optarg;
            break;
        case 'e':
            ec = spur_tool_ec_level(optarg);
            if (ec != 'M' && ec != 'Q' && ec != 'H')
                return spur_tool_usage_error("posters",
                                             SPUR_TR("posters: --ec muss M, Q oder H sein "
                                                     "(gedruckte Codes werden schmutzig)",
                                                     "posters: --ec must be M, Q or H "
                                                     "(printed codes get dirty)"));
            level = ec == 'M' ? QR_ECLEVEL_M : ec == 'H' ? QR_ECLEVEL_H : QR_ECLEVEL_Q;
            break;
        default:
            return spur_tool_bad_option("posters", c, argv);
        }
    }
    if (optind != argc)
        return spur_tool_usage_error(
            "posters",
            SPUR_TR("posters: unerwartetes Argument '%s'", "posters: unexpected argument '%s'"),
            argv[optind]);
    if (!db_path || !hunt_id || !out)
        return spur_tool_usage_error("posters",
                                     SPUR_TR("posters braucht --db PFAD, --hunt ID und -o DATEI",
                                             "posters needs --db PATH, --hunt ID and -o FILE"));

    if (spur_tool_hunt_open(db_path, hunt_id, &t) < 0)
        return SPUR_EXIT_USAGE;
    if (t.hunt->nplaces == 0) {
        spur_tool_err(SPUR_TR("Rallye %s hat keine Orte, es gibt also nichts zu drucken",
                              "hunt %s has no places, so there is nothing to print"),
                      hunt_id);
        goto close_hunt;
    }
    surf = cairo_pdf_surface_create(out, PAGE_W, PAGE_H);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        spur_tool_err(SPUR_TR("kann %s nicht schreiben: %s", "cannot write %s: %s"), out,
                      cairo_status_to_string(cairo_surface_status(surf)));
        cairo_surface_destroy(surf);
        goto close_hunt;
    }
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, t.hunt->title);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "spur posters");
    p.cr = cairo_create(surf);
    p.de = strcmp(t.hunt->language, "de") == 0;
    if (spur_tz_load(&p.tz, t.hunt->time_zone, NULL) < 0)
        spur_tool_err(SPUR_TR("Warnung: Zeitzone %s nicht lesbar; die Aushänge zeigen UTC",
                              "warning: time zone %s cannot be read; the posters show UTC"),
                      t.hunt->time_zone);
    rc = SPUR_EXIT_OK;
    for (size_t i = 0; i < t.hunt->nplaces && rc == SPUR_EXIT_OK; i++)
        if (draw_page(&p, &t, i, base, level) < 0) {
            spur_tool_err(SPUR_TR("die Scan-Adresse von %s passt in keinen QR-Code: --base-url "
                                  "kürzen",
                                  "the scan URL of %s does not fit a QR code: shorten --base-url"),
                          t.hunt->places[i].id);
            rc = SPUR_EXIT_USAGE;
        }
    cairo_destroy(p.cr);
    cairo_surface_finish(surf);
    if (rc == SPUR_EXIT_OK && cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        spur_tool_err(SPUR_TR("kann %s nicht schreiben: %s", "cannot write %s: %s"), out,
                      cairo_status_to_string(cairo_surface_status(surf)));
        rc = SPUR_EXIT_USAGE;
    }
    cairo_surface_destroy(surf);
    release_font_caches();
    spur_tz_free(&p.tz);
    if (rc == SPUR_EXIT_OK && strcmp(base, SPUR_TOOL_BASE_URL) == 0)
        fprintf(stderr,
                SPUR_TR("spur: Warnung: kein --base-url: die Aushänge zeigen auf %s, das nur "
                        "dieser Rechner erreicht\n",
                        "spur: warning: no --base-url: the posters point at %s, which only "
                        "this computer reaches\n"),
                base);
    else if (rc == SPUR_EXIT_OK && strncmp(base, "https://", 8) != 0)
        fprintf(stderr,
                SPUR_TR("spur: Warnung: %s ist kein https: Handys öffnen die Aushänge dann mit "
                        "einer Warnung, und die App kann die Kamera nicht selbst nutzen\n",
                        "spur: warning: %s is not https: phones then open the posters with a "
                        "warning and the app cannot use the camera itself\n"),
                base);
    if (rc == SPUR_EXIT_OK)
        printf(SPUR_TR("%s: %zu %s\n", "%s: %zu %s\n"), out, t.hunt->nplaces,
               spur_tool_german() ? (t.hunt->nplaces == 1 ? "Aushang" : "Aushänge")
                                  : (t.hunt->nplaces == 1 ? "poster" : "posters"));
close_hunt:
    spur_tool_hunt_close(&t);
    return rc;
}
