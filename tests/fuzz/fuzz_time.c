/*
 * libFuzzer target for the RFC 3339 parser (proto/sc_time.h).  Beyond
 * "no crash": an accepted time prints in the one UTC form, and that form
 * parses back to itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/sc_time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    char out[SC_TIME_LEN + 1], again[SC_TIME_LEN + 1];
    if (s == NULL)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    if (sc_time_parse(s, out) == 0 &&
        (strlen(out) != SC_TIME_LEN || out[SC_TIME_LEN - 1] != 'Z' ||
         sc_time_parse(out, again) != 0 || strcmp(out, again) != 0))
        abort();
    free(s);
    return 0;
}
