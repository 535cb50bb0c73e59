// Starts `lontara serve --port 0` on a catalogue folder and hands back its origin once it
// listens. Shared by serve.test.mjs and bench/serve_reload.mjs.
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = resolve(fileURLToPath(new URL("..", import.meta.url)));
export const BIN = process.env.LONTARA_BIN || join(REPO, "target/debug/lontara");

// A throwaway copy of the repository's catalogue: what `serve` reads and watches.
export function copyCatalogue(prefix = "lontara-serve-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const name of ["content", "themes", "book.toml"]) {
    cpSync(join(REPO, name), join(dir, name), { recursive: true });
  }
  return dir;
}

// Resolves to { origin, pid, lines, waitLine(re), sawLine(re), status(), stop() } when the server prints its address.
// Every stdout/stderr line is kept in `lines` (for failure messages and rebuild times).
export function startServe(root, { bin = BIN, args = [], timeoutMs = 120_000 } = {}) {
  return startServer(bin, ["serve", "--port", "0", "--root", root, ...args], {
    ready: /^serving (http:\/\/127\.0\.0\.1:\d+)\//,
    timeoutMs,
  });
}

// Any development server: `ready` matches the line that announces it, its first group the
// origin. Also used for `hugo server` by bench/serve_reload.mjs.
export function startServer(cmd, argv, { ready, timeoutMs = 120_000, cwd } = {}) {
  const child = spawn(cmd, argv, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  const lines = [];
  const waiters = [];
  const take = (stream, tag) => {
    let rest = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk) => {
      rest += chunk;
      let i;
      while ((i = rest.indexOf("\n")) >= 0) {
        const line = rest.slice(0, i);
        rest = rest.slice(i + 1);
        lines.push(`${tag}${line}`);
        for (const w of waiters.slice()) {
          if (w.re.test(line)) {
            waiters.splice(waiters.indexOf(w), 1);
            clearTimeout(w.timer);
            w.ok(line);
          }
        }
      }
    });
  };
  take(child.stdout, "");
  take(child.stderr, "stderr: ");
  let status = "running";
  const exited = new Promise((ok) => {
    child.once("exit", (code, signal) => {
      status = `exited (${signal || `code ${code}`})`;
      ok({ code, signal });
    });
    // Cannot start at all (no binary): as if it exited.
    child.once("error", (e) => {
      status = `failed to start: ${e.message}`;
      ok({ code: null, signal: e.message });
    });
  });

  // The next line (from now on) matching `re`.
  const waitLine = (re, ms = 60_000) =>
    new Promise((ok, fail) => {
      const w = { re, ok };
      waiters.push(w);
      w.timer = setTimeout(() => {
        const i = waiters.indexOf(w);
        if (i >= 0) waiters.splice(i, 1);
        fail(new Error(`no line matching ${re} within ${ms} ms; the server said:\n${lines.join("\n")}`));
      }, ms);
      w.timer.unref();
    });

  // A line matching `re`, already printed or still to come.
  const sawLine = (re, ms) => {
    const past = lines.find((l) => re.test(l));
    return past !== undefined ? Promise.resolve(past) : waitLine(re, ms);
  };

  const stop = async () => {
    if (status === "running") {
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(t);
    }
  };

  const listening = waitLine(ready, timeoutMs);
  listening.catch(() => {}); // the race below reports it
  return Promise.race([
    listening.then((line) => ({
      origin: line.match(ready)[1],
      pid: child.pid,
      lines,
      waitLine,
      sawLine,
      status: () => status,
      stop,
    })),
    exited.then(({ code, signal }) => {
      throw new Error(`${cmd} exited (${code ?? signal}) before listening:\n${lines.join("\n")}`);
    }),
  ]).catch(async (e) => {
    await stop();
    throw e;
  });
}

// Resident memory of a process, in KiB (VmRSS from /proc).
export function rssKiB(pid) {
  const m = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+)\s+kB/m);
  return m ? Number(m[1]) : NaN;
}
