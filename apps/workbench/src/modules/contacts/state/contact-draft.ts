import type { Contact, UpdateContactBody } from '@frontdesk/sdk-agent';

type AttributeValue = Contact['attributes'][string];

/** The edit form of a contact: every field as the text in its input. */
export interface ContactDraft {
  name: string;
  email: string;
  phone: string;
  attributes: { key: string; value: string }[];
}

export function draftOf(contact: Contact): ContactDraft {
  return {
    name: contact.name ?? '',
    email: contact.email ?? '',
    phone: contact.phone ?? '',
    attributes: Object.entries(contact.attributes).map(([key, value]) => ({ key, value: String(value) })),
  };
}

/** An attribute's text back to its value: a number or boolean stays one when the text still reads as one. */
function valueOf(text: string, before: AttributeValue | undefined): AttributeValue {
  if (typeof before === 'number' && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  if (typeof before === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** Only what changed: an emptied field becomes null, a removed attribute null. */
export function patchOf(contact: Contact, draft: ContactDraft): UpdateContactBody {
  const patch: UpdateContactBody = {};
  const field = (text: string, before: string | null) => {
    const trimmed = text.trim();
    return trimmed === (before ?? '') ? undefined : trimmed === '' ? null : trimmed;
  };
  const name = field(draft.name, contact.name);
  const email = field(draft.email, contact.email);
  const phone = field(draft.phone, contact.phone);
  if (name !== undefined) patch.name = name;
  if (email !== undefined) patch.email = email;
  if (phone !== undefined) patch.phone = phone;
  const attributes: Record<string, AttributeValue | null> = {};
  const kept = new Set<string>();
  for (const { key, value } of draft.attributes) {
    const name = key.trim();
    if (!name) continue;
    kept.add(name);
    const next = valueOf(value, contact.attributes[name]);
    if (next !== contact.attributes[name]) attributes[name] = next;
  }
  for (const key of Object.keys(contact.attributes)) if (!kept.has(key)) attributes[key] = null;
  if (Object.keys(attributes).length > 0) patch.attributes = attributes;
  return patch;
}
