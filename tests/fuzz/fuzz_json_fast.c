/*
 * libFuzzer target for the number path of the wire: the fast JSON
 * parser must build exactly jansson's tree whenever it answers (it
 * declines everything else), and a double (the input's first eight
 * bytes) must print as text that both sc_strtod and glibc's strtod
 * read back to the same bits, in a number array that jansson reads.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/sc_dconv.h"
#include "proto/sc_wire.h"
#include "proto/sc_wire_internal.h"

static void check_fast(const char *buf, size_t len)
{
    json_t *fast = NULL, *slow;
    if (sc__json_fast(buf, len, &fast) != 1)
        return;
    slow = json_loadb(buf, len, JSON_REJECT_DUPLICATES, NULL);
    if (slow == NULL || !json_equal(fast, slow))
        abort();
    json_decref(slow);
    json_decref(fast);
}

static void check_double(const uint8_t *data)
{
    double x, back = 0;
    char text[SC_DTOA_MAX + 1];
    memcpy(&x, data, sizeof x);
    size_t n = sc_dtoa(x, text);
    if (!isfinite(x)) {
        if (n != 0)
            abort();
        return;
    }
    text[n] = '\0';
    if (n == 0 || sc_strtod(text, n, &back) != 0 ||
        memcmp(&back, &x, sizeof x) != 0)
        abort();
    back = strtod(text, NULL);
    if (memcmp(&back, &x, sizeof x) != 0)
        abort();
    size_t len;
    char *s = sc_wire_array_text("x", &x, 1, 1, 1, &len);
    json_t *o = s != NULL ? json_loadb(s, len, 0, NULL) : NULL;
    json_t *v = json_array_get(json_object_get(o, "x"), 0);
    if (!json_is_real(v) || json_real_value(v) != x)
        abort();
    json_decref(o);
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_fast((const char *)data, size);
    if (size >= sizeof(double))
        check_double(data);
    return 0;
}
