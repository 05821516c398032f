/* `spur qr`: the scan URL and printed short code of each place of a stored hunt,
 * derived from the hunt's secret exactly as spurd checks them (game/codes.h), and
 * QR codes drawn in the terminal with Unicode half blocks. Only reads the database. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "core/json.h"
#include "core/mem.h"
#include "game/codes.h"
#include "tool.h"

#define DEFAULT_BASE_URL "http://127.0.0.1:8080"
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

/* Prints the places of stored hunt h (one, or all when place_id is NULL). */
static int print_places(const spur_store_hunt_t *h, const char *place_id, const char *base,
                        int terminal)
{
    cJSON *root = spur_json_parse(h->json, h->json_len, NULL, 0, NULL);
    spur_hunt_t *hunt = root ? spur_hunt_from_json(root, NULL) : NULL;
    int rc = SPUR_EXIT_USAGE, found = 0;
    size_t blen = strlen(base);

    while (blen > 0 && base[blen - 1] == '/')
        blen--;
    if (!hunt) {
        spur_tool_err("the stored hunt %s no longer loads; fix it and import it again", h->id);
        goto out;
    }
    for (size_t i = 0; i < hunt->nplaces; i++) {
        const spur_place_t *p = &hunt->places[i];
        char token[SPUR_TOKEN_LEN + 1], code[SPUR_SHORT_LEN + 1];
        char *url;
        if (place_id && strcmp(place_id, p->id) != 0)
            continue;
        found = 1;
        spur_codes_place_token(h->secret, hunt->id, p->id, token);
        spur_codes_place_short(h->secret, hunt->id, p->id, code);
        url = spur_asprintf("%.*s/s/%s", (int)blen, base, token);
        printf("%s\t%s\t%s\n", p->id, url, code);
        if (terminal && draw_terminal(url) < 0) {
            free(url);
            spur_tool_err("cannot encode %s as a QR code", p->id);
            goto out;
        }
        free(url);
    }
    if (place_id && !found) {
        spur_tool_err("hunt %s has no place '%s'", h->id, place_id);
        goto out;
    }
    rc = SPUR_EXIT_OK;
out:
    spur_hunt_free(hunt);
    cJSON_Delete(root);
    return rc;
}

int spur_cmd_qr(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"hunt", required_argument, NULL, 'H'},
        {"place", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'},
        {"out", required_argument, NULL, 'o'},
        {"base-url", required_argument, NULL, 'b'},
        {"url", required_argument, NULL, 'u'},
        {"terminal", no_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    const char *db_path = NULL, *hunt_id = NULL, *place_id = NULL, *format = "text";
    const char *base = DEFAULT_BASE_URL, *url = NULL;
    int terminal = 0, c, rc = SPUR_EXIT_USAGE;
    sqlite3 *db = NULL;
    spur_store_hunt_t *all = NULL, *h;
    size_t n = 0;

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
            break; /* for svg/png, which are not implemented yet */
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
        return spur_tool_usage_error("qr", "qr: unexpected argument '%s'", argv[optind]);
    if (strcmp(format, "svg") == 0 || strcmp(format, "png") == 0) {
        spur_tool_err("qr --format %s is not implemented yet", format);
        return SPUR_EXIT_USAGE;
    }
    if (strcmp(format, "text") != 0)
        return spur_tool_usage_error("qr", "qr: unknown format '%s'", format);
    if (url) {
        if (db_path || hunt_id || place_id)
            return spur_tool_usage_error("qr", "qr: --url does not go with --db, --hunt, --place");
        printf("%s\n", url);
        if (terminal && draw_terminal(url) < 0) {
            spur_tool_err("cannot encode this URL as a QR code");
            return SPUR_EXIT_USAGE;
        }
        return SPUR_EXIT_OK;
    }
    if (!db_path || !hunt_id)
        return spur_tool_usage_error("qr", "qr needs --db PATH and --hunt ID");

    if (spur_tool_open_db(db_path, &db) < 0)
        goto out;
    if (spur_tool_stored_hunt(db, hunt_id, &all, &n, &h) < 0)
        goto out;
    if (!h) {
        spur_tool_err("%s has no hunt '%s'", db_path, hunt_id);
        goto out;
    }
    rc = print_places(h, place_id, base, terminal);
out:
    spur_store_hunts_free(all, n);
    spur_store_close(db);
    return rc;
}
