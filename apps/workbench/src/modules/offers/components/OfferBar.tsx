import { useState } from 'react';
import { useClient, useClientEvent } from '../../../app/client-context.tsx';
import { formatDuration } from '../../../app/format.ts';
import { useNow } from '../../../app/use-now.ts';
import { Badge, Button, Icon, useToast } from '../../../ui/index.ts';
import { useOffers, type OfferView } from '../hooks/use-offers.ts';
import { format } from '../../../app/locale.ts';
import { offerStrings } from '../locales/index.ts';

/**
 * Ringing offers and pool sessions, above everything, with accept and decline: the notification
 * bar of the SDK's UI namespace (`UI.hideNotificationBar()` hides it; offers still ring).
 */
export function OfferBar({ onAccepted }: { onAccepted: (sessionId: string) => void }) {
  const client = useClient();
  const offers = useOffers(onAccepted);
  const [isBarShown, setIsBarShown] = useState(() => client.UI.getState().notificationBarVisible);
  useClientEvent('uiChanged', (state) => setIsBarShown(state.notificationBarVisible));
  const now = useNow(1000, offers.length > 0 && isBarShown);
  if (offers.length === 0 || !isBarShown) return null;
  return (
    <section className="wb-offers" aria-label={offerStrings().incomingChats}>
      {offers.map((offer) => (
        <OfferCard key={offer.sessionId} offer={offer} now={now} onAccepted={onAccepted} />
      ))}
    </section>
  );
}

function OfferCard({ offer, now, onAccepted }: { offer: OfferView; now: number; onAccepted: (sessionId: string) => void }) {
  const client = useClient();
  const toast = useToast();
  const [isBusy, setIsBusy] = useState(false);
  const t = offerStrings();
  const secondsLeft = offer.expiresAt ? Math.max(0, (offer.expiresAt - now) / 1000) : null;

  async function accept() {
    setIsBusy(true);
    const result = await client.Chat.accept({ sessionId: offer.sessionId });
    setIsBusy(false);
    if (result.status === 'success') onAccepted(offer.sessionId);
    else toast({ message: format(t.couldNotTake, { error: result.errorMsg ?? '' }), tone: 'danger' });
  }

  async function decline() {
    setIsBusy(true);
    const result = await client.Chat.decline({ sessionId: offer.sessionId });
    setIsBusy(false);
    if (result.status === 'error') toast({ message: format(t.couldNotDecline, { error: result.errorMsg ?? '' }), tone: 'warning' });
  }

  return (
    <div className={`wb-offer wb-offer--${offer.kind}`} role="alert" data-testid="offer" data-session-id={offer.sessionId}>
      <span className="wb-offer__icon"><Icon name="chat" /></span>
      <div className="wb-offer__text">
        <strong>{offer.kind === 'offered' ? t.incomingChat : t.waitingInPool}</strong>
        <span>{offer.visitorName}</span>
      </div>
      {secondsLeft !== null && <Badge tone="warning" aria-label={t.timeLeft}>{formatDuration(secondsLeft)}</Badge>}
      <div className="wb-offer__actions">
        <Button variant="primary" onClick={() => void accept()} disabled={isBusy}>
          {offer.kind === 'offered' ? t.accept : t.take}
        </Button>
        {offer.kind === 'offered' && (
          <Button variant="ghost" onClick={() => void decline()} disabled={isBusy}>{t.decline}</Button>
        )}
      </div>
    </div>
  );
}
