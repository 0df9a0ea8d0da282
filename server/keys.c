/* Master key and admin token files, and the derivations of keys.h. */
#include "server/keys.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/sc_commit.h"
#include "core/sc_rng.h"

/* Lives in sodium_malloc'ed memory, read-only once loaded. */
struct sc_keys {
    uint8_t master[SC_KEY_BYTES];
    uint8_t token_key[SC_KEY_BYTES];
    char admin_token[SC_ADMIN_TOKEN_MAX + 1];
    bool admin_created;
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static int write_all(int fd, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Reads up to cap bytes; answers the count or -1. */
static ssize_t read_all(int fd, void *buf, size_t cap)
{
    uint8_t *p = buf;
    size_t got = 0;

    while (got < cap) {
        ssize_t r = read(fd, p + got, cap - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

/* A new file's name is durable only once its directory is synced. */
static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc;

    if (fd < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

static int ensure_dir(const char *dir, char *err, size_t errlen)
{
    struct stat sb;

    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return fail(err, errlen, "cannot create state directory %s: %s",
                    dir, strerror(errno));
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return fail(err, errlen, "state path %s is not a directory", dir);
    return 0;
}

/* Creates path with O_EXCL holding exactly data, synced with its
 * directory.  Answers 1 when another process created it first. */
static int create_secret_file(const char *dir, const char *path,
                              const void *data, size_t len, char *err,
                              size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  0600);

    if (fd < 0 && errno == EEXIST)
        return 1;
    if (fd < 0)
        return fail(err, errlen, "cannot create %s: %s", path,
                    strerror(errno));
    if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        int e = errno;
        close(fd);
        unlink(path);
        return fail(err, errlen, "cannot write %s: %s", path, strerror(e));
    }
    close(fd);
    if (fsync_dir(dir) != 0)
        return fail(err, errlen, "cannot sync %s: %s", dir, strerror(errno));
    return 0;
}

/* Opens an existing secret file after checking that it is a regular
 * file nobody but its owner may touch.  -2 when it does not exist. */
static int open_secret_file(const char *path, struct stat *sb, char *err,
                            size_t errlen)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

    if (fd < 0 && errno == ENOENT)
        return -2;
    if (fd < 0)
        return fail(err, errlen, "cannot open %s: %s", path,
                    strerror(errno));
    if (fstat(fd, sb) != 0 || !S_ISREG(sb->st_mode)) {
        close(fd);
        return fail(err, errlen, "%s is not a regular file", path);
    }
    if ((sb->st_mode & 077) != 0) {
        close(fd);
        return fail(err, errlen,
                    "%s is accessible to group or others (mode %03o); "
                    "refusing to use it: chmod 600 it",
                    path, (unsigned)(sb->st_mode & 0777));
    }
    return fd;
}

static int load_master(const char *dir, const char *path,
                       uint8_t master[SC_KEY_BYTES], char *err,
                       size_t errlen)
{
    for (;;) {
        struct stat sb;
        int fd = open_secret_file(path, &sb, err, errlen);
        int rc;

        if (fd == -2) {
            sc_random(master, SC_KEY_BYTES);
            rc = create_secret_file(dir, path, master, SC_KEY_BYTES, err,
                                    errlen);
            if (rc == 1)
                continue; /* another server created it first: use theirs */
            return rc;
        }
        if (fd < 0)
            return -1;
        if (sb.st_size != SC_KEY_BYTES) {
            close(fd);
            return fail(err, errlen,
                        "%s holds %lld bytes, not %d: refusing to start "
                        "(restore the right file; a new key would orphan "
                        "every secret)",
                        path, (long long)sb.st_size, SC_KEY_BYTES);
        }
        rc = read_all(fd, master, SC_KEY_BYTES) == SC_KEY_BYTES ? 0 : -1;
        close(fd);
        if (rc != 0)
            return fail(err, errlen, "cannot read %s", path);
        return 0;
    }
}

/* RFC 6750 b64token characters, so a token fits a Bearer header. */
static bool token_ok(const char *t)
{
    size_t n = strlen(t);

    if (n < SC_ADMIN_TOKEN_MIN || n > SC_ADMIN_TOKEN_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = t[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                     (c >= '0' && c <= '9');
        if (!alnum && !strchr("-._~+/=", c))
            return false;
    }
    return true;
}

static int read_admin_file(int fd, const char *path, char *out, char *err,
                           size_t errlen)
{
    char buf[SC_ADMIN_TOKEN_MAX + 2];
    ssize_t n = read_all(fd, buf, sizeof buf - 1);
    int rc = 0;

    if (n < 0)
        return fail(err, errlen, "cannot read %s", path);
    while (n > 0 && strchr(" \t\r\n", buf[n - 1]))
        n--;
    buf[n] = '\0';
    if (!token_ok(buf))
        rc = fail(err, errlen,
                  "%s does not hold a token of %d to %d characters "
                  "[A-Za-z0-9-._~+/=]",
                  path, SC_ADMIN_TOKEN_MIN, SC_ADMIN_TOKEN_MAX);
    else
        memcpy(out, buf, (size_t)n + 1);
    sodium_memzero(buf, sizeof buf);
    return rc;
}

static int load_admin_token(const char *dir, const char *path, sc_keys *k,
                            char *err, size_t errlen)
{
    const char *env = getenv("SCORACLE_ADMIN_TOKEN");

    if (env && *env) {
        if (!token_ok(env))
            return fail(err, errlen,
                        "SCORACLE_ADMIN_TOKEN must be %d to %d characters "
                        "[A-Za-z0-9-._~+/=]",
                        SC_ADMIN_TOKEN_MIN, SC_ADMIN_TOKEN_MAX);
        memcpy(k->admin_token, env, strlen(env) + 1);
        return 0;
    }
    for (;;) {
        struct stat sb;
        char line[SC_TOKEN_SIZE];
        int fd = open_secret_file(path, &sb, err, errlen);
        int rc;

        if (fd >= 0) {
            rc = read_admin_file(fd, path, k->admin_token, err, errlen);
            close(fd);
            return rc;
        }
        if (fd != -2)
            return -1;
        sc_keys_new_token(line);
        memcpy(k->admin_token, line, SC_TOKEN_SIZE);
        line[SC_TOKEN_LEN] = '\n';
        rc = create_secret_file(dir, path, line, SC_TOKEN_LEN + 1, err,
                                errlen);
        sodium_memzero(line, sizeof line);
        if (rc != 1) {
            k->admin_created = rc == 0;
            return rc;
        }
    }
}

static int join(char *out, size_t cap, const char *dir, const char *name,
                char *err, size_t errlen)
{
    int n = snprintf(out, cap, "%s/%s", dir, name);

    if (n < 0 || (size_t)n >= cap)
        return fail(err, errlen, "state path %s is too long", dir);
    return 0;
}

/* A master key file the operator named (--master-key): it must exist
 * (a fresh key would orphan every replica's secrets) and hold 32 bytes.
 * It may be a link and readable by its group (Kubernetes mounts secrets
 * as links, group-readable under fsGroup), never by others. */
static int load_named_master(const char *path, uint8_t master[SC_KEY_BYTES],
                             char *err, size_t errlen)
{
    struct stat sb;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int rc;

    if (fd < 0)
        return fail(err, errlen, "cannot open the master key %s: %s", path,
                    strerror(errno));
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
        sb.st_size != SC_KEY_BYTES || (sb.st_mode & 007) != 0) {
        close(fd);
        return fail(err, errlen,
                    "the master key %s must be a regular file of %d bytes "
                    "that others cannot read (chmod o-rwx)",
                    path, SC_KEY_BYTES);
    }
    rc = read_all(fd, master, SC_KEY_BYTES) == SC_KEY_BYTES ? 0 : -1;
    close(fd);
    return rc == 0 ? 0 : fail(err, errlen, "cannot read %s", path);
}

int sc_keys_load(const char *state_dir, sc_keys **out, char *err,
                 size_t errlen)
{
    return sc_keys_load_with(state_dir, NULL, out, err, errlen);
}

int sc_keys_load_with(const char *state_dir, const char *master_key,
                      sc_keys **out, char *err, size_t errlen)
{
    char key_path[PATH_MAX], token_path[PATH_MAX];
    sc_keys *k;
    int rc;

    *out = NULL;
    if (sodium_init() < 0)
        return fail(err, errlen, "libsodium failed to initialise");
    if (ensure_dir(state_dir, err, errlen) != 0 ||
        join(key_path, sizeof key_path, state_dir, "master.key", err,
             errlen) != 0 ||
        join(token_path, sizeof token_path, state_dir, "admin.token", err,
             errlen) != 0)
        return -1;
    k = sodium_malloc(sizeof *k);
    if (!k)
        return fail(err, errlen, "cannot allocate locked key memory");
    memset(k, 0, sizeof *k);
    rc = master_key
             ? load_named_master(master_key, k->master, err, errlen)
             : load_master(state_dir, key_path, k->master, err, errlen);
    if (rc != 0 || load_admin_token(state_dir, token_path, k, err, errlen) !=
                       0) {
        sodium_free(k);
        return -1;
    }
    sc_kdf(k->token_key, k->master, 0, SC_CTX_TOKEN);
    sodium_mprotect_readonly(k);
    *out = k;
    return 0;
}

void sc_keys_free(sc_keys *k)
{
    if (k)
        sodium_free(k); /* wipes, unlocks and unmaps */
}

bool sc_keys_present(const char *state_dir)
{
    char path[PATH_MAX];
    struct stat sb;
    int n = snprintf(path, sizeof path, "%s/master.key", state_dir);

    return n > 0 && (size_t)n < sizeof path && lstat(path, &sb) == 0;
}

void sc_keys_fingerprint(const sc_keys *k, uint8_t out[32])
{
    static const char what[] = "scoracle master key fingerprint";
    uint8_t key[SC_KEY_BYTES];

    sc_kdf(key, k->master, 0, SC_CTX_FPRINT);
    crypto_generichash(out, 32, (const unsigned char *)what,
                       sizeof what - 1, key, sizeof key);
    sodium_memzero(key, sizeof key);
}

const char *sc_keys_admin_token(const sc_keys *k)
{
    return k->admin_token;
}

bool sc_keys_admin_token_created(const sc_keys *k)
{
    return k->admin_created;
}

void sc_keys_token_hash(const sc_keys *k, const char *token, uint8_t out[32])
{
    crypto_generichash(out, 32, (const unsigned char *)token, strlen(token),
                       k->token_key, sizeof k->token_key);
}

void sc_keys_instance_key(const sc_keys *k, int64_t seq,
                          uint8_t out[SC_KEY_BYTES])
{
    sc_kdf(out, k->master, (uint64_t)seq, SC_CTX_INSTANCE);
}

void sc_keys_challenge_key(const sc_keys *k, int64_t seq,
                           uint8_t out[SC_KEY_BYTES])
{
    sc_kdf(out, k->master, (uint64_t)seq, SC_CTX_CHALLENGE);
}

void sc_keys_salt(const uint8_t parent[SC_KEY_BYTES],
                  uint8_t out[SC_KEY_BYTES])
{
    sc_kdf(out, parent, 0, SC_CTX_SALT);
}

void sc_keys_noise_key(const uint8_t instance_key[SC_KEY_BYTES],
                       uint8_t out[SC_KEY_BYTES])
{
    sc_kdf(out, instance_key, 0, SC_CTX_NOISE);
}

void sc_keys_receipt_keypair(const sc_keys *k, uint8_t pk[32],
                             uint8_t sk[64])
{
    uint8_t seed[SC_KEY_BYTES];

    sc_kdf(seed, k->master, 0, SC_CTX_RECEIPT);
    crypto_sign_seed_keypair(pk, sk, seed);
    sodium_memzero(seed, sizeof seed);
}

void sc_keys_new_token(char out[SC_TOKEN_SIZE])
{
    uint8_t raw[32];

    sc_random(raw, sizeof raw);
    sodium_bin2base64(out, SC_TOKEN_SIZE, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

void sc_keys_new_id(char out[SC_ID_LEN], const char *prefix)
{
    uint8_t raw[12];
    char hex[2 * sizeof raw + 1];

    sc_random(raw, sizeof raw);
    sc_hex(hex, raw, sizeof raw);
    snprintf(out, SC_ID_LEN, "%s%s", prefix, hex);
}
