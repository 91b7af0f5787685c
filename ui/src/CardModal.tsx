// One card: image, every field, numbered greetings, lorebook, raw JSON,
// downloads, favorite, replace the image, clone, delete; the editor
// (CardEditor); versions, a per-field diff of two versions and restore; and
// the card's sync state per platform with its history.
import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import {
  ApiError, call, CardData, CardDetail, CardVersion, CardVersionContent, errorMessage, Platform, SyncEvent, SyncResult,
  SyncState,
} from './api';
import { CardsHubCopy } from './CardsHubCopy';
import { RelatedCards } from './Duplicates';
import { HubPublishToggle } from './HubPublishToggle';
import { SourceState } from './SourceState';
import { ConflictView } from './ConflictView';
import { DiffLines, lineDiff } from './lineDiff';
import { CardEditor } from './CardEditor';
import { Markdown } from './Markdown';
import { Modal } from './Modal';
import { Time } from './Time';
import { moveToTrash } from './Trash';
import { confirmDiscard } from './unsaved';

type TextField =
  | 'description' | 'personality' | 'scenario' | 'mes_example' | 'system_prompt'
  | 'post_history_instructions' | 'creator_notes';

const TEXT_FIELDS: [TextField, string][] = [
  ['description', 'Description'],
  ['personality', 'Personality'],
  ['scenario', 'Scenario'],
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

function SyncPanel({ cardId, cardName, onChanged }: { cardId: number; cardName: string; onChanged: () => void }) {
  const [platforms, setPlatforms] = useState<Platform[]>([]);
  const [states, setStates] = useState<SyncState[]>([]);
  const [busy, setBusy] = useState<Record<string, 'pending' | 'ok' | 'error'>>({});
  const [messages, setMessages] = useState<Record<string, string>>({});
  const [refused, setRefused] = useState<Record<string, boolean>>({}); // a push refused: the peer cannot update
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
      setRefused((r) => ({ ...r, [platform]: false }));
    } catch (e) {
      setBusy((b) => ({ ...b, [platform]: 'error' }));
      setMessages((m) => ({ ...m, [platform]: errorMessage(e) }));
      setRefused((r) => ({ ...r, [platform]: e instanceof ApiError && e.kind === 'peer_cannot_update' }));
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
            {p.platform === 'hub' && state?.platform_id && state.status !== 'remote_deleted' && (
              <CardsHubCopy cardId={cardId} cardName={cardName} slug={state.platform_id} refusedUpdate={!!refused.hub}
                            onChanged={(succeeded) => {
                              if (succeeded) {
                                setRefused((r) => ({ ...r, hub: false }));
                                setMessages((m) => ({ ...m, hub: '' }));
                              }
                              load();
                              onChanged();
                            }} />
            )}
            {state && state.import_rewrites.length > 0 && (
              <details className="import-rewrites">
                <summary>{p.display_name} changed {state.import_rewrites.length} item{state.import_rewrites.length === 1 ? '' : 's'} when it stored the card</summary>
                <ul>{state.import_rewrites.map((r) => <li key={r.item} data-item={r.item}>{r.text}</li>)}</ul>
              </details>
            )}
          </div>
        );
      })}
      {!platforms.some((p) => p.enabled === 1) && <p className="muted">No platform is enabled (see Federation).</p>}
      <h4>Sync history</h4>
      <ol className="timeline">
        {events.map((e) => (
          <li key={e.id} className={`event-${e.status}`}>
            <Time iso={e.created_at} /> <strong>{e.platform}</strong> {e.action} {e.status} — {e.message}
          </li>
        ))}
        {!events.length && <li className="muted">Nothing yet.</li>}
      </ol>
    </div>
  );
}

