// Writes/removes the managed policy file the way an admin would on Linux:
// /etc/chromium/policies/managed/blindaje-test.json = {"3rdparty": {"extensions": {"<id>": {...}}}}.
// Tests run as root; the file is removed on close and on process exit.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const POLICY_FILE = '/etc/chromium/policies/managed/blindaje-test.json';

const installed = new Set(); // policy files this process wrote
function cleanup() {
  for (const file of installed) rmSync(file, { force: true });
  installed.clear();
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    cleanup();
    process.exit(130);
  });
}

export function writePolicy(extensionId, policy, file = POLICY_FILE) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ '3rdparty': { extensions: { [extensionId]: policy } } }, null, 2));
  installed.add(file);
}

export function removePolicy(file = POLICY_FILE) {
  rmSync(file, { force: true });
  installed.delete(file);
}
