/** The popup: the code the agent read out, the support server and app (remembered), Share / Stop. */
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>('form');
const statusLine = $<HTMLParagraphElement>('status');
const stopButton = $<HTMLButtonElement>('stop');

async function init(): Promise<void> {
  const saved = await chrome.storage.local.get(['server', 'appId']);
  $<HTMLInputElement>('server').value = saved.server ?? '';
  $<HTMLInputElement>('app').value = saved.appId ?? '';
  const { sharing } = (await chrome.runtime.sendMessage({ type: 'status' })) as { sharing: boolean };
  form.hidden = sharing;
  stopButton.hidden = !sharing;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void (async () => {
    const server = $<HTMLInputElement>('server').value.trim();
    const appId = $<HTMLInputElement>('app').value.trim();
    const code = $<HTMLInputElement>('code').value.trim();
    await chrome.storage.local.set({ server, appId });
    const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
    if (tab?.id === undefined) return void (statusLine.textContent = 'No tab to share.');
    statusLine.textContent = 'Connecting…';
    const answer = (await chrome.runtime.sendMessage({ type: 'share', server, appId, code, tabId: tab.id })) as { ok: boolean; error?: string };
    statusLine.textContent = answer.ok ? 'This tab is shared with the agent.' : (answer.error ?? 'Failed.');
    form.hidden = answer.ok;
    stopButton.hidden = !answer.ok;
  })();
});

stopButton.addEventListener('click', () => {
  void chrome.runtime.sendMessage({ type: 'stop' });
  form.hidden = false;
  stopButton.hidden = true;
  statusLine.textContent = 'Sharing stopped.';
});

void init();
