/* The request getters and counters of req.h. */
#include <string.h>
#include <strings.h>

#include "req_state.h"

sc_server *sc_req_server(const sc_req *r) { return r->srv; }
json_t *sc_req_json(const sc_req *r) { return r->json; }
bool sc_req_is_npy(const sc_req *r) { return r->npy; }

const sc_player *sc_req_player(const sc_req *r)
{
    return r->has_player ? &r->player : NULL;
}

const char *sc_req_param(const sc_req *r, const char *name)
{
    for (size_t i = 0; i < r->nparams; i++)
        if (strcmp(r->params[i].name, name) == 0)
            return r->params[i].value;
    return NULL;
}

const char *sc_req_query(const sc_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *sc_req_header(const sc_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const uint8_t *sc_req_body(const sc_req *r, size_t *len)
{
    static const uint8_t empty[1];
    *len = r->body_len;
    return r->body != NULL ? r->body : empty;
}

/* True when the comma-separated Accept list names media_type, ignoring
 * parameters such as q (a client naming it wants it). */
bool sc_req_accepts(const sc_req *r, const char *media_type)
{
    const char *accept = sc_req_header(r, MHD_HTTP_HEADER_ACCEPT);
    size_t mlen = strlen(media_type);
    for (const char *p = accept; p != NULL && *p != '\0';) {
        p += strspn(p, " \t,");
        size_t tok = strcspn(p, ",;");
        while (tok > 0 && (p[tok - 1] == ' ' || p[tok - 1] == '\t'))
            tok--;
        if (tok == mlen && strncasecmp(p, media_type, mlen) == 0)
            return true;
        p = strchr(p, ',');
    }
    return false;
}

bool sc_req_wants_npy(const sc_req *r)
{
    return sc_req_accepts(r, "application/x-npy");
}

void sc_req_count_points(sc_req *r, int meter, uint64_t n)
{
    r->points[meter] += n;
}

void sc_req_count_refusal(sc_req *r, int meter)
{
    r->refused_meter = meter;
}
