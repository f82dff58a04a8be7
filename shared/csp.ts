// The renderer's Content Security Policy, one string for both hosts. Monaco is bundled and runs its
// workers from our own origin. Scripts are 'self' only; styles need 'unsafe-inline', and a nonce
// cannot replace it (checked against monaco-editor 0.57):
// - Monaco injects its theme and decoration rules as <style> elements it creates itself
//   (vs/base/browser/domStylesheets.js, createStyleSheet) and gives them no nonce, so a
//   `style-src 'nonce-…'` policy blocks them — and with a nonce present, browsers ignore
//   'unsafe-inline' in the same directive.
// - Its view parts render lines, line numbers, selections and guides as HTML strings with style=""
//   attributes (e.g. vs/editor/browser/viewParts/lineNumbers/lineNumbers.js); attributes cannot
//   carry a nonce, and 'unsafe-hashes' would need one hash per pixel value.
// The risk is bounded: no script can run from a style, 'unsafe-inline' is not granted to scripts,
// and the page shows operator data only through React text nodes and Monaco models.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The same policy for a <meta> tag, where frame-ancestors is not allowed (the headers carry it). */
export const CONTENT_SECURITY_POLICY_META = CONTENT_SECURITY_POLICY.split('; ')
  .filter((directive) => !directive.startsWith('frame-ancestors'))
  .join('; ');
