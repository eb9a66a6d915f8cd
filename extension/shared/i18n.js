// UI strings from _locales (Spanish by default, English second).
export function t(key, ...substitutions) {
  return chrome.i18n.getMessage(key, substitutions.map(String)) || key;
}

/** "1 advertencia" / "3 advertencias" style counts. */
export function count(n, oneKey, manyKey) {
  return n === 1 ? t(oneKey) : t(manyKey, n);
}
