// The grid's query, kept in the URL so it can be shared and reloaded. A
// change of filters or sort is a history entry (Back undoes it); typing in the
// search replaces the current entry instead of making one per word.
import { useEffect, useRef, useState } from 'react';

export interface Query {
  q: string;
  tags: string[];
  exclude_tags: string[];
  creator: string;
  source: string;
  sort: string;
  sync: string; // "<platform>:<status>" or ""
  favorite: boolean; // favorites only
}

const EMPTY: Query = { q: '', tags: [], exclude_tags: [], creator: '', source: '', sort: '', sync: '', favorite: false };

function read(): Query {
  const p = new URLSearchParams(window.location.search);
  const list = (k: string) => (p.get(k) ?? '').split(',').filter(Boolean);
  return {
    q: p.get('q') ?? '',
    tags: list('tags'),
    exclude_tags: list('exclude_tags'),
    creator: p.get('creator') ?? '',
    source: p.get('source') ?? '',
    sort: p.get('sort') ?? '',
    sync: p.get('sync') ?? '',
    favorite: p.get('favorite') === 'true',
  };
}

export function toParams(q: Query): URLSearchParams {
  const p = new URLSearchParams();
  if (q.q) p.set('q', q.q);
  if (q.tags.length) p.set('tags', q.tags.join(','));
  if (q.exclude_tags.length) p.set('exclude_tags', q.exclude_tags.join(','));
  if (q.creator) p.set('creator', q.creator);
  if (q.source) p.set('source', q.source);
  if (q.sort) p.set('sort', q.sort);
  if (q.sync) p.set('sync', q.sync);
  if (q.favorite) p.set('favorite', 'true');
  return p;
}

export function useQueryState(): [Query, (q: Query) => void] {
  const [query, setQuery] = useState<Query>(() => ({ ...EMPTY, ...read() }));
  const shown = useRef(toParams(query).toString()); // what the URL says now
  useEffect(() => {
    const s = toParams(query).toString();
    if (s === shown.current) return; // unchanged, or restored from history
    const onlyTyped = toParams({ ...query, q: '' }).toString() === toParams({ ...read(), q: '' }).toString();
    shown.current = s;
    const url = `${s ? `?${s}` : window.location.pathname}${window.location.hash}`;
    // The hash (the open card's route) and, when replacing, the entry's state stay as they are.
    if (onlyTyped) window.history.replaceState(window.history.state, '', url);
    else window.history.pushState(null, '', url);
  }, [query]);
  useEffect(() => {
    const pop = () => {
      const restored = { ...EMPTY, ...read() };
      shown.current = toParams(restored).toString();
      setQuery((current) => (toParams(current).toString() === shown.current ? current : restored));
    };
    window.addEventListener('popstate', pop);
    return () => window.removeEventListener('popstate', pop);
  }, []);
  return [query, setQuery];
}
