// The web app: login (and back to it when the session expires), the card
// grid with search and filters (kept in the URL), the card modal with its own
// route (#/cards/:id), a new card, uploads by picker and by drag and drop, the
// Federation settings, bulk operations, the trash with its undo toast and the
// sync history.
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  call, CardData, CardDetail, errorMessage, login, logout, restoreSession, SESSION_EXPIRED,
} from './api';
import { BulkBar } from './BulkBar';
import { CardGrid } from './CardGrid';
import { listCards, Tile, useCardPages } from './cardPages';
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
import { useQueryState } from './useQueryState';

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
  const [reload, setReload] = useState(0);
  const pages = useCardPages(query, reload);
  const [selected, setSelected] = useState<number[]>([]);
  const [selecting, setSelecting] = useState(false);
  // On a phone the filters beyond the search fold away (styles.css shows them always on a wide screen).
  const [filtersOpen, setFiltersOpen] = useState(false);
  const [tagInput, setTagInput] = useState('');
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
  const activeFilters = query.tags.length + query.exclude_tags.length +
    [query.creator, query.source, query.sort, query.sync].filter(Boolean).length + (query.favorite ? 1 : 0);
  const clearFilters = () => {
    setText('');
    setQuery({ ...query, q: '', tags: [], exclude_tags: [], creator: '', source: '', sync: '', favorite: false });
  };
  const star = async (tile: Tile) => {
    const r = await call<{ id: number; favorite: boolean }>('POST', `/api/cards/${tile.id}/favorite`, { favorite: !tile.favorite });
    if (query.favorite && !r.favorite) setReload((n) => n + 1);
    else pages.patchTile(r.id, { favorite: r.favorite });
  };
  const select = (ids: number[], mode: 'toggle' | 'add') => setSelected((current) => {
    if (mode === 'add') return Array.from(new Set([...current, ...ids]));
    const toggled = new Set(current);
    ids.forEach((id) => (toggled.has(id) ? toggled.delete(id) : toggled.add(id)));
    return [...toggled];
  });
  const selectAll = async () => {
    const ids: number[] = [];
    for (let p = 1; ; p++) {
      const r = await listCards(query, p, 500);
      ids.push(...r.items.map((c) => c.id));
      if (r.items.length < 500 || query.sync) break;
    }
    setSelected(ids);
  };
  const addTag = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter' || !tagInput.trim()) return;
    const t = tagInput.trim();
    if (t.startsWith('-')) setQuery({ ...query, exclude_tags: [...query.exclude_tags, t.slice(1)] });
    else setQuery({ ...query, tags: [...query.tags, t] });
    setTagInput('');
  };
  const { loading, failure, total, capped } = pages;
  const empty = pages.count === 0;

  return (
    <>
      <div className={filtersOpen ? 'filters open' : 'filters'}>
        <input ref={searchRef} className="search" type="search" aria-label="Search" placeholder="Search names, descriptions, tags… (press /)"
               value={text} onChange={(e) => setText(e.target.value)} />
        <button className="filters-toggle" aria-expanded={filtersOpen} aria-controls="filter-fields"
                onClick={() => setFiltersOpen(!filtersOpen)}>Filters{activeFilters ? ` (${activeFilters})` : ''}</button>
        <div className="filter-fields" id="filter-fields">
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
      </div>
      <div className="chips">
        {query.tags.map((t) => (
          <button key={`+${t}`} className="chip chip-include" onClick={() => setQuery({ ...query, tags: query.tags.filter((x) => x !== t) })}>{t} ×</button>
        ))}
        {query.exclude_tags.map((t) => (
          <button key={`-${t}`} className="chip chip-exclude" onClick={() => setQuery({ ...query, exclude_tags: query.exclude_tags.filter((x) => x !== t) })}>not {t} ×</button>
        ))}
        <span className="muted total" aria-live="polite">{loading ? 'Loading…' : capped ? `${total.toLocaleString('en-US')}+ cards` : `${total.toLocaleString('en-US')} ${total === 1 ? 'card' : 'cards'}`}</span>
        <button className={selecting ? 'select-mode on' : 'select-mode'} aria-pressed={selecting}
                onClick={() => setSelecting(!selecting)}>{selecting ? 'Done' : 'Select'}</button>
      </div>
      <div className={selecting || selected.length ? 'bulk-dock docked' : 'bulk-dock'}>
        <BulkBar selected={selected} onClear={() => setSelected([])} onSelectAll={selectAll}
                 onChanged={() => setReload((n) => n + 1)} />
      </div>
      {failure && (
        <div className="state state-error" role="alert">
          <p className="error">The cards could not be listed: {failure}</p>
          <button className="retry" onClick={() => setReload((n) => n + 1)}>Retry</button>
        </div>
      )}
      {loading && empty && !failure && <p className="state state-loading"><span className="spinner" /> Loading cards…</p>}
      {!loading && !failure && empty && (
        <div className="state state-empty">
          {filtered
            ? <p>No cards match. <button className="clear-filters" onClick={clearFilters}>Clear filters</button></p>
            : <p>The archive is empty: upload card files (PNG, JSON, CharX) with Upload, or drop them here.</p>}
        </div>
      )}
      <CardGrid pages={pages} selected={selected} selecting={selecting} onOpen={onOpen} onSelect={select} onStar={star} />
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
