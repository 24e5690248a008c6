/** The call screen's icons (inline SVG, stroke-drawn, coloured by the text around them). */
const icon = (d: string, extra?: preact.JSX.Element) => (
  <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
    <path d={d} />
    {extra}
  </svg>
);

const PHONE = 'M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2';
export const ICONS = {
  accept: icon(PHONE),
  hangUp: (
    <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" style="transform:rotate(135deg)">
      <path d={PHONE} />
    </svg>
  ),
  mic: icon('M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM5 11a7 7 0 0 0 14 0M12 18v3'),
  micOff: icon('M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM5 11a7 7 0 0 0 14 0M12 18v3M3 3l18 18'),
  camera: icon('M2.5 6h13v12h-13zM15.5 10.5L21 7v10l-5.5-3.5'),
  cameraOff: icon('M2.5 6h13v12h-13zM15.5 10.5L21 7v10l-5.5-3.5M2 2l20 20'),
  devices: icon('M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12M20 18h0M16 4v4M10 10v4M18 16v4'),
  fullScreen: icon('M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5'),
  exitFullScreen: icon('M9 4v5H4M15 4v5h5M9 20v-5H4M15 20v-5h5'),
  chat: icon('M4 5h16v11H8l-4 4z'),
  call: icon('M2.5 6h13v12h-13zM15.5 10.5L21 7v10l-5.5-3.5'),
};
