import type { CallPhotoEvent } from '@frontdesk/protocol';
import { createLogger } from '@frontdesk/sdk-core';
import { describe, expect, it } from 'vitest';
import { CallActions, type CallActionsDeps } from './call-actions.ts';

/** Call actions over stub deps: `post` answers the photo request, the test feeds the frames. */
function actionsWith(post: (path: string) => Promise<unknown>): CallActions {
  const deps = {
    connection: { request: () => Promise.reject(new Error('no socket here')), send: () => {} },
    rest: { post, get: () => Promise.reject(new Error('no REST here')) },
    emit: () => {},
    log: createLogger('test', undefined),
    agentId: () => 'agt_1',
    constraints: undefined,
  } as unknown as CallActionsDeps;
  return new CallActions(deps);
}

const refused = (requestId: string): CallPhotoEvent => ({ type: 'call.photo', callId: 'call_1', requestId, message: null, error: { type: 'snapShotDisabled', msg: 'the camera is off' } });

describe('takePhoto', () => {
  it("takes the visitor's answer that came over the socket before the request's own HTTP reply (a camera that is off answers at once)", async () => {
    let actions: CallActions;
    actions = actionsWith(async () => {
      // The visitor's refusal overtakes the reply.
      await actions.onFrame(refused('photo_1'));
      return { requestId: 'photo_1', expiresAt: Date.now() + 60_000 };
    });
    await expect(actions.takePhoto('call_1')).rejects.toMatchObject({ code: 'snapShotDisabled', message: 'the camera is off' });
  });

  it('takes an answer that comes after the reply', async () => {
    const actions = actionsWith(async () => ({ requestId: 'photo_2', expiresAt: Date.now() + 60_000 }));
    const taken = actions.takePhoto('call_1');
    await new Promise((resolve) => setTimeout(resolve, 10));
    await actions.onFrame(refused('photo_2'));
    await expect(taken).rejects.toMatchObject({ code: 'snapShotDisabled' });
  });
});
