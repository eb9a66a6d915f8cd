// The user's answers to "¿institucional o personal?", per site and handle (per site when no handle is
// known), in storage.local. Read by content scripts, written by the chip and the popup's switch.
import { canonicalSite } from './sites.js';

export const CHOICES_KEY = 'accountChoices';

export const choiceKey = (site, handle) => `${canonicalSite(site)}|${(handle || '').replace(/^@/, '').toLowerCase()}`;

export async function readChoices() {
  return (await chrome.storage.local.get(CHOICES_KEY))[CHOICES_KEY] || {};
}

/** Records `account` ('institutional' | 'personal'), or forgets the answer when null. */
export async function setChoice(site, handle, account) {
  const all = await readChoices();
  if (account) all[choiceKey(site, handle)] = account;
  else delete all[choiceKey(site, handle)];
  await chrome.storage.local.set({ [CHOICES_KEY]: all });
}
