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

    /* 2: the games (store_games.c, store_classes.c): classes and their
     * enrolments and assignments, challenges and their rounds.  A
     * round's outcome stays here unseen until its challenge finishes;
     * rank1, rank2 order the leaderboard (ascending). */
    "CREATE TABLE classes ("
    "  id TEXT PRIMARY KEY,"
    "  owner TEXT NOT NULL REFERENCES players (id),"
    "  name TEXT NOT NULL,"
    "  code_hash BLOB NOT NULL UNIQUE CHECK (length(code_hash) = 32),"
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
    "  seq INTEGER NOT NULL UNIQUE,"
    "  owner TEXT NOT NULL REFERENCES players (id),"
    "  kind TEXT NOT NULL,"
    "  preset TEXT,"
    "  spec TEXT NOT NULL,"
    "  rounds INTEGER NOT NULL CHECK (rounds >= 1),"
    "  eval INTEGER NOT NULL CHECK (eval >= 0),"
    "  tolerance REAL NOT NULL,"
    "  public INTEGER NOT NULL,"
    "  commitment TEXT NOT NULL,"
    "  finished INTEGER NOT NULL DEFAULT 0,"
    "  created_at TEXT NOT NULL,"
    "  finished_at TEXT,"
    "  assignment TEXT REFERENCES assignments (id),"
    "  result TEXT,"
    "  reveal TEXT,"
    "  receipt TEXT,"
    "  rank1 REAL,"
    "  rank2 REAL"
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
    "  answered INTEGER NOT NULL DEFAULT 0,"
    "  value REAL,"
    "  gauss REAL,"
    "  points INTEGER,"
    "  PRIMARY KEY (challenge, idx)"
    ");"
    "CREATE INDEX challenge_rounds_instance ON challenge_rounds (instance);",

    /* 3: facts about the store itself, by name: 'key_fingerprint' (a
     * keyed hash of the master key, never the key: keys.h), checked at
     * every start. */
    "CREATE TABLE store_meta ("
    "  name TEXT PRIMARY KEY,"
    "  value BLOB NOT NULL"
    ");",

    /* 4: classes an instructor can list and whose join code can be shown
     * again (code_gen: the generation of a code derived from the server
     * key, NULL for a random code of before), assignments with a title
     * and an optional deadline. */
    "ALTER TABLE classes ADD COLUMN code_gen INTEGER;"
    "CREATE INDEX classes_owner ON classes (owner, created_at);"
    "ALTER TABLE assignments ADD COLUMN title TEXT;"
    "ALTER TABLE assignments ADD COLUMN deadline TEXT;",

    /* 5: no hidden truth at rest (issue 8).  A distinguish round no
     * longer stores whether it is null: it stores its challenge's seq,
     * the same for every round, and the server derives the coin from the
     * challenge key.  The coins of existing rows were drawn that way, so
     * they carry over unchanged.  An answered distinguish round stores
     * the guess (1 planted) instead of whether it was right, which the
     * coin decides at finish: the old value says right, null_dist says
     * null, so the guess is planted when right equals not null. */
    "UPDATE challenge_rounds SET value = CASE WHEN (value >= 0.5) ="
    "  (SELECT i.null_dist = 0 FROM instances i"
    "   WHERE i.id = challenge_rounds.instance) THEN 1.0 ELSE 0.0 END"
    "  WHERE answered = 1 AND challenge IN"
    "  (SELECT id FROM challenges WHERE kind = 'distinguish');"
    "ALTER TABLE instances ADD COLUMN coin_seq INTEGER NOT NULL DEFAULT 0;"
    "UPDATE instances SET coin_seq = (SELECT c.seq FROM challenges c"
    "  WHERE c.id = instances.challenge)"
    "  WHERE challenge IN"
    "  (SELECT id FROM challenges WHERE kind = 'distinguish');"
    "ALTER TABLE instances DROP COLUMN null_dist;",

    /* 6: boards and seasons (issue 8).  A challenge plays on a board:
     * its preset, or for custom parameters a key hashed from its
     * template; custom challenges finished before boards existed keep
     * the shared board 'custom-legacy'.  Seasons fix presets, an attempt
     * limit and an end time up front. */
    "ALTER TABLE challenges ADD COLUMN board TEXT;"
    "ALTER TABLE challenges ADD COLUMN season TEXT;"
    "UPDATE challenges SET board = CASE WHEN coalesce(preset, '') <> ''"
    "  THEN preset ELSE 'custom-legacy' END;"
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

const size_t sc_store_nmigrations =
    sizeof sc_store_migrations / sizeof sc_store_migrations[0];
