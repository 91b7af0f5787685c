// The lorebook (character_book) editor: entries added, deleted and moved,
// each with its keys, secondary keys, content and the spec's switches and
// numbers. An edit replaces only the field it changes: every other field of
// an entry, known or not, stays as it was. Depth and probability are not V2/V3
// entry fields; SillyTavern keeps them in the entry's `extensions` (`depth`,
// `probability`, `useProbability`), and so does this editor.
import { useState } from 'react';
import type { LorebookEntry } from './api';
import { TokenCount } from './tokens';

export interface CharacterBook {
  entries?: LorebookEntry[];
  [field: string]: unknown;
}

// Keys typed as "a, b, c"; the text stays as typed while it means the same keys.
function KeysInput({ label, name, keys, onChange }: { label: string; name: string; keys: string[]; onChange: (k: string[]) => void }) {
  const parse = (t: string) => t.split(',').map((k) => k.trim()).filter(Boolean);
  const [text, setText] = useState(keys.join(', '));
  const shown = JSON.stringify(parse(text)) === JSON.stringify(keys) ? text : keys.join(', ');
  return (
    <label>
      {label}
      <input name={name} value={shown} placeholder="comma-separated" onChange={(e) => {
        setText(e.target.value);
        onChange(parse(e.target.value));
      }} />
    </label>
  );
}

function newEntry(entries: LorebookEntry[]): LorebookEntry {
  const ids = entries.map((e) => (typeof e.id === 'number' ? e.id : 0));
  const orders = entries.map((e) => (typeof e.insertion_order === 'number' ? e.insertion_order : 0));
  return {
    id: Math.max(0, ...ids) + 1, keys: [], secondary_keys: [], content: '', comment: '', enabled: true,
    constant: false, selective: false, insertion_order: entries.length ? Math.max(...orders) + 1 : 100,
    priority: 10, position: 'before_char', use_regex: false, extensions: {},
  };
}

type Ext = { depth?: number; probability?: number; useProbability?: boolean; [k: string]: unknown };

function EntryEditor({ entry, index, count, onChange, onMove, onDelete }: {
  entry: LorebookEntry;
  index: number;
  count: number;
  onChange: (e: LorebookEntry) => void;
  onMove: (by: number) => void;
  onDelete: () => void;
}) {
  const set = (field: string, value: unknown) => onChange({ ...entry, [field]: value });
  const ext = (entry.extensions ?? {}) as Ext;
  const setExt = (field: string, value: unknown) => onChange({ ...entry, extensions: { ...ext, [field]: value } });
  const flag = (field: string, label: string) => (
    <label className="inline">
      <input type="checkbox" name={`${field}-${index}`} checked={entry[field] === true} onChange={(e) => set(field, e.target.checked)} /> {label}
    </label>
  );
  const number = (value: unknown, label: string, name: string, apply: (n: number | undefined) => void) => (
    <label className="number">
      {label}
      <input type="number" name={`${name}-${index}`} value={typeof value === 'number' ? value : ''}
             onChange={(e) => apply(e.target.value === '' ? undefined : Number(e.target.value))} />
    </label>
  );
  const title = (typeof entry.comment === 'string' && entry.comment) || (typeof entry.name === 'string' && entry.name) || (entry.keys ?? []).join(', ');
  return (
    <li className="lore-entry" data-entry={index}>
      <div className="item-head">
        <strong>{index + 1}.</strong>
        <span className="entry-title">{title || 'untitled entry'}</span>
        <span className="spacer" />
        <button type="button" aria-label={`Move entry ${index + 1} up`} disabled={index === 0} onClick={() => onMove(-1)}>↑</button>
        <button type="button" aria-label={`Move entry ${index + 1} down`} disabled={index === count - 1} onClick={() => onMove(1)}>↓</button>
        <button type="button" className="danger" aria-label={`Delete entry ${index + 1}`} onClick={onDelete}>Delete</button>
      </div>
      <div className="entry-grid">
        <label>Comment / title<input name={`comment-${index}`} value={typeof entry.comment === 'string' ? entry.comment : ''} onChange={(e) => set('comment', e.target.value)} /></label>
        <KeysInput label="Keys" name={`keys-${index}`} keys={entry.keys ?? []} onChange={(k) => set('keys', k)} />
        <KeysInput label="Secondary keys" name={`secondary_keys-${index}`} keys={(entry.secondary_keys as string[] | undefined) ?? []}
                   onChange={(k) => set('secondary_keys', k)} />
      </div>
      <label>
        <span>Content <TokenCount text={entry.content ?? ''} /></span>
        <textarea name={`content-${index}`} rows={4} value={entry.content ?? ''} onChange={(e) => set('content', e.target.value)} />
      </label>
      <div className="row entry-flags">
        {flag('enabled', 'Enabled')}
        {flag('constant', 'Constant')}
        {flag('selective', 'Selective')}
        {flag('case_sensitive', 'Case-sensitive')}
        {flag('use_regex', 'Regex keys')}
        <label className="number">
          Position
          <select name={`position-${index}`} value={typeof entry.position === 'string' ? entry.position : ''} onChange={(e) => set('position', e.target.value || undefined)}>
            <option value="">(none)</option>
            <option value="before_char">before character</option>
            <option value="after_char">after character</option>
          </select>
        </label>
        {number(entry.insertion_order, 'Order', 'insertion_order', (n) => set('insertion_order', n ?? 0))}
        {number(entry.priority, 'Priority', 'priority', (n) => set('priority', n))}
        {number(ext.depth, 'Depth', 'depth', (n) => setExt('depth', n))}
        {number(ext.probability, 'Probability %', 'probability', (n) => onChange({ ...entry, extensions: { ...ext, probability: n, useProbability: n !== undefined } }))}
      </div>
    </li>
  );
}

export function LorebookEditor({ book, onChange }: { book: CharacterBook | undefined; onChange: (b: CharacterBook) => void }) {
  const entries = book?.entries ?? [];
  const setEntries = (next: LorebookEntry[]) => onChange({ extensions: {}, ...book, entries: next });
  const move = (k: number, by: number) => {
    const next = [...entries];
    [next[k], next[k + by]] = [next[k + by], next[k]];
    setEntries(next);
  };
  return (
    <div className="lorebook-editor">
      <label>
        Lorebook name
        <input name="book-name" value={typeof book?.name === 'string' ? book.name : ''} onChange={(e) => onChange({ extensions: {}, entries, ...book, name: e.target.value })} />
      </label>
      <ol className="lore-entries">
        {entries.map((e, k) => (
          <EntryEditor key={k} entry={e} index={k} count={entries.length}
                       onChange={(x) => setEntries(entries.map((y, i) => (i === k ? x : y)))}
                       onMove={(by) => move(k, by)} onDelete={() => setEntries(entries.filter((_, i) => i !== k))} />
        ))}
      </ol>
      {!entries.length && <p className="muted">No entries yet.</p>}
      <button type="button" className="add-entry" onClick={() => setEntries([...entries, newEntry(entries)])}>Add entry</button>
    </div>
  );
}
