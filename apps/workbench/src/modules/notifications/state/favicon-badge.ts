/**
 * The tab's icon with the unread count on it, drawn on a canvas: agents see new messages in a
 * pinned or background tab. The first icon of the page is kept to come back to at zero.
 */
let original: string | null | undefined;

function iconLink(): HTMLLinkElement {
  let link = document.querySelector<HTMLLinkElement>('link[rel~="icon"]');
  if (!link) {
    link = document.createElement('link');
    link.rel = 'icon';
    document.head.append(link);
  }
  return link;
}

/** The icon's picture for `count` (the plain icon at 0), as a data URL; null where canvas is unavailable. */
export function drawFavicon(count: number): string | null {
  const canvas = document.createElement('canvas');
  canvas.width = 32;
  canvas.height = 32;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.fillStyle = '#1d4ed8';
  ctx.beginPath();
  ctx.arc(16, 16, 15, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = '#fff';
  ctx.font = 'bold 18px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText('F', count > 0 ? 12 : 16, 17);
  if (count > 0) {
    const label = count > 99 ? '99+' : String(count);
    ctx.fillStyle = '#dc2626';
    ctx.beginPath();
    ctx.arc(23, 9, 9, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = '#fff';
    ctx.font = `bold ${label.length > 1 ? 10 : 13}px system-ui, sans-serif`;
    ctx.fillText(label, 23, 10);
  }
  return canvas.toDataURL('image/png');
}

/** Shows `count` on the tab's icon (0: the page's own icon again). */
export function showFaviconCount(count: number): void {
  const link = iconLink();
  if (original === undefined) original = link.getAttribute('href');
  if (count === 0 && original) {
    link.href = original;
    link.dataset.count = '0';
    return;
  }
  const url = drawFavicon(count);
  if (url) {
    link.href = url;
    link.dataset.count = String(count);
  }
}
