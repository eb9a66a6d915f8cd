// Launches Debian's firefox-esr (never a downloaded browser) through puppeteer-core over WebDriver BiDi,
// with the extension installed as a temporary add-on and its managed policy where Firefox reads it on
// Linux: ~/.mozilla/managed-storage/<gecko id>.json, with HOME pointed at a temporary folder. Real site
// hosts reach the fixture server through a local proxy; the server's throw-away certificate is accepted
// by the session (acceptInsecureCerts). A DevTools debugger server (RDP) reaches the add-on's background
// page, which BiDi does not.
import puppeteer from 'puppeteer-core';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSiteProxy } from './proxy.mjs';
import { addonBackground, connectRdp } from './firefox-rdp.mjs';

export const FIREFOX = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';

/** The gecko id of the extension in `dir` (manifest browser_specific_settings.gecko.id). */
export function geckoId(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const id = manifest.browser_specific_settings && manifest.browser_specific_settings.gecko && manifest.browser_specific_settings.gecko.id;
  if (!id) throw new Error(`${dir}/manifest.json has no browser_specific_settings.gecko.id: is it the Firefox build?`);
  return id;
}

/** Writes `policy` as the native managed-storage manifest Firefox reads for add-on `id` under `home`. */
export function writeManagedStorage(home, id, policy) {
  const dir = join(home, '.mozilla', 'managed-storage');
  mkdirSync(dir, { recursive: true });
  const manifest = { name: id, description: 'Blindaje Electoral test policy', type: 'storage', data: policy };
  writeFileSync(join(dir, `${id}.json`), JSON.stringify(manifest, null, 2));
}

async function freePort() {
  const server = net.createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

function prefs({ proxyPort }) {
  return {
    'intl.locale.requested': 'es-MX', // the Debian langpack firefox-esr-l10n-es-mx; the extension follows the UI language
    'devtools.debugger.remote-enabled': true,
    'devtools.chrome.enabled': true,
    'devtools.debugger.prompt-connection': false,
    'network.proxy.type': 1, // manual; 127.0.0.1 itself is never proxied
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': proxyPort,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': proxyPort,
  };
}

/**
 * firefox-esr with the unpacked extension in `extensionDir` and `policy` (object, or null for none) as
 * its managed storage. `server` (from startServer) serves the real site hosts. Resolves to
 * {browser, addonId, background (see firefox-rdp.mjs), close()}.
 */
export async function launchFirefoxWithExtension({ extensionDir, policy, server, headless = true }) {
  const dir = resolve(extensionDir);
  const addonId = geckoId(dir);
  const home = mkdtempSync(join(tmpdir(), 'blindaje-firefox-home-'));
  if (policy) writeManagedStorage(home, addonId, policy);
  const proxy = await startSiteProxy(server);
  const debuggerPort = await freePort();
  let browser;
  let rdp;
  const close = async () => {
    rdp?.close();
    await browser?.close().catch(() => {});
    await proxy.close();
    rmSync(home, { recursive: true, force: true });
  };
  try {
    browser = await puppeteer.launch({
      browser: 'firefox', executablePath: FIREFOX, headless, acceptInsecureCerts: true,
      env: { ...process.env, HOME: home },
      args: ['--start-debugger-server', String(debuggerPort)],
      extraPrefsFirefox: prefs({ proxyPort: proxy.port }),
    });
    const installed = await browser.installExtension(dir);
    if (installed !== addonId) throw new Error(`Firefox installed ${installed}, expected ${addonId}`);
    rdp = await connectRdp(debuggerPort);
    const background = await addonBackground(rdp, addonId);
    return { browser, addonId, background, home, close };
  } catch (error) {
    await close();
    throw error;
  }
}
