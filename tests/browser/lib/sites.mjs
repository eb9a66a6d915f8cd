// Which fixture each real host name serves, and the CSP the host sends (imitating the real sites).
// Shared by the server (Host-header routing), the browser launcher (host-resolver-rules) and tests.

/** The strict CSP used for /csp/ routes and for hosts whose real CSP blocks wasm in content scripts. */
export const STRICT_CSP = "script-src 'self'; object-src 'none'";
/** Gmail additionally enforces Trusted Types for script sinks. */
export const STRICT_TT_CSP = `${STRICT_CSP}; require-trusted-types-for 'script'`;

/**
 * host → {fixture, csp, paths}. `paths` maps extra paths on that host to other fixtures
 * (e.g. the sign-up page). Every other path without a file extension serves `fixture`.
 */
export const SITE_HOSTS = {
  'x.com': { fixture: 'x', csp: STRICT_CSP, paths: { '/i/flow/signup': 'signup' } },
  'twitter.com': { fixture: 'x', csp: STRICT_CSP, paths: { '/i/flow/signup': 'signup' } },
  'facebook.com': { fixture: 'facebook', csp: STRICT_CSP, paths: { '/r.php': 'signup' } },
  'www.facebook.com': { fixture: 'facebook', csp: STRICT_CSP, paths: { '/r.php': 'signup' } },
  'linkedin.com': { fixture: 'linkedin', csp: null },
  'www.linkedin.com': { fixture: 'linkedin', csp: null },
  'bsky.app': { fixture: 'bsky', csp: null },
  'mail.google.com': { fixture: 'gmail', csp: STRICT_TT_CSP },
  'outlook.office.com': { fixture: 'outlook', csp: null },
  'outlook.live.com': { fixture: 'outlook', csp: null },
  'outlook.office365.com': { fixture: 'outlook', csp: null },
  'instagram.com': { fixture: 'instagram', csp: STRICT_CSP },
  'www.instagram.com': { fixture: 'instagram', csp: STRICT_CSP },
};

export const SITE_HOST_NAMES = Object.keys(SITE_HOSTS);

/** One https URL per site fixture (the first host that serves it), e.g. {x: 'https://x.com/'}. */
export function siteUrls() {
  const urls = {};
  for (const [host, site] of Object.entries(SITE_HOSTS)) urls[site.fixture] ??= `https://${host}/`;
  return urls;
}

/** Chromium --host-resolver-rules value sending every site host to the local server. */
export function hostResolverRules({ httpPort, httpsPort }) {
  const rules = [];
  for (const host of SITE_HOST_NAMES) {
    rules.push(`MAP ${host}:443 127.0.0.1:${httpsPort}`, `MAP ${host}:80 127.0.0.1:${httpPort}`);
  }
  return rules.join(', ');
}
