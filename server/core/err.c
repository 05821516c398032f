/* Tables behind err.h, generated from SPUR_ERRNO_MAP. */
#include "err.h"

#include <stddef.h>

const char *spur_err_name(int err)
{
    switch (err) {
#define XX(name, wire, status, msg)                                                                \
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
#define XX(name, wire, status, msg)                                                                \
    case SPUR_E##name:                                                                             \
        return status;
        SPUR_ERRNO_MAP(XX)
#undef XX
    }
    return 500;
}

const char *spur_err_message(int err)
{
    switch (err) {
#define XX(name, wire, status, msg)                                                                \
    case SPUR_E##name:                                                                             \
        return msg;
        SPUR_ERRNO_MAP(XX)
#undef XX
    }
    return "Internal error.";
}
