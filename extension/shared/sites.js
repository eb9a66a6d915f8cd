// Host names as the policy means them: www./m./mobile. dropped, twitter.com is x.com (as in the engine).
export function canonicalSite(host) {
  const bare = String(host || '').trim().toLowerCase().replace(/^[a-z]+:\/\//, '').split(/[/:]/)[0].replace(/^(www|m|mobile)\./, '');
  return bare === 'twitter.com' ? 'x.com' : bare;
}
