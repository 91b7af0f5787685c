// Likely duplicates: the archive's groups of cards with the same name and
// creator, the same content or near-identical text (GET /api/duplicates), and one card's related
// cards (GET /api/cards/:id/related, in its Related tab). A card opens on click.
import { useEffect, useState } from 'react';
import { call, DuplicateCard, DuplicateGroup, DuplicateReason, errorMessage, RelatedCard } from './api';
import { Modal } from './Modal';
import { Time } from './Time';

const REASON: Record<DuplicateReason, string> = {
  name_creator: 'Same name and creator',
  content: 'Same content',
  near_text: 'Near-identical text',
};

function CardLine({ card, reason, onOpen }: { card: DuplicateCard; reason?: DuplicateReason; onOpen: (id: number) => void }) {
  return (
    <li className="duplicate-card" data-card={card.id}>
      <button className="link" onClick={() => onOpen(card.id)}>{card.name}</button>
      <span className="muted"> by {card.creator || 'unknown'} · {card.source} · imported <Time iso={card.created_at} /></span>
      {reason && <span className="badge related-reason">{REASON[reason]}</span>}
    </li>
  );
}

export function DuplicatesPage({ onClose, onOpenCard }: { onClose: () => void; onOpenCard: (id: number) => void }) {
  const [groups, setGroups] = useState<DuplicateGroup[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    call<{ groups: DuplicateGroup[] }>('GET', '/api/duplicates').then((r) => setGroups(r.groups)).catch((e) => setError(errorMessage(e)));
  }, []);
  return (
    <Modal title="Duplicates" className="duplicates-page" onClose={onClose}>
      {error && <p className="error" role="alert">{error}</p>}
      {!groups && !error && <p className="state state-loading"><span className="spinner" /> Loading…</p>}
      {groups && !groups.length && <p className="state state-empty">No likely duplicates: every card has its own name, creator, content and text.</p>}
      {groups?.map((g, k) => (
        <section key={k} className="duplicate-group" data-reason={g.reason}>
          <h4>{REASON[g.reason]}: {g.cards.length} cards</h4>
          <ul>{g.cards.map((c) => <CardLine key={c.id} card={c} onOpen={onOpenCard} />)}</ul>
        </section>
      ))}
    </Modal>
  );
}

export function RelatedCards({ cardId, onOpen }: { cardId: number; onOpen: (id: number) => void }) {
  const [related, setRelated] = useState<RelatedCard[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    call<{ related: RelatedCard[] }>('GET', `/api/cards/${cardId}/related`).then((r) => setRelated(r.related)).catch((e) => setError(errorMessage(e)));
  }, [cardId]);
  if (error) return <p className="error">{error}</p>;
  if (!related) return <p className="state state-loading"><span className="spinner" /> Loading…</p>;
  if (!related.length) return <p className="muted related-none">No other card has this name and creator or this content.</p>;
  return (
    <ul className="related-cards">
      {related.map((c) => <CardLine key={c.id} card={c} reason={c.reason} onOpen={onOpen} />)}
    </ul>
  );
}
