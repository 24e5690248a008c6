import type { MediaDeviceLists } from '@frontdesk/sdk-visitor';
import { useEffect, useState } from 'preact/hooks';
import type { CallStrings } from '../../locales/calls/index.ts';
import type { CallModel } from '../call-model.ts';

/** The microphone and camera of the call, switched at once (the other side keeps hearing and seeing the visitor). */
export function DeviceMenu({ calls, ct, isVideo, onClose }: { calls: CallModel; ct: CallStrings; isVideo: boolean; onClose: () => void }) {
  const [devices, setDevices] = useState<MediaDeviceLists | null>(null);
  const [choice, setChoice] = useState<{ audioInputId?: string; videoInputId?: string }>({});
  useEffect(() => {
    void calls.listDevices().then(setDevices, () => setDevices({ microphones: [], speakers: [], cameras: [] }));
  }, [calls]);
  const pick = (patch: { audioInputId?: string; videoInputId?: string }) => {
    setChoice({ ...choice, ...patch });
    void calls.switchDevices(patch);
  };
  const options = (list: MediaDeviceInfo[]) => [
    <option key="" value="">{ct.defaultDevice}</option>,
    ...list.filter((d) => d.deviceId && d.deviceId !== 'default').map((d, i) => <option key={d.deviceId} value={d.deviceId}>{d.label || `${i + 1}`}</option>),
  ];
  return (
    <div class="call-devices" role="group" aria-label={ct.devices} onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), onClose())}>
      <label>
        <span>{ct.microphone}</span>
        <select value={choice.audioInputId ?? ''} onChange={(e) => pick({ audioInputId: e.currentTarget.value || undefined })}>
          {options(devices?.microphones ?? [])}
        </select>
      </label>
      {isVideo && (
        <label>
          <span>{ct.camera}</span>
          <select value={choice.videoInputId ?? ''} onChange={(e) => pick({ videoInputId: e.currentTarget.value || undefined })}>
            {options(devices?.cameras ?? [])}
          </select>
        </label>
      )}
      <button type="button" class="chip" onClick={onClose}>
        {ct.close}
      </button>
    </div>
  );
}
