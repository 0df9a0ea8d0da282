/* Command-line options of scoracled; see config.h. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MIB (1024u * 1024u)

void sc_config_usage(FILE *f)
{
    fputs(
        "usage: scoracled [options]\n"
        "\n"
        "Serves the scoracle HTTP API (proto/API.md) over libmicrohttpd.\n"
        "\n"
        "  --listen HOST:PORT    address to serve on, numeric IPv4 or [IPv6]\n"
        "                        (default 127.0.0.1:8080)\n"
        "  --state DIR           store, master key and admin token live here\n"
        "                        (created 0700; default ./state)\n"
        "  --threads N           HTTP thread pool, one epoll loop each\n"
        "                        (default: 8 x CPU count, at least 16)\n"
        "  --workers N           compute pool for large batches\n"
        "                        (default: CPU count)\n"
        "  --queue N             large batches waiting for a worker before\n"
        "                        503 (default 4 x workers)\n"
        "  --max-body BYTES      request body cap, 413 above\n"
        "                        (default 64 MiB)\n"
        "  --max-json-body BYTES cap of a JSON body: decoded, it holds about\n"
        "                        20 times its size (default 32 MiB, room\n"
        "                        for 4096 x 256 points; more goes as NPY)\n"
        "  --log FILE|-          JSON access log, one line per request\n"
        "                        (default - : stderr)\n"
        "  --registration open|closed\n"
        "                        whether POST /v1/players works without a\n"
        "                        token (default: open on loopback, else\n"
        "                        closed)\n"
        "  --conn-limit N        connections at once (default 1024)\n"
        "  --per-ip-limit N      connections per client address\n"
        "                        (default 256)\n"
        "  --per-net-limit N     connections per network (IPv4 /24,\n"
        "                        IPv6 /64; default 512)\n"
        "  --timeout SECONDS     idle connection timeout (default 60)\n"
        "  --header-timeout SECONDS\n"
        "                        total time a request's headers may take\n"
        "                        (default 30; 2 while connections run short)\n"
        "  --body-timeout SECONDS\n"
        "                        total time a request's body may take\n"
        "                        (default 120; 10 while connections run\n"
        "                        short)\n"
        "  --trusted-proxy ADDR  a reverse proxy's numeric address: its\n"
        "                        requests count against the last address of\n"
        "                        X-Forwarded-For (default: none)\n"
        "  --rate-register N     registrations without a token, a minute\n"
        "                        per client address (default 60;\n"
        "                        0: no limit)\n"
        "  --rate-join N         class joins a minute per address\n"
        "                        (default 60; 0: no limit)\n"
        "  --rate-auth N         failed authentications a minute per\n"
        "                        address (default 60; 0: no limit)\n"
        "  --backlog N           listen backlog (default 1024)\n"
        "  --cache N             constructed distributions kept in memory\n"
        "                        (default 1024)\n"
        "  --store URL           the database: postgresql://... (a libpq\n"
        "                        URI; replicas may share it) or\n"
        "                        sqlite:PATH (default: DIR/scoracle.db)\n"
        "  --master-key FILE     the 32-byte master key, shared by every\n"
        "                        replica (default DIR/master.key, made\n"
        "                        at first start; FILE must exist)\n"
        "  --web DIR             the web arena served at / (default:\n"
        "                        $SCORACLE_WEB, else web/ beside the\n"
        "                        binary: build/web)\n"
        "  --help                this text\n"
        "\n"
        "Environment: SCORACLE_ADMIN_TOKEN sets the admin token; otherwise\n"
        "DIR/admin.token holds one generated at first start (mode 0600).\n"
        "SIGTERM or SIGINT drains: no new connections, requests in flight\n"
        "finish, the store closes, exit status 0.\n",
        f);
}

bool sc_config_is_loopback(const char *host)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, host, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    return inet_pton(AF_INET6, host, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}

/* A --store value names a backend: postgresql://, postgres:// or
 * sqlite:PATH with a non-empty PATH. */
static int sc_config_store(sc_config *cfg, const char *arg)
{
    static const char *const schemes[] = {"postgresql://", "postgres://",
                                          "sqlite:"};
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
        size_t n = strlen(schemes[i]);
        if (strncmp(arg, schemes[i], n) == 0 && arg[n] != '\0') {
            cfg->store = arg;
            return 0;
        }
    }
    return -1;
}

