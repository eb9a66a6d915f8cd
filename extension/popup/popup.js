// Toolbar popup: this tab's warnings, the account and how it was decided (with a switch to correct it),
// today's electoral phase from the policy's calendar, and the rule pack in force and where it came from.
import { t } from '../shared/i18n.js';
import { setChoice } from '../shared/accounts.js';

const list = document.getElementById('status');

function row(label, value, detail, id) {
  const dt = document.createElement('dt');
  dt.textContent = label;
  const dd = document.createElement('dd');
  dd.textContent = value;
  if (id) dd.id = id;
  if (detail) {
    const small = document.createElement('small');
    small.textContent = detail;
    dd.append(small);
  }
  list.append(dt, dd);
}

/** The tab the popup is about: ?tab=<id> (tests, troubleshooting) or the active tab. */
async function targetTab() {
  const id = Number(new URLSearchParams(location.search).get('tab'));
  if (id) return chrome.tabs.get(id);
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab;
}

function packText(status) {
  const { info, rulePack } = status;
  const base = t('packEmbedded', `${info.packId} v${info.packVersion}`);
  if (!info.adminPackId) return [base, null];
  const when = rulePack && rulePack.acceptedAt ? new Date(rulePack.acceptedAt).toLocaleString() : '';
  return [`${info.adminPackId} v${info.adminPackVersion}`, t('packFromUrl', rulePack ? rulePack.url : '', when)];
}

async function main() {
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  document.getElementById('options').addEventListener('click', (event) => {
    event.preventDefault();
    chrome.runtime.openOptionsPage();
  });
  const tab = await targetTab();
  const status = await chrome.runtime.sendMessage({ type: 'status', tabId: tab && tab.id });
  if (status.error) return row(t('error'), status.error);
  const account = tab ? await chrome.tabs.sendMessage(tab.id, { type: 'account-status' }).catch(() => null) : null;

  row(t('popupWarnings'), String(status.warnings ?? 0), null, 'warnings');
  if (account) {
    const who = account.handle ? `@${account.handle} · ${account.site}` : account.site;
    row(t('popupAccount'), t(account.account === 'institutional' ? 'accountInstitutional' : 'accountPersonal'),
      `${who} — ${t(`accountSource_${account.accountSource}`)}`, 'account');
    if (account.accountSource !== 'policy' && account.accountSource !== 'sender') {
      const box = document.getElementById('account-switch');
      box.hidden = false;
      for (const button of box.querySelectorAll('button')) {
        button.setAttribute('aria-pressed', String(button.dataset.account === account.account));
        button.addEventListener('click', async () => {
          await setChoice(account.site, account.handle, button.dataset.account);
          for (const b of box.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b === button));
          document.querySelector('#account').firstChild.textContent = t(button.dataset.account === 'institutional' ? 'accountInstitutional' : 'accountPersonal');
        });
      }
    }
  } else {
    row(t('popupAccount'), t('accountNoComposer'), null, 'account');
  }
  const { phase } = status;
  row(t('popupPhase'), phase.phase ? t(`phase_${phase.phase.replace("-", "_")}`) : t('phaseNone'), phase.phase ? phase.label : phase.calendarWarning, 'phase');
  const [pack, packDetail] = packText(status);
  row(t('popupPack'), pack, packDetail, 'pack');
  if (status.rulePack && status.rulePack.error) row(t('packProblem'), status.rulePack.error);
  const problems = status.policyReport.errors.length;
  if (problems) {
    const p = document.getElementById('problems');
    p.hidden = false;
    p.textContent = t('policyProblems', problems);
  }
  document.body.dataset.ready = 'true';
}

main();
