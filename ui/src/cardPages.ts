// The grid's cards as a sparse list over the query's matches: pages of PAGE
// cards are fetched when the grid asks for a range of positions (the rows on
// screen), kept by position, and dropped when the query changes or something
// changed the cards (`reload`). Answers for an older query are ignored. Each
// page's sync badges are fetched with it.
import { useCallback, useEffect, useRef, useState } from 'react';
import { call, CardPage, CardSummary, CardSyncSummary, errorMessage, PlatformCards } from './api';
import { Query, toParams } from './useQueryState';

export const PAGE = 100;

// What a grid tile shows. A platform's card list (the sync filter) says
// nothing of lorebooks, so that one is optional.
export type Tile = Pick<CardSummary, 'id' | 'name' | 'creator' | 'tags' | 'spec' | 'thumbnail_url' | 'greetings_count' | 'updated_at'> &
  Partial<Pick<CardSummary, 'has_lorebook' | 'favorite'>>;

// One page of matches; a platform's card list (the sync filter) comes whole, as page 1.
export async function listCards(query: Query, page: number, limit = PAGE): Promise<{ items: Tile[]; total: number; total_capped: boolean }> {
  if (query.sync) {
    const [platform, status] = query.sync.split(':');
    const r = await call<PlatformCards>('GET', `/api/federation/platforms/${platform}/cards?status=${status}`);
    const items: Tile[] = r.cards.map((c) => ({ ...c, thumbnail_url: `/api/cards/${c.id}/thumbnail`, greetings_count: 0 }));
    return { items: page === 1 ? items : [], total: items.length, total_capped: false };
  }
  const p = toParams(query);
  p.delete('sync');
  p.set('page', String(page));
  p.set('limit', String(limit));
  return call<CardPage>('GET', `/api/cards?${p}`);
}

interface Pages {
  tiles: Map<number, Tile>; // by position in the matches
  badges: Map<number, CardSyncSummary>; // by card id
  requested: Set<number>; // pages asked for
  end: number | null; // the number of matches, once a short page has shown it
  loadedEnd: number; // one past the furthest position loaded
}

const fresh = (): Pages => ({ tiles: new Map(), badges: new Map(), requested: new Set(), end: null, loadedEnd: 0 });

export interface CardPages {
  count: number; // positions the grid has: the matches, or as far as known when the count is capped
  total: number;
  capped: boolean; // the server's count stopped at `total` ("10,000+")
  loading: boolean; // the query's first page is on its way
  failure: string;
  version: number; // changes whenever tiles or badges arrive
  tileAt: (position: number) => Tile | undefined;
  badgeOf: (id: number) => CardSyncSummary | undefined;
  ensure: (first: number, last: number) => void; // fetch what positions first..last need
  idsBetween: (first: number, last: number) => number[]; // the loaded cards' ids
  patchTile: (id: number, patch: Partial<Tile>) => void;
}

export function useCardPages(query: Query, reload: number): CardPages {
  const pages = useRef<Pages>(fresh());
  const [version, setVersion] = useState(0);
  const [meta, setMeta] = useState({ total: 0, capped: false, loading: true, failure: '' });
  const bump = () => setVersion((v) => v + 1);

  const store = useCallback((into: Pages, page: number, items: Tile[]) => {
    const offset = (page - 1) * PAGE;
    items.forEach((t, k) => into.tiles.set(offset + k, t));
    into.loadedEnd = Math.max(into.loadedEnd, offset + items.length);
    if (items.length < PAGE || query.sync) into.end = offset + items.length;
    if (!items.length) return;
    call<{ cards: CardSyncSummary[] }>('POST', '/api/federation/sync-status', { cardIds: items.map((c) => c.id) })
      .then((r) => {
        r.cards.forEach((c) => into.badges.set(c.card_id, c));
        if (pages.current === into) bump();
      })
      .catch(() => {});
  }, [query.sync]);

  useEffect(() => {
    // The old tiles stay on screen until the new query's first page replaces them.
    let live = true;
    setMeta((m) => ({ ...m, loading: true }));
    const next = fresh();
    next.requested.add(1);
    listCards(query, 1).then((r) => {
      if (!live) return;
      pages.current = next;
      store(next, 1, r.items);
      setMeta({ total: r.total, capped: r.total_capped, loading: false, failure: '' });
      bump();
    }, (e) => {
      if (!live) return;
      // Old results would pass for this query's: show none.
      pages.current = fresh();
      setMeta({ total: 0, capped: false, loading: false, failure: errorMessage(e) });
      bump();
    });
    return () => {
      live = false;
    };
  }, [query, reload, store]);

  const ensure = useCallback((first: number, last: number) => {
    const into = pages.current;
    for (let page = Math.floor(Math.max(0, first) / PAGE) + 1; page <= Math.floor(last / PAGE) + 1; page++) {
      if (into.requested.has(page) || (into.end !== null && (page - 1) * PAGE >= into.end)) continue;
      into.requested.add(page);
      listCards(query, page).then((r) => {
        if (pages.current !== into) return;
        store(into, page, r.items);
        bump();
      }, () => into.requested.delete(page)); // asked again when next in view
    }
  }, [query, store]);

  const p = pages.current;
  const count = p.end ?? (meta.capped ? Math.max(meta.total, p.loadedEnd + PAGE) : meta.total);
  return {
    count,
    ...meta,
    version,
    tileAt: (position) => pages.current.tiles.get(position),
    badgeOf: (id) => pages.current.badges.get(id),
    ensure,
    idsBetween: (first, last) => {
      const ids: number[] = [];
      for (let i = first; i <= last; i++) {
        const t = pages.current.tiles.get(i);
        if (t) ids.push(t.id);
      }
      return ids;
    },
    patchTile: (id, patch) => {
      for (const [position, t] of pages.current.tiles) {
        if (t.id === id) pages.current.tiles.set(position, { ...t, ...patch });
      }
      bump();
    },
  };
}
