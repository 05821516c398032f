/* Pictures with libvips from Debian, for the tool and spurd alike: starting libvips
 * once, and re-encoding a picture a hunt shows (a puzzle's or place's image, the
 * logo). A picture is checked (a format for photos and logos, at most 100 megapixels,
 * not damaged), turned upright by its EXIF orientation, scaled down to at most
 * 1280 px on its longer side and saved again without any metadata (EXIF, GPS, XMP,
 * comments, colour profiles): as a progressive JPEG, or as WebP when it has
 * transparency (a logo). Only spurd and spur link this folder (and libvips); the unit
 * tests do not. */
#include "picture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vips/vips.h>

#include "core/mem.h"

static int vips_ready;

static void vips_stop(void)
{
    vips_shutdown();
}

/* libvips's own warnings ("error in tile 0 x 496") would only repeat, in its words,
   what the diagnostic says in ours. */
static void quiet(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
    (void)domain, (void)level, (void)message, (void)data;
}

int spur_picture_start(void)
{
    if (vips_ready)
        return vips_ready > 0 ? 0 : -1;
    if (VIPS_INIT("spur") != 0) {
        vips_ready = -1;
        return -1;
    }
    /* no operation cache: every picture is read once, and a cache only holds memory */
    vips_cache_set_max(0);
    g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING, quiet, NULL);
    vips_ready = 1;
    atexit(vips_stop);
    return 0;
}

/* Whether libvips's loader for the bytes is one for photos and logos (not PDF, SVG,
 * or a raw matrix: a hunt file names pictures). */
static int loader_ok(const char *loader)
{
    static const char *const ok[] = {
        "VipsForeignLoadJpeg", "VipsForeignLoadPng",  "VipsForeignLoadWebp", "VipsForeignLoadGif",
        "VipsForeignLoadTiff", "VipsForeignLoadHeif", "VipsForeignLoadNsgif"};
    for (size_t i = 0; loader && i < sizeof ok / sizeof *ok; i++)
        if (strncmp(loader, ok[i], strlen(ok[i])) == 0)
            return 1;
    return 0;
}

int spur_picture_encode(const char *buf, size_t len, const char *file, spur_media_t *m,
                        spur_diags_t *d, const char *path)
{
    VipsImage *head = NULL, *thumb = NULL;
    void *out = NULL;
    size_t out_len = 0;
    int rc = -1;
    const char *loader = vips_foreign_find_load_buffer(buf, len);

    if (!loader_ok(loader)) {
        spur_diags_add(d, 0, path, "\"%s\" is not a picture (JPEG, PNG, WebP, GIF, TIFF or HEIC)",
                       file);
        vips_error_clear();
        return -1;
    }
    head = vips_image_new_from_buffer(buf, len, "", NULL);
    if (!head)
        goto bad;
    if ((double)vips_image_get_width(head) * vips_image_get_height(head) > SPUR_MEDIA_PIXELS_MAX) {
        spur_diags_add(d, 0, path, "\"%s\" has %d x %d pixels; at most %d million are read", file,
                       vips_image_get_width(head), vips_image_get_height(head),
                       SPUR_MEDIA_PIXELS_MAX / 1000000);
        g_object_unref(head);
        return -1;
    }
    g_object_unref(head);
    /* thumbnail: shrink-on-load where the format allows, EXIF orientation applied,
       an embedded colour profile turned into sRGB; a damaged file is an error */
    if (vips_thumbnail_buffer((void *)buf, len, &thumb, SPUR_MEDIA_EDGE, "height", SPUR_MEDIA_EDGE,
                              "size", VIPS_SIZE_DOWN, "option_string", "fail_on=truncated",
                              NULL) != 0)
        goto bad;
    if (vips_image_hasalpha(thumb)) {
        if (vips_webpsave_buffer(thumb, &out, &out_len, "Q", 85, "strip", TRUE, NULL) != 0)
            goto bad;
        m->mime = "image/webp";
    } else {
        if (vips_jpegsave_buffer(thumb, &out, &out_len, "Q", 82, "strip", TRUE, "interlace", TRUE,
                                 "optimize_coding", TRUE, NULL) != 0)
            goto bad;
        m->mime = "image/jpeg";
    }
    m->width = vips_image_get_width(thumb);
    m->height = vips_image_get_height(thumb);
    m->data = spur_malloc(out_len);
    memcpy(m->data, out, out_len);
    m->len = out_len;
    spur_media_key(m->data, m->len, m->key);
    rc = 0;
    goto out;
bad : {
    /* libvips ends its messages with a newline; the diagnostic adds its own */
    char why[200];
    snprintf(why, sizeof why, "%s", vips_error_buffer());
    for (size_t n = strlen(why); n && (why[n - 1] == '\n' || why[n - 1] == ' ');)
        why[--n] = 0;
    spur_diags_add(d, 0, path, "\"%s\" cannot be read as a picture (damaged?): %s", file, why);
    vips_error_clear();
}
out:
    g_free(out);
    if (thumb)
        g_object_unref(thumb);
    return rc;
}
