/* `spur posters --db PATH --hunt ID -o FILE.pdf [--place ID]... [--checkin-places] [--flyer]`:
 * an A4 PDF (cairo) with one page per place (or per --place), to print and hang there: the hunt's
 * title (and organizer) in a band of its branding colour, the place's name and where, a QR code of
 * the place's scan URL 13 cm wide (error correction Q by default, never below M, quiet zone of 4
 * modules), the short code in large letters, in the hunt's language that a phone camera is enough
 * (no app to install), the address to type the code at, the end in the hunt's time zone
 * and the branding footer (Impressum). A place whose puzzles are all check-ins needs no
 * code on a wall (the phone's position solves them; the code is only the fallback for
 * phones without GPS, which `spur qr` still lists): it gets a poster only when asked for,
 * by --checkin-places or by naming it with --place. With --flyer: an A4 flyer with three steps to
 * play and a QR code that opens the hunt, and a page of four A6 cards to cut. Layout
 * helpers in print.c. Only reads the database; writes only FILE. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "game/codes.h"
#include "game/markdown.h"
#include "print.h"

#define QR_CM 13.0 /* width of a poster's modules alone; the quiet zone comes on top */
/* The branding logo in a poster's or the flyer's band: at most 20 mm high and 45 mm wide
   (aspect ratio kept) on a white tile 4 pt larger all round; on a card 30 pt high. */
#define LOGO_MAX_H (2.0 * SPUR_PT_PER_CM)
#define LOGO_MAX_W (4.5 * SPUR_PT_PER_CM)
#define LOGO_PAD 4.0
#define CARD_LOGO_MAX_H 30.0
#define CARD_LOGO_MAX_W 80.0
#define CARD_LOGO_PAD 3.0

/* The address people type without a camera: base without scheme or query. */
static char *short_address(const char *base)
{
    const char *s = strstr(base, "://");
    int n;
    s = s ? s + 3 : base;
    n = (int)strcspn(s, "?#");
    while (n > 0 && s[n - 1] == '/')
        n--;
    return spur_asprintf("%.*s", n, s);
}

/* The foot of a page: the branding footer (Impressum) or the hunt and its dates. */
static void footer(spur_print_t *p)
{
    const spur_hunt_t *h = p->hunt;
    char from[40], to[40], *line;
    if (h->brand_footer) {
        spur_print_centred(p, h->brand_footer, SPUR_A4_H - p->margin + 8, 9, SPUR_FONT,
                           CAIRO_FONT_WEIGHT_NORMAL, 0.35);
        return;
    }
    spur_print_time(p, h->starts_at, from, sizeof from);
    spur_print_time(p, h->ends_at, to, sizeof to);
    line = spur_asprintf(p->de ? "%s · vom %s bis %s" : "%s · %s to %s", h->title, from, to);
    spur_print_centred(p, line, SPUR_A4_H - p->margin + 8, 10, SPUR_FONT, CAIRO_FONT_WEIGHT_NORMAL,
                       0.35);
    free(line);
}

/* The band at the top: the hunt's logo (when stored) on a white tile at the left, the
 * hunt's title in white, the organizer under it. Returns the baseline below the band. */
static double header(spur_print_t *p)
{
    const spur_hunt_t *h = p->hunt;
    double band = h->brand_organizer ? 64 : 48, bottom = p->margin + band, clear = 0, tw, th;
    const char *text[2] = {h->title, NULL};
    double y[2] = {p->margin + 22, p->margin + 44};
    const double size[2] = {22, 13};
    const cairo_font_weight_t weight[2] = {CAIRO_FONT_WEIGHT_BOLD, CAIRO_FONT_WEIGHT_NORMAL};
    char *by = NULL;

    spur_print_band(p, 0, 0, SPUR_A4_W, bottom);
    spur_print_logo_size(p, LOGO_MAX_W, LOGO_MAX_H, LOGO_PAD, &tw, &th);
    if (tw > 0) {
        /* level with the middle of the lines beside it, clear of the band's lower edge */
        double top = p->margin + (h->brand_organizer ? 25 : 14) - th / 2;
        if (top + th > bottom - 8)
            top = bottom - 8 - th;
        spur_print_logo(p, p->margin, top, LOGO_MAX_W, LOGO_MAX_H, LOGO_PAD, NULL);
        if (!h->brand_organizer) /* a title alone: level with the tile's middle */
            y[0] = top + th / 2 + 8;
        clear = p->margin + tw + 14;
    }
    if (h->brand_organizer)
        text[1] = by =
            spur_asprintf(p->de ? "Eine Rallye von %s" : "A hunt by %s", h->brand_organizer);
    spur_print_band_text(p, p->margin, SPUR_A4_W - p->margin, clear, by ? 2 : 1, text, y, size,
                         weight);
    free(by);
    return bottom;
}

