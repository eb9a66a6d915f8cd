// Local HTTP+HTTPS test server for the fixtures.
//   /f/<name>/…    generic fixture files, no CSP
//   /csp/<name>/…  the same files with Content-Security-Policy: script-src 'self'; object-src 'none'
//   Host: x.com, facebook.com, … (see sites.mjs) → that site's fixture at "/" (and any extension-less path),
//                 with the host's CSP; a <base href="/f/<name>/"> makes its assets load from /f/.
//   server.route(path|RegExp, handler) adds routes checked before all of the above (rule packs, slow bodies…).
import http from 'node:http';
import https from 'node:https';
import { createReadStream, readFileSync, rmSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { FIXTURES_OUT } from '../build-fixtures.mjs';
import { makeCertificate } from './cert.mjs';
import { SITE_HOSTS, SITE_HOST_NAMES, STRICT_CSP } from './sites.mjs';

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.map': 'application/json', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.wasm': 'application/wasm', '.txt': 'text/plain; charset=utf-8',
};

/** Resolves `relative` inside `base`, refusing path traversal. Returns null when outside. */
function safeJoin(base, relative) {
  const full = normalize(join(base, decodeURIComponent(relative)));
  return full === base || full.startsWith(base + sep) ? full : null;
}

function fileInfo(path) {
  try {
    const info = statSync(path);
    return info.isFile() ? info : null;
  } catch {
    return null;
  }
}

function notFound(res) {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('No encontrado');
}

/** Streams one file with no caching; `csp` adds the header; `baseHref` is injected into HTML. */
function sendFile(res, path, { csp, baseHref, method }) {
  const info = fileInfo(path);
  if (!info) return notFound(res);
  const headers = { 'content-type': MIME[extname(path)] || 'application/octet-stream', 'cache-control': 'no-store' };
  if (csp) headers['content-security-policy'] = csp;
  if (baseHref && extname(path) === '.html') {
    const html = readFileSync(path, 'utf8').replace(/<head>/i, `<head>\n  <base href="${baseHref}">`);
    res.writeHead(200, headers);
    return res.end(method === 'HEAD' ? undefined : html);
  }
  res.writeHead(200, { ...headers, 'content-length': info.size });
  if (method === 'HEAD') return res.end();
  createReadStream(path).pipe(res);
}

export async function startServer({ root = FIXTURES_OUT, sites = SITE_HOSTS } = {}) {
  const extraRoutes = [];
  const requests = [];

  function handle(req, res) {
    const url = new URL(req.url, 'http://placeholder');
    const host = (req.headers.host || '').replace(/:\d+$/, '').toLowerCase();
    requests.push({ method: req.method, host, path: url.pathname, search: url.search, at: Date.now() });
    for (const route of extraRoutes) {
      const hit = typeof route.path === 'string' ? route.path === url.pathname : route.path.test(url.pathname);
      if (hit && (!route.host || route.host === host)) return route.handler(req, res, url);
    }
    const fixtureMatch = url.pathname.match(/^\/(f|csp)\/([a-z0-9_-]+)(\/.*)?$/i);
    if (fixtureMatch) {
      const [, mode, name, rest] = fixtureMatch;
      if (!rest) {
        res.writeHead(301, { location: `/${mode}/${name}/${url.search}` });
        return res.end();
      }
      const dir = safeJoin(root, name);
      const file = dir && safeJoin(dir, rest.endsWith('/') ? `${rest}index.html` : rest);
      if (!file) return notFound(res);
      return sendFile(res, file, { csp: mode === 'csp' ? STRICT_CSP : null, method: req.method });
    }
    const site = sites[host];
    const sitePath = site && site.paths && site.paths[url.pathname];
    if (site && (sitePath || !extname(url.pathname))) {
      const name = sitePath || site.fixture;
      return sendFile(res, join(root, name, 'index.html'), { csp: site.csp, baseHref: `/f/${name}/`, method: req.method });
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204);
      return res.end();
    }
    return notFound(res);
  }

  const certificate = makeCertificate(SITE_HOST_NAMES);
  const httpServer = http.createServer(handle);
  const httpsServer = https.createServer({ key: certificate.key, cert: certificate.cert }, handle);
  const listen = (server) =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server.address().port));
    });
  const httpPort = await listen(httpServer);
  const httpsPort = await listen(httpsServer);

  return {
    httpPort,
    httpsPort,
    origin: `http://127.0.0.1:${httpPort}`,
    httpsOrigin: `https://127.0.0.1:${httpsPort}`,
    requests,
    /** Adds a route checked before the fixtures; returns a function that removes it. */
    route(path, handler, { host } = {}) {
      const entry = { path, handler, host };
      extraRoutes.unshift(entry);
      return () => extraRoutes.splice(extraRoutes.indexOf(entry), 1);
    },
    async close() {
      for (const server of [httpServer, httpsServer]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      rmSync(certificate.dir, { recursive: true, force: true });
    },
  };
}