// The greetings, numbered: the first message is 1, the alternates follow.
function Greetings({ data }: { data: CardData }) {
  const alternates = (data.alternate_greetings ?? []) as string[];
  const group = Array.isArray(data.group_only_greetings) ? (data.group_only_greetings as string[]) : [];
  return (
    <>
      <section className="field field-greetings">
        <h4>Greetings ({alternates.length + 1})</h4>
        <ol className="greetings">
          <li className="greeting field-first_mes"><span className="muted">First message</span><Markdown text={data.first_mes ?? ''} /></li>
          {alternates.map((g, k) => <li key={k} className="greeting alternate-greeting"><Markdown text={g} /></li>)}
        </ol>
      </section>
      {group.length > 0 && (
        <section className="field field-group_only_greetings">
          <h4>Group-only greetings ({group.length})</h4>
          <ol className="greetings">{group.map((g, k) => <li key={k} className="greeting"><Markdown text={g} /></li>)}</ol>
        </section>
      )}
    </>
  );
}

export function CardModal({ id, onClose, onChanged, onOpen }: {
  id: number;
  onClose: () => void;
  onChanged: () => void;
  onOpen: (id: number) => void; // another card (a clone)
}) {
  const [card, setCard] = useState<CardDetail | null>(null);
  const [tab, setTab] = useState('fields');
  const [editing, setEditing] = useState(false);
  const [versions, setVersions] = useState<CardVersion[]>([]);
  const [compare, setCompare] = useState<number[]>([]);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; message: string } | null>(null);
  const imageInput = useRef<HTMLInputElement>(null);

  const load = useCallback(() => {
    setError('');
    call<CardDetail>('GET', `/api/cards/${id}`).then(setCard).catch((e) => setError(errorMessage(e)));
    call<{ versions: CardVersion[] }>('GET', `/api/cards/${id}/versions`).then((r) => setVersions(r.versions)).catch(() => {});
  }, [id]);
  useEffect(load, [load]);
  const requestClose = useCallback(() => {
    if (confirmDiscard()) onClose();
  }, [onClose]);
  // Runs an action on the card and says how it went.
  const act = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      setNotice({ kind: 'ok', message: done });
      load();
      onChanged();
    } catch (e) {
      setNotice({ kind: 'error', message: errorMessage(e) });
    }
  };

  if (error || !card) {
    return (
      <Modal title="Card" className="card-modal" onClose={onClose}>
        {error ? (
          <div className="state state-error" role="alert">
            <p className="error">{error}</p>
            <button onClick={load}>Retry</button>
          </div>
        ) : <p className="state state-loading"><span className="spinner" /> Loading…</p>}
      </Modal>
    );
  }
  const data: CardData = card.data ?? {};
  const book = data.character_book?.entries ?? [];

  const save = async (patch: CardData) => {
    if (Object.keys(patch).length) await call('PATCH', `/api/cards/${id}`, { data: patch });
    setEditing(false);
    setNotice({ kind: 'ok', message: 'Saved ✓' });
    load();
    onChanged();
  };
  const cancel = () => {
    if (confirmDiscard()) setEditing(false);
  };
  const toggleCompare = (vid: number) =>
    setCompare((c) => (c.includes(vid) ? c.filter((x) => x !== vid) : [...c, vid].slice(-2)));
  const restore = (vid: number) => act(() => call('POST', `/api/cards/${id}/versions/${vid}/restore`), `Restored version #${vid}`);
  // To the trash, with an Undo toast: nothing to confirm.
  const remove = async () => {
    try {
      await moveToTrash([id], `“${card.name}”`);
    } catch (e) {
      setNotice({ kind: 'error', message: errorMessage(e) });
      return;
    }
    onChanged();
    onClose();
  };
  const favorite = () => act(() => call('POST', `/api/cards/${id}/favorite`, { favorite: !card.favorite }),
    card.favorite ? 'Removed from favorites' : 'Added to favorites');
  const replaceImage = (file: File | undefined) => {
    if (!file) return;
    const form = new FormData();
    form.append('file', file, file.name);
    return act(() => call('PUT', `/api/cards/${id}/image`, form), 'Image replaced ✓ (a new version)');
  };
  const clone = async () => {
    try {
      const copy = await call<CardDetail>('POST', `/api/cards/${id}/clone`, {});
      onChanged();
      onOpen(copy.id);
    } catch (e) {
      setNotice({ kind: 'error', message: errorMessage(e) });
    }
  };

  return (
    <Modal title={card.name} className="card-modal" onClose={requestClose} heading={<h2 className="card-title">{card.name}</h2>}>
      <div className="card-layout">
        <div className="card-side">
          {card.image_url
            ? <img className="card-image" src={`${card.image_url}?v=${card.image_hash ?? ''}`} alt={card.name} />
            : <div className="no-image">No image</div>}
          <p>by {card.creator || 'unknown'} · {card.spec} · <span title="estimated as characters / 4; the editor counts with a tokenizer">≈{card.token_estimate} tokens</span></p>
          <div className="tags">{(card.tags ?? []).map((t) => <span key={t} className="tag">{t}</span>)}</div>
          <div className="row actions">
            <button className={card.favorite ? 'favorite on' : 'favorite'} aria-pressed={card.favorite} onClick={favorite}>{card.favorite ? '★ Favorite' : '☆ Favorite'}</button>
            <a className="button download" href={`/api/cards/${id}/download?format=png`} download>PNG</a>
            <a className="button download" href={`/api/cards/${id}/download?format=json`} download>JSON</a>
            <a className="button download" href={`/api/cards/${id}/download?format=charx`} download>CharX</a>
          </div>
          <div className="row actions">
            {!editing && <button className="edit" onClick={() => setEditing(true)}>Edit</button>}
            <button className="replace-image" onClick={() => imageInput.current?.click()}>Replace image</button>
            <input ref={imageInput} type="file" accept="image/png,.png" hidden aria-label="New image (PNG)"
                   onChange={(e) => {
                     replaceImage(e.target.files?.[0]);
                     e.target.value = '';
                   }} />
            <button className="clone" onClick={clone}>Clone</button>
            <button className="danger delete" onClick={remove}>Delete</button>
          </div>
          {notice && <p className={notice.kind === 'error' ? 'error notice' : 'notice ok'} role="status">{notice.message}</p>}
        </div>
        <div className="card-main">
          {editing ? (
            <CardEditor initial={data} isNew={false} onSave={save} onCancel={cancel} />
          ) : (
            <>
              <nav className="tabs" role="tablist">
                {['fields', 'lorebook', 'raw', 'versions', 'related', 'sync'].map((t) => (
                  <button key={t} role="tab" aria-selected={tab === t} className={tab === t ? 'tab active' : 'tab'} onClick={() => setTab(t)}>
                    {t === 'raw' ? 'Raw JSON' : t[0].toUpperCase() + t.slice(1)}
                  </button>
                ))}
              </nav>
              {tab === 'fields' && (
                <div className="fields">
                  {TEXT_FIELDS.map(([f, label], k) => (
                    <Fragment key={f}>
                      {k === 3 && <Greetings data={data} />}
                      <section className={`field field-${f}`}>
                        <h4>{label}</h4>
                        <Markdown text={data[f] ?? ''} />
                      </section>
                    </Fragment>
                  ))}
                </div>
              )}
              {tab === 'lorebook' && (
                <table className="lorebook">
                  <thead><tr><th>#</th><th>Keys</th><th>Content</th><th>On</th></tr></thead>
                  <tbody>
                    {book.map((e, k) => (
                      <tr key={k}>
                        <td>{k + 1}</td>
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
                          #{v.id} {v.reason} <Time iso={v.created_at} />
                        </label>
                        {v.id !== versions[0]?.id && <button className="restore" onClick={() => restore(v.id)}>Restore</button>}
                      </li>
                    ))}
                  </ul>
                  {compare.length === 2 && <VersionDiff cardId={id} a={Math.min(...compare)} b={Math.max(...compare)} />}
                </div>
              )}
              {tab === 'related' && <RelatedCards cardId={id} onOpen={onOpen} />}
              {tab === 'sync' && <SyncPanel cardId={id} cardName={card.name} onChanged={onChanged} />}
            </>
          )}
        </div>
      </div>
    </Modal>
  );
}
