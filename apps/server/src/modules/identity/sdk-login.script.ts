/**
 * `GET /sdk/login.js`: what a business's CRM page loads with the SDK login URL,
 *
 *   <script src="https://support.example.com/sdk/login.js?token=fdsl_…" data-target="#desk"></script>
 *
 * It reads the token from its own `src`, exchanges it (`POST /v1/auth/sdk-login`), imports the
 * workbench bundle (`/workbench/assets/workbench.js`, a stable name; cross-origin allowed) and calls
 * `window.FrontdeskWorkbench.mount(element, { token, floating, baseUrl, appId, agent, deviceId })`
 * into `data-target` (a CSS selector), or into a floating panel when there is none. It reports with
 * `window.FrontdeskSdkLogin = { status: 'success' | 'error', agent?, errorMsg? }` and a
 * `frontdesk:sdk-login` event on window. `data-multi-tab="true"` sends this browser's device id
 * (kept in localStorage as `frontdesk.deviceId`, the agent SDK's key) so the login does not kick
 * the other tabs of this browser.
 *
 * Plain ES2017, no dependencies: it runs in whatever page embeds it.
 */
export const SDK_LOGIN_SCRIPT = String.raw`(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.src) return;
  var src = new URL(script.src);
  var base = src.href.slice(0, src.href.indexOf('/sdk/login.js'));
  var token = src.searchParams.get('token');
  var targetSelector = script.getAttribute('data-target') || src.searchParams.get('target');
  var multiTab = script.getAttribute('data-multi-tab') === 'true';

  function report(result) {
    window.FrontdeskSdkLogin = result;
    window.dispatchEvent(new CustomEvent('frontdesk:sdk-login', { detail: result }));
    if (result.status === 'error' && window.console) console.error('Frontdesk SDK login: ' + result.errorMsg);
  }

  function deviceId() {
    if (!multiTab) return undefined;
    try {
      var id = localStorage.getItem('frontdesk.deviceId');
      if (!id) {
        var bytes = new Uint8Array(16);
        crypto.getRandomValues(bytes);
        id = Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
        localStorage.setItem('frontdesk.deviceId', id);
      }
      return id;
    } catch (e) {
      return undefined;
    }
  }

  function waitForWorkbench(timeoutMs) {
    return new Promise(function (resolve, reject) {
      var started = Date.now();
      (function poll() {
        if (window.FrontdeskWorkbench && typeof window.FrontdeskWorkbench.mount === 'function') return resolve(window.FrontdeskWorkbench);
        if (Date.now() - started > timeoutMs) return reject(new Error('the workbench did not load'));
        setTimeout(poll, 50);
      })();
    });
  }

  function loadWorkbench() {
    if (window.FrontdeskWorkbench) return Promise.resolve(window.FrontdeskWorkbench);
    // The workbench build keeps this entry name stable; its styles and lazy chunks load from it.
    return import(base + '/workbench/assets/workbench.js').then(function () {
      return waitForWorkbench(20000);
    });
  }

  function floatingPanel() {
    var el = document.createElement('div');
    el.id = 'frontdesk-workbench';
    el.style.cssText = 'position:fixed;right:16px;bottom:16px;width:420px;height:640px;max-width:calc(100vw - 32px);max-height:calc(100vh - 32px);z-index:2147483000;background:#fff;box-shadow:0 8px 32px rgba(0,0,0,.25);border-radius:8px;overflow:hidden';
    document.body.appendChild(el);
    return el;
  }

  if (!token) return report({ status: 'error', errorMsg: 'the login URL has no token' });
  var device = deviceId();
  var session;
  fetch(base + '/v1/auth/sdk-login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(device ? { token: token, deviceId: device } : { token: token }),
  })
    .then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error((body && body.error && body.error.message) || 'HTTP ' + response.status);
        return body;
      });
    })
    .then(function (body) {
      session = body;
      return loadWorkbench();
    })
    .then(function (workbench) {
      var element = targetSelector ? document.querySelector(targetSelector) : null;
      var floating = !element;
      if (!element) element = floatingPanel();
      workbench.mount(element, { token: session.token, floating: floating, baseUrl: base, appId: session.agent.appId, agent: session.agent, deviceId: device, multiTab: multiTab });
      report({ status: 'success', agent: session.agent });
    })
    .catch(function (err) {
      report({ status: 'error', errorMsg: err && err.message ? err.message : String(err) });
    });
})();
`;
