/* Layout helpers for the printed products; see print.h. */
#include "print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>

#include "core/mem.h"

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
    spur_tz_free(&p->tz);
    /* cairo's font caches and fontconfig's configuration go too, so leak checkers (the
       ASan test build) see only our own memory; what cairo's own test suite does */
    cairo_debug_reset_static_data();
    FcFini();
    return rc;
}

double spur_print_centred(spur_print_t *p, const char *text, double y, double size,
                          const char *family, cairo_font_weight_t weight, double grey)
{
    cairo_text_extents_t ext;
    double max_w = SPUR_A4_W - 2 * p->margin;

    cairo_select_font_face(p->cr, family, CAIRO_FONT_SLANT_NORMAL, weight);
    for (;;) {
        cairo_set_font_size(p->cr, size);
        cairo_text_extents(p->cr, text, &ext);
        if (ext.x_advance <= max_w || size <= 9)
            break;
        size *= 0.92;
    }
    cairo_set_source_rgb(p->cr, grey, grey, grey);
    cairo_move_to(p->cr, (SPUR_A4_W - ext.x_advance) / 2, y);
    cairo_show_text(p->cr, text);
    return size;
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
