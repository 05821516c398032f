/* `spur qr`: the scan URL and printed short code of each place of a stored hunt,
 * derived from the hunt's secret exactly as spurd checks them (game/codes.h), as
 * text (QR codes drawn in the terminal with Unicode half blocks on request), or as
 * one SVG or PNG file per place plus join.svg/png, the link that opens the hunt.
 * Files have the standard quiet zone of 4 modules; PNGs are 8-bit grey through
 * libpng. Only reads the database; writes only the files it names. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <png.h>
#include <qrencode.h>

#include "core/mem.h"
#include "core/qr.h"
#include "game/codes.h"
#include "tool.h"

#define QUIET_ZONE 2 /* modules of light border; the standard asks 4, terminals are tight */

/* Is the module at (x, y) of the code with its quiet zone dark? Outside is light. */
static int dark(const QRcode *qr, int x, int y)
{
    x -= QUIET_ZONE;
    y -= QUIET_ZONE;
    return x >= 0 && x < qr->width && y >= 0 && y < qr->width && (qr->data[y * qr->width + x] & 1);
}

/* Draws the QR code of text: two module rows per line, light modules printed as
 * block glyphs (a terminal's usual light-on-dark text gives dark modules on a light
 * ground, as scanners expect). Returns 0 or -1 when the text cannot be encoded. */
static int draw_terminal(const char *text)
{
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    int size;
    if (!qr)
        return -1;
    size = qr->width + 2 * QUIET_ZONE;
    for (int y = 0; y < size; y += 2) {
        for (int x = 0; x < size; x++) {
            int top = !dark(qr, x, y);
            int bottom = y + 1 < size && !dark(qr, x, y + 1); /* past the end: nothing */
            fputs(top && bottom ? "\u2588" : top ? "\u2580" : bottom ? "\u2584" : " ", stdout);
        }
        fputc('\n', stdout);
    }
    QRcode_free(qr);
    return 0;
}

/* Prints the places of hunt t (one, or all when place_id is NULL). */
static int print_places(const spur_tool_hunt_t *t, const char *place_id, const char *base,
                        int terminal)
{
    const spur_hunt_t *hunt = t->hunt;
    int found = 0;

    for (size_t i = 0; i < hunt->nplaces; i++) {
        char code[SPUR_SHORT_LEN + 1];
        char *url;
        if (place_id && strcmp(place_id, hunt->places[i].id) != 0)
            continue;
        found = 1;
        url = spur_tool_scan_url(t, i, base, code);
        printf("%s\t%s\t%s\n", hunt->places[i].id, url, code);
        if (terminal && draw_terminal(url) < 0) {
            free(url);
            spur_tool_err(
                SPUR_TR("kann %s nicht als QR-Code darstellen", "cannot encode %s as a QR code"),
                hunt->places[i].id);
            return SPUR_EXIT_USAGE;
        }
        free(url);
    }
    if (place_id && !found) {
        spur_tool_err(SPUR_TR("Rallye %s hat keinen Ort '%s'", "hunt %s has no place '%s'"),
                      hunt->id, place_id);
        return SPUR_EXIT_USAGE;
    }
    return SPUR_EXIT_OK;
}

typedef struct {
    const char *dir, *format; /* "svg" or "png" */
    char ec;                  /* 'L', 'M', 'Q', 'H' */
    int size;                 /* pixels (PNG width; SVG width attribute), 0 = default */
} file_opts_t;

#define PNG_DEFAULT_SIZE 600
#define FILE_QUIET_ZONE 4

static QRecLevel qr_level(char ec)
{
    return ec == 'L'   ? QR_ECLEVEL_L
           : ec == 'Q' ? QR_ECLEVEL_Q
           : ec == 'H' ? QR_ECLEVEL_H
                       : QR_ECLEVEL_M;
}

/* Writes the QR code of text as an 8-bit grey PNG of about o->size pixels (whole
 * pixels per module, at least one). Returns 0 or -1 (errno or libpng said why). */
