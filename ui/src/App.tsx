// The web app: login (and back to it when the session expires), the card
// grid with search and filters (kept in the URL), the card modal with its own
// route (#/cards/:id), a new card, uploads by picker and by drag and drop, the
// Federation settings, bulk operations, the trash with its undo toast and the
// sync history.
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  call, CardData, CardDetail, CardPage, CardSummary, CardSyncSummary, errorMessage, login, logout, PlatformCards,
  restoreSession, SESSION_EXPIRED,
} from './api';
import { BulkBar } from './BulkBar';
import { DuplicatesPage } from './Duplicates';
import { StatsPage } from './StatsPage';
import { TagManager } from './TagManager';
import { TrashView, UndoToast } from './Trash';
import { CardEditor } from './CardEditor';
import { CardModal } from './CardModal';
import { FederationModal } from './FederationModal';
import { Modal } from './Modal';
import { SourcesModal } from './SourcesModal';
import { HistoryPage } from './HistoryPage';
import { confirmDiscard, setUnsaved } from './unsaved';
import { Uploads } from './Upload';
import { Query, toParams, useQueryState } from './useQueryState';

const PAGE = 60;

// The card the URL names: "#/cards/12" is card 12.
function routeCard(): number | null {
  const m = /^#\/cards\/(\d+)$/.exec(window.location.hash);
  return m ? Number(m[1]) : null;
}

