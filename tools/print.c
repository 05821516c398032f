/* Layout helpers for the printed products; see print.h. */
#include "print.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>

#include "core/mem.h"
#include "media.h"

int spur_print_open(spur_print_t *p, const char *out, const spur_hunt_t *h, const char *what)
{
    unsigned r = 0x1d, g = 0x54, b = 0x43; /* spur's green, as in the app */

    memset(p, 0, sizeof(*p));
    p->path = out;
    p->hunt = h;
    p->margin = 1.8 * SPUR_PT_PER_CM;
    p->de = strcmp(h->language, "de") == 0;
    p->surf = cairo_pdf_surface_create(out, SPUR_A4_W, SPUR_A4_H);
    if (cairo_surface_status(p->surf) != CAIRO_STATUS_SUCCESS) {
        spur_tool_err(SPUR_TR("kann %s nicht schreiben: %s", "cannot write %s: %s"), out,
                      cairo_status_to_string(cairo_surface_status(p->surf)));
        cairo_surface_destroy(p->surf);
        return -1;
    }
    cairo_pdf_surface_set_metadata(p->surf, CAIRO_PDF_METADATA_TITLE, h->title);
    cairo_pdf_surface_set_metadata(p->surf, CAIRO_PDF_METADATA_CREATOR, what);
    p->cr = cairo_create(p->surf);
    if (h->brand_accent && spur_hunt_accent_contrast(h->brand_accent) >= 4.5)
        sscanf(h->brand_accent + 1, "%2x%2x%2x", &r, &g, &b);
    p->accent[0] = r / 255.0, p->accent[1] = g / 255.0, p->accent[2] = b / 255.0;
    if (spur_tz_load(&p->tz, h->time_zone, NULL) < 0)
        spur_tool_err(SPUR_TR("Warnung: Zeitzone %s nicht lesbar; gedruckt wird UTC",
                              "warning: time zone %s cannot be read; UTC is printed"),
                      h->time_zone);
    return 0;
}

int spur_print_close(spur_print_t *p)
{
    int rc = 0;
    cairo_destroy(p->cr);
    cairo_surface_finish(p->surf);
    if (cairo_surface_status(p->surf) != CAIRO_STATUS_SUCCESS) {
        spur_tool_err(SPUR_TR("kann %s nicht schreiben: %s", "cannot write %s: %s"), p->path,
                      cairo_status_to_string(cairo_surface_status(p->surf)));
        rc = -1;
    }
    cairo_surface_destroy(p->surf);
    if (p->logo)
        cairo_surface_destroy(p->logo);
    p->logo = NULL;
    spur_tz_free(&p->tz);
    /* cairo's font caches and fontconfig's configuration go too, so leak checkers (the
       ASan test build) see only our own memory; what cairo's own test suite does */
    cairo_debug_reset_static_data();
    FcFini();
    return rc;
}

/* Shrinks text from size until it fits max_w (or reaches min); leaves the font set and
 * its extents in *ext. Returns the size used. */
static double fit_text(spur_print_t *p, const char *text, double max_w, double size, double min,
                       const char *family, cairo_font_weight_t weight, cairo_text_extents_t *ext)
{
    cairo_select_font_face(p->cr, family, CAIRO_FONT_SLANT_NORMAL, weight);
    for (;;) {
        cairo_set_font_size(p->cr, size);
        cairo_text_extents(p->cr, text, ext);
        if (ext->x_advance <= max_w || size <= min)
            break;
        size *= 0.92;
    }
    return size;
}

double spur_print_centred(spur_print_t *p, const char *text, double y, double size,
                          const char *family, cairo_font_weight_t weight, double grey)
{
    cairo_text_extents_t ext;

    size = fit_text(p, text, SPUR_A4_W - 2 * p->margin, size, 9, family, weight, &ext);
    cairo_set_source_rgb(p->cr, grey, grey, grey);
    cairo_move_to(p->cr, (SPUR_A4_W - ext.x_advance) / 2, y);
    cairo_show_text(p->cr, text);
    return size;
}

double spur_print_centred_at(spur_print_t *p, const char *text, double cx, double y, double max_w,
                             double size, const char *family, cairo_font_weight_t weight,
                             double grey)
{
    cairo_text_extents_t ext;

    size = fit_text(p, text, max_w, size, 6, family, weight, &ext);
    cairo_set_source_rgb(p->cr, grey, grey, grey);
    cairo_move_to(p->cr, cx - ext.x_advance / 2, y);
    cairo_show_text(p->cr, text);
    return size;
}

void spur_print_band_text(spur_print_t *p, double x0, double x1, double clear, size_t n,
                          const char *const *text, const double *y, const double *size,
                          const cairo_font_weight_t *weight)
{
    double side = clear > x0 ? clear - x0 : 0, cx = (x0 + x1) / 2, max_w = x1 - x0 - 2 * side;
    cairo_text_extents_t ext;

    for (size_t i = 0; i < n && side > 0; i++) {
        fit_text(p, text[i], 0, size[i], size[i], SPUR_FONT, weight[i], &ext);
        if (ext.x_advance > max_w) { /* one does not fit: all beside the tile */
            cx = (clear + x1) / 2;
            max_w = x1 - clear;
            break;
        }
    }
    for (size_t i = 0; i < n; i++)
        spur_print_centred_at(p, text[i], cx, y[i], max_w, size[i], SPUR_FONT, weight[i], 1);
}

