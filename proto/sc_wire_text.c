/* Number arrays as JSON text, written straight from the doubles; see
 * sc_wire.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sc_dconv.h"
#include "sc_wire.h"

/* Bytes one number may take with the comma after it. */
#define NUMBER_TEXT (SC_DTOA_MAX + 1)

static char *put_number(char *p, double x)
{
    size_t n = sc_dtoa(x, p);
    if (n == 0) {
        /* JSON has no non-finite numbers: such a result (a log-density
         * of -inf far outside a support) travels as null. */
        memcpy(p, "null", 4);
        n = 4;
    }
    return p + n;
}

static char *put_row(char *p, const double *v, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        if (j > 0)
            *p++ = ',';
        p = put_number(p, v[j]);
    }
    return p;
}

char *sc_wire_array_text(const char *field, const double *data, size_t rows,
                         size_t cols, int ndim, size_t *len)
{
    size_t flen = strlen(field), n = ndim == 2 ? cols : 1;
    if (n == 0 || n > SIZE_MAX / (4 * NUMBER_TEXT) ||
        rows > (SIZE_MAX / 2 - flen) / (n * NUMBER_TEXT + 3))
        return NULL;
    char *buf = malloc(flen + 8 + rows * (n * NUMBER_TEXT + 3)), *p = buf;
    if (buf == NULL)
        return NULL;
    *p++ = '{';
    *p++ = '"';
    memcpy(p, field, flen);
    p += flen;
    memcpy(p, "\":[", 3);
    p += 3;
    if (ndim == 2)
        for (size_t i = 0; i < rows; i++) {
            if (i > 0)
                *p++ = ',';
            *p++ = '[';
            p = put_row(p, data + i * cols, cols);
            *p++ = ']';
        }
    else
        p = put_row(p, data, rows);
    memcpy(p, "]}", 3);
    *len = (size_t)(p + 2 - buf);
    return buf;
}
