// Message protocol between content scripts, pages (popup, options) and the service worker.
//
// Content script → worker, over the long-lived port PORT_NAME (every request carries an id; the reply
// carries the same id):
//   {type: 'hello', id}                        → {type: 'hello', id, sites, info, initMs}
//   {type: 'pack', id}                         → {type: 'pack', id, envelope} the signed admin pack (or null) for the in-page engine
//   {type: 'analyze', id, text, hints}         → {type: 'result', id, findings, context} | {type: 'error', id, message}
//   {type: 'count', warnings}                  badge: warnings standing in this frame (no reply)
//   {type: 'ignored', rule}                    "Ignorar aquí" was used once (no reply; a counter, never text)
// Worker → content script:
//   {type: 'config'} on the port               the policy or the rule pack changed: analyse again
//   {type: 'ping'} by tabs.sendMessage         → true (the worker checks a frame still exists)
// Popup/options → worker (runtime.sendMessage; refused with {error} from any other sender, such as a
// content script; refresh-pack is rate-limited):
//   {type: 'status', tabId}                    → {info, phase, policyReport, warnings, account, rulePack, stats}
//   {type: 'refresh-pack'}                     → rulePack status after a fetch attempt

export const PORT_NAME = 'blindaje';

/** Findings that count as warnings (the badge, the panel's title): medium and high. */
export function isWarning(finding) {
  return finding.severity === 'high' || finding.severity === 'medium';
}
