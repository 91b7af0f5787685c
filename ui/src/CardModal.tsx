// One card: image, every field, lorebook, raw JSON, downloads, favorite,
// delete; edit mode with versions, a per-field diff of two versions and
// restore; and the card's sync state per platform with its history.
import { useCallback, useEffect, useState } from 'react';
import {
  call, CardData, CardDetail, CardVersion, CardVersionContent, errorMessage, Platform, SyncEvent, SyncResult,
  SyncState,
} from './api';
import { HubPublishToggle } from './HubPublishToggle';
import { SourceState } from './SourceState';
import { ConflictView } from './ConflictView';
import { DiffLines, lineDiff } from './lineDiff';
import { Markdown } from './Markdown';

type TextField =
  | 'description' | 'personality' | 'scenario' | 'first_mes' | 'mes_example' | 'system_prompt'
  | 'post_history_instructions' | 'creator_notes';

const TEXT_FIELDS: [TextField, string][] = [
  ['description', 'Description'],
  ['personality', 'Personality'],
  ['scenario', 'Scenario'],
  ['first_mes', 'First message'],
  ['mes_example', 'Example messages'],
  ['system_prompt', 'System prompt'],
  ['post_history_instructions', 'Post-history instructions'],
  ['creator_notes', 'Creator notes'],
];

function VersionDiff({ cardId, a, b }: { cardId: number; a: number; b: number }) {
  const [pair, setPair] = useState<[CardData | null, CardData | null] | null>(null);
  useEffect(() => {
    Promise.all([
      call<CardVersionContent>('GET', `/api/cards/${cardId}/versions/${a}`),
      call<CardVersionContent>('GET', `/api/cards/${cardId}/versions/${b}`),
    ]).then(([x, y]) => setPair([x.data, y.data]));
  }, [cardId, a, b]);
  if (!pair) return <p>Loading…</p>;
  const fields = Array.from(new Set([...Object.keys(pair[0] ?? {}), ...Object.keys(pair[1] ?? {})]));
  const changed = fields.filter((f) => JSON.stringify(pair[0]?.[f]) !== JSON.stringify(pair[1]?.[f]));
  if (!changed.length) return <p className="muted">The two versions have the same content.</p>;
  return (
    <div className="version-diff">
      {changed.map((f) => {
        const x = pair[0]?.[f];
        const y = pair[1]?.[f];
        return (
          <section key={f} className="diff-field" data-field={f}>
            <h4>{f}</h4>
            {typeof x === 'string' && typeof y === 'string' ? (
              <div className="side-by-side">
                <pre className="diff-old">{x}</pre>
                <pre className="diff-new">{y}</pre>
                <DiffLines lines={lineDiff(x, y)} />
              </div>
            ) : (
              <div className="side-by-side">
                <pre className="diff-old">{JSON.stringify(x, null, 2)}</pre>
                <pre className="diff-new">{JSON.stringify(y, null, 2)}</pre>
              </div>
            )}
          </section>
        );
      })}
    </div>
  );
}

