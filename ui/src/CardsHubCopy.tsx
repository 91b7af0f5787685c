// A card's copy on CardsHub, in its Sync tab: the slug, visibility, downloads
// and favorites as the hub's card detail has them now (GET …/remote/hub, which
// is no download), and the actions CardsHub allows on a published card: set
// its visibility, publish the archive's version as a new card (CardsHub cannot
// update one), and unpublish (delete it on the hub) after a confirmation.
import { useCallback, useEffect, useState } from 'react';
import { call, CardsHubVisibility, errorMessage, RemoteCardStats } from './api';
import { ConfirmDialog } from './ConfirmDialog';

const VISIBILITIES: [CardsHubVisibility, string][] = [
  ['public', 'public'],
  ['unlisted', 'unlisted'],
  ['private', 'private'],
  ['nsfw_only', 'NSFW only'],
];

export function CardsHubCopy({ cardId, cardName, slug, refusedUpdate, onChanged }: {
  cardId: number;
  cardName: string;
  slug: string; // the link's platform id: read again when it moves (publish as new)
  refusedUpdate: boolean; // the last push was refused: CardsHub cannot update a card
  onChanged: (succeeded: boolean) => void;  // an action ran: the link or its history changed
}) {
  const [stats, setStats] = useState<RemoteCardStats | null>(null);
  const [visibility, setVisibility] = useState<CardsHubVisibility>('private');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const load = useCallback(() => {
    call<RemoteCardStats>('GET', `/api/federation/cards/${cardId}/remote/hub`)
      .then((s) => {
        setStats(s);
        setVisibility(s.visibility);
      })
      .catch((e) => setMessage({ kind: 'error', text: errorMessage(e) }));
  }, [cardId]);
  // Read again when the link moves; the route finds the link itself.
  useEffect(() => load(), [load, slug]);

  const act = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    let succeeded = false;
    try {
      await action();
      setMessage({ kind: 'ok', text: done });
      succeeded = true;
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(e) });
    }
    setBusy(false);
    onChanged(succeeded);
  };
  const setRemoteVisibility = () =>
    act(async () => {
      await call('PUT', `/api/federation/cards/${cardId}/visibility/hub`, { visibility });
      load();
    }, `Visibility on CardsHub set to ${visibility}`);
  const publishAsNew = () =>
    act(async () => {
      const r = await call<{ slug: string }>('POST', `/api/federation/cards/${cardId}/push/hub`, { publish_as_new: true });
      load();
      return r;
    }, 'Published as a new card on CardsHub; the old one stays there');
  const unpublish = () => {
    setConfirming(false);
    act(() => call('POST', `/api/federation/cards/${cardId}/unpublish/hub`, { confirm: true }),
      'Unpublished: the card is deleted on CardsHub and kept here');
  };

  return (
    <div className="cardshub-copy">
      {stats && (
        <dl className="remote-stats">
          <div><dt>Slug</dt><dd className="remote-slug">{stats.slug}</dd></div>
          <div><dt>Visibility</dt><dd className="remote-visibility">{stats.visibility}</dd></div>
          <div><dt>Downloads</dt><dd className="remote-downloads">{stats.downloads}</dd></div>
          <div><dt>Favorites</dt><dd className="remote-favorites">{stats.favorites}</dd></div>
        </dl>
      )}
      <div className="row actions">
        <label className="inline">
          Visibility
          <select className="visibility-choice" value={visibility} disabled={!stats || busy}
                  onChange={(e) => setVisibility(e.target.value as CardsHubVisibility)}>
            {VISIBILITIES.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
          </select>
        </label>
        <button className="set-visibility" disabled={!stats || busy || visibility === stats.visibility}
                onClick={setRemoteVisibility}>Set visibility</button>
        <button className={refusedUpdate ? 'publish-as-new primary' : 'publish-as-new'} disabled={busy}
                onClick={publishAsNew}>Publish as new card</button>
        <button className="danger unpublish" disabled={busy} onClick={() => setConfirming(true)}>Unpublish</button>
      </div>
      {refusedUpdate && (
        <p className="muted">
          CardsHub keeps a card as it was first uploaded. “Publish as new card” uploads this version beside it; the link
          moves to the new card.
        </p>
      )}
      {message && <p className={`cardshub-message status-${message.kind}`} role="status">{message.text}</p>}
      {confirming && (
        <ConfirmDialog title="Unpublish from CardsHub" confirmLabel="Delete on CardsHub" onConfirm={unpublish}
                       onCancel={() => setConfirming(false)}>
          <p>
            Delete “{cardName}” ({stats?.slug ?? 'its copy'}) on CardsHub? Its downloads and favorites there are lost,
            and this cannot be undone. The archive keeps the card.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
