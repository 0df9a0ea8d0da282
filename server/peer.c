/* Client addresses; see peer.h. */
#include "peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

static void from_v6(const struct in6_addr *a, sc_peer *out)
{
    if (IN6_IS_ADDR_V4MAPPED(a)) {
        memcpy(out->bytes, a->s6_addr + 12, 4);
        out->len = 4;
    } else {
        memcpy(out->bytes, a->s6_addr, 8);
        out->len = 8;
    }
}

static void from_sockaddr(const struct sockaddr *sa, sc_peer *out)
{
    memset(out, 0, sizeof *out);
    if (sa == NULL)
        return;
    if (sa->sa_family == AF_INET) {
        memcpy(out->bytes, &((const struct sockaddr_in *)sa)->sin_addr, 4);
        out->len = 4;
    } else if (sa->sa_family == AF_INET6) {
        from_v6(&((const struct sockaddr_in6 *)sa)->sin6_addr, out);
    }
}

bool sc_peer_parse(const char *text, sc_peer *out)
{
    struct in_addr a4;
    struct in6_addr a6;
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, text, &a4) == 1) {
        memcpy(out->bytes, &a4, 4);
        out->len = 4;
        return true;
    }
    if (inet_pton(AF_INET6, text, &a6) == 1) {
        from_v6(&a6, out);
        return true;
    }
    return false;
}

bool sc_peer_forwarded(const char *xff, sc_peer *out)
{
    const char *p = strrchr(xff, ',');
    p = p != NULL ? p + 1 : xff;
    p += strspn(p, " \t");
    size_t n = strcspn(p, " \t");
    char text[INET6_ADDRSTRLEN];
    if (n == 0 || n >= sizeof text)
        return false;
    memcpy(text, p, n);
    text[n] = '\0';
    return sc_peer_parse(text, out);
}

/* Keeps the value of the last X-Forwarded-For line: the trusted proxy
 * appends its own, so a client's forged line comes first, and only the
 * proxy's last entry can be believed. */
static enum MHD_Result last_forwarded(void *cls, enum MHD_ValueKind kind,
                                      const char *key, const char *value)
{
    (void)kind;
    if (key != NULL && value != NULL &&
        strcasecmp(key, "X-Forwarded-For") == 0)
        *(const char **)cls = value;
    return MHD_YES;
}

void sc_peer_of(const sc_config *cfg, struct MHD_Connection *conn,
                sc_peer *out)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    from_sockaddr(info != NULL ? info->client_addr : NULL, out);
    sc_peer proxy;
    if (cfg->trusted_proxy == NULL ||
        !sc_peer_parse(cfg->trusted_proxy, &proxy) ||
        proxy.len != out->len || memcmp(proxy.bytes, out->bytes,
                                        out->len) != 0)
        return;
    const char *xff = NULL;
    MHD_get_connection_values(conn, MHD_HEADER_KIND, last_forwarded, &xff);
    sc_peer fwd;
    if (xff != NULL && sc_peer_forwarded(xff, &fwd))
        *out = fwd;
}