/* HOST:PORT or [HOST]:PORT into cfg. */
static int parse_listen(sc_config *cfg, const char *arg)
{
    const char *colon = strrchr(arg, ':');
    if (colon == NULL)
        return -1;
    const char *h = arg;
    size_t hl = (size_t)(colon - arg);
    if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
        h++;
        hl -= 2;
    }
    if (hl == 0 || hl >= sizeof cfg->host_buf)
        return -1;
    memcpy(cfg->host_buf, h, hl);
    cfg->host_buf[hl] = '\0';
    cfg->host = cfg->host_buf;
    char *end;
    errno = 0;
    unsigned long port = strtoul(colon + 1, &end, 10);
    if (errno != 0 || end == colon + 1 || *end != '\0' || port > 65535)
        return -1;
    cfg->port = (unsigned)port;
    return 0;
}

static int parse_uint(const char *arg, unsigned long long min,
                      unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (errno != 0 || end == arg || *end != '\0' || arg[0] == '-' ||
        v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static void defaults(sc_config *cfg)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned cpus = ncpu > 0 ? (unsigned)ncpu : 2;
    memset(cfg, 0, sizeof *cfg);
    parse_listen(cfg, "127.0.0.1:8080");
    cfg->state_dir = "state";
    /* Each HTTP thread runs an epoll loop and computes small requests
     * inline; a durable budget spend waits on the spend pool instead
     * (workers.c), so these threads never wait on a sync.  Several per
     * core keep a core busy while one computes. */
    cfg->threads = cpus * 8 > 16 ? cpus * 8 : 16;
    cfg->workers = cpus;
    cfg->queue = 0; /* 4 x workers unless given */
    cfg->max_body = 64u * MIB;
    cfg->max_json_body = 32u * MIB;
    cfg->log_path = "-";
    cfg->conn_limit = 1024;
    cfg->per_ip_limit = 256;
    cfg->conn_timeout = 60;
    cfg->header_timeout = 30;
    cfg->body_timeout = 120;
    cfg->per_net_limit = 512;
    cfg->rate_register = 60;
    cfg->rate_join = 60;
    cfg->rate_auth = 60;
    cfg->backlog = 1024;
    cfg->cache_entries = 1024;
}

enum { O_LISTEN = 256, O_STATE, O_THREADS, O_WORKERS, O_QUEUE, O_MAXBODY,
       O_MAXJSON,
       O_LOG, O_REG, O_CONNS, O_PERIP, O_TIMEOUT, O_BACKLOG, O_CACHE,
       O_HELP, O_PERNET, O_HDRTIME, O_BODYTIME, O_PROXY, O_RATEREG,
       O_RATEJOIN, O_RATEAUTH, O_STORE, O_MASTER_KEY, O_WEB };

static const struct option longopts[] = {
    {"listen", required_argument, NULL, O_LISTEN},
    {"state", required_argument, NULL, O_STATE},
    {"threads", required_argument, NULL, O_THREADS},
    {"workers", required_argument, NULL, O_WORKERS},
    {"queue", required_argument, NULL, O_QUEUE},
    {"max-body", required_argument, NULL, O_MAXBODY},
    {"max-json-body", required_argument, NULL, O_MAXJSON},
    {"log", required_argument, NULL, O_LOG},
    {"registration", required_argument, NULL, O_REG},
    {"conn-limit", required_argument, NULL, O_CONNS},
    {"per-ip-limit", required_argument, NULL, O_PERIP},
    {"timeout", required_argument, NULL, O_TIMEOUT},
    {"backlog", required_argument, NULL, O_BACKLOG},
    {"cache", required_argument, NULL, O_CACHE},
    {"web", required_argument, NULL, O_WEB},
    {"help", no_argument, NULL, O_HELP},
    {"per-net-limit", required_argument, NULL, O_PERNET},
    {"header-timeout", required_argument, NULL, O_HDRTIME},
    {"body-timeout", required_argument, NULL, O_BODYTIME},
    {"trusted-proxy", required_argument, NULL, O_PROXY},
    {"rate-register", required_argument, NULL, O_RATEREG},
    {"rate-join", required_argument, NULL, O_RATEJOIN},
    {"rate-auth", required_argument, NULL, O_RATEAUTH},
    {"store", required_argument, NULL, O_STORE},
    {"master-key", required_argument, NULL, O_MASTER_KEY},
    {NULL, 0, NULL, 0},
};

/* Stores a numeric option; -1 when out of range. */
static int set_number(sc_config *cfg, int opt, const char *arg)
{
    unsigned long long v;
    bool bytes = opt == O_MAXBODY || opt == O_MAXJSON;
    unsigned long long max = bytes ? (1ull << 40) : 1000000u;
    bool zero_ok = opt == O_QUEUE || opt == O_RATEREG || opt == O_RATEJOIN ||
                   opt == O_RATEAUTH;
    if (parse_uint(arg, zero_ok ? 0 : 1, max, &v) != 0)
        return -1;
    switch (opt) {
    case O_THREADS: cfg->threads = (unsigned)v; break;
    case O_WORKERS: cfg->workers = (unsigned)v; break;
    case O_QUEUE: cfg->queue = (unsigned)v; break;
    case O_MAXBODY: cfg->max_body = (size_t)v; break;
    case O_MAXJSON: cfg->max_json_body = (size_t)v; break;
    case O_CONNS: cfg->conn_limit = (unsigned)v; break;
    case O_PERIP: cfg->per_ip_limit = (unsigned)v; break;
    case O_TIMEOUT: cfg->conn_timeout = (unsigned)v; break;
    case O_BACKLOG: cfg->backlog = (unsigned)v; break;
    case O_PERNET: cfg->per_net_limit = (unsigned)v; break;
    case O_HDRTIME: cfg->header_timeout = (unsigned)v; break;
    case O_BODYTIME: cfg->body_timeout = (unsigned)v; break;
    case O_RATEREG: cfg->rate_register = (unsigned)v; break;
    case O_RATEJOIN: cfg->rate_join = (unsigned)v; break;
    case O_RATEAUTH: cfg->rate_auth = (unsigned)v; break;
    default: cfg->cache_entries = (size_t)v; break;
    }
    return 0;
}

static int set_option(sc_config *cfg, int opt, const char *arg, int *reg)
{
    switch (opt) {
    case O_LISTEN: return parse_listen(cfg, arg);
    case O_STATE: cfg->state_dir = arg; return 0;
    case O_LOG: cfg->log_path = arg; return 0;
    case O_WEB: cfg->web_dir = arg; return 0;
    case O_PROXY: {
        unsigned char buf[16];
        cfg->trusted_proxy = arg;
        return inet_pton(AF_INET, arg, buf) == 1 ||
                       inet_pton(AF_INET6, arg, buf) == 1
                   ? 0
                   : -1;
    }
    case O_STORE: return sc_config_store(cfg, arg);
    case O_MASTER_KEY: cfg->master_key = arg; return 0;
    case O_REG:
        if (strcmp(arg, "open") != 0 && strcmp(arg, "closed") != 0)
            return -1;
        *reg = strcmp(arg, "open") == 0;
        return 0;
    default: return set_number(cfg, opt, arg);
    }
}

int sc_config_parse(sc_config *cfg, int argc, char **argv)
{
    defaults(cfg);
    int reg = -1, opt, queue_given = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == O_HELP) {
            sc_config_usage(stdout);
            return 1;
        }
        if (opt == '?' || opt == ':') {
            fputs("scoracled: see --help\n", stderr);
            return -1;
        }
        queue_given |= opt == O_QUEUE;
        if (set_option(cfg, opt, optarg, &reg) != 0) {
            fprintf(stderr, "scoracled: bad value for --%s: %s\n",
                    longopts[opt - O_LISTEN].name, optarg);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "scoracled: unexpected argument %s\n", argv[optind]);
        return -1;
    }
    if (!queue_given)
        cfg->queue = 4 * cfg->workers;
    cfg->registration_open = reg >= 0 ? reg : sc_config_is_loopback(cfg->host);
    return 0;
}
