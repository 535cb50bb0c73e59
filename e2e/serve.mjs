// A static file server for a built site, mounted under the site's base path (such as
// /katalog/), gzip-compressing text as a real host would. Pagefind's own files are already
// compressed and are sent as they are.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { gzipSync } from "node:zlib";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".csv": "text/csv; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".pdf": "application/pdf",
};

// `onSent(path, bytes)` hears of every response: bytes are the body as sent (compressed).
export async function serve(root, prefix = "/", onSent = () => {}) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!path.startsWith(prefix)) return notFound(res);
    let file = normalize(join(root, path.slice(prefix.length)));
    if (!file.startsWith(normalize(root))) return notFound(res);
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      let body = await readFile(file);
      const type = TYPES[extname(file)] || "application/octet-stream";
      const headers = { "content-type": type, "cache-control": "no-store" };
      if (type !== "application/octet-stream" && /gzip/.test(req.headers["accept-encoding"] || "")) {
        body = gzipSync(body);
        headers["content-encoding"] = "gzip";
      }
      res.writeHead(200, headers).end(body);
      onSent(path, body.length);
    } catch {
      notFound(res);
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return { origin: `http://127.0.0.1:${port}`, close: () => server.close() };
}

function notFound(res) {
  res.writeHead(404, { "content-type": "text/plain" }).end("not found");
}