function SyncPanel({ cardId, onChanged }: { cardId: number; onChanged: () => void }) {
  const [platforms, setPlatforms] = useState<Platform[]>([]);
  const [states, setStates] = useState<SyncState[]>([]);
  const [busy, setBusy] = useState<Record<string, 'pending' | 'ok' | 'error'>>({});
  const [messages, setMessages] = useState<Record<string, string>>({});
  const [events, setEvents] = useState<SyncEvent[]>([]);
  const [resolving, setResolving] = useState('');
  const load = useCallback(() => {
    call<{ platforms: Platform[] }>('GET', '/api/federation/platforms').then((r) => setPlatforms(r.platforms));
    call<{ syncStates: SyncState[] }>('GET', `/api/federation/cards/${cardId}/sync`).then((r) => setStates(r.syncStates));
    call<{ events: SyncEvent[] }>('GET', `/api/federation/events?card=${cardId}&limit=50`).then((r) => setEvents(r.events));
  }, [cardId]);
  useEffect(load, [load]);

  const push = async (platform: string) => {
    setBusy({ ...busy, [platform]: 'pending' });
    try {
      await call('POST', `/api/federation/cards/${cardId}/push/${platform}`, { overwrite: false });
      setBusy((b) => ({ ...b, [platform]: 'ok' }));
      setMessages((m) => ({ ...m, [platform]: '' }));
    } catch (e) {
      setBusy((b) => ({ ...b, [platform]: 'error' }));
      setMessages((m) => ({ ...m, [platform]: errorMessage(e) }));
    }
    load();
    onChanged();
  };
  const sync = async (platform: string) => {
    try {
      const r = await call<SyncResult>('POST', `/api/federation/cards/${cardId}/sync/${platform}`);
      setMessages((m) => ({ ...m, [platform]: `sync: ${r.action}` }));
    } catch (e) {
      setMessages((m) => ({ ...m, [platform]: errorMessage(e) }));
    }
    load();
    onChanged();
  };

  if (resolving) {
    return (
      <ConflictView cardId={cardId} platform={resolving} onDone={() => {
        setResolving('');
        load();
        onChanged();
      }} />
    );
  }
  return (
    <div className="sync-panel">
      <SourceState cardId={cardId} onChanged={() => { load(); onChanged(); }} />
      <HubPublishToggle cardId={cardId} />
      {platforms.filter((p) => p.enabled === 1).map((p) => {
        const state = states.find((s) => s.platform === p.platform);
        const b = busy[p.platform];
        return (
          <div key={p.platform} className="sync-row" data-platform={p.platform}>
            <button className={`sync-button sync-${b ?? 'idle'}`} disabled={b === 'pending'} onClick={() => push(p.platform)}>
              {b === 'pending' ? <span className="spinner" aria-label="pushing" /> : b === 'ok' ? '✓ ' : b === 'error' ? '⚠ ' : ''}
              Sync to {p.display_name}
            </button>
            {state && <button onClick={() => sync(p.platform)}>Two-way sync</button>}
            <span className={`badge badge-${state?.status ?? 'none'}`}>{state?.status ?? 'not synced'}</span>
            {state?.status === 'conflict' && (
              <button className="primary" onClick={() => setResolving(p.platform)}>Resolve conflict</button>
            )}
            {(messages[p.platform] || state?.error_message) && (
              <p className="sync-message">{messages[p.platform] || state?.error_message}</p>
            )}
          </div>
        );
      })}
      {!platforms.some((p) => p.enabled === 1) && <p className="muted">No platform is enabled (see Federation).</p>}
      <h4>Sync history</h4>
      <ol className="timeline">
        {events.map((e) => (
          <li key={e.id} className={`event-${e.status}`}>
            <time>{e.created_at}</time> <strong>{e.platform}</strong> {e.action} {e.status} — {e.message}
          </li>
        ))}
        {!events.length && <li className="muted">Nothing yet.</li>}
      </ol>
    </div>
  );
}

