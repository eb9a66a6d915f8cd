// The Windows template: a .reg file (UTF-16LE with BOM, CRLF) for Google Chrome and Microsoft Edge with
// the extension's policy under ...\3rdparty\extensions\<id>\policy and its force-install entry.
// Value types follow how Chromium reads extension policy from the registry
// (components/policy/core/common/registry_dict.cc): REG_SZ for strings, REG_DWORD for integers and
// booleans, and JSON text in a REG_SZ for arrays and objects (parsed when the schema expects a list or
// dictionary). Numbers with a fraction go as REG_SZ text, which Chromium converts too.
import { UsageError, orderedEntries } from './policy-schema.mjs';

export const BROWSERS = [
  { name: 'Google Chrome', key: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome' },
  { name: 'Microsoft Edge', key: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Edge' },
];

/** The number used for the ExtensionInstallForcelist entry (any unused number works; see ADMIN.md). */
export const FORCELIST_ENTRY = '1';

/** The .reg file as bytes. */
export function registryFile({ id, policy, schema, updateUrl }) {
  const lines = [
    'Windows Registry Editor Version 5.00',
    '',
    '; Blindaje Electoral: política de la extensión para Google Chrome y Microsoft Edge (generado de schema.json).',
    `; Extensión ${id}. Importar como administrador: reg import blindaje-chrome-edge.reg`,
    '; Cada importación borra primero la política anterior de esta extensión (las líneas [-...]).',
  ];
  for (const browser of BROWSERS) {
    const policyKey = `${browser.key}\\3rdparty\\extensions\\${id}\\policy`;
    lines.push('', `; ${browser.name}: valores de la política`, `[-${policyKey}]`, `[${policyKey}]`);
    for (const [key, value, sub] of orderedEntries(policy, schema)) {
      lines.push(`; ${sub.title || key}`, `${quote(key)}=${registryValue(key, value, sub.type)}`);
    }
    lines.push('', `; ${browser.name}: instalación forzada`, `[${browser.key}\\ExtensionInstallForcelist]`);
    lines.push(`${quote(FORCELIST_ENTRY)}=${quote(`${id};${updateUrl}`, 'ExtensionInstallForcelist')}`);
  }
  const text = lines.join('\r\n') + '\r\n';
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

function registryValue(key, value, type) {
  switch (type) {
    case 'integer':
      if (value < -0x80000000 || value > 0x7fffffff) throw new UsageError(`${key}: ${value} does not fit a REG_DWORD`);
      return `dword:${(value >>> 0).toString(16).padStart(8, '0')}`;
    case 'boolean':
      return `dword:0000000${value ? 1 : 0}`;
    case 'string':
      return quote(value, key);
    default: // number, array, object
      return quote(type === 'number' ? String(value) : JSON.stringify(value), key);
  }
}

/** A .reg string literal: backslashes and quotes escaped; a line break cannot be written in REG_SZ syntax. */
function quote(text, key) {
  if (/[\r\n]/.test(text)) throw new UsageError(`${key}: a value with a line break cannot be written to a .reg file`);
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
