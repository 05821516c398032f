/* QR codes as SVG through libqrencode: the join code a phone shows to its
 * teammates, and the place codes the tool prints. Any thread. */
#ifndef SPUR_QR_H
#define SPUR_QR_H

#include "core/mem.h"

/* Appends an SVG drawing of text as a QR code (8-bit mode, error correction level
 * 'L','M','Q' or 'H', quiet zone of 4 modules) to out. Returns 0, or -1 when the text
 * does not fit in a QR code. */
int spur_qr_svg(const char *text, char level, spur_buf_t *out);

#endif
