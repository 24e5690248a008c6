import { Dialog } from '../../../ui/index.ts';
import { shortcutStrings } from '../locales/index.ts';
import { SHORTCUT_KEYS } from '../state/shortcut-keys.ts';

/** The list of keyboard shortcuts, opened with `?`. */
export function ShortcutsOverlay({ isOpen, onClose }: { isOpen: boolean; onClose: () => void }) {
  const t = shortcutStrings();
  return (
    <Dialog isOpen={isOpen} title={t.title} onClose={onClose}>
      <table className="wb-shortcuts" data-testid="shortcuts">
        <tbody>
          {SHORTCUT_KEYS.map(({ shortcut, keys }) => (
            <tr key={shortcut}>
              <td>{keys.map((k, i) => <span key={k}>{i > 0 && ' / '}<kbd>{k}</kbd></span>)}</td>
              <td>{t[shortcut]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="wb-panel__hint">{t.hint}</p>
    </Dialog>
  );
}
