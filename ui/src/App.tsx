// The web app: login, the card grid with search and filters (kept in the
// URL), the card modal, uploads by drag and drop, the Federation settings,
// bulk operations and the sync history.
import { useCallback, useEffect, useRef, useState } from 'react';
import { call, CardPage, CardSummary, CardSyncSummary, errorMessage, login, logout, PlatformCards, restoreSession } from './api';
import { BulkBar } from './BulkBar';
import { CardModal } from './CardModal';
import { FederationModal } from './FederationModal';
import { SourcesModal } from './SourcesModal';
import { HistoryPage } from './HistoryPage';
import { UploadDropZone } from './Upload';
import { Query, toParams, useQueryState } from './useQueryState';

const PAGE = 60;

function Login({ onDone }: { onDone: () => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      await login(token);
      onDone();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <form className="login" onSubmit={submit}>
      <h1>Character Archive</h1>
      <label htmlFor="token">API token</label>
      <input id="token" type="password" autoFocus value={token} onChange={(e) => setToken(e.target.value)}
             placeholder="printed by charchive serve, kept in DATA/api-token" />
      <button className="primary" type="submit">Log in</button>
      {error && <p className="error">{error}</p>}
    </form>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

function syncBadge(b?: CardSyncSummary) {
  if (!b || !b.active_syncs) return null;
  if (b.remote_deleted_platforms?.length) {
    return <span className="badge badge-remote_deleted">deleted on {b.remote_deleted_platforms.join(', ')}</span>;
  }
  if (b.error_syncs) return <span className="badge badge-error">sync error</span>;
  if (b.synced_platforms.length === b.active_syncs) return <span className="badge badge-synced">synced</span>;
  return <span className="badge badge-pending">out of sync</span>;
}

// What a grid tile shows. A platform's card list (the sync filter) says
// nothing of lorebooks, so that one is optional.
type Tile = Pick<CardSummary, 'id' | 'name' | 'creator' | 'tags' | 'spec' | 'thumbnail_url' | 'greetings_count'> &
  Partial<Pick<CardSummary, 'has_lorebook'>>;

async function listCards(query: Query, page: number): Promise<{ items: Tile[]; total: number }> {
  if (query.sync) {
    const [platform, status] = query.sync.split(':');
    const r = await call<PlatformCards>('GET', `/api/federation/platforms/${platform}/cards?status=${status}`);
    const items: Tile[] = r.cards.map((c) => ({ ...c, thumbnail_url: `/api/cards/${c.id}/thumbnail`, greetings_count: 0 }));
    return { items: page === 1 ? items : [], total: items.length };
  }
  const p = toParams(query);
  p.delete('sync');
  p.set('page', String(page));
  p.set('limit', String(PAGE));
  return call<CardPage>('GET', `/api/cards?${p}`);
}

function Grid({ onOpen }: { onOpen: (id: number) => void }) {
  const [query, setQuery] = useQueryState();
  const [text, setText] = useState(query.q);
  const q = useDebounced(text, 250);
  const [cards, setCards] = useState<Tile[]>([]);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [badges, setBadges] = useState<Record<number, CardSyncSummary>>({});
  const [selected, setSelected] = useState<number[]>([]);
  const [focus, setFocus] = useState(0);
  const [tagInput, setTagInput] = useState('');
  const [reload, setReload] = useState(0);
  const anchor = useRef<number | null>(null);
  const gridRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (q !== query.q) setQuery({ ...query, q });
  }, [q, query, setQuery]);
  useEffect(() => {
    let live = true;
    listCards(query, 1).then((r) => {
      if (!live) return;
      setCards(r.items);
      setTotal(r.total);
      setPage(1);
    });
    return () => {
      live = false;
    };
  }, [query, reload]);
  useEffect(() => {
    if (!cards.length) return;
    call<{ cards: CardSyncSummary[] }>('POST', '/api/federation/sync-status', { cardIds: cards.map((c) => c.id) })
      .then((r) => setBadges(Object.fromEntries(r.cards.map((c) => [c.card_id, c]))))
      .catch(() => {});
  }, [cards]);
  useEffect(() => {
    const refresh = () => setReload((n) => n + 1);
    window.addEventListener('charchive:changed', refresh);
    return () => window.removeEventListener('charchive:changed', refresh);
  }, []);

  const more = async () => {
    const r = await listCards(query, page + 1);
    setCards((c) => [...c, ...r.items]);
    setPage(page + 1);
  };
  const click = (e: React.MouseEvent, index: number, id: number) => {
    if (e.shiftKey && anchor.current !== null) {
      const [a, b] = [Math.min(anchor.current, index), Math.max(anchor.current, index)];
      setSelected(Array.from(new Set([...selected, ...cards.slice(a, b + 1).map((c) => c.id)])));
    } else if (e.ctrlKey || e.metaKey) {
      setSelected(selected.includes(id) ? selected.filter((x) => x !== id) : [...selected, id]);
      anchor.current = index;
    } else {
      anchor.current = index;
      onOpen(id);
    }
  };
  const selectAll = async () => {
    const ids: number[] = [];
    for (let p = 1; ; p++) {
      const r = await listCards(query, p);
      ids.push(...r.items.map((c) => c.id));
      if (r.items.length < PAGE || query.sync) break;
    }
    setSelected(ids);
  };
  const keys = (e: React.KeyboardEvent) => {
    const columns = Math.max(1, Math.round((gridRef.current?.clientWidth ?? 800) / 190));
    const move: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns };
    if (e.key in move) {
      e.preventDefault();
      const next = Math.min(cards.length - 1, Math.max(0, focus + move[e.key]));
      setFocus(next);
      (gridRef.current?.querySelectorAll('.card-tile')[next] as HTMLElement | undefined)?.focus();
    } else if (e.key === 'Enter' && cards[focus]) {
      onOpen(cards[focus].id);
    } else if (e.key === ' ' && cards[focus]) {
      e.preventDefault();
      const id = cards[focus].id;
      setSelected(selected.includes(id) ? selected.filter((x) => x !== id) : [...selected, id]);
    }
  };
  const addTag = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter' || !tagInput.trim()) return;
    const t = tagInput.trim();
    if (t.startsWith('-')) setQuery({ ...query, exclude_tags: [...query.exclude_tags, t.slice(1)] });
    else setQuery({ ...query, tags: [...query.tags, t] });
    setTagInput('');
  };

  return (
    <>
      <div className="filters">
        <input className="search" type="search" aria-label="Search" placeholder="Search names, descriptions, tags…"
               value={text} onChange={(e) => setText(e.target.value)} />
        <input className="tag-input" aria-label="Add tag filter" placeholder="tag, or -tag to exclude" value={tagInput}
               onChange={(e) => setTagInput(e.target.value)} onKeyDown={addTag} />
        <input aria-label="Creator" placeholder="creator" value={query.creator} onChange={(e) => setQuery({ ...query, creator: e.target.value })} />
        <input aria-label="Source" placeholder="source" value={query.source} onChange={(e) => setQuery({ ...query, source: e.target.value })} />
        <select aria-label="Sort" value={query.sort} onChange={(e) => setQuery({ ...query, sort: e.target.value })}>
          <option value="">Recently updated</option>
          <option value="created">Recently added</option>
          <option value="name">Name</option>
          <option value="tokens">Tokens</option>
          <option value="relevance">Relevance</option>
        </select>
        <select aria-label="Sync status" value={query.sync} onChange={(e) => setQuery({ ...query, sync: e.target.value })}>
          <option value="">Any sync status</option>
          {['sillytavern', 'architect', 'hub', 'archive'].flatMap((p) =>
            ['synced', 'pending', 'conflict', 'error', 'remote_deleted'].map((s) => <option key={`${p}:${s}`} value={`${p}:${s}`}>{p}: {s}</option>),
          )}
        </select>
      </div>
      <div className="chips">
        {query.tags.map((t) => (
          <button key={`+${t}`} className="chip chip-include" onClick={() => setQuery({ ...query, tags: query.tags.filter((x) => x !== t) })}>{t} ×</button>
        ))}
        {query.exclude_tags.map((t) => (
          <button key={`-${t}`} className="chip chip-exclude" onClick={() => setQuery({ ...query, exclude_tags: query.exclude_tags.filter((x) => x !== t) })}>not {t} ×</button>
        ))}
        <span className="muted total">{total} {total === 1 ? "card" : "cards"}</span>
      </div>
      <BulkBar selected={selected} onClear={() => setSelected([])} onSelectAll={selectAll} />
      <div className="grid" ref={gridRef} role="grid" aria-label="Cards" onKeyDown={keys}>
        {cards.map((c, k) => (
          <div key={c.id} role="gridcell" tabIndex={k === focus ? 0 : -1} data-card-id={c.id}
               className={`card-tile${selected.includes(c.id) ? ' selected' : ''}`}
               onClick={(e) => click(e, k, c.id)} onFocus={() => setFocus(k)}>
            {c.thumbnail_url ? <img loading="lazy" src={c.thumbnail_url} alt="" /> : <div className="no-image">No image</div>}
            <div className="tile-body">
              <strong className="tile-name">{c.name}</strong>
              <span className="muted">{c.creator}</span>
              <div className="badges">
                <span className="badge">{c.spec}</span>
                {c.has_lorebook && <span className="badge">lorebook</span>}
                {c.greetings_count > 0 && <span className="badge">{c.greetings_count + 1} greetings</span>}
                {syncBadge(badges[c.id])}
              </div>
              <div className="tags">{(c.tags ?? []).slice(0, 4).map((t) => <span key={t} className="tag">{t}</span>)}</div>
            </div>
          </div>
        ))}
      </div>
      {cards.length < total && !query.sync && <button className="more" onClick={more}>Load more</button>}
    </>
  );
}

