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
}

const EMPTY: Query = { q: '', tags: [], exclude_tags: [], creator: '', source: '', sort: '', sync: '' };

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
  return p;
}

export function useQueryState(): [Query, (q: Query) => void] {
  const [query, setQuery] = useState<Query>(() => ({ ...EMPTY, ...read() }));
  useEffect(() => {
    const s = toParams(query).toString();
    window.history.replaceState(null, '', s ? `?${s}` : window.location.pathname);
  }, [query]);
  return [query, setQuery];
}
