import { CreateChannelBody, type Channel } from '@frontdesk/protocol';
import { describe, expect, it } from 'vitest';
import { bodyOfChannelDraft, checkChannelBody, draftOfChannel } from './channel-form.ts';

const channel: Channel = {
  ...CreateChannelBody.parse({ name: 'Web' }),
  id: 'chan_1',
  appId: 'acme',
  isDefault: true,
  identity: { mode: 'anonymous', validateUrl: null },
  createdAt: 0,
  updatedAt: 0,
};

describe('channel form: welcome message and pre-chat form', () => {
  it('round-trips the pre-chat fields (order name, email, phone) and the welcome message', () => {
    const draft = draftOfChannel({ ...channel, preChatForm: { enabled: true, fields: [{ key: 'phone', required: true }, { key: 'name', required: false }] }, welcomeMessage: '欢迎' });
    expect(draft.preChatForm).toEqual({ enabled: true, fields: { name: 'optional', email: 'off', phone: 'required' } });
    expect(draft.welcomeMessage).toBe('欢迎');
    const body = bodyOfChannelDraft({ ...draft, preChatForm: { ...draft.preChatForm, fields: { ...draft.preChatForm.fields, email: 'required' } }, welcomeMessage: '  ' });
    expect(body.preChatForm).toEqual({ enabled: true, fields: [{ key: 'name', required: false }, { key: 'email', required: true }, { key: 'phone', required: true }] });
    expect(body.welcomeMessage).toBeNull();
    expect(checkChannelBody(body)).toEqual({});
  });

  it('a welcome message over 1000 characters is refused before sending', () => {
    const body = bodyOfChannelDraft({ ...draftOfChannel(channel), welcomeMessage: 'x'.repeat(1001) });
    expect(Object.keys(checkChannelBody(body))).toEqual(['welcomeMessage']);
  });
});
