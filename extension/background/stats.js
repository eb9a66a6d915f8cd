// Local counters (never text): how often "Ignorar aquí" was used, per rule.
export async function countIgnored(rule) {
  const { stats = { ignored: 0, ignoredByRule: {} } } = await chrome.storage.local.get('stats');
  stats.ignored += 1;
  stats.ignoredByRule[rule] = (stats.ignoredByRule[rule] || 0) + 1;
  await chrome.storage.local.set({ stats });
}