static int draw_page(spur_print_t *p, const spur_tool_hunt_t *t, size_t i, const char *base,
                     QRecLevel level)
{
    const spur_hunt_t *h = t->hunt;
    const spur_place_t *pl = &h->places[i];
    char code[SPUR_SHORT_LEN + 1], to[40];
    char *url = spur_tool_scan_url(t, i, base, code);
    char *line, *addr;
    double y;

    cairo_set_source_rgb(p->cr, 1, 1, 1);
    cairo_paint(p->cr);
    y = header(p) + 40;
    spur_print_centred(p, pl->name, y, 36, SPUR_FONT, CAIRO_FONT_WEIGHT_BOLD, 0);
    if (pl->where) {
        y += 26;
        spur_print_centred(p, pl->where, y, 16, SPUR_FONT, CAIRO_FONT_WEIGHT_NORMAL, 0.2);
    }
    y = spur_print_qr(p, url, level, SPUR_A4_W / 2, y + 2, QR_CM * SPUR_PT_PER_CM);
    free(url);
    if (y < 0)
        return -1;
    y += 40;
    spur_print_centred(p, code, y, 52, SPUR_FONT_MONO, CAIRO_FONT_WEIGHT_BOLD, 0);
    y += 32;
    spur_print_centred(p,
                       p->de ? "Handykamera auf den Code halten – keine App nötig."
                             : "Point your phone camera at the code – no app needed.",
                       y, 17, SPUR_FONT, CAIRO_FONT_WEIGHT_BOLD, 0);
    y += 22;
    addr = short_address(base);
    line = spur_asprintf(p->de ? "Ohne Kamera: %s öffnen und den Code eintippen."
                               : "No camera? Open %s and type the code.",
                         addr);
    spur_print_centred(p, line, y, 13, SPUR_FONT, CAIRO_FONT_WEIGHT_NORMAL, 0.2);
    free(line);
    free(addr);
    y += 24;
    spur_print_time(p, h->ends_at, to, sizeof to);
    line = spur_asprintf(p->de ? "Mitspielen bis %s" : "Play until %s", to);
    spur_print_centred(p, line, y, 14, SPUR_FONT, CAIRO_FONT_WEIGHT_BOLD, 0.2);
    free(line);
    footer(p);
    cairo_show_page(p->cr);
    return 0;
}

/* The dates of the hunt as one phrase: "18.06.2026 bis 28.06.2026, 18:00 Uhr". */
static char *date_span(spur_print_t *p)
{
    char from[40], to[40];
    spur_tz_format_date(&p->tz, p->hunt->starts_at, p->de, from, sizeof from);
    spur_print_time(p, p->hunt->ends_at, to, sizeof to);
    return spur_asprintf(p->de ? "vom %s bis %s" : "from %s to %s", from, to);
}

/* The A4 flyer: title band, dates, intro, three steps to play, a large QR code that
 * opens the hunt, the address to type. */
