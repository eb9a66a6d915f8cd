// Makes a throw-away self-signed certificate (openssl CLI) valid for localhost and every site host.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function makeCertificate(hostNames) {
  const dir = mkdtempSync(join(tmpdir(), 'blindaje-cert-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  const san = ['DNS:localhost', 'IP:127.0.0.1', ...hostNames.map((h) => `DNS:${h}`)].join(',');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-subj', '/CN=localhost', '-addext', `subjectAltName=${san}`,
    '-keyout', keyFile, '-out', certFile,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  return { dir, key: readFileSync(keyFile), cert: readFileSync(certFile) };
}
