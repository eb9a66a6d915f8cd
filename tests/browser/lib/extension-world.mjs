// Reads the extension's state from inside its content script's isolated world, through CDP: the page
// cannot see that world, so this is how tests look at what the content script drew (CSS.highlights
// ranges, textarea mirror marks, panel entries) via its debug handle globalThis.__blindaje.

/** Opens a CDP session on `page` that tracks the extension's isolated-world contexts per frame. */
export async function extensionWorld(page, extensionId) {
  const cdp = await page.context().newCDPSession(page);
  const origin = `chrome-extension://${extensionId}`;
  const contexts = new Map(); // frameId → executionContextId (latest)
  cdp.on('Runtime.executionContextCreated', ({ context }) => {
    if (context.origin === origin && context.auxData && context.auxData.type === 'isolated') {
      contexts.set(context.auxData.frameId, context.id);
    }
  });
  cdp.on('Runtime.executionContextDestroyed', ({ executionContextId }) => {
    for (const [frame, id] of contexts) if (id === executionContextId) contexts.delete(frame);
  });
  cdp.on('Runtime.executionContextsCleared', () => contexts.clear());
  await cdp.send('Runtime.enable');

  /** CDP frame id of the main frame, or of the first frame whose URL contains `urlPart`. */
  async function frameId(urlPart) {
    const { frameTree } = await cdp.send('Page.getFrameTree');
    if (!urlPart) return frameTree.frame.id;
    const stack = [frameTree];
    while (stack.length) {
      const node = stack.pop();
      if (node.frame.url.includes(urlPart)) return node.frame.id;
      stack.push(...(node.childFrames || []));
    }
    return null;
  }

  /** Evaluates `expression` in the extension's world of the frame (main frame unless `frameUrl`). */
  async function evaluate(expression, { frameUrl, timeout = 10000 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const id = contexts.get(await frameId(frameUrl));
      if (id !== undefined) {
        const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
          expression, contextId: id, returnByValue: true, awaitPromise: true,
        }).catch((error) => ({ exceptionDetails: { text: error.message } }));
        if (!exceptionDetails) return result.value;
        if (Date.now() > deadline) throw new Error(`in the extension's world: ${exceptionDetails.text} ${exceptionDetails.exception?.description || ''}`);
      } else if (Date.now() > deadline) {
        throw new Error('no content script of the extension in this frame');
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  return {
    evaluate,
    /** globalThis.__blindaje.snapshot() of the frame. */
    snapshot: (options) => evaluate('globalThis.__blindaje.snapshot()', options),
    perf: (options) => evaluate('globalThis.__blindaje.perf()', options),
    /** Polls the snapshot until `predicate(snapshot)` is true; returns it (or throws with the last one). */
    async waitFor(predicate, { timeout = 10000, frameUrl, what = 'condition' } = {}) {
      const deadline = Date.now() + timeout;
      let last;
      while (Date.now() < deadline) {
        last = await evaluate('globalThis.__blindaje ? globalThis.__blindaje.snapshot() : null', { frameUrl });
        if (last && predicate(last)) return last;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`timed out waiting for ${what}; last snapshot: ${JSON.stringify(last, null, 1).slice(0, 3000)}`);
    },
    detach: () => cdp.detach().catch(() => {}),
  };
}
