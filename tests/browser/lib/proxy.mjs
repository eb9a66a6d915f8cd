// An HTTP proxy that sends the real site hosts (x.com, facebook.com, … from sites.mjs) to the local
// fixture server, for browsers without Chromium's --host-resolver-rules (Firefox: network.proxy.* prefs).
// HTTPS goes through CONNECT tunnels to the server's HTTPS port (the browser still sees the real host
// name, so the Host header routing and the site CSPs work as in Chromium); plain HTTP is forwarded to
// its HTTP port. Any other host is refused: tests never reach the network.
import http from 'node:http';
import net from 'node:net';
import { SITE_HOSTS } from './sites.mjs';

const known = (host) => Object.hasOwn(SITE_HOSTS, host.toLowerCase());

/** Starts the proxy for `server` (from startServer); resolves to {port, close()}. */
export async function startSiteProxy(server) {
  const proxy = http.createServer((req, res) => {
    let url;
    try {
      url = new URL(req.url);
    } catch {
      url = null;
    }
    if (!url || url.protocol !== 'http:' || !known(url.hostname)) {
      res.writeHead(403, { 'content-type': 'text/plain' });
      return res.end(`the test proxy only serves the fixture sites, not ${req.url}`);
    }
    const upstream = http.request({ host: '127.0.0.1', port: server.httpPort, method: req.method, path: url.pathname + url.search, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  proxy.on('connect', (req, client, head) => {
    const [host, port] = req.url.split(':');
    if (!known(host) || port !== '443') {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = net.connect(server.httpsPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const drop = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', drop);
    client.on('error', drop);
  });
  await new Promise((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: proxy.address().port,
    close() {
      proxy.closeAllConnections();
      return new Promise((resolve) => proxy.close(resolve));
    },
  };
}
