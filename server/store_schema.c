/*
 * The schema as an ordered list of migrations: element v takes a database
 * from schema version v to v + 1, in one transaction.  To change the
 * schema, append a string; a shipped migration is never edited, because
 * databases out there already ran it.
 *
 * Conventions: ids are TEXT (prefix + 24 hex), times TEXT in RFC 3339
 * UTC, counters INTEGER; a NULL budget means no limit.
 */
#include "server/store_sqlite.h"

const char *const sc_store_migrations[] = {
    /* 1: players, instances, and the one sequence shared by instances and
     * challenges (the KDF ids of their keys). */
    "CREATE TABLE players ("
    "  id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  role TEXT NOT NULL CHECK (role IN ('player', 'instructor', 'admin')),"
    "  token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),"
    "  created_at TEXT NOT NULL,"
    "  UNIQUE (name, role)"
    ");"
    "CREATE TABLE instances ("
    "  id TEXT PRIMARY KEY,"
    "  seq INTEGER NOT NULL UNIQUE,"
    "  owner TEXT NOT NULL REFERENCES players (id),"
    "  family TEXT NOT NULL,"
    "  params TEXT NOT NULL,"
    "  oracle TEXT NOT NULL,"
    "  budget_samples INTEGER CHECK (budget_samples >= 0),"
    "  budget_score INTEGER CHECK (budget_score >= 0),"
    "  budget_logpdf INTEGER CHECK (budget_logpdf >= 0),"
    "  used_samples INTEGER NOT NULL DEFAULT 0,"
    "  used_score INTEGER NOT NULL DEFAULT 0,"
    "  used_logpdf INTEGER NOT NULL DEFAULT 0,"
    "  commitment TEXT NOT NULL,"
    "  revealed INTEGER NOT NULL DEFAULT 0,"
    "  created_at TEXT NOT NULL,"
    "  challenge TEXT,"
    "  round INTEGER,"
    "  null_dist INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX instances_owner ON instances (owner);"
    "CREATE INDEX instances_challenge ON instances (challenge, round);"
    "CREATE TABLE sequences ("
    "  name TEXT PRIMARY KEY,"
    "  value INTEGER NOT NULL"
    ");"
    "INSERT INTO sequences (name, value) VALUES ('seq', 0);",
};

const size_t sc_store_nmigrations =
    sizeof sc_store_migrations / sizeof sc_store_migrations[0];
