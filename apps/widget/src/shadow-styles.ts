/**
 * Puts CSS into a shadow root as a constructed style sheet: it styles nothing outside the root,
 * and host pages whose CSP forbids inline styles still render the widget. Falls back to a
 * <style> element in browsers without constructable style sheets.
 */
export function adoptStyles(root: ShadowRoot, css: string): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch {
    const style = document.createElement('style');
    style.textContent = css;
    root.prepend(style);
  }
}
