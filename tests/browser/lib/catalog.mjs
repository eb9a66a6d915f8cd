// What tests need to drive each fixture: where to click to type (Playwright selectors; CSS pierces
// open shadow roots), the publish control, the editor kind, undo grouping and shortcuts.
// Extension tests reuse this; the markers themselves are documented in fixtures/SITES.md.

/** Milliseconds an editor merges consecutive edits into one undo step (wait longer before pasting). */
export const UNDO_GROUP_MS = { lexical: 1000, quill: 1000, prosemirror: 500, draftjs: 0, textarea: 0, contenteditable: 0, input: 0 };

const target = (editor, composer, extra = {}) => ({ editor, composer, ...extra });

export const FIXTURES = {
  textarea: { targets: [target('textarea', 'textarea')], publish: '[data-testid="publish"]' },
  contenteditable: { targets: [target('contenteditable', '[contenteditable="true"]')], publish: '[data-testid="publish"]' },
  draftjs: { targets: [target('draftjs', '.public-DraftEditor-content')], publish: '[data-testid="publish"]' },
  lexical: { targets: [target('lexical', '[data-lexical-editor="true"]')], publish: '[data-testid="publish"]' },
  prosemirror: { targets: [target('prosemirror', '.ProseMirror')], publish: '[data-testid="publish"]' },
  quill: { targets: [target('quill', '.ql-editor')], publish: '[data-testid="publish"]' },
  x: { site: true, targets: [target('draftjs', '[data-testid="tweetTextarea_0"]')], publish: '[data-testid="tweetButtonInline"]', ctrlEnter: true },
  facebook: { site: true, targets: [target('lexical', '[contenteditable="true"][data-lexical-editor="true"][role="textbox"]')], publish: '[role="button"][aria-label="Publicar"]' },
  linkedin: { site: true, targets: [target('quill', '.ql-editor')], publish: 'button.share-actions__primary-action' },
  bsky: { site: true, targets: [target('prosemirror', '.ProseMirror')], publish: '[data-testid="composerPublishBtn"]', ctrlEnter: true },
  gmail: { site: true, targets: [target('contenteditable', 'div[role="textbox"][contenteditable="true"][aria-label="Message Body"]')], publish: 'div[role="button"][data-tooltip^="Enviar"]', ctrlEnter: true },
  outlook: { site: true, targets: [target('contenteditable', 'div[role="textbox"][contenteditable="true"]')], publish: 'button[aria-label="Enviar"]', ctrlEnter: true },
  instagram: { site: true, targets: [target('textarea', 'textarea')], publish: 'form [role="button"]' },
  spa: {
    targets: [
      target('lexical', 'section[data-composer="a"] [data-lexical-editor="true"]', { name: 'a' }),
      target('prosemirror', 'section[data-composer="b"] .ProseMirror', { name: 'b' }),
    ],
    publish: '[data-testid="publish-a"]',
  },
  shadow: { targets: [target('contenteditable', 'bj-composer [contenteditable="true"]')], publish: 'bj-composer button.publish-button' },
  iframe: { frame: '#composer-frame', targets: [target('contenteditable', '[contenteditable="true"]')], publish: '[data-testid="publish"]' },
  signup: { targets: [target('input', 'input[type="email"]', { singleLine: true })], publish: 'form#reg button[type="submit"]' },
  media: { targets: [target('contenteditable', '[contenteditable="true"]')], publish: '[data-testid="publish"]' },
};
