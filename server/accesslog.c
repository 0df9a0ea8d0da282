/* The JSON access log; see accesslog.h. */
#include "accesslog.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct sc_accesslog {
    int fd;
    int owned;
};

sc_accesslog *sc_accesslog_open(const char *path)
{
    sc_accesslog *log = calloc(1, sizeof *log);
    if (log == NULL)
        return NULL;
    if (strcmp(path, "-") == 0) {
        log->fd = STDERR_FILENO;
        return log;
    }
    log->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (log->fd < 0) {
        free(log);
        return NULL;
    }
    log->owned = 1;
    return log;
}

void sc_accesslog_close(sc_accesslog *log)
{
    if (log == NULL)
        return;
    if (log->owned)
        close(log->fd);
    free(log);
}

/* Ids and route templates hold no character JSON must escape; the
 * method is MHD's token, which may, so it is kept to token characters. */
static void safe_token(char *out, size_t cap, const char *in)
{
    size_t n = 0;
    for (; in[n] != '\0' && n + 1 < cap; n++)
        out[n] = (in[n] >= 'A' && in[n] <= 'Z') ? in[n] : '?';
    out[n] = '\0';
}

void sc_accesslog_write(sc_accesslog *log, const char *method,
                        const char *route, int status, double ms,
                        const uint64_t points[SC_METERS],
                        const char *player)
{
    if (log == NULL)
        return;
    char ts[32], meth[16], who[SC_ID_LEN + 2], line[512];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    safe_token(meth, sizeof meth, method);
    if (player != NULL)
        snprintf(who, sizeof who, "\"%s\"", player);
    else
        snprintf(who, sizeof who, "null");
    uint64_t pts = points[0] + points[1] + points[2];
    int n = snprintf(line, sizeof line,
                     "{\"ts\":\"%s\",\"method\":\"%s\",\"route\":\"%s\","
                     "\"status\":%d,\"ms\":%.3f,\"points\":%llu,"
                     "\"player\":%s}\n",
                     ts, meth, route, status, ms, (unsigned long long)pts,
                     who);
    if (n <= 0 || (size_t)n >= sizeof line)
        return;
    /* A lost log line must not fail the request: the result is dropped. */
    ssize_t w = write(log->fd, line, (size_t)n);
    (void)w;
}