export function App() {
  const [authed, setAuthed] = useState<boolean | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [federation, setFederation] = useState(false);
  const [history, setHistory] = useState(false);
  const [sources, setSources] = useState(false);
  const [theme, setTheme] = useState(() => localStorage.getItem('theme') ?? 'dark');
  useEffect(() => {
    restoreSession().then(setAuthed);
  }, []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('theme', theme);
  }, [theme]);
  const changed = useCallback(() => window.dispatchEvent(new Event('charchive:changed')), []);

  if (authed === null) return null;
  if (!authed) return <Login onDone={() => setAuthed(true)} />;
  return (
    <div className="app">
      <header className="topbar">
        <h1>Character Archive</h1>
        <nav>
          <button onClick={() => setHistory(true)}>History</button>
          <button className="sources-button" onClick={() => setSources(true)}>Sources</button>
          <button className="federation-button" onClick={() => setFederation(true)}>Federation</button>
          <button aria-label="Toggle theme" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}>{theme === 'dark' ? '☀' : '☾'}</button>
          <button onClick={() => logout().then(() => setAuthed(false))}>Log out</button>
        </nav>
      </header>
      <main>
        <Grid onOpen={setOpen} />
      </main>
      <UploadDropZone onDone={changed} />
      {open !== null && <CardModal id={open} onClose={() => setOpen(null)} onChanged={changed} />}
      {federation && <FederationModal onClose={() => setFederation(false)} />}
      {sources && <SourcesModal onClose={() => setSources(false)} />}
      {history && <HistoryPage onClose={() => setHistory(false)} onOpenCard={(id) => { setHistory(false); setOpen(id); }} />}
    </div>
  );
}
