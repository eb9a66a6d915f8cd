// Writes the generated lexicons into the pack's `lists` (rules/default.json), one list per line, leaving the
// rest of the file as it is. Sources: the Spanish list of naughty-words (LDNOOBW, CC-BY-4.0) filtered by
// insults-review.json, and verb forms from spanish-verbs (Apache-2.0) for the verbs in verbs.json.
//   node generate.mjs          rewrite the lists in ../default.json
//   node generate.mjs --check  exit 1 if ../default.json differs from what would be written
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const naughty = require('naughty-words/es.json');
const SpanishVerbs = require('spanish-verbs');

const here = new URL('.', import.meta.url);
const packPath = new URL('../default.json', here);
const review = JSON.parse(readFileSync(new URL('insults-review.json', here), 'utf8'));
const verbs = JSON.parse(readFileSync(new URL('verbs.json', here), 'utf8'));

// The engine's normalization for plain words: lowercase, no accents (ñ folds to n as well).
const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();

// Every gender and number of an insult adjective or noun.
function inflect(word) {
  const w = fold(word);
  if (w.includes(' ')) return [w];
  if (w.endsWith('o')) { const s = w.slice(0, -1); return [w, s + 'a', w + 's', s + 'as']; }
  if (w.endsWith('a')) { const s = w.slice(0, -1); return [w, w + 's', s + 'o', s + 'os']; }
  if (/[aeiou]s$/.test(w) || w.endsWith('ey')) return w.endsWith('ey') ? [w, w + 'es', w.replace(/ey$/, 'eyes')] : [w];
  if (w.endsWith('e')) return [w, w + 's'];
  if (w.endsWith('on') || w.endsWith('an')) return [w, w + 'a', w + 'es', w + 'as'];
  if (/[lrdzn]$/.test(w)) return [w, (w.endsWith('z') ? w.slice(0, -1) + 'c' : w) + 'es'];
  return [w];
}

function insults() {
  const listed = new Set(naughty.map((w) => w.trim()));
  const reviewed = new Set([...Object.keys(review.keep), ...Object.keys(review.drop)]);
  const unreviewed = [...listed].filter((w) => ![...reviewed].some((r) => fold(r) === fold(w)));
  if (unreviewed.length) throw new Error(`naughty-words has unreviewed words: ${unreviewed.join(', ')}`);
  const missing = Object.keys(review.keep).filter((w) => ![...listed].some((l) => fold(l) === fold(w)));
  if (missing.length) throw new Error(`kept words not in naughty-words: ${missing.join(', ')}`);
  const out = new Set();
  for (const w of [...Object.keys(review.keep), ...Object.keys(review.seed)]) for (const f of inflect(w)) out.add(f);
  return [...out].sort();
}

function participles(verb) {
  const p = SpanishVerbs.getConjugation(verb, 'INDICATIVE_PERFECT', 2).split(' ').pop();
  const s = fold(p).slice(0, -1);
  return [s + 'o', s + 'a', s + 'os', s + 'as'];
}

function gerund(verb) {
  const v = fold(verb);
  return v.endsWith('ar') ? v.slice(0, -2) + 'ando' : v.slice(0, -2) + 'iendo';
}

function verbForms(spec) {
  const out = new Set();
  const persons = spec.persons ?? [0, 1, 2, 3, 4, 5];
  for (const verb of spec.verbs) {
    for (const tense of spec.tenses) {
      for (const p of persons) {
        const form = fold(SpanishVerbs.getConjugation(verb, tense, p));
        out.add(form);
        // Impersonal 'se' with the third persons: "se entregó", "se han entregado".
        if ((p === 2 || p === 5) && !spec.noImpersonal) out.add('se ' + form);
      }
    }
    if (spec.perfectOnly?.verbs.includes(verb)) throw new Error(`${verb} is both in verbs and perfectOnly`);
    if (spec.participles) for (const f of participles(verb)) out.add(f);
    if (spec.gerund) out.add(gerund(verb));
  }
  for (const verb of spec.perfectOnly?.verbs ?? []) {
    for (const tense of spec.tenses.filter((t) => t.endsWith('_PERFECT'))) {
      for (const p of persons) out.add(fold(SpanishVerbs.getConjugation(verb, tense, p)));
    }
  }
  for (const f of spec.stop?.forms ?? []) {
    if (!out.delete(f)) throw new Error(`stop form ${f} is not generated`);
  }
  return [...out].sort();
}

const lists = { 'insultos-lexico': insults() };
for (const [name, spec] of Object.entries(verbs.lists)) lists[name] = verbForms(spec);

const original = readFileSync(packPath, 'utf8');
let lines = original.split('\n');
for (const [name, terms] of Object.entries(lists)) {
  const line = `    ${JSON.stringify(name)}: ${JSON.stringify(terms)},`;
  const at = lines.findIndex((l) => l.startsWith(`    ${JSON.stringify(name)}: `));
  if (at >= 0) lines[at] = line;
  else lines.splice(lines.findIndex((l) => l === '  "lists": {') + 1, 0, line);
}
const updated = lines.join('\n');
if (process.argv.includes('--check')) {
  if (updated !== original) {
    console.error('rules/default.json lists differ from rules/lexicons/generate.mjs: run `node rules/lexicons/generate.mjs`');
    process.exit(1);
  }
  console.log(`lexicons up to date: ${Object.entries(lists).map(([n, t]) => `${n} ${t.length}`).join(', ')}`);
} else {
  writeFileSync(packPath, updated);
  console.log(`wrote ${Object.entries(lists).map(([n, t]) => `${n} ${t.length}`).join(', ')}`);
}
