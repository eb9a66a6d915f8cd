// What the popup and the options page show: pack, phase, policy problems, this tab's warnings.
import { today } from '../shared/dates.js';
import { getEngine } from './engine.js';
import { tabWarnings } from './badge.js';
import { activePack } from './packstore.js';

export async function pageStatus(tabId) {
  const { engine, config, initMs } = await getEngine();
  const { stats = { ignored: 0 }, packStatus = null } = await chrome.storage.local.get(['stats', 'packStatus']);
  const adminPack = await activePack();
  return {
    info: engine.info(),
    phase: engine.phase(today()),
    policyReport: engine.policyReport(),
    policy: config.policy,
    warnings: tabId === undefined ? null : await tabWarnings(tabId),
    stats,
    rulePack: packStatus && { ...packStatus, acceptedAt: adminPack && adminPack.acceptedAt, version: adminPack && adminPack.version },
    initMs,
  };
}
