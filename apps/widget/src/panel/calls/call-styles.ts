/**
 * The call screen's CSS, adopted by the panel's shadow root when the call screen first shows (it is
 * not part of the panel's own CSS, so a page that never calls never downloads it). Logical
 * properties, so Arabic mirrors by `dir` alone.
 */
export const CALL_CSS = `
.call{position:relative;flex:none;display:flex;flex-direction:column;background:#0f172a;color:#f8fafc;border-bottom:1px solid #0b1220}
.call-stage{position:relative;display:flex;flex-direction:column;align-items:center;justify-content:center;gap:6px;min-height:170px;padding:14px 16px;overflow:hidden;background:radial-gradient(circle at 50% 30%,#334155,#0f172a 75%)}
.call.video.mode-active .call-stage,.call.video.mode-held .call-stage,.call.video.mode-connecting .call-stage{height:250px}
.call video.remote{position:absolute;inset:0;width:100%;height:100%;object-fit:cover;background:#000}
.call video.self{position:absolute;bottom:10px;inset-inline-end:10px;width:92px;aspect-ratio:4/3;object-fit:cover;border-radius:10px;border:2px solid rgb(255 255 255/.85);box-shadow:0 4px 14px rgb(0 0 0/.45);transform:scaleX(-1);background:#000;z-index:1}
.call audio{display:none}
.call-grid{position:relative;flex:1;align-self:stretch;min-height:0;margin:0;padding:0;list-style:none;display:grid;grid-template-columns:repeat(2,1fr);grid-auto-rows:1fr;gap:4px}
.call-grid[data-count='5']{grid-template-columns:repeat(3,1fr)}
.call-tile{position:relative;display:grid;place-items:center;min-width:0;min-height:0;overflow:hidden;border-radius:8px;background:rgb(15 23 42/.7)}
.call-tile video.tile-video{position:absolute;inset:0;width:100%;height:100%;object-fit:cover;background:#000}
.call-tile .call-avatar{width:44px;height:44px;font-size:20px}
.tile-label{position:absolute;bottom:4px;inset-inline-start:4px;max-width:calc(100% - 8px);overflow:hidden;text-overflow:ellipsis;white-space:nowrap;font-size:11.5px;padding:1px 6px;border-radius:8px;background:rgb(0 0 0/.6)}
.call-stage:has(.call-grid){height:250px;padding:8px 8px 6px}
.call-stage:has(.call-grid) video.self{top:14px;bottom:auto;width:64px}
.call-face{display:flex;flex-direction:column;align-items:center;gap:6px}
.call.mode-error .call-face{display:none}
.call-avatar{width:68px;height:68px;border-radius:50%;display:grid;place-items:center;font-size:28px;font-weight:650;background:var(--accent);color:var(--on-accent);box-shadow:0 0 0 4px rgb(255 255 255/.12)}
.call-face.ringing .call-avatar{animation:fd-pulse 1.6s ease-out infinite}
@keyframes fd-pulse{0%{box-shadow:0 0 0 0 rgb(255 255 255/.5)}100%{box-shadow:0 0 0 22px rgb(255 255 255/0)}}
@media (prefers-reduced-motion:reduce){.call-face.ringing .call-avatar{animation:none}}
.call-name{font-weight:650;font-size:16px}
.call-status{margin:0;max-width:100%;text-align:center;font-size:13.5px;line-height:1.4;color:#e2e8f0;overflow-wrap:anywhere}
.call.mode-error .call-status{font-size:14px;color:#fff}
.call-stage:has(video.remote) .call-status{position:absolute;top:8px;inset-inline:10px;z-index:1;text-shadow:0 1px 3px rgb(0 0 0/.8)}
.call-flag{font-size:12px;padding:2px 8px;border-radius:10px;background:rgb(0 0 0/.5)}
.call-flag.muted{position:absolute;top:8px;inset-inline-start:8px;z-index:1}
.call-play{position:absolute;bottom:12px;inset-inline-start:12px;z-index:2;border:0;border-radius:16px;padding:6px 12px;background:#fff;color:#0f172a;font-weight:600}
.call-share{display:flex;flex-wrap:wrap;align-items:center;gap:8px;margin:0;padding:8px 12px;background:rgb(0 0 0/.6);color:#fff;font-size:13px}
.call-share p{margin:0;flex:1 1 100%}
.call-screen{display:block;width:100%;max-height:40vh;background:#000;object-fit:contain}
.call-trouble{margin:0;padding:6px 12px;background:#7f1d1d;color:#fff;font-size:13px}
.call-devices{display:flex;flex-wrap:wrap;align-items:flex-end;gap:8px;padding:8px 12px;background:#1e293b}
.call-devices label{display:flex;flex-direction:column;gap:2px;font-size:12px;flex:1;min-width:120px}
.call-devices select{font:inherit;font-size:13px;padding:4px;border-radius:6px;border:1px solid #475569;background:#0f172a;color:#f8fafc;max-width:100%}
.call-controls{display:flex;flex-wrap:wrap;justify-content:center;align-items:center;gap:12px;padding:10px 12px;background:#111827}
.call-btn{display:grid;place-items:center;width:44px;height:44px;border:0;border-radius:50%;background:rgb(255 255 255/.14);color:#fff;flex:none}
.call-btn:hover{background:rgb(255 255 255/.24)}
.call-btn svg{width:22px;height:22px}
.call-btn.off,.call-btn[aria-pressed=true]{background:#f8fafc;color:#0f172a}
.call-btn.danger{background:#dc2626;color:#fff}
.call-btn.danger:hover{background:#b91c1c}
.call-btn.success{background:#16a34a;color:#fff}
.call-btn.success:hover{background:#15803d}
.call .chip{border-color:#cbd5e1;color:#f8fafc;background:transparent}
.call .chip.primary{background:var(--accent);border-color:var(--accent);color:var(--on-accent)}
.call :focus-visible{outline-color:#93c5fd}
.phone-only{display:none}
.call:fullscreen{background:#000}
.call:fullscreen .call-stage{flex:1;height:auto}
.call:fullscreen video.self{width:180px}
@media (max-width:600px){
 .phone-only{display:contents}
 .popup .call:not(.mode-ended):not(.mode-error):not(.compact){position:absolute;inset:0;z-index:3}
 .popup .call:not(.mode-ended):not(.mode-error):not(.compact) .call-stage{flex:1;height:auto}
 .popup .call:not(.compact) video.self{width:112px}
 .popup .call.compact .call-stage{height:120px;min-height:0}
 .popup .call.compact .call-avatar{width:44px;height:44px;font-size:20px}
 .call-controls{gap:10px}
 .call-btn{width:48px;height:48px}
}
`;