export function CardModal({ id, onClose, onChanged }: { id: number; onClose: () => void; onChanged: () => void }) {
  const [card, setCard] = useState<CardDetail | null>(null);
  const [tab, setTab] = useState('fields');
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [versions, setVersions] = useState<CardVersion[]>([]);
  const [compare, setCompare] = useState<number[]>([]);
  const [error, setError] = useState('');

  const load = useCallback(() => {
    call<CardDetail>('GET', `/api/cards/${id}`).then(setCard).catch((e) => setError(errorMessage(e)));
    call<{ versions: CardVersion[] }>('GET', `/api/cards/${id}/versions`).then((r) => setVersions(r.versions));
  }, [id]);
  useEffect(load, [load]);
  useEffect(() => {
    const key = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  }, [onClose]);

  if (error) return <div className="modal-backdrop"><div className="modal"><p className="error">{error}</p></div></div>;
  if (!card) return null;
  const data: CardData = card.data ?? {};
  const book = data.character_book?.entries ?? [];

  const startEdit = () => {
    const d: Record<string, string> = { name: data.name ?? '', tags: (data.tags ?? []).join(', ') };
    for (const [f] of TEXT_FIELDS) d[f] = data[f] ?? '';
    setDraft(d);
    setEditing(true);
  };
  const save = async () => {
    const patch: Record<string, unknown> = {};
    for (const [f, v] of Object.entries(draft)) {
      if (f === 'tags') {
        const tags = v.split(',').map((t) => t.trim()).filter(Boolean);
        if (JSON.stringify(tags) !== JSON.stringify(data.tags ?? [])) patch.tags = tags;
      } else if (v !== (data[f] ?? '')) {
        patch[f] = v;
      }
    }
    if (Object.keys(patch).length) await call('PATCH', `/api/cards/${id}`, { data: patch });
    setEditing(false);
    load();
    onChanged();
  };
  const toggleCompare = (vid: number) =>
    setCompare((c) => (c.includes(vid) ? c.filter((x) => x !== vid) : [...c, vid].slice(-2)));
  const restore = async (vid: number) => {
    await call('POST', `/api/cards/${id}/versions/${vid}/restore`);
    load();
    onChanged();
  };
  const remove = async () => {
    if (!window.confirm(`Delete “${card.name}” and all its versions?`)) return;
    await call('DELETE', `/api/cards/${id}`);
    onChanged();
    onClose();
  };
  const favorite = async () => {
    await call('POST', `/api/cards/${id}/favorite`, { favorite: !card.favorite });
    load();
    onChanged();
  };

  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal card-modal" role="dialog" aria-label={card.name} onClick={(e) => e.stopPropagation()}>
        <header className="modal-header">
          <h2 className="card-title">{card.name}</h2>
          <button className="close" aria-label="Close" onClick={onClose}>×</button>
        </header>
        <div className="card-layout">
          <div className="card-side">
            {card.image_url ? <img className="card-image" src={card.image_url} alt={card.name} /> : <div className="no-image">No image</div>}
            <p>by {card.creator || 'unknown'} · {card.spec} · {card.token_estimate} tokens</p>
            <div className="tags">{(card.tags ?? []).map((t) => <span key={t} className="tag">{t}</span>)}</div>
            <div className="row actions">
              <button className={card.favorite ? 'favorite on' : 'favorite'} onClick={favorite}>{card.favorite ? '★ Favorite' : '☆ Favorite'}</button>
              <a className="button download" href={`/api/cards/${id}/download?format=png`} download>PNG</a>
              <a className="button download" href={`/api/cards/${id}/download?format=json`} download>JSON</a>
              <a className="button download" href={`/api/cards/${id}/download?format=charx`} download>CharX</a>
            </div>
            <div className="row actions">
              {!editing && <button className="edit" onClick={startEdit}>Edit</button>}
              <button className="danger delete" onClick={remove}>Delete</button>
            </div>
          </div>
          <div className="card-main">
            <nav className="tabs" role="tablist">
              {['fields', 'lorebook', 'raw', 'versions', 'sync'].map((t) => (
                <button key={t} role="tab" aria-selected={tab === t} className={tab === t ? 'tab active' : 'tab'} onClick={() => setTab(t)}>
                  {t === 'raw' ? 'Raw JSON' : t[0].toUpperCase() + t.slice(1)}
                </button>
              ))}
            </nav>
            {tab === 'fields' && !editing && (
              <div className="fields">
                {TEXT_FIELDS.map(([f, label]) => (
                  <section key={f} className={`field field-${f}`}>
                    <h4>{label}</h4>
                    <Markdown text={data[f] ?? ''} />
                  </section>
                ))}
                <section className="field">
                  <h4>Alternate greetings ({(data.alternate_greetings ?? []).length})</h4>
                  {(data.alternate_greetings ?? []).map((g: string, k: number) => <Markdown key={k} text={g} />)}
                </section>
              </div>
            )}
            {tab === 'fields' && editing && (
              <div className="edit-form">
                <label>Name<input name="name" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} /></label>
                <label>Tags (comma-separated)<input name="tags" value={draft.tags} onChange={(e) => setDraft({ ...draft, tags: e.target.value })} /></label>
                {TEXT_FIELDS.map(([f, label]) => (
                  <label key={f}>
                    {label}
                    <textarea name={f} rows={f === 'description' ? 8 : 4} value={draft[f]} onChange={(e) => setDraft({ ...draft, [f]: e.target.value })} />
                  </label>
                ))}
                <div className="row actions">
                  <button className="primary save" onClick={save}>Save</button>
                  <button onClick={() => setEditing(false)}>Cancel</button>
                </div>
              </div>
            )}
            {tab === 'lorebook' && (
              <table className="lorebook">
                <thead><tr><th>#</th><th>Keys</th><th>Content</th><th>On</th></tr></thead>
                <tbody>
                  {book.map((e, k) => (
                    <tr key={k}>
                      <td>{e.id ?? k + 1}</td>
                      <td>{(e.keys ?? []).join(', ')}</td>
                      <td><Markdown text={e.content ?? ''} /></td>
                      <td>{e.enabled === false ? 'no' : 'yes'}</td>
                    </tr>
                  ))}
                  {!book.length && <tr><td colSpan={4} className="muted">No lorebook.</td></tr>}
                </tbody>
              </table>
            )}
            {tab === 'raw' && <pre className="raw-json">{JSON.stringify(card.raw, null, 2)}</pre>}
            {tab === 'versions' && (
              <div className="versions">
                <p className="muted">Tick two versions to compare them.</p>
                <ul className="version-list">
                  {versions.map((v) => (
                    <li key={v.id} data-version={v.id}>
                      <label className="inline">
                        <input type="checkbox" checked={compare.includes(v.id)} onChange={() => toggleCompare(v.id)} />
                        #{v.id} {v.reason} <time>{v.created_at}</time>
                      </label>
                      {v.id !== versions[0]?.id && <button className="restore" onClick={() => restore(v.id)}>Restore</button>}
                    </li>
                  ))}
                </ul>
                {compare.length === 2 && <VersionDiff cardId={id} a={Math.min(...compare)} b={Math.max(...compare)} />}
              </div>
            )}
            {tab === 'sync' && <SyncPanel cardId={id} onChanged={onChanged} />}
          </div>
        </div>
      </div>
    </div>
  );
}
