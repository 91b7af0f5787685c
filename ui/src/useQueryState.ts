// The grid's query, kept in the URL so it can be shared and reloaded.
import { useEffect, useState } from 'react';

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
  useEffect(() => {
    const s = toParams(query).toString();
    // The hash (the open card's route) and the entry's state stay as they are.
    window.history.replaceState(window.history.state, '', `${s ? `?${s}` : window.location.pathname}${window.location.hash}`);
  }, [query]);
  return [query, setQuery];
}
