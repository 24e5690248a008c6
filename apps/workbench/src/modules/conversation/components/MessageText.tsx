import { linkify } from '@frontdesk/protocol/linkify';

/**
 * Message text as React text nodes, where only absolute http(s) URLs become links (the widget's
 * rule, from `@frontdesk/protocol/linkify`): they open in a new tab without `window.opener` or a
 * referrer. Nothing of the text is ever parsed as HTML.
 */
export function MessageText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((part, i) =>
        part.href ? (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </>
  );
}
