/*
 * The PostgreSQL schema as an ordered list of migrations: element v
 * takes a database from schema version v to v + 1, in one transaction.
 * The tables mirror store_schema.c (SQLite) in PostgreSQL's types; to
 * change the schema, append a string to both lists.
 *
 * Conventions: ids are TEXT (prefix + 24 hex), times TEXT in RFC 3339
 * UTC, counters BIGINT; a NULL budget means no limit.
 */
#include "server/store_pg.h"

const char *const sc_pg_migrations[] = {
    /* 1: players, instances, and the one sequence shared by instances and
     * challenges (the KDF ids of their keys): a sequence never hands a
     * value out twice, even to replicas racing for it. */
    "CREATE TABLE players ("
    "  id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  role TEXT NOT NULL CHECK (role IN ('player', 'instructor', 'admin')),"
    "  token_hash BYTEA NOT NULL UNIQUE CHECK (length(token_hash) = 32),"
    "  created_at TEXT NOT NULL,"
    "  UNIQUE (name, role)"
    ");"
    "CREATE TABLE instances ("
    "  id TEXT PRIMARY KEY,"
    "  seq BIGINT NOT NULL UNIQUE,"
    "  owner TEXT NOT NULL REFERENCES players (id),"
    "  family TEXT NOT NULL,"
    "  params TEXT NOT NULL,"
    "  oracle TEXT NOT NULL,"
    "  budget_samples BIGINT CHECK (budget_samples >= 0),"
    "  budget_score BIGINT CHECK (budget_score >= 0),"
    "  budget_logpdf BIGINT CHECK (budget_logpdf >= 0),"
    "  used_samples BIGINT NOT NULL DEFAULT 0,"
    "  used_score BIGINT NOT NULL DEFAULT 0,"
    "  used_logpdf BIGINT NOT NULL DEFAULT 0,"
    "  commitment TEXT NOT NULL,"
    "  revealed BOOLEAN NOT NULL DEFAULT false,"
    "  created_at TEXT NOT NULL,"
    "  challenge TEXT,"
    "  round INTEGER,"
    "  null_dist BOOLEAN NOT NULL DEFAULT false"
    ");"
    "CREATE INDEX instances_owner ON instances (owner);"
    "CREATE INDEX instances_challenge ON instances (challenge, round);"
    "CREATE SEQUENCE kdf_seq;",

    /* 2: the games: classes and their enrolments and assignments,
     * challenges and their rounds. */
    "CREATE TABLE classes ("
    "  id TEXT PRIMARY KEY,"
    "  owner TEXT NOT NULL REFERENCES players (id),"
    "  name TEXT NOT NULL,"
    "  code_hash BYTEA NOT NULL UNIQUE CHECK (length(code_hash) = 32),"
    "  created_at TEXT NOT NULL"
    ");"
    "CREATE TABLE enrollments ("
    "  class TEXT NOT NULL REFERENCES classes (id),"
    "  player TEXT NOT NULL REFERENCES players (id),"
    "  PRIMARY KEY (class, player)"
    ");"
    "CREATE TABLE assignments ("
    "  id TEXT PRIMARY KEY,"
    "  class TEXT NOT NULL REFERENCES classes (id),"
    "  spec TEXT NOT NULL,"
    "  created_at TEXT NOT NULL"
    ");"
    "CREATE INDEX assignments_class ON assignments (class, created_at);"
    "CREATE TABLE challenges ("
    "  id TEXT PRIMARY KEY,"
    "  seq BIGINT NOT NULL UNIQUE,"
    "  owner TEXT NOT NULL REFERENCES players (id),"
    "  kind TEXT NOT NULL,"
    "  preset TEXT,"
    "  spec TEXT NOT NULL,"
    "  rounds INTEGER NOT NULL CHECK (rounds >= 1),"
    "  eval INTEGER NOT NULL CHECK (eval >= 0),"
    "  tolerance DOUBLE PRECISION NOT NULL,"
    "  public BOOLEAN NOT NULL,"
    "  commitment TEXT NOT NULL,"
    "  finished BOOLEAN NOT NULL DEFAULT false,"
    "  created_at TEXT NOT NULL,"
    "  finished_at TEXT,"
    "  assignment TEXT REFERENCES assignments (id),"
    "  result TEXT,"
    "  reveal TEXT,"
    "  receipt TEXT,"
    "  rank1 DOUBLE PRECISION,"
    "  rank2 DOUBLE PRECISION"
    ");"
    "CREATE INDEX challenges_owner ON challenges (owner, created_at);"
    "CREATE INDEX challenges_board ON challenges"
    "  (kind, finished, public, rank1, rank2);"
    "CREATE INDEX challenges_assignment ON challenges (assignment);"
    "CREATE TABLE challenge_rounds ("
    "  challenge TEXT NOT NULL REFERENCES challenges (id),"
    "  idx INTEGER NOT NULL,"
    "  instance TEXT NOT NULL REFERENCES instances (id),"
    "  public TEXT,"
    "  answered BOOLEAN NOT NULL DEFAULT false,"
    "  value DOUBLE PRECISION,"
    "  gauss DOUBLE PRECISION,"
    "  points BIGINT,"
    "  PRIMARY KEY (challenge, idx)"
    ");"
    "CREATE INDEX challenge_rounds_instance ON challenge_rounds (instance);",

    /* 3: facts about the store itself, by name: 'key_fingerprint' (a
     * keyed hash of the master key, never the key: keys.h), checked at
     * every start, by every replica. */
    "CREATE TABLE store_meta ("
    "  name TEXT PRIMARY KEY,"
    "  value BYTEA NOT NULL"
    ");",

    /* 4: SQLite's migrations 4 to 6 at once (no PostgreSQL database
     * predates them, so nothing is converted): classes whose join code
     * derives from the server key (code_gen) and their owner's list,
     * assignments with a title and a deadline, distinguish rounds whose
     * coin the server derives from the challenge's seq (coin_seq; the
     * store holds nothing that tells null from planted), boards and
     * seasons. */
    "ALTER TABLE classes ADD COLUMN code_gen BIGINT;"
    "CREATE INDEX classes_owner ON classes (owner, created_at);"
    "ALTER TABLE assignments ADD COLUMN title TEXT;"
    "ALTER TABLE assignments ADD COLUMN deadline TEXT;"
    "ALTER TABLE instances ADD COLUMN coin_seq BIGINT NOT NULL DEFAULT 0;"
    "ALTER TABLE instances DROP COLUMN null_dist;"
    "ALTER TABLE challenges ADD COLUMN board TEXT;"
    "ALTER TABLE challenges ADD COLUMN season TEXT;"
    "CREATE INDEX challenges_standing ON challenges"
    "  (kind, board, season, finished, public);"
    "CREATE INDEX challenges_attempts ON challenges"
    "  (owner, kind, board, created_at);"
    "CREATE TABLE seasons ("
    "  id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  presets TEXT NOT NULL,"
    "  attempt_limit INTEGER NOT NULL CHECK (attempt_limit >= 1),"
    "  starts_at TEXT NOT NULL,"
    "  ends_at TEXT NOT NULL,"
    "  manifest TEXT NOT NULL,"
    "  created_at TEXT NOT NULL"
    ");",
};

const size_t sc_pg_nmigrations =
    sizeof sc_pg_migrations / sizeof sc_pg_migrations[0];
