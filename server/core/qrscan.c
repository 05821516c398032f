/* See qrscan.h. libjpeg reports fatal errors through error_exit, which must not
 * return: it longjmps back here. Keeps true: nothing allocated between setjmp and a
 * possible longjmp is lost (the grey buffer is freed on both paths), and libjpeg's
 * warnings about damaged data never reach stderr. */
#include "core/qrscan.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <zbar.h>

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
} jpeg_err_t;

static void on_jpeg_error(j_common_ptr cinfo)
{
    longjmp(((jpeg_err_t *)cinfo->err)->jump, 1);
}

static void on_jpeg_message(j_common_ptr cinfo)
{
    (void)cinfo; /* a damaged photo is an answer for the client, not a log line */
}

/* The JPEG as 8-bit grey, *w x *h; NULL when it is not a JPEG or too large. */
static unsigned char *grey_pixels(const unsigned char *jpeg, size_t len, unsigned *w, unsigned *h)
{
    struct jpeg_decompress_struct cinfo;
    jpeg_err_t jerr;
    unsigned char *volatile pixels = NULL;

    if (len < 4)
        return NULL;
    cinfo.err = jpeg_std_error(&jerr.pub);
    jerr.pub.error_exit = on_jpeg_error;
    jerr.pub.output_message = on_jpeg_message;
    if (setjmp(jerr.jump)) {
        jpeg_destroy_decompress(&cinfo);
        free(pixels);
        return NULL;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, jpeg, (unsigned long)len);
    if (jpeg_read_header(&cinfo, TRUE) != JPEG_HEADER_OK || cinfo.image_width == 0 ||
        cinfo.image_height == 0 || cinfo.image_width > SPUR_QRSCAN_MAX_SIDE ||
        cinfo.image_height > SPUR_QRSCAN_MAX_SIDE) {
        jpeg_destroy_decompress(&cinfo);
        return NULL;
    }
    cinfo.out_color_space = JCS_GRAYSCALE;
    jpeg_start_decompress(&cinfo);
    *w = cinfo.output_width;
    *h = cinfo.output_height;
    pixels = malloc((size_t)*w * *h);
    if (!pixels) {
        jpeg_destroy_decompress(&cinfo);
        return NULL;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = pixels + (size_t)cinfo.output_scanline * *w;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return pixels;
}

int spur_qrscan_jpeg(const unsigned char *jpeg, size_t len, char *out, size_t out_size)
{
    unsigned w = 0, h = 0;
    unsigned char *grey = grey_pixels(jpeg, len, &w, &h);
    zbar_image_scanner_t *scanner;
    zbar_image_t *img;
    int found = 0;

    if (!grey)
        return -1;
    out[0] = '\0';
    scanner = zbar_image_scanner_create();
    zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    img = zbar_image_create();
    zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(img, w, h);
    zbar_image_set_data(img, grey, (unsigned long)w * h, NULL);
    if (zbar_scan_image(scanner, img) > 0) {
        const zbar_symbol_t *sym = zbar_image_first_symbol(img);
        for (; sym && !found; sym = zbar_symbol_next(sym)) {
            const char *text = zbar_symbol_get_data(sym);
            unsigned n = zbar_symbol_get_data_length(sym);
            if (zbar_symbol_get_type(sym) == ZBAR_QRCODE && n < out_size &&
                memchr(text, '\0', n) == NULL) {
                memcpy(out, text, n);
                out[n] = '\0';
                found = 1;
            }
        }
    }
    zbar_image_destroy(img);
    zbar_image_scanner_destroy(scanner);
    free(grey);
    return found;
}
