/*
 * Command-line configuration of scoracled.  A plain value filled by
 * sc_config_parse; its strings point into argv.
 *
 * Decision: flags only, no configuration file: a systemd unit or a shell
 * line says everything a server does, and --help lists it.  Secrets are
 * never flags (argv is world-readable in /proc): the admin token comes
 * from SCORACLE_ADMIN_TOKEN or the state directory.  Registration is
 * open by default only on a loopback address.
 */
#ifndef SC_CONFIG_H
#define SC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct sc_config {
    const char *host;      /* numeric IPv4 or IPv6 address */
    char host_buf[64];
    unsigned port;
    const char *state_dir;
    unsigned threads;      /* MHD thread pool */
    unsigned workers;      /* compute pool */
    unsigned queue;        /* jobs waiting for the compute pool */
    size_t max_body;       /* bytes */
    size_t max_json_body;  /* bytes of a JSON body (at most max_body) */
    const char *log_path;  /* "-" = stderr */
    bool registration_open;
    unsigned conn_limit;   /* connections at once */
    unsigned per_ip_limit; /* connections per client address */
    unsigned conn_timeout; /* idle seconds before a connection closes */
    unsigned header_timeout; /* seconds a request's headers may take */
    unsigned body_timeout;   /* seconds its body may take */
    unsigned per_net_limit;  /* connections per IPv4 /24 or IPv6 /64 */
    const char *trusted_proxy; /* numeric address, or NULL */
    unsigned rate_register;  /* registrations a minute per address */
    unsigned rate_join;      /* class joins a minute per address */
    unsigned rate_auth;      /* failed authentications a minute */
    unsigned backlog;      /* listen(2) backlog */
    size_t cache_entries;  /* constructed distributions kept */
    const char *store;     /* --store: a URL, NULL for state_dir's SQLite */
    const char *master_key; /* --master-key: NULL for state_dir's */
    const char *web_dir;   /* served at /; NULL: next to the binary */
} sc_config;

/* Fills defaults, then reads argv.  Answers 0 to run, 1 when --help was
 * printed (exit 0), -1 on a bad option (message already on stderr). */
int sc_config_parse(sc_config *cfg, int argc, char **argv);
/* Prints --help to f. */
void sc_config_usage(FILE *f);
/* True when host is a loopback address (registration default). */
bool sc_config_is_loopback(const char *host);

#endif
