// A tiny static server for the built UI (ui/dist), as the Tauri window loads it: every path that
// is not a file answers index.html. Used by the browser tests (playwright.config.ts).
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.env.UI_DIST ?? path.join(here, "../../ui/dist"));
const port = Number(process.env.BROWSER_TESTS_PORT ?? 4317);
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
};

async function file(urlPath) {
  const wanted = path.normalize(path.join(root, decodeURIComponent(urlPath)));
  if (wanted.startsWith(root + path.sep)) {
    const info = await stat(wanted).catch(() => null);
    if (info?.isFile()) return wanted;
  }
  return path.join(root, "index.html");
}

createServer(async (req, res) => {
  try {
    const target = await file(new URL(req.url ?? "/", "http://localhost").pathname);
    const body = await readFile(target);
    res.writeHead(200, {
      "content-type": TYPES[path.extname(target)] ?? "application/octet-stream",
      "cache-control": "no-store",
    });
    res.end(body);
  } catch (error) {
    res.writeHead(500, { "content-type": "text/plain" });
    res.end(String(error));
  }
}).listen(port, "127.0.0.1", () => {
  console.log(`serving ${root} on http://127.0.0.1:${port}`);
});
