import type { ContactProfileInput } from '@frontdesk/sdk-visitor';

/**
 * What the page said of the visitor (`Frontdesk('identify', …)`), with newer fields and attributes
 * over older ones: the loader keeps it for a panel not loaded yet, the panel for each new client.
 */
export function mergeProfile(before: ContactProfileInput | undefined, next: ContactProfileInput): ContactProfileInput {
  return { ...before, ...next, ...(before?.attributes || next.attributes ? { attributes: { ...before?.attributes, ...next.attributes } } : {}) };
}
