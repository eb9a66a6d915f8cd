// The JSON templates: Chrome/Chromium policy files for Linux, Firefox's policies.json and native
// managed-storage manifest, and the Google Admin console's "Policy for extensions" JSON. The Linux shape
// ({"3rdparty": {"extensions": {id: policy}}}) is the one the browser tests write (tests/browser/lib/policy.mjs).
import { orderedEntries } from './policy-schema.mjs';

function values(policy, schema) {
  return Object.fromEntries(orderedEntries(policy, schema).map(([key, value]) => [key, value]));
}

/** /etc/chromium/policies/managed/*.json and /etc/opt/chrome/policies/managed/*.json (same content). */
export function linuxPolicy({ id, policy, schema, updateUrl }) {
  return {
    ExtensionSettings: { [id]: { installation_mode: 'force_installed', update_url: updateUrl } },
    '3rdparty': { extensions: { [id]: values(policy, schema) } },
  };
}

/** Firefox enterprise policies (policies.json): the extension's managed storage and its force-install. */
export function firefoxPolicies({ geckoId, policy, schema, xpiUrl }) {
  return {
    policies: {
      '3rdparty': { Extensions: { [geckoId]: values(policy, schema) } },
      ExtensionSettings: { [geckoId]: { installation_mode: 'force_installed', install_url: xpiUrl } },
    },
  };
}

/** Firefox's native managed-storage manifest; the file must be named <gecko-id>.json. */
export function firefoxManagedStorage({ geckoId, policy, schema }) {
  return {
    name: geckoId,
    description: 'Blindaje Electoral: política de la institución',
    type: 'storage',
    data: values(policy, schema),
  };
}

/** Google Admin console, Apps & extensions › the extension › "Policy for extensions": {key: {"Value": v}}. */
export function googleAdminPolicy({ policy, schema }) {
  return Object.fromEntries(orderedEntries(policy, schema).map(([key, value]) => [key, { Value: value }]));
}
