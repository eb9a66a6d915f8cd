// Options page: the policy the admin set and what was wrong with it, the rule pack in force with the
// last update attempt (and why it failed), a button to try again now, and the local counters.
import { t } from '../shared/i18n.js';

const when = (ms) => (ms ? new Date(ms).toLocaleString() : '—');

function field(list, label, value, className) {
  const dt = document.createElement('dt');
  dt.textContent = label;
  const dd = document.createElement('dd');
  dd.textContent = value;
  if (className) dd.className = className;
  list.append(dt, dd);
}

async function render() {
  const status = await chrome.runtime.sendMessage({ type: 'status' });
  document.getElementById('policy').textContent = JSON.stringify(status.policy, null, 2);
  const problems = document.getElementById('policy-problems');
  problems.replaceChildren();
  for (const [kind, list] of [['error', status.policyReport.errors], ['warning', status.policyReport.warnings]]) {
    for (const issue of list) {
      const li = document.createElement('li');
      li.className = kind;
      li.textContent = `${issue.key || t('optionsWholePolicy')}: ${issue.message}`;
      problems.append(li);
    }
  }
  if (!problems.children.length) problems.append(Object.assign(document.createElement('li'), { textContent: t('optionsPolicyOk') }));

  const { info, rulePack } = status;
  document.getElementById('pack').textContent = info.adminPackId
    ? `${info.adminPackId} v${info.adminPackVersion} (${t('optionsAdminPack')}), ${info.rules} ${t('rules')}`
    : `${info.packId} v${info.packVersion} (${t('optionsEmbeddedPack')}), ${info.rules} ${t('rules')}`;
  const list = document.getElementById('pack-status');
  list.replaceChildren();
  if (!rulePack) {
    field(list, t('optionsPackUrl'), t('optionsNoPackUrl'));
  } else {
    field(list, t('optionsPackUrl'), rulePack.url);
    field(list, t('optionsLastAttempt'), when(rulePack.lastAttemptAt));
    field(list, t('optionsLastSuccess'), when(rulePack.lastSuccessAt));
    if (rulePack.error) {
      field(list, t('optionsLastError'), `${when(rulePack.errorAt)}: ${rulePack.error}`, 'error');
      field(list, t('optionsNextAttempt'), when(rulePack.nextAttemptAt));
    }
  }
  // The stored envelope no longer verifies (its key left the policy…): the engine says why.
  if (info.adminPackRefused) field(list, t('optionsPackRefused'), info.adminPackRefused, 'error refused');
  document.getElementById('counters').textContent = t('ignoredCount', (status.stats && status.stats.ignored) || 0);
  document.body.dataset.ready = String(Date.now());
}

async function main() {
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  document.getElementById('refresh').addEventListener('click', async (event) => {
    event.target.disabled = true;
    await chrome.runtime.sendMessage({ type: 'refresh-pack' });
    await render();
    event.target.disabled = false;
  });
  chrome.storage.onChanged.addListener((changes, area) => (area === 'managed' || changes.packStatus || changes.adminPack) && render());
  await render();
}

main();
