/*
 * The web arena's files (clients/web, built into BUILD/web by make):
 * read once at start into a table and served from memory for GET and
 * HEAD on every path outside /v1/ that no route claims.  Only files in
 * the table exist, so no request path can reach outside the tree.
 *
 * Ownership: sc_static_load answers a table freed by sc_static_free.
 */
#ifndef SC_STATIC_H
#define SC_STATIC_H

#include <stdbool.h>

#include "http.h"

typedef struct sc_static sc_static;

/* Loads the regular files under dir (dot files, links and files past
 * the size cap are skipped).  Answers an empty table when dir is NULL or
 * missing, NULL only when out of memory. */
sc_static *sc_static_load(const char *dir);
void sc_static_free(sc_static *s);
/* Files loaded. */
size_t sc_static_count(const sc_static *s);

/* True when the If-None-Match list inm names etag (or is "*"); weak
 * tags compare by their opaque part. */
bool sc_static_etag_matches(const char *inm, const char *etag);
/* The file at url (index.html for a folder): its media type, body and
 * length, or NULL when the table has none. */
const unsigned char *sc_static_find(const sc_static *s, const char *url,
                                    const char **type, size_t *len);

/* True when an unmatched request is the web tree's to answer. */
bool sc_static_claims(const char *method, const char *url);
/* Answers the file at url (index.html for a folder), 304 when
 * If-None-Match holds its ETag, else a 404 problem. */
void sc_static_serve(sc_req *r, const char *url);

#endif
