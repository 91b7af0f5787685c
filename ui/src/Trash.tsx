// The trash: deleting cards moves them there (moveToTrash), and an Undo toast
// right after takes them back (UndoToast, shown once in the app); the Trash
// view lists trashed cards with Restore, and Empty trash deletes them for good
// after a confirmation. Trashed cards are in no list, search, count or sync.
import { useEffect, useState } from 'react';
import { call, CardSummary, errorMessage, TrashPage } from './api';
import { ConfirmDialog } from './ConfirmDialog';
import { Modal } from './Modal';
import { Time } from './Time';
import './Trash.css';

const TRASHED = 'charchive:trashed';
const UNDO_MS = 10000;

interface Trashed {
  ids: number[];
  label: string; // what was trashed, as the toast says it
}

// Moves cards to the trash and offers to undo it; rejects (changing nothing) on an API error.
export async function moveToTrash(ids: number[], label: string): Promise<void> {
  if (ids.length === 1) await call('DELETE', `/api/cards/${ids[0]}`);
  else await call('POST', '/api/cards/bulk/trash', { cardIds: ids });
  window.dispatchEvent(new CustomEvent<Trashed>(TRASHED, { detail: { ids, label } }));
}

export function UndoToast({ onChanged }: { onChanged: () => void }) {
  const [last, setLast] = useState<Trashed | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    const trashed = (e: Event) => {
      setError('');
      setLast((e as CustomEvent<Trashed>).detail);
    };
    window.addEventListener(TRASHED, trashed);
    return () => window.removeEventListener(TRASHED, trashed);
  }, []);
  useEffect(() => {
    if (!last) return;
    const t = setTimeout(() => setLast(null), UNDO_MS);
    return () => clearTimeout(t);
  }, [last]);
  if (!last) return null;
  const undo = async () => {
    try {
      await call('POST', '/api/trash/restore', { cardIds: last.ids });
      setLast(null);
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <div className="toast undo-toast" role="status">
      <span>Moved {last.label} to the trash.</span>
      <button className="undo" onClick={undo}>Undo</button>
      <button className="dismiss" aria-label="Dismiss" onClick={() => setLast(null)}>×</button>
      {error && <span className="error">{error}</span>}
    </div>
  );
}

function TrashLine({ card, onRestore }: { card: CardSummary; onRestore: () => void }) {
  return (
    <li className="trash-card" data-card={card.id}>
      {card.thumbnail_url ? <img src={card.thumbnail_url} alt="" /> : <div className="no-image">No image</div>}
      <span className="trash-what">
        <strong>{card.name}</strong>
        <span className="muted"> by {card.creator || 'unknown'} · deleted <Time iso={card.trashed_at} /></span>
      </span>
      <button className="restore" onClick={onRestore}>Restore</button>
    </li>
  );
}

export function TrashView({ onClose, onChanged }: { onClose: () => void; onChanged: () => void }) {
  const [page, setPage] = useState<TrashPage | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    call<TrashPage>('GET', '/api/trash').then((r) => {
      setPage(r);
      setError('');
    }, (e) => setError(errorMessage(e)));
  }, [reload]);
  const act = async (action: () => Promise<string>) => {
    try {
      setNotice(await action());
      setError('');
      setReload((n) => n + 1);
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const restore = (card: CardSummary) => act(async () => {
    await call('POST', `/api/cards/${card.id}/restore`);
    return `Restored “${card.name}”.`;
  });
  const empty = () => {
    setConfirming(false);
    return act(async () => {
      const r = await call<{ deleted: number }>('DELETE', '/api/trash');
      return `Deleted ${r.deleted} card${r.deleted === 1 ? '' : 's'} for good.`;
    });
  };
  const total = page?.total ?? 0;
  return (
    <Modal title="Trash" className="trash-page" onClose={onClose}>
      <p className="muted">Deleted cards wait here, with their files and versions, until the trash is emptied. They are in no list,
        search, statistics or sync meanwhile.</p>
      {error && <p className="error" role="alert">{error}</p>}
      {notice && <p className="status-ok trash-notice" role="status">{notice}</p>}
      {!page && !error && <p className="state state-loading"><span className="spinner" /> Loading…</p>}
      {page && !total && <p className="state state-empty">The trash is empty.</p>}
      {page && total > 0 && (
        <>
          <div className="row trash-actions">
            <span className="trash-count">{total} card{total === 1 ? '' : 's'} in the trash
              {total > page.items.length ? ` (the newest ${page.items.length} listed)` : ''}</span>
            <button className="danger empty-trash" onClick={() => setConfirming(true)}>Empty trash</button>
          </div>
          <ul className="trash-list">{page.items.map((c) => <TrashLine key={c.id} card={c} onRestore={() => restore(c)} />)}</ul>
        </>
      )}
      {confirming && (
        <ConfirmDialog title="Empty the trash?" confirmLabel={`Delete ${total} card${total === 1 ? '' : 's'} for good`}
                       onConfirm={empty} onCancel={() => setConfirming(false)}>
          <p>Every card in the trash is deleted with its versions and files. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </Modal>
  );
}
