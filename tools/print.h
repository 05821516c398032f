/* What `spur posters` (posters, flyer, cards) and `spur sheet` print with: an A4 PDF
 * (cairo) and a few layout helpers on cairo's toy text API with DejaVu Sans
 * (fonts-dejavu-core). QR codes are filled rectangles, so they stay sharp at any
 * printer resolution. Single-threaded; one document at a time. */
#ifndef SPUR_PRINT_H
#define SPUR_PRINT_H

#include <cairo.h>
#include <qrencode.h>
#include <sqlite3.h>

#include "office/tz.h"
#include "tool.h"

#define SPUR_PT_PER_CM (72.0 / 2.54)
#define SPUR_A4_W 595.28 /* points */
#define SPUR_A4_H 841.89
#define SPUR_FONT "DejaVu Sans"
#define SPUR_FONT_MONO "DejaVu Sans Mono"

typedef struct {
    cairo_surface_t *surf;
    cairo_t *cr;
    const char *path;
    double margin;    /* points, all four sides */
    int de;           /* the hunt's language is German */
    spur_tz_t tz;     /* the hunt's time zone (UTC when it cannot be read) */
    double accent[3]; /* the hunt's branding accent (readable on white), else spur's green */
    const spur_hunt_t *hunt;
    double y;                    /* where a flowing document (the sheet) goes on */
    void (*on_page)(void *data); /* called after each new page of a flowing document */
    void *data;
    cairo_surface_t *logo; /* the hunt's stored branding logo (spur_print_load_logo), or NULL */
} spur_print_t;

/* Opens the PDF out (A4, portrait) for hunt h; prints "spur: ..." and returns -1 when
 * the file cannot be made. A time zone that cannot be read is a warning (UTC). */
int spur_print_open(spur_print_t *p, const char *out, const spur_hunt_t *h, const char *what);
/* Finishes the file. Returns 0, or -1 after "spur: cannot write ..." */
int spur_print_close(spur_print_t *p);

/* Text centred at baseline y, shrunk (down to 9 pt) until it fits between the margins;
 * grey 0 = black. Returns the size used. */
double spur_print_centred(spur_print_t *p, const char *text, double y, double size,
                          const char *family, cairo_font_weight_t weight, double grey);
/* text word-wrapped into width from (x, baseline y); "\n" starts a new line. Returns
 * the baseline after the last line. */
double spur_print_wrapped(spur_print_t *p, const char *text, double x, double y, double width,
                          double size, const char *family, cairo_font_weight_t weight);
/* The QR code of text, modules only `side` points wide, centred on cx with its quiet
 * zone's top at y. Returns the bottom of the quiet zone, or -1 when text does not fit. */
double spur_print_qr(spur_print_t *p, const char *text, QRecLevel level, double cx, double y,
                     double side);
/* Reads the stored copy of the hunt's branding logo (when it names one) from db's media table into
 * p->logo; spur_print_close frees it. A logo that is missing or cannot be decoded is a
 * warning on stderr, and the print goes on without it. */
void spur_print_load_logo(spur_print_t *p, sqlite3 *db);
/* Draws p->logo on a white tile (so any logo shows on any band colour) with its top
 * left corner at (x, y): the logo scaled to at most max_w by max_h points, aspect ratio
 * kept, with `pad` points of white around it. Returns the tile's width (0, drawing
 * nothing, without a logo); *tile_h gets its height when not NULL. */
double spur_print_logo(spur_print_t *p, double x, double y, double max_w, double max_h, double pad,
                       double *tile_h);
/* The size of the tile spur_print_logo would draw, without drawing (0 x 0 without a
 * logo). */
void spur_print_logo_size(const spur_print_t *p, double max_w, double max_h, double pad, double *w,
                          double *h);

/* Text at baseline y, centred on cx and shrunk (down to 6 pt) to fit max_w; grey as
 * for spur_print_centred. Returns the size used. */
double spur_print_centred_at(spur_print_t *p, const char *text, double cx, double y, double max_w,
                             double size, const char *family, cairo_font_weight_t weight,
                             double grey);
/* n lines of white text in a band from x0 to x1 (at baselines y[i], sizes size[i], DejaVu
 * Sans of weight[i]) beside a logo tile that ends at `clear` (clear <= x0: no tile). The
 * lines stay centred on the band when each fits at its size without reaching into the
 * tile (or the same space on the other side); else they are centred between clear and
 * x1 together, each shrunk to fit. */
void spur_print_band_text(spur_print_t *p, double x0, double x1, double clear, size_t n,
                          const char *const *text, const double *y, const double *size,
                          const cairo_font_weight_t *weight);

/* A band in the accent colour across the page from y to y + height. */
void spur_print_band(spur_print_t *p, double x, double y, double w, double height);

/* A flowing document: a paragraph at p->y (left margin, full width), on a new page
 * when less than `keep` points are left. */
void spur_print_para(spur_print_t *p, const char *text, double size, cairo_font_weight_t weight,
                     double keep);
void spur_print_new_page(spur_print_t *p);

/* "18.06.2026, 10:00 Uhr" of Unix seconds t in the hunt's zone (out: 40 bytes). */
void spur_print_time(const spur_print_t *p, int64_t t, char *out, size_t size);

#endif
