// ./build.sh demo: Chromium with the built extension on a local demo page holding several composers
// (textarea, Lexical, Draft.js, ProseMirror in frames) and on the X and Gmail look-alikes, with sample
// drafts typed in. On screen when $DISPLAY is set (close the window to finish), else headless, saving
// screenshots to tests/browser/.build/screenshots/demo-*.png.
import { saveScreenshot, typeSlowly } from './lib/browser.mjs';
import { startExtensionSession, testPolicy } from './lib/extension-session.mjs';

const headless = !process.env.DISPLAY;
const FRAMES = [
  ['textarea', 'textarea', 'Este domingo vota por Morena. Dicen que cierran la oficina.'],
  ['lexical', '[data-lexical-editor="true"]', 'Informamos los horarios de atención. El voto es libre y secreto.'],
  ['draftjs', '.public-DraftEditor-content', '¡Gracias a la Presidenta por su liderazgo! Vota por el PAN.'],
  ['prosemirror', '.ProseMirror', 'Infórmese antes de opinar, chairo.'],
];
const DEMO_HTML = `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Blindaje Electoral — demostración</title>
<style>body{font:15px system-ui,sans-serif;margin:16px;background:#f3f4f6}h1{font-size:20px;margin:0 0 12px}
.grid{display:grid;grid-template-columns:repeat(2,1fr);gap:12px}iframe{width:100%;height:430px;border:1px solid #d0d7de;border-radius:8px;background:#fff}</style>
</head><body><h1>Blindaje Electoral: varios redactores en una página</h1><div class="grid">
${FRAMES.map(([name]) => `<iframe id="${name}" src="/f/${name}/" title="${name}"></iframe>`).join('\n')}
</div></body></html>`;

async function start() {
  try {
    return { ext: await startExtensionSession({ headless, policy: testPolicy() }), policy: true };
  } catch (error) {
    if (error.code !== 'EACCES') throw error;
    console.error('Cannot write the managed policy (run as root for the full demo); continuing without it.');
    return { ext: await startExtensionSession({ headless, policy: null }), policy: false };
  }
}

const { ext, policy } = await start();
try {
  const page = await ext.context.newPage();
  await page.setViewportSize({ width: 1400, height: 1000 });
  ext.server.route('/demo', (req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(DEMO_HTML);
  });
  await page.goto(`${ext.server.origin}/demo`);
  if (policy) {
    for (const [name, selector, text] of FRAMES) {
      const frame = await (await page.waitForSelector(`#${name}`)).contentFrame();
      await frame.waitForFunction(() => document.documentElement.dataset.fixtureReady === 'true');
      await frame.click(selector);
      await typeSlowly(page, text, { delay: 10 });
    }
  }
  for (const [url, selector, text] of [
    ['https://x.com/', '[data-testid="tweetTextarea_0"]', 'Logramos 40% más conciliaciones gracias a nuestro equipo. ¡Vota por Morena!'],
    ['https://mail.google.com/', 'div[role="textbox"]', 'Hola equipo: regístrate en TikTok con tu correo ana@cedh.gob.mx para la campaña.'],
  ]) {
    const tab = await ext.context.newPage();
    await tab.goto(url);
    await tab.click(selector);
    await typeSlowly(tab, text, { delay: 10 });
    await tab.waitForTimeout(600);
    if (headless) console.log(`screenshot: ${await saveScreenshot(tab, `demo-${new URL(url).hostname}`)}`);
  }
  await page.bringToFront();
  await page.waitForTimeout(800);
  if (headless) {
    console.log(`screenshot: ${await saveScreenshot(page, 'demo-page')}`);
  } else {
    console.log('Demo running: type in any composer. Close the browser window to finish.');
    await new Promise((resolve) => ext.context.on('close', resolve));
  }
} finally {
  await ext.close();
}
