// Tells the service worker how many warnings stand in this frame; it sums the tab's frames into the
// toolbar badge. While the count is not zero the port is kept, so a restarted worker learns it again.
export function createBadgeReporter(connection) {
  let count = 0;
  let sent = 0;
  connection.keepConnectedWhile(() => count > 0);
  connection.onReconnect(() => {
    sent = count;
    if (count) connection.post({ type: 'count', warnings: count });
  });
  const send = () => {
    if (sent === count) return;
    sent = count;
    connection.post({ type: 'count', warnings: count });
  };
  addEventListener('pagehide', () => {
    if (count) connection.post({ type: 'count', warnings: 0 });
    sent = 0;
  });
  addEventListener('pageshow', (event) => event.persisted && send());
  return {
    report(n) {
      count = n;
      send();
    },
    get count() {
      return count;
    },
  };
}
