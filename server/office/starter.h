/* The starter hunt file (starter.c), shared by `spur new` and spurd's POST
 * /api/admin/hunts. */
#ifndef SPUR_STARTER_H
#define SPUR_STARTER_H

/* The starter in German or English, with id and title (NULL: the starter's own), its
 * dates next week in local time. The caller frees. */
char *spur_starter_text(int german, const char *id, const char *title);

#endif
