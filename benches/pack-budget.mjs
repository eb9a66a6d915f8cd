// The cost of the costliest rule pack the budgets let through (src/budget.rs), in the wasm build the
// extension's worker runs, and of the pack that motivated them (200 rules with the regex \w{40}).
// Run after ./build.sh: node benches/pack-budget.mjs   (figures go to BENCHMARKS.md by hand)
import { readFileSync } from 'node:fs';
import { generateKeyPairSync, sign } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('../target/pkg/', import.meta.url));
const glue = await import(`${pkg}blindaje.js`);
glue.initSync({ module: readFileSync(`${pkg}blindaje_bg.wasm`) });

/** Letters only: digits in terms would be read as leetspeak. */
const name = (n) => Array.from({ length: 4 }, (_, i) => String.fromCharCode(97 + (Math.floor(n / 26 ** i) % 26))).join('');
const rule = (i, match, yes, no) => ({ id: `admin.r${i}`, category: 'electoral', severity: 'medium', message: 'm', guideline: 'g', match, examples: { match: yes, noMatch: no } });
const five = (x) => Array(5).fill(x);

/** At every limit: 500 rules, ~29,400 terms, 200 regexes (10 of them \w{40}, ~20 MB compiled), 5,000 examples. */
function worst() {
  const rules = [];
  for (let i = 0; i < 10; i++) rules.push(rule(i, { regex: ['\\w{40}'] }, five('b'.repeat(40)), five('hola')));
  for (let i = 10; i < 200; i++) {
    rules.push(rule(i, { regex: [`zz${name(i)}q[a-z]+`], terms: Array.from({ length: 60 }, (_, j) => `termino${name(j)}q${name(i)}`) }, five(`zz${name(i)}qabc`), five('hola')));
  }
  for (let i = 200; i < 500; i++) {
    rules.push(rule(i, { terms: Array.from({ length: 60 }, (_, j) => `voz${name(j)}q${name(i)}`) }, five(`la voz${name(0)}q${name(i)} aqui`), five('hola')));
  }
  return JSON.stringify({ id: 'worst', version: 1, rules });
}

const attack = () => JSON.stringify({ id: 'attack', version: 1, rules: Array.from({ length: 200 }, (_, i) => rule(i, { regex: ['\\w{40}'] }, ['a'.repeat(40)], ['hola'])) });

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const key = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url').toString('base64');
const policy = JSON.stringify({ rulePackUrl: 'https://example.invalid/p', rulePackPublicKeys: [key] });

for (const [label, json] of [['worst pack within the budgets', worst()], ['200 × \\w{40}', attack()]]) {
  const bytes = Buffer.from(json);
  const envelope = JSON.stringify({ format: 'blindaje-signed-pack/1', pack: bytes.toString('base64'), signature: sign(null, bytes, privateKey).toString('base64') });
  let t = performance.now();
  try {
    const verdict = glue.acceptSignedPack(Buffer.from(envelope), [key], {}, null);
    console.log(`${label} (${bytes.length} bytes): accepted in ${(performance.now() - t).toFixed(0)} ms`, JSON.stringify(verdict.usage));
    t = performance.now();
    new glue.Engine(policy, envelope).free();
    console.log(`  engine build from the stored envelope (signature only): ${(performance.now() - t).toFixed(0)} ms`);
  } catch (error) {
    console.log(`${label} (${bytes.length} bytes): refused in ${(performance.now() - t).toFixed(0)} ms: ${String(error.message || error).slice(0, 120)}…`);
  }
}
const t = performance.now();
new glue.Engine('{}', null).free();
console.log(`embedded pack only: engine build ${(performance.now() - t).toFixed(0)} ms; process RSS ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB`);