static int write_png(const char *path, const char *text, const file_opts_t *o)
{
    QRcode *qr =
        QRcode_encodeData((int)strlen(text), (const unsigned char *)text, 0, qr_level(o->ec));
    FILE *fp = NULL;
    png_structp png = NULL;
    png_infop info = NULL;
    unsigned char *row = NULL;
    int rc = -1, modules, scale, px;

    if (!qr)
        return -1;
    modules = qr->width + 2 * FILE_QUIET_ZONE;
    scale = (o->size ? o->size : PNG_DEFAULT_SIZE) / modules;
    if (scale < 1)
        scale = 1;
    px = modules * scale;
    row = spur_malloc((size_t)px);
    fp = fopen(path, "wb");
    if (!fp)
        goto out;
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    info = png ? png_create_info_struct(png) : NULL;
    if (!info)
        goto out;
    if (setjmp(png_jmpbuf(png)))
        goto out;
    png_init_io(png, fp);
    png_set_IHDR(png, info, (png_uint_32)px, (png_uint_32)px, 8, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < px; y++) {
        int my = y / scale - FILE_QUIET_ZONE;
        for (int x = 0; x < px; x++) {
            int mx = x / scale - FILE_QUIET_ZONE;
            int on = mx >= 0 && mx < qr->width && my >= 0 && my < qr->width &&
                     (qr->data[my * qr->width + mx] & 1);
            row[x] = on ? 0 : 255;
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    rc = 0;
out:
    if (png)
        png_destroy_write_struct(&png, info ? &info : NULL);
    if (fp && fclose(fp) != 0)
        rc = -1;
    free(row);
    QRcode_free(qr);
    return rc;
}

static int write_svg(const char *path, const char *text, const file_opts_t *o)
{
    spur_buf_t b = {0};
    FILE *fp;
    int rc = -1;

    if (spur_qr_svg(text, o->ec, &b) < 0)
        goto out;
    fp = fopen(path, "wb");
    if (!fp)
        goto out;
    if (o->size && strncmp(b.data, "<svg ", 5) == 0) /* a printed size, else it scales */
        fprintf(fp, "<svg width=\"%d\" height=\"%d\" %s", o->size, o->size, b.data + 5);
    else
        fwrite(b.data, 1, b.len, fp);
    rc = ferror(fp) ? -1 : 0;
    if (fclose(fp) != 0)
        rc = -1;
out:
    spur_buf_free(&b);
    return rc;
}

/* Writes <dir>/<name>.<format> holding the QR code of text; prints its path. */
static int write_file(const file_opts_t *o, const char *name, const char *text)
{
    char *path = spur_asprintf("%s/%s.%s", o->dir, name, o->format);
    int rc = strcmp(o->format, "png") == 0 ? write_png(path, text, o) : write_svg(path, text, o);
    if (rc < 0)
        spur_tool_err(SPUR_TR("kann %s nicht schreiben: %m", "cannot write %s: %m"), path);
    else
        printf("%s\n", path);
    free(path);
    return rc;
}

/* One file per place (or only place_id) and, for all places, join.<format>. */
static int write_files(const spur_tool_hunt_t *t, const char *place_id, const char *base,
                       const file_opts_t *o)
{
    const spur_hunt_t *hunt = t->hunt;
    int found = 0;

    /* --out DIR may name a new folder (one level); a failure shows at the first file */
    (void)mkdir(o->dir, 0777);
    for (size_t i = 0; i < hunt->nplaces; i++) {
        char *url;
        int rc;
        if (place_id && strcmp(place_id, hunt->places[i].id) != 0)
            continue;
        found = 1;
        url = spur_tool_scan_url(t, i, base, NULL);
        rc = write_file(o, hunt->places[i].id, url);
        free(url);
        if (rc < 0)
            return SPUR_EXIT_USAGE;
    }
    if (place_id && !found) {
        spur_tool_err(SPUR_TR("Rallye %s hat keinen Ort '%s'", "hunt %s has no place '%s'"),
                      hunt->id, place_id);
        return SPUR_EXIT_USAGE;
    }
    if (!place_id) {
        char *url = spur_tool_join_url(t, base);
        int rc = write_file(o, "join", url);
        free(url);
        if (rc < 0)
            return SPUR_EXIT_USAGE;
    }
    return SPUR_EXIT_OK;
}

int spur_cmd_qr(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"hunt", required_argument, NULL, 'H'},
        {"place", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'},
        {"out", required_argument, NULL, 'o'},
        {"ec", required_argument, NULL, 'e'},
        {"size", required_argument, NULL, 's'},
        {"base-url", required_argument, NULL, 'b'},
        {"url", required_argument, NULL, 'u'},
        {"terminal", no_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    const char *db_path = NULL, *hunt_id = NULL, *place_id = NULL, *format = "text";
    const char *base = SPUR_TOOL_BASE_URL, *url = NULL;
    file_opts_t fo = {.dir = ".", .ec = 'M'};
    int terminal = 0, c, rc = SPUR_EXIT_USAGE, text, ec;
    spur_tool_hunt_t t;
    char *end;
    long size;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db_path = optarg;
            break;
        case 'H':
            hunt_id = optarg;
            break;
        case 'p':
            place_id = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        case 'o':
            fo.dir = optarg;
            break;
        case 'e':
            if ((ec = spur_tool_ec_level(optarg)) < 0)
                return spur_tool_usage_error("qr", SPUR_TR("qr: --ec muss L, M, Q oder H sein",
                                                           "qr: --ec must be L, M, Q or H"));
            fo.ec = (char)ec;
            break;
        case 's':
            size = strtol(optarg, &end, 10);
            if (*end || end == optarg || size < 21 || size > 20000)
                return spur_tool_usage_error("qr",
                                             SPUR_TR("qr: --size muss 21 bis 20000 Pixel sein",
                                                     "qr: --size must be 21 to 20000 pixels"));
            fo.size = (int)size;
            break;
        case 'b':
            base = optarg;
            break;
        case 'u':
            url = optarg;
            break;
        case 't':
            terminal = 1;
            break;
        default:
            return spur_tool_bad_option("qr", c, argv);
        }
    }
    if (optind != argc)
        return spur_tool_usage_error(
            "qr", SPUR_TR("qr: unerwartetes Argument '%s'", "qr: unexpected argument '%s'"),
            argv[optind]);
    text = strcmp(format, "text") == 0;
    if (!text && strcmp(format, "svg") != 0 && strcmp(format, "png") != 0)
        return spur_tool_usage_error("qr",
                                     SPUR_TR("qr: unbekanntes Format '%s' (text, svg oder png)",
                                             "qr: unknown format '%s' (text, svg or png)"),
                                     format);
    fo.format = format;
    if (url) {
        if (db_path || hunt_id || place_id)
            return spur_tool_usage_error(
                "qr", SPUR_TR("qr: --url passt nicht zu --db, --hunt, --place",
                              "qr: --url does not go with --db, --hunt, --place"));
        if (!text)
            return write_file(&fo, "qr", url) < 0 ? SPUR_EXIT_USAGE : SPUR_EXIT_OK;
        printf("%s\n", url);
        if (terminal && draw_terminal(url) < 0) {
            spur_tool_err(SPUR_TR("kann diese Adresse nicht als QR-Code darstellen",
                                  "cannot encode this URL as a QR code"));
            return SPUR_EXIT_USAGE;
        }
        return SPUR_EXIT_OK;
    }
    if (!db_path || !hunt_id)
        return spur_tool_usage_error("qr", SPUR_TR("qr braucht --db PFAD und --hunt ID",
                                                   "qr needs --db PATH and --hunt ID"));

    if (spur_tool_hunt_open(db_path, hunt_id, &t) < 0)
        return SPUR_EXIT_USAGE;
    rc = text ? print_places(&t, place_id, base, terminal) : write_files(&t, place_id, base, &fo);
    spur_tool_hunt_close(&t);
    return rc;
}
