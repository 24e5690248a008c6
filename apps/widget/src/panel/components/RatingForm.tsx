import { useState } from 'preact/hooks';
import { format } from '../../locales/index.ts';
import { usePanel } from '../App.tsx';

/** Satisfaction rating (1–5 stars and a comment), any time; the last one given counts. */
export function RatingForm({ onDone }: { onDone: () => void }) {
  const { t, model, view } = usePanel();
  const [stars, setStars] = useState(view.rated?.stars ?? 0);
  const [comment, setComment] = useState(view.rated?.comment ?? '');
  const [state, setState] = useState<'editing' | 'sending' | 'done'>('editing');

  if (state === 'done') {
    return (
      <div class="pop rating">
        <p class="thanks" role="status">
          {t.ratingThanks}
        </p>
        <div class="row">
          <button type="button" class="chip" onClick={onDone}>
            {t.close}
          </button>
        </div>
      </div>
    );
  }

  return (
    <form
      class="pop rating"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!stars) return;
        setState('sending');
        setState((await model.rate(stars, comment)) ? 'done' : 'editing');
      }}
    >
      <fieldset>
        <legend>{t.rateQuestion}</legend>
        <div class="stars" role="radiogroup" aria-label={t.rate}>
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} class={n <= stars ? 'on' : ''}>
              <input type="radio" name="fd-stars" value={n} checked={stars === n} onChange={() => setStars(n)} aria-label={format(t.star, { n })} />
              <span aria-hidden="true">★</span>
            </label>
          ))}
        </div>
      </fieldset>
      <textarea aria-label={t.comment} placeholder={t.comment} maxLength={1000} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
      <div class="row">
        <button type="button" class="chip" onClick={onDone}>
          {t.cancel}
        </button>
        <button type="submit" class="chip primary" disabled={!stars || state === 'sending'}>
          {t.submitRating}
        </button>
      </div>
    </form>
  );
}