static int draw_flyer(spur_print_t *p, const spur_tool_hunt_t *t, const char *base, QRecLevel level)
{
    const spur_hunt_t *h = t->hunt;
    char *url = spur_tool_join_url(t, base), *addr = short_address(url), *when = date_span(p);
    char *steps[3];
    double y, x = p->margin, w = SPUR_A4_W - 2 * p->margin;
    int rc = 0;

    cairo_set_source_rgb(p->cr, 1, 1, 1);
    cairo_paint(p->cr);
    y = header(p) + 34;
    spur_print_centred(p, when, y, 18, SPUR_FONT, CAIRO_FONT_WEIGHT_BOLD, 0);
    y += 12;
    if (h->intro && *h->intro) {
        /* the intro is Markdown: on paper its words, without the syntax */
        char *intro = spur_markdown_plain(h->intro, strlen(h->intro));
        if (*intro) {
            cairo_set_source_rgb(p->cr, 0.15, 0.15, 0.15);
            y = spur_print_wrapped(p, intro, x, y + 16, w, 12, SPUR_FONT, CAIRO_FONT_WEIGHT_NORMAL);
            y += 8;
        }
        free(intro);
    }
    steps[0] = spur_asprintf(p->de ? "1  Den QR-Code mit der Handykamera scannen oder %s öffnen."
                                   : "1  Scan the QR code with your phone camera or open %s.",
                             addr);
    steps[1] = spur_strdup(p->de ? "2  Einen Teamnamen wählen – ohne Anmeldung, ohne App."
                                 : "2  Choose a team name – no sign-up, no app.");
    steps[2] = spur_strdup(p->de ? "3  In der Stadt die Codes an den Orten suchen, scannen und "
                                   "die Rätsel lösen. Die Rangliste läuft bis zum Schluss."
                                 : "3  Find the codes at the places in town, scan them and solve "
                                   "the puzzles. The leaderboard runs to the end.");
    for (int i = 0; i < 3; i++) {
        cairo_set_source_rgb(p->cr, 0, 0, 0);
        y = spur_print_wrapped(p, steps[i], x, y + 22, w, 14, SPUR_FONT, CAIRO_FONT_WEIGHT_BOLD);
        free(steps[i]);
    }
    y = spur_print_qr(p, url, level, SPUR_A4_W / 2, y + 10, 8.5 * SPUR_PT_PER_CM);
    if (y < 0) {
        rc = -1;
        goto out;
    }
    spur_print_centred(p, addr, y + 20, 18, SPUR_FONT_MONO, CAIRO_FONT_WEIGHT_BOLD, 0);
    footer(p);
    cairo_show_page(p->cr);
out:
    free(when);
    free(addr);
    free(url);
    return rc;
}

