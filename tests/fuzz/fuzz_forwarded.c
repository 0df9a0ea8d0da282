/*
 * libFuzzer target for the X-Forwarded-For reader (server/peer.c).
 * Beyond "no crash": an accepted value names an address whose key has
 * the length of an IPv4 address or an IPv6 /64.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/peer.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    sc_peer p;
    if (sc_peer_forwarded(text, &p) && p.len != 4 && p.len != 8)
        abort();
    free(text);
    return 0;
}