function Login({ onDone, expired }: { onDone: () => void; expired: boolean }) {
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
      {expired && <p className="notice session-expired" role="status">Your session has ended. Log in again to go on where you were.</p>}
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
type Tile = Pick<CardSummary, 'id' | 'name' | 'creator' | 'tags' | 'spec' | 'thumbnail_url' | 'greetings_count' | 'updated_at'> &
  Partial<Pick<CardSummary, 'has_lorebook' | 'favorite'>>;

async function listCards(query: Query, page: number): Promise<{ items: Tile[]; total: number; total_capped: boolean }> {
  if (query.sync) {
    const [platform, status] = query.sync.split(':');
    const r = await call<PlatformCards>('GET', `/api/federation/platforms/${platform}/cards?status=${status}`);
    const items: Tile[] = r.cards.map((c) => ({ ...c, thumbnail_url: `/api/cards/${c.id}/thumbnail`, greetings_count: 0 }));
    return { items: page === 1 ? items : [], total: items.length, total_capped: false };
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
  useEffect(() => {
    // Back or Forward to another query: the search box follows the URL.
    const pop = () => setText(new URLSearchParams(window.location.search).get('q') ?? '');
    window.addEventListener('popstate', pop);
    return () => window.removeEventListener('popstate', pop);
  }, []);
  const [cards, setCards] = useState<Tile[]>([]);
  const [total, setTotal] = useState(0);
  // The count stopped at `total` ("10,000+"); pages go on until a short one.
  const [capped, setCapped] = useState(false);
  const [lastPage, setLastPage] = useState(false);
  const [page, setPage] = useState(1);
  const [badges, setBadges] = useState<Record<number, CardSyncSummary>>({});
  const [selected, setSelected] = useState<number[]>([]);
  const [focus, setFocus] = useState(0);
  const [tagInput, setTagInput] = useState('');
  const [reload, setReload] = useState(0);
  const [loading, setLoading] = useState(true);
  const [failure, setFailure] = useState('');
  const anchor = useRef<number | null>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  // Only a new search typed moves the query: a query restored from history
  // (whose q the box has not caught up with yet) stays.
  const typed = useRef(q);
  useEffect(() => {
    if (q === typed.current) return;
    typed.current = q;
    if (q !== query.q) setQuery({ ...query, q });
  }, [q, query, setQuery]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    listCards(query, 1).then((r) => {
      if (!live) return;
      setCards(r.items);
      setTotal(r.total);
      setCapped(r.total_capped);
      setLastPage(r.items.length < PAGE);
      setPage(1);
      setFailure('');
    }, (e) => {
      if (!live) return;
      // Old results would pass for this query's: show none.
      setCards([]);
      setTotal(0);
      setCapped(false);
      setFailure(errorMessage(e));
    }).finally(() => live && setLoading(false));
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
  useEffect(() => {
    // "/" focuses the search, unless typing somewhere or a dialog is open.
    const slash = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || t.closest('input, textarea, select, [contenteditable]') ||
          document.querySelector('.modal')) return;
      e.preventDefault();
      searchRef.current?.focus();
    };
    window.addEventListener('keydown', slash);
    return () => window.removeEventListener('keydown', slash);
  }, []);
  const filtered = !!(query.q || query.tags.length || query.exclude_tags.length || query.creator || query.source || query.sync ||
    query.favorite);
  const clearFilters = () => {
    setText('');
    setQuery({ ...query, q: '', tags: [], exclude_tags: [], creator: '', source: '', sync: '', favorite: false });
  };
  const star = async (e: React.MouseEvent, tile: Tile) => {
    e.stopPropagation();
    const r = await call<{ id: number; favorite: boolean }>('POST', `/api/cards/${tile.id}/favorite`, { favorite: !tile.favorite });
    if (query.favorite && !r.favorite) setReload((n) => n + 1);
    else setCards((cs) => cs.map((c) => (c.id === r.id ? { ...c, favorite: r.favorite } : c)));
  };

  const more = async () => {
    const r = await listCards(query, page + 1);
    setCards((c) => [...c, ...r.items]);
    setLastPage(r.items.length < PAGE);
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
        <input ref={searchRef} className="search" type="search" aria-label="Search" placeholder="Search names, descriptions, tags… (press /)"
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
        <button className={query.favorite ? 'favorites-filter on' : 'favorites-filter'} aria-pressed={query.favorite}
                onClick={() => setQuery({ ...query, favorite: !query.favorite })}>★ Favorites</button>
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
        <span className="muted total" aria-live="polite">{loading ? 'Loading…' : capped ? `${total.toLocaleString('en-US')}+ cards` : `${total} ${total === 1 ? 'card' : 'cards'}`}</span>
      </div>
      <BulkBar selected={selected} onClear={() => setSelected([])} onSelectAll={selectAll}
               onChanged={() => setReload((n) => n + 1)} />
      {failure && (
        <div className="state state-error" role="alert">
          <p className="error">The cards could not be listed: {failure}</p>
          <button className="retry" onClick={() => setReload((n) => n + 1)}>Retry</button>
        </div>
      )}
      {loading && !cards.length && !failure && <p className="state state-loading"><span className="spinner" /> Loading cards…</p>}
      {!loading && !failure && !cards.length && (
        <div className="state state-empty">
          {filtered
            ? <p>No cards match. <button className="clear-filters" onClick={clearFilters}>Clear filters</button></p>
            : <p>The archive is empty: upload card files (PNG, JSON, CharX) with Upload, or drop them here.</p>}
        </div>
      )}
      <div className="grid" ref={gridRef} role="grid" aria-label="Cards" aria-multiselectable="true" onKeyDown={keys}>
        {/* One row of cells, laid out by the CSS grid: a grid's cells belong to rows. */}
        <div role="row" className="grid-row">
        {cards.map((c, k) => (
          <div key={c.id} role="gridcell" tabIndex={k === focus ? 0 : -1} data-card-id={c.id} aria-selected={selected.includes(c.id)}
               className={`card-tile${selected.includes(c.id) ? ' selected' : ''}`}
               onClick={(e) => click(e, k, c.id)} onFocus={() => setFocus(k)}>
            {c.thumbnail_url ? <img loading="lazy" src={`${c.thumbnail_url}?v=${encodeURIComponent(c.updated_at ?? '')}`} alt="" /> : <div className="no-image">No image</div>}
            {c.favorite !== undefined && (
              <button className={c.favorite ? 'tile-star on' : 'tile-star'} aria-pressed={c.favorite} tabIndex={-1}
                      aria-label={c.favorite ? `Remove ${c.name} from favorites` : `Add ${c.name} to favorites`}
                      onClick={(e) => star(e, c)}>{c.favorite ? '★' : '☆'}</button>
            )}
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
      </div>
      {(cards.length < total || (capped && !lastPage)) && !query.sync && <button className="more" onClick={more}>Load more</button>}
    </>
  );
}

// The dialog of a new card: the editor on empty fields; saving creates it.
function NewCard({ onClose, onCreated }: { onClose: () => void; onCreated: (id: number) => void }) {
  const close = () => confirmDiscard() && onClose();
  const create = async (data: CardData) => {
    const card = await call<CardDetail>('POST', '/api/cards/new', { data });
    setUnsaved(false);
    onCreated(card.id);
  };
  return (
    <Modal title="New card" className="card-modal new-card" onClose={close}>
      <CardEditor initial={{ name: '' }} isNew onSave={create} onCancel={close} />
    </Modal>
  );
}

export function App() {
  const [authed, setAuthed] = useState<boolean | null>(null);
  const [expired, setExpired] = useState(false);
  const [open, setOpen] = useState<number | null>(routeCard);
  const [creating, setCreating] = useState(false);
  const [federation, setFederation] = useState(false);
  const [history, setHistory] = useState(false);
  const [sources, setSources] = useState(false);
  const [tagManager, setTagManager] = useState(false);
  const [stats, setStats] = useState(false);
  const [duplicates, setDuplicates] = useState(false);
  const [trash, setTrash] = useState(false);
  const [theme, setTheme] = useState(() => localStorage.getItem('theme') ?? 'dark');
  useEffect(() => {
    restoreSession().then(setAuthed);
    const expire = () => {
      setExpired(true);
      setAuthed(false);
    };
    window.addEventListener(SESSION_EXPIRED, expire);
    return () => window.removeEventListener(SESSION_EXPIRED, expire);
  }, []);
  useEffect(() => {
    // Back and Forward move between the grid and cards; unsaved edits ask first.
    const pop = () => {
      const id = routeCard();
      if (id === open) return;
      if (!confirmDiscard()) {
        window.history.pushState({ card: open }, '', `${window.location.pathname}${window.location.search}#/cards/${open}`);
        return;
      }
      setOpen(id);
    };
    window.addEventListener('popstate', pop);
    return () => window.removeEventListener('popstate', pop);
  }, [open]);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('theme', theme);
  }, [theme]);
  const changed = useCallback(() => window.dispatchEvent(new Event('charchive:changed')), []);
  const openCard = useCallback((id: number) => {
    if (!confirmDiscard()) return;
    const url = `${window.location.pathname}${window.location.search}#/cards/${id}`;
    // From the grid a card is a new history entry (Back closes it); from a card, it replaces it.
    if (routeCard() === null) window.history.pushState({ card: id }, '', url);
    else window.history.replaceState({ card: id }, '', url);
    setOpen(id);
  }, []);
  const closeCard = useCallback(() => {
    if (window.history.state?.card === routeCard() && routeCard() !== null) {
      window.history.back(); // popstate closes it, once the URL is the grid's again
    } else {
      window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
      setOpen(null);
    }
  }, []);

  if (authed === null) return null;
  if (!authed) return <Login expired={expired} onDone={() => {
    setExpired(false);
    setAuthed(true);
  }} />;
  return (
    <div className="app">
      <header className="topbar">
        <h1>Character Archive</h1>
        <nav>
          <button className="new-card-button" onClick={() => setCreating(true)}>New card</button>
          <Uploads onDone={changed} />
          <button className="tags-button" onClick={() => setTagManager(true)}>Tags</button>
          <button className="stats-button" onClick={() => setStats(true)}>Statistics</button>
          <button className="duplicates-button" onClick={() => setDuplicates(true)}>Duplicates</button>
          <button className="trash-button" onClick={() => setTrash(true)}>Trash</button>
          <button onClick={() => setHistory(true)}>History</button>
          <button className="sources-button" onClick={() => setSources(true)}>Sources</button>
          <button className="federation-button" onClick={() => setFederation(true)}>Federation</button>
          <button aria-label="Toggle theme" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}>{theme === 'dark' ? '☀' : '☾'}</button>
          <button onClick={() => logout().then(() => setAuthed(false))}>Log out</button>
        </nav>
      </header>
      <main>
        <Grid onOpen={openCard} />
      </main>
      {open !== null && <CardModal key={open} id={open} onClose={closeCard} onChanged={changed} onOpen={openCard} />}
      {creating && <NewCard onClose={() => setCreating(false)} onCreated={(id) => {
        setCreating(false);
        changed();
        openCard(id);
      }} />}
      {federation && <FederationModal onClose={() => setFederation(false)} />}
      {sources && <SourcesModal onClose={() => setSources(false)} />}
      {duplicates && <DuplicatesPage onClose={() => setDuplicates(false)} onOpenCard={(id) => { setDuplicates(false); openCard(id); }} />}
      {stats && <StatsPage onClose={() => setStats(false)} />}
      {trash && <TrashView onClose={() => setTrash(false)} onChanged={changed} />}
      <UndoToast onChanged={changed} />
      {tagManager && <TagManager onClose={() => setTagManager(false)} onChanged={changed} />}
      {history && <HistoryPage onClose={() => setHistory(false)} onOpenCard={(id) => { setHistory(false); openCard(id); }} />}
    </div>
  );
}