void spur_print_load_logo(spur_print_t *p, sqlite3 *db)
{
    const spur_image_t *logo = p->hunt->brand_logo;
    sqlite3_stmt *st = NULL;
    int rc;

    /* by hunt and file, not by logo->key: spur_tool_hunt_open loads the hunt from its
       stored JSON alone, so the key the store's loader fills in is not there */
    if (!logo || !logo->file || p->logo)
        return;
    rc = sqlite3_prepare_v2(db, "SELECT data FROM media WHERE hunt_id = ? AND file = ?", -1, &st,
                            NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, p->hunt->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, logo->file, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
    }
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) > 0)
        p->logo = spur_tool_media_surface(sqlite3_column_blob(st, 0),
                                          (size_t)sqlite3_column_bytes(st, 0));
    if (!p->logo)
        spur_tool_err(SPUR_TR("Warnung: das gespeicherte Logo %s ist nicht lesbar; gedruckt wird "
                              "ohne Logo",
                              "warning: the stored logo %s cannot be read; printing without it"),
                      logo->file);
    sqlite3_finalize(st);
}

void spur_print_logo_size(const spur_print_t *p, double max_w, double max_h, double pad, double *w,
                          double *h)
{
    double lw, lh, scale;

    *w = *h = 0;
    if (!p->logo)
        return;
    lw = cairo_image_surface_get_width(p->logo);
    lh = cairo_image_surface_get_height(p->logo);
    if (lw <= 0 || lh <= 0)
        return;
    scale = max_h / lh;
    if (lw * scale > max_w)
        scale = max_w / lw;
    *w = lw * scale + 2 * pad;
    *h = lh * scale + 2 * pad;
}

double spur_print_logo(spur_print_t *p, double x, double y, double max_w, double max_h, double pad,
                       double *tile_h)
{
    double w, h, r = pad < 4 ? pad : 4, scale;

    spur_print_logo_size(p, max_w, max_h, pad, &w, &h);
    if (tile_h)
        *tile_h = h;
    if (w <= 0)
        return 0;
    /* the white tile, corners rounded by r */
    cairo_save(p->cr);
    cairo_new_sub_path(p->cr);
    cairo_arc(p->cr, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(p->cr, x + w - r, y + h - r, r, 0, M_PI / 2);
    cairo_arc(p->cr, x + r, y + h - r, r, M_PI / 2, M_PI);
    cairo_arc(p->cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(p->cr);
    cairo_set_source_rgb(p->cr, 1, 1, 1);
    cairo_fill(p->cr);
    /* the logo: the same surface on every page, so the PDF holds it once */
    scale = (w - 2 * pad) / cairo_image_surface_get_width(p->logo);
    cairo_translate(p->cr, x + pad, y + pad);
    cairo_scale(p->cr, scale, scale);
    cairo_set_source_surface(p->cr, p->logo, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(p->cr), CAIRO_FILTER_GOOD);
    cairo_paint(p->cr);
    cairo_restore(p->cr);
    return w;
}

/* Width of the first n bytes of s in the current font. */
static double width_of(cairo_t *cr, const char *s, size_t n)
{
    cairo_text_extents_t ext;
    char *part = spur_strndup(s, n);
    cairo_text_extents(cr, part, &ext);
    free(part);
    return ext.x_advance;
}

double spur_print_wrapped(spur_print_t *p, const char *text, double x, double y, double width,
                          double size, const char *family, cairo_font_weight_t weight)
{
    const double lead = size * 1.35;
    int first = 1;

    cairo_select_font_face(p->cr, family, CAIRO_FONT_SLANT_NORMAL, weight);
    cairo_set_font_size(p->cr, size);
    while (*text) {
        /* the longest run of whole words up to the next newline that fits */
        size_t end = strcspn(text, "\n"), fit = 0, i = 0;
        while (i < end) {
            size_t next = i;
            while (next < end && text[next] == ' ')
                next++;
            while (next < end && text[next] != ' ')
                next++;
            if (fit && width_of(p->cr, text, next) > width)
                break;
            fit = next;
            i = next;
        }
        if (!first)
            y += lead;
        first = 0;
        {
            char *line = spur_strndup(text, fit);
            cairo_move_to(p->cr, x, y);
            cairo_show_text(p->cr, line);
            free(line);
        }
        text += fit;
        while (*text == ' ')
            text++;
        if (*text == '\n')
            text++;
    }
    return y;
}

double spur_print_qr(spur_print_t *p, const char *text, QRecLevel level, double cx, double y,
                     double side)
{
    QRcode *qr = QRcode_encodeData((int)strlen(text), (const unsigned char *)text, 0, level);
    double m, x0, y0;
    const int quiet = 4; /* modules */

    if (!qr)
        return -1;
    m = side / qr->width;
    x0 = cx - side / 2;
    y0 = y + quiet * m;
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
    return y0 + side + quiet * m;
}

void spur_print_band(spur_print_t *p, double x, double y, double w, double height)
{
    cairo_set_source_rgb(p->cr, p->accent[0], p->accent[1], p->accent[2]);
    cairo_rectangle(p->cr, x, y, w, height);
    cairo_fill(p->cr);
}

void spur_print_new_page(spur_print_t *p)
{
    cairo_show_page(p->cr);
    p->y = p->margin;
    if (p->on_page)
        p->on_page(p->data);
}

void spur_print_para(spur_print_t *p, const char *text, double size, cairo_font_weight_t weight,
                     double keep)
{
    if (p->y + keep > SPUR_A4_H - p->margin)
        spur_print_new_page(p);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    p->y = spur_print_wrapped(p, text, p->margin, p->y + size, SPUR_A4_W - 2 * p->margin, size,
                              SPUR_FONT, weight) +
           size * 0.6;
}

void spur_print_time(const spur_print_t *p, int64_t t, char *out, size_t size)
{
    spur_tz_format(&p->tz, t, p->de, out, size);
}
