// A live scoracled for the JavaScript tests: started on a free port of
// 127.0.0.1 with a temporary state directory, stopped by SIGTERM (which
// drains) and cleaned up.  Kept out of test/, where node --test would run
// it as a test file.

import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, "../../..");
export const BIN = process.env.SCORACLE_BIN ||
  path.join(ROOT, "build/scoracled");

// Answers {proc, dir, url} once the server prints where it listens.
// opts.masterKey (32 bytes) makes every secret and sample stream the
// server derives the same on every run (screenshots, figures).
export function startServer(extra = [], env = {}, opts = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scoracle-js-"));
  if (opts.masterKey) {
    fs.chmodSync(dir, 0o700);
    fs.writeFileSync(path.join(dir, "master.key"), opts.masterKey, { mode: 0o600, flag: "wx" });
  }
  const p = spawn(BIN, ["--listen", "127.0.0.1:0", "--state", dir, "--log",
    path.join(dir, "access.log"), ...extra], {
    env: { ...process.env, OPENBLAS_NUM_THREADS: "1", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: p.stdout });
    rl.once("line", (line) => {
      const m = /listening on (\S+)/.exec(line);
      if (!m) reject(new Error("scoracled did not start: " + line));
      else resolve({ proc: p, dir, url: m[1] });
    });
    p.once("exit", (code) => reject(new Error("scoracled exited " + code)));
  });
}

export function stopServer(s) {
  return new Promise((resolve) => {
    s.proc.once("exit", () => {
      fs.rmSync(s.dir, { recursive: true, force: true });
      resolve();
    });
    s.proc.kill("SIGTERM");
  });
}
