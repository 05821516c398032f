/* QR code to SVG: one <path> of unit squares, scaled by the viewBox, so the
 * file stays small and prints sharp at any size. */
#include "qr.h"

#include <string.h>

#include <qrencode.h>

static QRecLevel ec_level(char level)
{
    switch (level) {
    case 'L':
        return QR_ECLEVEL_L;
    case 'Q':
        return QR_ECLEVEL_Q;
    case 'H':
        return QR_ECLEVEL_H;
    default:
        return QR_ECLEVEL_M;
    }
}

int spur_qr_svg(const char *text, char level, spur_buf_t *out)
{
    const int quiet = 4;
    QRcode *qr =
        QRcode_encodeData((int)strlen(text), (const unsigned char *)text, 0, ec_level(level));
    int size;

    if (!qr)
        return -1;
    size = qr->width + 2 * quiet;
    spur_buf_printf(out,
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                    "shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" "
                    "fill=\"#fff\"/><path fill=\"#000\" d=\"",
                    size, size, size, size);
    for (int y = 0; y < qr->width; y++)
        for (int x = 0; x < qr->width; x++)
            if (qr->data[y * qr->width + x] & 1)
                spur_buf_printf(out, "M%d %dh1v1h-1z", x + quiet, y + quiet);
    spur_buf_puts(out, "\"/></svg>\n");
    QRcode_free(qr);
    return 0;
}
