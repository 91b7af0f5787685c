// The tag manager: every tag with its card count (GET /api/tags), renamed,
// merged (tick several, name the result) or deleted everywhere (after a
// confirmation). Each change edits the cards' own tags, so every changed card
// gets a new version; the grid refreshes after it.
import { useEffect, useMemo, useState } from 'react';
import { call, errorMessage, TagCount, TagsChanged } from './api';
import { ConfirmDialog } from './ConfirmDialog';
import { Modal } from './Modal';
import { forgetKnownTags } from './TagChips';

export function TagManager({ onClose, onChanged }: { onClose: () => void; onChanged: () => void }) {
  const [tags, setTags] = useState<TagCount[] | null>(null);
  const [filter, setFilter] = useState('');
  const [renaming, setRenaming] = useState<{ tag: string; to: string } | null>(null);
  const [ticked, setTicked] = useState<string[]>([]);
  const [mergeTo, setMergeTo] = useState('');
  const [deleting, setDeleting] = useState<TagCount | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  useEffect(() => {
    call<{ tags: TagCount[] }>('GET', '/api/tags').then((r) => setTags(r.tags))
      .catch((e) => setMessage({ kind: 'error', text: errorMessage(e) }));
  }, []);
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return (tags ?? []).filter((t) => !f || t.tag.toLowerCase().includes(f));
  }, [tags, filter]);

  const run = async (path: string, body: unknown, done: (n: number) => string) => {
    try {
      const r = await call<TagsChanged>('POST', path, body);
      setTags(r.tags);
      forgetKnownTags();
      setMessage({ kind: 'ok', text: done(r.changed) });
      onChanged();
      return true;
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(e) });
      return false;
    }
  };
  const cards = (n: number) => `${n} card${n === 1 ? '' : 's'}`;
  const rename = async () => {
    if (!renaming) return;
    const { tag, to } = renaming;
    if (await run('/api/tags/rename', { from: tag, to }, (n) => `Renamed “${tag}” to “${to}” on ${cards(n)}`)) setRenaming(null);
  };
  const merge = async () => {
    if (await run('/api/tags/merge', { from: ticked, to: mergeTo }, (n) => `Merged ${ticked.length} tags into “${mergeTo}” on ${cards(n)}`)) {
      setTicked([]);
      setMergeTo('');
    }
  };
  const remove = async () => {
    if (!deleting) return;
    const { tag } = deleting;
    setDeleting(null);
    await run('/api/tags/delete', { tag }, (n) => `Deleted “${tag}” from ${cards(n)}`);
    setTicked((t) => t.filter((x) => x !== tag));
  };
  const tick = (tag: string) => setTicked((t) => (t.includes(tag) ? t.filter((x) => x !== tag) : [...t, tag]));

  return (
    <Modal title="Tags" className="tag-manager" onClose={onClose}>
      <div className="row">
        <input className="tag-filter" type="search" placeholder="Find a tag" aria-label="Find a tag" value={filter}
               onChange={(e) => setFilter(e.target.value)} />
        <span className="muted">{tags ? `${tags.length} tags` : 'Loading…'}</span>
      </div>
      {ticked.length > 0 && (
        <div className="row merge-bar" role="region" aria-label="Merge tags">
          <span>Merge {ticked.map((t) => `“${t}”`).join(', ')} into</span>
          <input className="merge-to" aria-label="Merged tag" value={mergeTo} placeholder={ticked[0]}
                 onChange={(e) => setMergeTo(e.target.value)} />
          <button className="primary merge" disabled={ticked.length < 2 || !mergeTo.trim()} onClick={merge}>Merge</button>
          <button onClick={() => setTicked([])}>Clear</button>
        </div>
      )}
      {message && <p className={`tag-message status-${message.kind}`} role="status">{message.text}</p>}
      <table className="tag-table">
        <thead><tr><th aria-label="Select" /><th>Tag</th><th className="num">Cards</th><th>Actions</th></tr></thead>
        <tbody>
          {shown.map((t) => (
            <tr key={t.tag} data-tag={t.tag}>
              <td><input type="checkbox" aria-label={`Select ${t.tag}`} checked={ticked.includes(t.tag)} onChange={() => tick(t.tag)} /></td>
              <td className="tag-name">
                {renaming?.tag === t.tag ? (
                  <form className="rename-form" onSubmit={(e) => { e.preventDefault(); rename(); }}>
                    <input className="rename-to" aria-label={`New name for ${t.tag}`} value={renaming.to} autoFocus
                           onChange={(e) => setRenaming({ tag: t.tag, to: e.target.value })} />
                    <button className="primary" type="submit" disabled={!renaming.to.trim() || renaming.to === t.tag}>Save</button>
                    <button type="button" onClick={() => setRenaming(null)}>Cancel</button>
                  </form>
                ) : t.tag}
              </td>
              <td className="num tag-count">{t.count}</td>
              <td className="tag-actions">
                <button className="rename" onClick={() => setRenaming({ tag: t.tag, to: t.tag })}>Rename</button>
                <button className="danger delete-tag" onClick={() => setDeleting(t)}>Delete</button>
              </td>
            </tr>
          ))}
          {tags && !shown.length && <tr><td colSpan={4} className="muted">{tags.length ? 'No tag matches.' : 'No card has tags yet.'}</td></tr>}
        </tbody>
      </table>
      {deleting && (
        <ConfirmDialog title="Delete a tag" confirmLabel={`Delete from ${cards(deleting.count)}`} onConfirm={remove}
                       onCancel={() => setDeleting(null)}>
          <p>Take “{deleting.tag}” off {cards(deleting.count)}? Each card keeps its previous tags in its versions.</p>
        </ConfirmDialog>
      )}
    </Modal>
  );
}
