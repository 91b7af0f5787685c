// The sync history of every card: newest first, filtered by platform and status.
import { useCallback, useEffect, useState } from 'react';
import { call, SyncEvent } from './api';
import { Modal } from './Modal';
import { Time } from './Time';

export function HistoryPage({ onClose, onOpenCard }: { onClose: () => void; onOpenCard: (id: number) => void }) {
  const [events, setEvents] = useState<SyncEvent[]>([]);
  const [platform, setPlatform] = useState('');
  const [status, setStatus] = useState('');
  // A new filter reloads the first page; `before` appends the page older than that event.
  const load = useCallback((before?: number) => {
    const p = new URLSearchParams({ limit: '100' });
    if (platform) p.set('platform', platform);
    if (status) p.set('status', status);
    if (before) p.set('before', String(before));
    call<{ events: SyncEvent[] }>('GET', `/api/federation/events?${p}`).then((r) => setEvents((prev) => (before ? [...prev, ...r.events] : r.events)));
  }, [platform, status]);
  useEffect(() => load(), [load]);
  return (
    <Modal title="Sync history" className="history" onClose={onClose}>
        <div className="row">
          <select aria-label="Platform filter" value={platform} onChange={(e) => setPlatform(e.target.value)}>
            <option value="">All platforms</option>
            <option value="sillytavern">SillyTavern</option>
            <option value="architect">Character Architect</option>
            <option value="hub">CardsHub</option>
            <option value="archive">Archive (ActivityPub)</option>
          </select>
          <select aria-label="Status filter" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">Any status</option>
            <option value="ok">ok</option>
            <option value="error">error</option>
            <option value="conflict">conflict</option>
          </select>
        </div>
        <table className="events">
          <thead><tr><th>Time</th><th>Platform</th><th>Card</th><th>Action</th><th>Status</th><th>Message</th></tr></thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id} className={`event-${e.status}`}>
                <td data-label="Time"><Time iso={e.created_at} /></td>
                <td data-label="Platform">{e.platform}</td>
                <td data-label="Card">{e.card_id ? <button className="link" onClick={() => onOpenCard(e.card_id!)}>#{e.card_id}</button> : '—'}</td>
                <td data-label="Action">{e.action}</td>
                <td data-label="Status">{e.status}</td>
                <td data-label="Message">{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {events.length >= 100 && <button onClick={() => load(events[events.length - 1].id)}>Older</button>}
    </Modal>
  );
}
