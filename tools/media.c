/* The pictures a hunt file names ("image" on puzzles and places, "branding.logo"),
 * read from beside the hunt file (found, at most 10 MB) and re-encoded by
 * media/picture.c, which spurd's editor upload shares. `spur check` and `spur import`
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
#include "media/picture.h"
#include "tool.h"

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
    if (spur_picture_start() < 0) {
        spur_diags_add(r->d, 0, fpath, "libvips cannot start, so \"%s\" cannot be read", img->file);
        goto out;
    }
    if (spur_picture_encode(buf, len, img->file, m, r->d, fpath) < 0)
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

    if (spur_picture_start() < 0)
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
