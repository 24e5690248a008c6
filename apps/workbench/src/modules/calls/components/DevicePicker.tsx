import { useEffect, useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';
import { useToast } from '../../../ui/index.ts';
import { callStrings } from '../locales/index.ts';
import { callErrorText } from '../state/call-labels.ts';

interface DeviceLists {
  microphones: MediaDeviceInfo[];
  cameras: MediaDeviceInfo[];
  speakers: MediaDeviceInfo[];
}

const SPEAKER_KEY = 'frontdesk.workbench.speaker';

/** The speaker the agent chose (kept by this browser); undefined: the default one. */
export function savedSpeaker(): string | undefined {
  try {
    return localStorage.getItem(SPEAKER_KEY) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Microphone, camera and speaker of calls. The microphone and camera switch at once in the live
 * call (the SDK replaces the tracks) and stay chosen for the next calls; the speaker applies to the
 * call window's sound.
 */
export function DevicePicker({ isVideo, speakerId, onSpeaker }: { isVideo: boolean; speakerId: string | undefined; onSpeaker: (deviceId: string | undefined) => void }) {
  const client = useClient();
  const toast = useToast();
  const s = callStrings();
  const [lists, setLists] = useState<DeviceLists>({ microphones: [], cameras: [], speakers: [] });
  const [choice, setChoice] = useState<{ mic?: string; camera?: string }>({});
  useEffect(() => {
    let isCurrent = true;
    void Promise.all([client.Devices.getMicrophones(), client.Devices.getCameras(), client.Devices.getSpeakers()]).then(([microphones, cameras, speakers]) => {
      if (isCurrent) setLists({ microphones, cameras, speakers });
    });
    return () => {
      isCurrent = false;
    };
  }, [client]);

  async function select(kind: 'mic' | 'camera', deviceId: string) {
    setChoice((c) => ({ ...c, [kind]: deviceId }));
    if (!deviceId) return;
    const result = kind === 'mic' ? await client.Devices.selectMicrophone({ deviceId }) : await client.Devices.selectCamera({ deviceId });
    if (result.status === 'error') toast({ message: callErrorText(result.errorCode, result.errorMsg, s), tone: 'danger' });
  }

  const options = (devices: MediaDeviceInfo[]) => [
    <option key="" value="">{s.defaultDevice}</option>,
    ...devices.filter((d) => d.deviceId && d.deviceId !== 'default').map((d, i) => <option key={d.deviceId} value={d.deviceId}>{d.label || `${i + 1}`}</option>),
  ];
  return (
    <div className="wb-call__devices" role="group" aria-label={s.devices}>
      <label>
        <span>{s.microphone}</span>
        <select className="fd-control" value={choice.mic ?? ''} onChange={(e) => void select('mic', e.target.value)}>{options(lists.microphones)}</select>
      </label>
      {isVideo && (
        <label>
          <span>{s.camera}</span>
          <select className="fd-control" value={choice.camera ?? ''} onChange={(e) => void select('camera', e.target.value)}>{options(lists.cameras)}</select>
        </label>
      )}
      {lists.speakers.length > 0 && (
        <label>
          <span>{s.speaker}</span>
          <select
            className="fd-control"
            value={speakerId ?? ''}
            onChange={(e) => {
              const id = e.target.value || undefined;
              try {
                if (id) localStorage.setItem(SPEAKER_KEY, id);
                else localStorage.removeItem(SPEAKER_KEY);
              } catch {
                // Storage may be off; the choice holds for this call.
              }
              onSpeaker(id);
            }}
          >
            {options(lists.speakers)}
          </select>
        </label>
      )}
    </div>
  );
}
