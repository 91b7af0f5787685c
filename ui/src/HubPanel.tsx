// This archive as a hub node (docs/federation.md, "Hub federation"): whether it
// publishes, at which public URL, who follows it (pending followers are
// answered here), peers' suggested edits of its cards (dismissed here), and
// following the hub platform's node.
import { useEffect, useState } from 'react';
import { call, HubOverview, HubRelation, HubSuggestion } from './api';
import { useActionStatus } from './useActionStatus';

function RelationList({ title, className, items, onAnswer }: {
  title: string;
  className: string;
  items: HubRelation[];
  onAnswer?: (actor: string, accept: boolean) => void;
}) {
  return (
    <>
      <h4>{title}</h4>
      <ul className={`hub-relations ${className}`}>
        {items.map((r) => (
          <li key={r.actor} data-actor={r.actor}>
            <span className="hub-actor">{r.actor}</span> <span className={`badge badge-${r.state}`}>{r.state}</span>
            {onAnswer && r.state === 'pending' && (
              <>
                <button className="accept" onClick={() => onAnswer(r.actor, true)}>Accept</button>
                <button className="reject" onClick={() => onAnswer(r.actor, false)}>Reject</button>
              </>
            )}
          </li>
        ))}
        {!items.length && <li className="muted">None.</li>}
      </ul>
    </>
  );
}

export function HubPanel() {
  const [hub, setHub] = useState<HubOverview | null>(null);
  const [enabled, setEnabled] = useState(false);
  const [publicUrl, setPublicUrl] = useState('');
  const [publishAll, setPublishAll] = useState(false);
  const [autoAccept, setAutoAccept] = useState(false);
  const [suggestions, setSuggestions] = useState<HubSuggestion[]>([]);

  const showForm = (h: HubOverview) => {
    setEnabled(h.enabled);
    setPublicUrl(h.public_url);
    setPublishAll(h.publish_all);
    setAutoAccept(h.auto_accept);
  };
  const load = () => call<HubOverview>('GET', '/api/hub').then(async (h) => {
    setHub(h);
    setSuggestions((await call<{ suggestions: HubSuggestion[] }>('GET', '/api/hub/suggestions')).suggestions);
    return h;
  });
  useEffect(() => {
    load().then(showForm);
    // Follow answers and deliveries arrive in the background: refresh the lists, not the form.
    const timer = setInterval(load, 2000);
    return () => clearInterval(timer);
  }, []);
  const { message, kind: messageKind, attempt: act } = useActionStatus();
  const attempt = async (action: () => Promise<unknown>, done: string) => {
    await act(action, done);
    load();
  };
  const save = () => attempt(async () => showForm(await call<HubOverview>('PUT', '/api/hub',
    { enabled, public_url: publicUrl, publish_all: publishAll, auto_accept: autoAccept })), 'Saved!');
  const answer = (actor: string, accept: boolean) =>
    attempt(() => call('POST', `/api/hub/followers/${accept ? 'accept' : 'reject'}`, { actor }), accept ? 'Accepted.' : 'Rejected.');

  if (!hub) return null;
  const following = hub.following.length > 0;
  const deliveries = Object.entries(hub.deliveries).map(([state, n]) => `${n} ${state}`).join(', ');
  return (
    <section className="platform-panel hub-node">
      <header>
        <h3>This archive as a hub</h3>
        <label className="inline">
          <input type="checkbox" className="hub-enabled" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Enabled
        </label>
      </header>
      <p className="muted">
        Actor: {hub.actor ?? 'not published'} · {hub.published} card{hub.published === 1 ? '' : 's'} published
        {deliveries && ` · deliveries: ${deliveries}`}
      </p>
      <label htmlFor="hub-public-url">Public URL (how other nodes reach this archive)</label>
      <input id="hub-public-url" className="hub-public-url" value={publicUrl} placeholder="https://archive.example.org"
             onChange={(e) => setPublicUrl(e.target.value)} />
      <div className="row">
        <label className="inline">
          <input type="checkbox" className="hub-publish-all" checked={publishAll} onChange={(e) => setPublishAll(e.target.checked)} /> Publish
          every card
        </label>
        <label className="inline">
          <input type="checkbox" className="hub-auto-accept" checked={autoAccept} onChange={(e) => setAutoAccept(e.target.checked)} /> Accept
          followers automatically
        </label>
      </div>
      <div className="row actions">
        {following
          ? <button className="hub-unfollow" onClick={() => attempt(() => call('DELETE', '/api/hub/follow'), 'Unfollowed.')}>Unfollow the hub</button>
          : <button className="hub-follow" onClick={() => attempt(() => call('POST', '/api/hub/follow'), 'Follow request sent.')}>Follow the hub</button>}
        <button className="primary hub-save" onClick={save}>Save</button>
      </div>
      {message && <p className={`hub-message status-${messageKind}`}>{message}</p>}
      <RelationList title="Followers" className="hub-followers" items={hub.followers} onAnswer={answer} />
      <RelationList title="Following" className="hub-following" items={hub.following} />
      <h4>Suggested edits</h4>
      <p className="muted">Peers' edits of cards this archive owns are never applied; they wait here.</p>
      <ul className="hub-suggestions">
        {suggestions.map((s) => (
          <li key={s.id} data-card={s.cardId}>
            Card {s.cardId}{s.card?.data?.name ? ` (${s.card.data.name})` : ''} · <span className="hub-actor">{s.actor}</span> ·{' '}
            <span className="muted">{s.receivedAt}</span>{' '}
            <button className="dismiss" onClick={() => attempt(() => call('DELETE', `/api/hub/suggestions/${s.id}`), 'Dismissed.')}>Dismiss</button>
          </li>
        ))}
        {!suggestions.length && <li className="muted">None.</li>}
      </ul>
    </section>
  );
}
