/* The pictures a hunt file names ("image" on puzzles and places, "branding.logo"),
 * read with libvips from Debian: each file is checked (found, at most 10 MB, a
 * picture libvips reads, at most 100 megapixels), turned upright by its EXIF
 * orientation, scaled down to at most 1280 px on its longer side and saved again
 * without any metadata (EXIF, GPS, XMP, comments, colour profiles): as a progressive
 * JPEG, or as WebP when it has transparency (a logo). `spur check` and `spur import`
 * both do the whole work, so check finds a damaged file too; import stores the
 * result (spur_store_put_hunt). Print turns a stored copy back into pixels for cairo
 * (spur_tool_media_surface). Single-threaded use; libvips starts its own threads. */
#include "media.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <vips/vips.h>

#include "core/mem.h"
#include "tool.h"

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

/* Starts libvips once per process; 0 or -1. */
static int vips_start(void)
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

/* Reads path (at most max bytes) into *buf. 0, or -1 with errno (EFBIG: too big,
 * *size then holds the file's size). */
static int read_picture(const char *path, size_t max, char **buf, size_t *size)
{
    struct stat sb;
    FILE *fp = fopen(path, "rb");
    *buf = NULL;
    *size = 0;
    if (!fp)
        return -1;
    if (fstat(fileno(fp), &sb) < 0 || !S_ISREG(sb.st_mode)) {
        fclose(fp);
        errno = EISDIR;
        return -1;
    }
    *size = (size_t)sb.st_size;
    if (*size > max) {
        fclose(fp);
        errno = EFBIG;
        return -1;
    }
    *buf = spur_malloc(*size ? *size : 1);
    if (fread(*buf, 1, *size, fp) != *size) {
        fclose(fp);
        free(*buf);
        *buf = NULL;
        errno = EIO;
        return -1;
    }
    fclose(fp);
    return 0;
}

typedef struct {
    const char *dir; /* the hunt file's folder */
    spur_diags_t *d;
    spur_media_t *media;
    size_t n, cap;
    size_t total;  /* bytes of all copies */
    char **failed; /* files already reported: named again, they are not read again */
    size_t nfailed;
} media_read_t;

/* Re-encodes the picture file (bytes in buf) into m (data, mime, size, key). 0, or -1
 * after an error at path in d. */
static int encode(const char *buf, size_t len, const char *file, spur_media_t *m, spur_diags_t *d,
                  const char *path)
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

static int read_one(spur_image_t *img, const char *path, void *data)
{
    media_read_t *r = data;
    char *fpath, *full, *buf = NULL, mb[32];
    size_t len;

    if (!img->file)
        return 0;
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->media[i].file, img->file) == 0)
            return 0; /* the same file for two puzzles: stored once */
    for (size_t i = 0; i < r->nfailed; i++)
        if (strcmp(r->failed[i], img->file) == 0)
            return 0; /* and reported once */
    fpath = spur_asprintf("%s.file", path);
    full = spur_asprintf("%s/%s", r->dir, img->file);
    if (read_picture(full, SPUR_MEDIA_FILE_MAX, &buf, &len) < 0) {
        snprintf(mb, sizeof mb, "%.1f", (double)len / (1024 * 1024));
        if (errno == EFBIG)
            spur_diags_add(r->d, 0, fpath,
                           "the picture \"%s\" has %s MB; at most %u MB (make it smaller, "
                           "for example 2000 pixels wide)",
                           img->file, mb, SPUR_MEDIA_FILE_MAX / (1024 * 1024));
        else
            spur_diags_add(r->d, 0, fpath, "picture file \"%s\" not found (looked for %s)",
                           img->file, full);
        goto out;
    }
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 8;
        r->media = spur_realloc(r->media, r->cap * sizeof(*r->media));
    }
    spur_media_t *m = &r->media[r->n];
    memset(m, 0, sizeof *m);
    if (vips_start() < 0) {
        spur_diags_add(r->d, 0, fpath, "libvips cannot start, so \"%s\" cannot be read", img->file);
        goto out;
    }
    if (encode(buf, len, img->file, m, r->d, fpath) < 0)
        goto out;
    m->file = spur_strdup(img->file);
    r->total += m->len;
    r->n++;
    goto done;
