/*
 * Static files of the web arena, served from memory (static.h).  The
 * tree is small (pages, modules, a few pinned libraries), so it is read
 * once at start: each file gets its media type and a content ETag, and
 * a request path is only ever a key into the table.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>

#include "req_state.h"
#include "server.h"
#include "static.h"

#define FILE_CAP (8u << 20)   /* bytes of one file */
#define TREE_CAP (64u << 20)  /* bytes of the whole tree */
#define DEPTH_CAP 8
#define PATH_CAP 256

/* Same origin only, no inline script or style, no framing: the pages
 * need nothing else (workers are module files of the tree). */
#define CSP "default-src 'self'; script-src 'self'; style-src 'self'; " \
            "img-src 'self' data: blob:; worker-src 'self'; "           \
            "connect-src 'self'; object-src 'none'; base-uri 'none'; "  \
            "form-action 'self'; frame-ancestors 'none'"

typedef struct sc_file {
    char path[PATH_CAP]; /* "/index.html" */
    const char *type;
    char etag[36];       /* "\"<32 hex>\"" */
    unsigned char *body;
    size_t len;
} sc_file;

struct sc_static {
    sc_file *files;
    size_t n, cap, bytes;
};

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
    {".md", "text/markdown; charset=utf-8"},
};

static const char *type_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot != NULL && i < sizeof types / sizeof types[0];
         i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

/* Reads fd whole into a malloc'ed buffer of st_size bytes. */
static unsigned char *read_all(int fd, size_t len)
{
    unsigned char *buf = malloc(len ? len : 1);
    size_t got = 0;
    while (buf != NULL && got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n <= 0) {
            free(buf);
            return NULL;
        }
        got += (size_t)n;
    }
    return buf;
}

static int add_file(sc_static *s, int dirfd, const char *name,
                    const char *path, size_t len)
{
    size_t plen = strlen(path);
    if (len > FILE_CAP || s->bytes + len > TREE_CAP || plen >= PATH_CAP)
        return 0;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        sc_file *nf = realloc(s->files, cap * sizeof *nf);
        if (nf == NULL)
            return -1;
        s->files = nf;
        s->cap = cap;
    }
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return 0;
    unsigned char *body = read_all(fd, len);
    close(fd);
    if (body == NULL)
        return 0;
    sc_file *f = &s->files[s->n++];
    memcpy(f->path, path, plen + 1);
    f->type = type_of(name);
    f->body = body;
    f->len = len;
    unsigned char h[16];
    crypto_generichash(h, sizeof h, body, len, NULL, 0);
    f->etag[0] = '"';
    sodium_bin2hex(f->etag + 1, sizeof f->etag - 2, h, sizeof h);
    strcat(f->etag, "\"");
    s->bytes += len;
    return 0;
}

static int walk(sc_static *s, int dirfd, const char *prefix, int depth)
{
    DIR *d = fdopendir(dirfd);
    if (d == NULL) {
        close(dirfd);
        return 0;
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        struct stat st;
        char path[PATH_CAP + 8];
        if (e->d_name[0] == '.' ||
            fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", prefix, e->d_name);
        if (S_ISREG(st.st_mode)) {
            rc = add_file(s, dirfd, e->d_name, path, (size_t)st.st_size);
        } else if (S_ISDIR(st.st_mode) && depth < DEPTH_CAP &&
                   strlen(path) < PATH_CAP) {
            int sub = openat(dirfd, e->d_name,
                             O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub >= 0)
                rc = walk(s, sub, path, depth + 1);
        }
    }
    closedir(d);
    return rc;
}

sc_static *sc_static_load(const char *dir)
{
    sc_static *s = calloc(1, sizeof *s);
    if (s == NULL || dir == NULL)
        return s;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0 && walk(s, fd, "", 0) != 0) {
        sc_static_free(s);
        return NULL;
    }
    return s;
}

void sc_static_free(sc_static *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->files[i].body);
    free(s->files);
    free(s);
}

size_t sc_static_count(const sc_static *s)
{
    return s != NULL ? s->n : 0;
}

bool sc_static_claims(const char *method, const char *url)
{
    return (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) &&
           strncmp(url, "/v1/", 4) != 0 && strcmp(url, "/v1") != 0;
}

static const sc_file *find(const sc_static *s, const char *url)
{
    char path[PATH_CAP];
    size_t n = strlen(url);
    const char *index = n > 0 && url[n - 1] == '/' ? "index.html" : "";
    if (n + strlen(index) >= sizeof path)
        return NULL;
    snprintf(path, sizeof path, "%s%s", url, index);
    for (size_t i = 0; s != NULL && i < s->n; i++)
        if (strcmp(s->files[i].path, path) == 0)
            return &s->files[i];
    return NULL;
}

bool sc_static_etag_matches(const char *inm, const char *etag)
{
    size_t n = strlen(etag);
    for (const char *p = inm; p != NULL && *p != '\0';) {
        p += strspn(p, " \t,");
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        if (*p == '*' || (strncmp(p, etag, n) == 0 &&
                          (p[n] == '\0' || p[n] == ',' || p[n] == ' ')))
            return true;
        p = strchr(p, ',');
    }
    return false;
}

const unsigned char *sc_static_find(const sc_static *s, const char *url,
                                    const char **type, size_t *len)
{
    const sc_file *f = find(s, url);
    if (f == NULL)
        return NULL;
    *type = f->type;
    *len = f->len;
    return f->body;
}

static void add_headers(sc_req *r, const sc_file *f)
{
    struct MHD_Response *resp = r->resp;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, f->etag);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
}

void sc_static_serve(sc_req *r, const char *url)
{
    r->route_name = "/{static}";
    const sc_file *f = find(r->srv->web, url);
    if (f == NULL) {
        sc_reply_error(r, 404, "not-found", "no such path");
        return;
    }
    const char *inm = sc_req_header(r, MHD_HTTP_HEADER_IF_NONE_MATCH);
    if (inm != NULL && sc_static_etag_matches(inm, f->etag)) {
        if (sc_reply_empty(r, 304) == 0)
            add_headers(r, f);
        return;
    }
    unsigned char *copy = malloc(f->len ? f->len : 1);
    if (copy == NULL) {
        sc_reply_error(r, 503, "overloaded", "out of memory");
        return;
    }
    memcpy(copy, f->body, f->len);
    if (sc_reply_take(r, 200, f->type, copy, f->len) == 0)
        add_headers(r, f);
}
