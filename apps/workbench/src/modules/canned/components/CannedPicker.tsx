import type { CannedResponse } from '@frontdesk/sdk-agent';
import { useEffect, useRef } from 'react';
import { cannedStrings } from '../locales/index.ts';

export interface CannedPickerProps {
  id: string;
  responses: readonly CannedResponse[];
  activeIndex: number;
  onPick: (response: CannedResponse) => void;
  onHover: (index: number) => void;
}

/** The list of canned responses under the composer (a listbox the composer drives with the keyboard). */
export function CannedPicker({ id, responses, activeIndex, onPick, onHover }: CannedPickerProps) {
  const listRef = useRef<HTMLUListElement>(null);
  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>(`[data-index="${activeIndex}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [activeIndex]);
  return (
    <ul className="wb-canned" id={id} role="listbox" aria-label={cannedStrings().picker} ref={listRef} data-testid="canned-picker">
      {responses.length === 0 && <li className="wb-canned__empty">{cannedStrings().noMatch}</li>}
      {responses.map((response, index) => (
        <li
          key={response.id}
          id={`${id}-${index}`}
          role="option"
          aria-selected={index === activeIndex}
          data-index={index}
          className={`wb-canned__item${index === activeIndex ? ' wb-canned__item--active' : ''}`}
          onMouseDown={(event) => {
            event.preventDefault(); // keep the focus in the composer
            onPick(response);
          }}
          onMouseEnter={() => onHover(index)}
        >
          <span className="wb-canned__shortcut">/{response.shortcut}</span>
          <span className="wb-canned__title">{response.title}{response.ownerAgentId !== null && <span className="wb-canned__mine"> · {cannedStrings().mine}</span>}</span>
          <span className="wb-canned__text">{response.text}</span>
        </li>
      ))}
    </ul>
  );
}
