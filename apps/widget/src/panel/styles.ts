/**
 * The panel's CSS, adopted by its shadow root only. Logical properties (inline-start/end) so the
 * Arabic layout mirrors by `dir="rtl"` alone. `--fd-accent` / `--fd-on-accent` theme it.
 */
export const PANEL_CSS = `
*{box-sizing:border-box}
.panel{--accent:var(--fd-accent,#2563eb);--on-accent:var(--fd-on-accent,#fff);--bg:#fff;--fg:#1d2330;--muted:#5b6472;--line:#e3e6eb;--soft:#f1f3f6;
 display:flex;flex-direction:column;background:var(--bg);color:var(--fg);overflow:hidden;
 font:15px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans Arabic","Noto Sans CJK SC","PingFang SC",sans-serif;text-align:start}
.panel[hidden]{display:none}
.popup{position:fixed;bottom:20px;z-index:2147483647;width:380px;height:min(640px,calc(100vh - 40px));border-radius:16px;box-shadow:0 12px 40px rgb(0 0 0/.28)}
.popup.right{right:20px}.popup.left{left:20px}
.inline{position:absolute;inset:0;border:1px solid var(--line);border-radius:12px}
@media (max-width:600px){.popup,.popup.left,.popup.right{inset:0;width:100%;height:100%;height:100dvh;border-radius:0}}
button,input,textarea{font:inherit;color:inherit}
button{cursor:pointer}
:focus-visible{outline:3px solid var(--fd-focus,#1d4ed8);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
header{display:flex;align-items:center;gap:10px;padding:12px 12px 12px 16px;padding-inline:16px 8px;background:var(--accent);color:var(--on-accent)}
header .who{flex:1;min-width:0}
header h2{margin:0;font-size:16px;font-weight:650;line-height:1.25;overflow:hidden;overflow-wrap:anywhere;display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2}
header .status{margin:0;font-size:12px;opacity:.9}
header .tools{display:flex;flex:none}
header .icon{width:36px}
.icon{display:inline-grid;place-items:center;width:40px;height:40px;border:0;border-radius:10px;background:transparent;color:inherit;font-size:20px;line-height:1;flex:none}
.icon:hover{background:rgb(127 127 127/.18)}
header .icon:focus-visible{outline-color:var(--on-accent)}
.icon svg{width:22px;height:22px}
.avatar svg{width:20px;height:20px}
.avatar{width:34px;height:34px;border-radius:50%;flex:none;display:grid;place-items:center;font-weight:650;font-size:14px;background:var(--soft);color:var(--fg);object-fit:cover;overflow:hidden}
header .avatar{background:rgb(255 255 255/.22);color:inherit}
.banner{margin:0;padding:8px 16px;font-size:13px;border-bottom:1px solid var(--line);background:#fff8e6;color:#5c4400}
.banner.reconnecting{background:#fde8e8;color:#7f1d1d;font-weight:600}
.cobrowse-card{margin:8px 12px;padding:12px;border-radius:12px;background:#fff1f2;border:1px solid #fecdd3;font-size:13.5px;color:var(--fg)}
.cobrowse-card p{margin:0 0 10px}
.cobrowse-card .actions{display:flex;gap:8px;flex-wrap:wrap}
.cobrowse-card button,.cobrowse-on button{font:inherit;font-weight:600;border-radius:8px;border:1px solid var(--line);background:#fff;color:var(--fg);padding:6px 12px;cursor:pointer}
.cobrowse-card button.primary{background:var(--accent);color:var(--on-accent);border-color:transparent}
.banner.cobrowse-on{display:flex;align-items:center;justify-content:space-between;gap:8px;background:#fee2e2;color:#7f1d1d;font-weight:600}
.banner.queue{background:#eef4ff;color:#1e3a8a}
.log{flex:1;overflow-y:auto;padding:16px;overscroll-behavior:contain}
.log ol{margin:0;padding:0;list-style:none;display:flex;flex-direction:column;gap:10px}
[dir=rtl]{--fd-flip:-1}
.msg{display:flex;gap:8px;align-items:flex-end;max-width:100%}
.msg.visitor{flex-direction:row-reverse}
.msg .body{max-width:78%;min-width:0;display:flex;flex-direction:column;gap:2px}
.msg.visitor .body{align-items:flex-end}
.msg .name{font-size:12px;color:var(--muted);padding-inline:4px}
.bubble{padding:8px 12px;border-radius:14px;background:var(--soft);white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word}
.visitor .bubble{background:var(--accent);color:var(--on-accent);border-end-end-radius:4px}
.agent .bubble,.bot .bubble{border-end-start-radius:4px}
.bubble a{color:inherit;text-decoration:underline}
.meta{font-size:11px;color:var(--muted);padding-inline:4px}
.meta .failed{color:#b91c1c;font-weight:600;background:none;border:0;padding:0;text-decoration:underline}
.notice{align-self:center;text-align:center;font-size:12.5px;color:var(--muted);max-width:90%;white-space:pre-wrap;overflow-wrap:anywhere}
.notice.strong{background:var(--soft);border-radius:10px;padding:6px 10px;color:var(--fg)}
.file{display:flex;align-items:center;gap:8px;border:0;background:none;padding:0;text-align:start;text-decoration:underline}
.thumb{display:block;max-width:220px;max-height:220px;border-radius:8px;border:0;padding:0;background:none}
.thumb img{display:block;max-width:100%;max-height:220px;border-radius:8px}
.progress{display:block;width:160px;height:6px;border-radius:3px;background:rgb(127 127 127/.3);overflow:hidden;margin-top:4px}
.progress i{display:block;height:100%;background:currentColor}
.location{display:flex;flex-direction:column;gap:2px}
.glyph{width:16px;height:16px;flex:none;vertical-align:-3px}
.msg.failed .bubble{opacity:.65}
.thumb img{min-width:40px;min-height:40px;object-fit:contain;background:#fff}
.typing{min-height:20px;padding:0 16px 4px;font-size:12px;color:var(--muted)}
.actions{display:flex;flex-wrap:wrap;gap:8px;padding:0 16px 8px}
.chip{border:1px solid var(--accent);color:var(--accent);background:var(--bg);border-radius:16px;padding:5px 12px;font-size:13px}
.chip.primary{background:var(--accent);color:var(--on-accent)}
form.composer{display:flex;align-items:flex-end;gap:4px;padding:8px;border-top:1px solid var(--line)}
.composer textarea{flex:1;min-width:0;resize:none;border:1px solid #b8bec8;border-radius:10px;padding:9px 10px;max-height:120px;min-height:42px;background:var(--bg);line-height:1.4}
.composer .icon{color:var(--muted)}
.composer .send{color:var(--accent)}
.composer .send:disabled{opacity:.45;cursor:default}
.pop{border-top:1px solid var(--line);padding:10px 12px;background:var(--bg)}
.preview-notice{margin:0;padding:4px 12px;font-size:12px;color:var(--muted);border-top:1px solid var(--line)}
.emoji{display:grid;grid-template-columns:repeat(8,1fr);gap:2px}
.emoji button{border:0;background:none;font-size:22px;padding:4px;border-radius:8px}
.emoji button:hover{background:var(--soft)}
.rating fieldset{border:0;margin:0;padding:0}
.rating legend{font-weight:600;margin-bottom:6px;padding:0}
.stars{display:flex;gap:4px}
.stars label{font-size:28px;line-height:1;color:#c2c7d0;cursor:pointer}
.stars label.on{color:#f59e0b}
.stars input{position:absolute;opacity:0;width:1px;height:1px}
.stars input:focus-visible+span{outline:3px solid var(--fd-focus,#1d4ed8);outline-offset:2px;border-radius:4px}
.rating textarea{width:100%;margin:8px 0;border:1px solid #b8bec8;border-radius:8px;padding:8px;min-height:60px;resize:vertical}
.row{display:flex;gap:8px;justify-content:flex-end}
.thanks{margin:0;color:#166534;font-weight:600}
.form{display:flex;flex-direction:column;gap:8px;overflow-y:auto;max-height:70%}
.form h3{margin:0;font-size:15px}
.form .hint{margin:0;font-size:13px;color:var(--muted)}
.form label{display:flex;flex-direction:column;gap:3px;font-size:13px;font-weight:600}
.form .muted{font-weight:400;color:var(--muted)}
.form input,.form textarea{border:1px solid #b8bec8;border-radius:8px;padding:7px 9px;font-weight:400;background:var(--bg)}
.form textarea{min-height:72px;resize:vertical}
.form .invalid{margin:0;font-size:13px;color:#b91c1c}
.banner.left{background:#ecfdf3;color:#14532d}
.error{margin:0;padding:8px 16px;background:#fde8e8;color:#7f1d1d;font-size:13px;display:flex;justify-content:space-between;gap:8px}
.error button{border:0;background:none;text-decoration:underline;padding:0}
@media (prefers-reduced-motion:no-preference){.popup{animation:fd-in .16s ease-out}@keyframes fd-in{from{opacity:0;transform:translateY(12px)}}}
`;