/* Four A6 cards on an A4 page with cut lines: title, dates, QR code, address. */
static int draw_cards(spur_print_t *p, const spur_tool_hunt_t *t, const char *base, QRecLevel level)
{
    const spur_hunt_t *h = t->hunt;
    char *url = spur_tool_join_url(t, base), *addr = short_address(url), *when = date_span(p);
    const double cw = SPUR_A4_W / 2, ch = SPUR_A4_H / 2;
    int rc = 0;

    cairo_set_source_rgb(p->cr, 1, 1, 1);
    cairo_paint(p->cr);
    for (int k = 0; k < 4 && rc == 0; k++) {
        double x0 = (k % 2) * cw, y0 = (k / 2) * ch, cx = x0 + cw / 2, y;
        cairo_text_extents_t ext;
        const char *lines[3] = {h->title, when, addr};
        const double sizes[3] = {16, 10, 11};
        double tile_w, tile_h;
        spur_print_band(p, x0, y0, cw, 46);
        spur_print_logo_size(p, CARD_LOGO_MAX_W, CARD_LOGO_MAX_H, CARD_LOGO_PAD, &tile_w, &tile_h);
        if (tile_w > 0) { /* the logo at the band's left, the title beside it */
            const double ty = y0 + 29;
            const char *title = h->title;
            const cairo_font_weight_t bold = CAIRO_FONT_WEIGHT_BOLD;
            spur_print_logo(p, x0 + 10, y0 + (46 - tile_h) / 2, CARD_LOGO_MAX_W, CARD_LOGO_MAX_H,
                            CARD_LOGO_PAD, NULL);
            spur_print_band_text(p, x0 + 20, x0 + cw - 20, x0 + 10 + tile_w + 8, 1, &title, &ty,
                                 &sizes[0], &bold);
        }
        for (int i = tile_w > 0 ? 1 : 0; i < 3; i++) {
            double size = sizes[i];
            cairo_select_font_face(p->cr, i == 2 ? SPUR_FONT_MONO : SPUR_FONT,
                                   CAIRO_FONT_SLANT_NORMAL,
                                   i == 1 ? CAIRO_FONT_WEIGHT_NORMAL : CAIRO_FONT_WEIGHT_BOLD);
            do { /* shrink to the card's width */
                cairo_set_font_size(p->cr, size);
                cairo_text_extents(p->cr, lines[i], &ext);
                size *= 0.92;
            } while (ext.x_advance > cw - 40 && size > 6);
            y = i == 0 ? y0 + 29 : i == 1 ? y0 + 66 : y0 + ch - 44;
            if (i == 0)
                cairo_set_source_rgb(p->cr, 1, 1, 1);
            else
                cairo_set_source_rgb(p->cr, 0, 0, 0);
            cairo_move_to(p->cr, cx - ext.x_advance / 2, y);
            cairo_show_text(p->cr, lines[i]);
        }
        if (spur_print_qr(p, url, level, cx, y0 + 70, 7 * SPUR_PT_PER_CM) < 0)
            rc = -1;
        if (h->brand_organizer) {
            cairo_select_font_face(p->cr, SPUR_FONT, CAIRO_FONT_SLANT_NORMAL,
                                   CAIRO_FONT_WEIGHT_NORMAL);
            cairo_set_font_size(p->cr, 9);
            cairo_text_extents(p->cr, h->brand_organizer, &ext);
            cairo_set_source_rgb(p->cr, 0.35, 0.35, 0.35);
            cairo_move_to(p->cr, cx - ext.x_advance / 2, y0 + ch - 62);
            cairo_show_text(p->cr, h->brand_organizer);
            cairo_set_source_rgb(p->cr, 0, 0, 0);
        }
        cairo_select_font_face(p->cr, SPUR_FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(p->cr, 9);
        {
            const char *hint = p->de ? "Handykamera genügt – keine App nötig."
                                     : "Your phone camera is enough – no app needed.";
            cairo_text_extents(p->cr, hint, &ext);
            cairo_move_to(p->cr, cx - ext.x_advance / 2, y0 + ch - 26);
            cairo_show_text(p->cr, hint);
        }
    }
    /* cut lines */
    cairo_set_source_rgb(p->cr, 0.6, 0.6, 0.6);
    cairo_set_line_width(p->cr, 0.5);
    {
        static const double dash[] = {4, 3};
        cairo_set_dash(p->cr, dash, 2, 0);
    }
    cairo_move_to(p->cr, cw, 0);
    cairo_line_to(p->cr, cw, SPUR_A4_H);
    cairo_move_to(p->cr, 0, ch);
    cairo_line_to(p->cr, SPUR_A4_W, ch);
    cairo_stroke(p->cr);
    cairo_set_dash(p->cr, NULL, 0, 0);
    cairo_show_page(p->cr);
    free(when);
    free(addr);
    free(url);
    return rc;
}

/* Is every puzzle at place i a check-in (and there is one)? Such a place is played by
 * being there, so its poster is optional. Every kind is named: a new one must say
 * whether its place needs the printed code. */
static int checkin_only(const spur_hunt_t *h, size_t i)
{
    int checkins = 0;
    for (size_t k = 0; k < h->npuzzles; k++) {
        const spur_puzzle_t *pz = &h->puzzles[k];
        if (pz->place != (int)i)
            continue;
        switch (pz->kind) {
        case SPUR_KIND_TEXT:
        case SPUR_KIND_NUMBER:
        case SPUR_KIND_CHOICE:
        case SPUR_KIND_SCAN: /* scanned, or answered where the poster names the place */
        case SPUR_KIND_PHOTO: /* the poster marks the spot for the photo */
            return 0;
        case SPUR_KIND_CHECKIN:
            checkins++;
            break;
        }
    }
    return checkins > 0;
}

/* Marks in want[] the places to print: the named ones (wanted[0..nwanted), asking for one
 * counts as asking for it), else every place but the check-in-only ones unless
 * all_checkins; *skipped counts those left out. Returns the number of pages, or -1 after
 * saying which named place the hunt lacks. */
static long select_places(const spur_hunt_t *h, const char *const *wanted, size_t nwanted,
                          int all_checkins, unsigned char *want, size_t *skipped)
{
    long pages = 0;
    *skipped = 0;
    for (size_t k = 0; k < nwanted; k++) {
        int i = spur_hunt_place_index(h, wanted[k]);
        if (i < 0) {
            spur_tool_err(SPUR_TR("Rallye %s hat keinen Ort '%s'", "hunt %s has no place '%s'"),
                          h->id, wanted[k]);
            return -1;
        }
        pages += !want[i];
        want[i] = 1;
    }
    for (size_t i = 0; !nwanted && i < h->nplaces; i++) {
        want[i] = all_checkins || !checkin_only(h, i);
        pages += want[i];
        *skipped += !want[i];
    }
    return pages;
}

int spur_cmd_posters(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"hunt", required_argument, NULL, 'H'},
        {"out", required_argument, NULL, 'o'},
        {"base-url", required_argument, NULL, 'b'},
        {"ec", required_argument, NULL, 'e'},
        {"flyer", no_argument, NULL, 'f'},
        {"place", required_argument, NULL, 'p'},
        {"checkin-places", no_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    const char *db_path = NULL, *hunt_id = NULL, *out = NULL, *base = SPUR_TOOL_BASE_URL;
    QRecLevel level = QR_ECLEVEL_Q;
    const char **wanted = spur_calloc((size_t)argc + 1, sizeof(*wanted)); /* --place IDs */
    unsigned char *want = NULL; /* per place: print its poster */
    int c, ec, flyer = 0, all_checkins = 0, rc = SPUR_EXIT_USAGE;
    size_t pages = 0, nwanted = 0, skipped = 0;
    long npages = 0;
    spur_tool_hunt_t t;
    spur_print_t p;

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
        case 'f':
            flyer = 1;
            break;
        case 'p':
            wanted[nwanted++] = optarg;
            break;
        case 'c':
            all_checkins = 1;
            break;
        case 'e':
            ec = spur_tool_ec_level(optarg);
            if (ec != 'M' && ec != 'Q' && ec != 'H') {
                rc = spur_tool_usage_error("posters", SPUR_TR("posters: --ec muss M, Q oder H sein "
                                                              "(gedruckte Codes werden schmutzig)",
                                                              "posters: --ec must be M, Q or H "
                                                              "(printed codes get dirty)"));
                goto out;
            }
            level = ec == 'M' ? QR_ECLEVEL_M : ec == 'H' ? QR_ECLEVEL_H : QR_ECLEVEL_Q;
            break;
        default:
            rc = spur_tool_bad_option("posters", c, argv);
            goto out;
        }
    }
    if (optind != argc) {
        rc = spur_tool_usage_error(
            "posters",
            SPUR_TR("posters: unerwartetes Argument '%s'", "posters: unexpected argument '%s'"),
            argv[optind]);
        goto out;
    }
    if (!db_path || !hunt_id || !out) {
        rc = spur_tool_usage_error("posters",
                                   SPUR_TR("posters braucht --db PFAD, --hunt ID und -o DATEI",
                                           "posters needs --db PATH, --hunt ID and -o FILE"));
        goto out;
    }
    if (flyer && (nwanted || all_checkins)) {
        rc = spur_tool_usage_error("posters",
                                   SPUR_TR("posters: --place und --checkin-places wählen Aushänge "
                                           "aus, nicht den Flyer",
                                           "posters: --place and --checkin-places choose posters, "
                                           "not the flyer"));
        goto out;
    }

    if (spur_tool_hunt_open(db_path, hunt_id, &t) < 0)
        goto out;
    if (!flyer && t.hunt->nplaces == 0) {
        spur_tool_err(SPUR_TR("Rallye %s hat keine Orte, es gibt also nichts zu drucken "
                              "(ein Flyer geht mit --flyer)",
                              "hunt %s has no places, so there is nothing to print (a flyer: "
                              "--flyer)"),
                      hunt_id);
        goto close_hunt;
    }
    want = spur_calloc(t.hunt->nplaces + 1, 1);
    if (!flyer) {
        npages = select_places(t.hunt, wanted, nwanted, all_checkins, want, &skipped);
        if (npages < 0)
            goto close_hunt;
        if (npages == 0) { /* every place has only check-ins: no empty PDF */
            spur_tool_err(SPUR_TR("Rallye %s hat nur Orte mit Check-in-Aufgaben (%zu), es gibt "
                                  "also nichts zu drucken; --checkin-places druckt sie",
                                  "hunt %s has only places with check-in puzzles (%zu), so "
                                  "there is nothing to print; --checkin-places prints them"),
                          hunt_id, skipped);
            goto close_hunt;
        }
    }
    if (spur_print_open(&p, out, t.hunt, flyer ? "spur posters --flyer" : "spur posters") < 0)
        goto close_hunt;
    spur_print_load_logo(&p, t.db);
    rc = SPUR_EXIT_OK;
    if (flyer) {
        if (draw_flyer(&p, &t, base, level) < 0 || draw_cards(&p, &t, base, level) < 0) {
            spur_tool_err(SPUR_TR("die Adresse der Rallye passt in keinen QR-Code: --base-url "
                                  "kürzen",
                                  "the hunt's address does not fit a QR code: shorten "
                                  "--base-url"));
            rc = SPUR_EXIT_USAGE;
        }
        pages = 2;
    }
    for (size_t i = 0; !flyer && i < t.hunt->nplaces && rc == SPUR_EXIT_OK; i++) {
        if (!want[i])
            continue;
        if (draw_page(&p, &t, i, base, level) < 0) {
            spur_tool_err(SPUR_TR("die Scan-Adresse von %s passt in keinen QR-Code: --base-url "
                                  "kürzen",
                                  "the scan URL of %s does not fit a QR code: shorten --base-url"),
                          t.hunt->places[i].id);
            rc = SPUR_EXIT_USAGE;
        }
        pages++;
    }
    if (spur_print_close(&p) < 0)
        rc = SPUR_EXIT_USAGE;
    if (rc == SPUR_EXIT_OK)
        spur_tool_warn_base_url(base);
    if (rc == SPUR_EXIT_OK && skipped == 1)
        spur_tool_err(SPUR_TR("1 Ort nur mit Check-in-Aufgaben ohne Plakat; --checkin-places "
                              "druckt ihn auch",
                              "1 place with only check-in puzzles got no poster; "
                              "--checkin-places prints it too"));
    else if (rc == SPUR_EXIT_OK && skipped)
        spur_tool_err(SPUR_TR("%zu Orte nur mit Check-in-Aufgaben ohne Plakat; --checkin-places "
                              "druckt sie auch",
                              "%zu places with only check-in puzzles got no poster; "
                              "--checkin-places prints them too"),
                      skipped);
    if (rc == SPUR_EXIT_OK && flyer)
        printf(SPUR_TR("%s: ein Flyer (A4) und vier Karten (A6) zum Ausschneiden\n",
                       "%s: a flyer (A4) and four cards (A6) to cut out\n"),
               out);
    else if (rc == SPUR_EXIT_OK)
        printf("%s: %zu %s\n", out, pages,
               spur_tool_german() ? (pages == 1 ? "Aushang" : "Aushänge")
                                  : (pages == 1 ? "poster" : "posters"));
close_hunt:
    spur_tool_hunt_close(&t);
out:
    free(want);
    free(wanted);
    return rc;
}
