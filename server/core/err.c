/* Tables behind err.h, generated from SPUR_ERRNO_MAP. */
#include "err.h"

#include <stddef.h>

const char *spur_err_name(int err)
{
    switch (err) {
#define XX(name, wire, status, de, en)                                                             \
    case SPUR_E##name:                                                                             \
        return wire;
        SPUR_ERRNO_MAP(XX)
#undef XX
    }
    return "internal";
}

int spur_err_status(int err)
{
    switch (err) {
#define XX(name, wire, status, de, en)                                                             \
    case SPUR_E##name:                                                                             \
        return status;
        SPUR_ERRNO_MAP(XX)
#undef XX
    }
    return 500;
}

const char *spur_err_message(int err, int en)
{
    switch (err) {
#define XX(name, wire, status, de, en_msg)                                                         \
    case SPUR_E##name:                                                                             \
        return en ? en_msg : de;
        SPUR_ERRNO_MAP(XX)
#undef XX
    }
    return en ? "Internal error." : "Interner Fehler.";
}
