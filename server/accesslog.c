/* The JSON access log; see accesslog.h. */
#include "accesslog.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

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

/* The method is MHD's token, which may hold any byte; keep it to
 * token characters so the line stays valid UTF-8. */
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
    char ts[32], meth[16], line[512];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    safe_token(meth, sizeof meth, method);
    json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:f, s:I, s:s?}", "ts", ts,
                          "method", meth, "route", route, "status", status,
                          "ms", round(ms * 1e3) / 1e3, "points",
                          (json_int_t)(points[0] + points[1] + points[2]),
                          "player", player);
    size_t n = o != NULL ? json_dumpb(o, line, sizeof line - 1,
                                      JSON_COMPACT | JSON_REAL_PRECISION(9))
                         : 0;
    json_decref(o);
    if (n == 0 || n >= sizeof line - 1)
        return;
    line[n++] = '\n';
    /* A lost log line must not fail the request: the result is dropped. */
    ssize_t w = write(log->fd, line, n);
    (void)w;
}
