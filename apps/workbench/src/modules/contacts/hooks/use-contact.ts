import type { Contact, ContactTimelineEntry, UpdateContactBody } from '@frontdesk/sdk-agent';
import { useCallback, useEffect, useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';

/**
 * The contact of a conversation's visitor and its timeline, read when the conversation opens and
 * again when it changes status (`revision`); edits and merges replace it with the server's answer.
 */
export function useContact(visitorId: string, revision: string) {
  const client = useClient();
  const [contact, setContact] = useState<Contact | null>(null);
  const [timeline, setTimeline] = useState<ContactTimelineEntry[]>([]);
  const [error, setError] = useState<string | null>(null);

  const loadTimeline = useCallback(
    async (contactId: string) => {
      const result = await client.Contacts.timeline({ contactId });
      if (result.status === 'success') setTimeline(result.data);
    },
    [client],
  );

  useEffect(() => {
    let isCurrent = true;
    void client.Contacts.ofVisitor({ visitorId }).then(async (result) => {
      if (!isCurrent) return;
      if (result.status === 'error') return setError(result.errorMsg);
      setError(null);
      setContact(result.data);
      await loadTimeline(result.data.id);
    });
    return () => {
      isCurrent = false;
    };
  }, [client, visitorId, revision, loadTimeline]);

  const update = useCallback(
    async (patch: UpdateContactBody): Promise<string | null> => {
      if (!contact) return null;
      const result = await client.Contacts.update({ contactId: contact.id, patch });
      if (result.status === 'error') return result.errorMsg;
      setContact(result.data);
      return null;
    },
    [client, contact],
  );

  const merge = useCallback(
    async (otherContactId: string): Promise<string | null> => {
      if (!contact) return null;
      const result = await client.Contacts.merge({ contactId: contact.id, otherContactId });
      if (result.status === 'error') return result.errorMsg;
      setContact(result.data);
      await loadTimeline(result.data.id);
      return null;
    },
    [client, contact, loadTimeline],
  );

  const search = useCallback(
    async (query: string): Promise<Contact[]> => {
      const result = await client.Contacts.list({ query, limit: 10 });
      return result.status === 'success' ? result.data.filter((c) => c.id !== contact?.id) : [];
    },
    [client, contact],
  );

  return { contact, timeline, error, update, merge, search };
}