out:
    r->failed = spur_realloc(r->failed, (r->nfailed + 1) * sizeof(*r->failed));
    r->failed[r->nfailed++] = spur_strdup(img->file);
done:
    free(buf);
    free(full);
    free(fpath);
    return 0;
}

void spur_tool_media_read(const char *hunt_path, spur_hunt_t *h, spur_diags_t *d,
                          spur_media_t **media, size_t *n)
{
    char *copy = spur_strdup(hunt_path);
    media_read_t r = {dirname(copy), d, NULL, 0, 0, 0, NULL, 0};
    spur_hunt_each_image(h, read_one, &r);
    for (size_t i = 0; i < r.nfailed; i++)
        free(r.failed[i]);
    free(r.failed);
    if (r.total > SPUR_MEDIA_HUNT_MAX) {
        char mb[32];
        snprintf(mb, sizeof mb, "%.1f", (double)r.total / (1024 * 1024));
        spur_diags_add(d, 0, "",
                       "the pictures together take %s MB after scaling; at most %u MB (use "
                       "fewer pictures)",
                       mb, SPUR_MEDIA_HUNT_MAX / (1024 * 1024));
    }
    free(copy);
    *media = r.media;
    *n = r.n;
}

void spur_tool_media_free(spur_media_t *m, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(m[i].file);
        free(m[i].data);
    }
    free(m);
}

cairo_surface_t *spur_tool_media_surface(const void *data, size_t len)
{
    VipsImage *img = NULL, *srgb = NULL, *alpha = NULL, *pre = NULL, *u8 = NULL;
    cairo_surface_t *s = NULL;
    unsigned char *px = NULL;
    size_t px_len;

    if (vips_start() < 0)
        return NULL;
    img = vips_image_new_from_buffer(data, len, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (!img || vips_colourspace(img, &srgb, VIPS_INTERPRETATION_sRGB, NULL) != 0)
        goto out;
    if (vips_image_hasalpha(srgb)) {
        alpha = srgb;
        g_object_ref(alpha);
    } else if (vips_addalpha(srgb, &alpha, NULL) != 0) {
        goto out;
    }
    /* cairo wants premultiplied alpha, 8 bits, in native-endian ARGB words */
    if (vips_premultiply(alpha, &pre, NULL) != 0 || vips_cast_uchar(pre, &u8, NULL) != 0)
        goto out;
    px = vips_image_write_to_memory(u8, &px_len);
    if (!px)
        goto out;
    {
        int w = vips_image_get_width(u8), hgt = vips_image_get_height(u8);
        s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, hgt);
        if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
            goto out;
        cairo_surface_flush(s);
        unsigned char *dst = cairo_image_surface_get_data(s);
        int stride = cairo_image_surface_get_stride(s);
        for (int y = 0; y < hgt; y++) {
            uint32_t *row = (uint32_t *)(void *)(dst + (size_t)y * (size_t)stride);
            const unsigned char *src = px + (size_t)y * (size_t)w * 4;
            for (int x = 0; x < w; x++, src += 4)
                row[x] = (uint32_t)src[3] << 24 | (uint32_t)src[0] << 16 | (uint32_t)src[1] << 8 |
                         src[2];
        }
        cairo_surface_mark_dirty(s);
    }
out:
    vips_error_clear();
    g_free(px);
    if (u8)
        g_object_unref(u8);
    if (pre)
        g_object_unref(pre);
    if (alpha)
        g_object_unref(alpha);
    if (srgb)
        g_object_unref(srgb);
    if (img)
        g_object_unref(img);
    if (s && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        s = NULL;
    }
    return s;
}
