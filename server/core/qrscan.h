/* Reading a QR code from a photo: a JPEG from a phone's camera, decoded to grey
 * with libjpeg and searched with libzbar. Pure function of its input, any thread. */
#ifndef SPUR_QRSCAN_H
#define SPUR_QRSCAN_H

#include <stddef.h>

#define SPUR_QRSCAN_MAX_SIDE 1600 /* pixels: larger photos are refused, not scaled */

/* Looks for a QR code in the JPEG jpeg[0, len). Returns 1 and the code's text in out
 * (NUL-terminated; a longer text is refused as no code), 0 when there is none, -1
 * when the bytes are not a JPEG of at most SPUR_QRSCAN_MAX_SIDE pixels a side. With
 * several codes in the picture, the first one zbar reports. */
int spur_qrscan_jpeg(const unsigned char *jpeg, size_t len, char *out, size_t out_size);

#endif
