// A card's publication on this archive's hub node: the per-card "published"
// flag, what followers were last sent, and the Fork/Install counts they report.
import { useEffect, useState } from 'react';
import { call, errorMessage, HubPublication } from './api';

export function HubPublishToggle({ cardId }: { cardId: number }) {
  const [publication, setPublication] = useState<HubPublication | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    call<HubPublication>('GET', `/api/hub/cards/${cardId}`).then(setPublication).catch((e) => setError(errorMessage(e)));
  }, [cardId]);
  const toggle = async (published: boolean) => {
    const before = publication;
    setPublication(before && { ...before, published });  // the switch follows the click at once
    try {
      await call('PUT', `/api/hub/cards/${cardId}`, { published });
      setPublication(await call<HubPublication>('GET', `/api/hub/cards/${cardId}`));
      setError('');
    } catch (e) {
      setPublication(before);
      setError(errorMessage(e));
    }
  };
  if (!publication) return error ? <p className="sync-message">{error}</p> : null;
  return (
    <div className="hub-publication">
      <label className="inline">
        <input type="checkbox" className="hub-published" checked={publication.published}
               onChange={(e) => toggle(e.target.checked)} /> Published on this archive's hub
      </label>
      <span className="muted hub-shared">
        {publication.shared ? `shared (${publication.activity})` : 'not shared'} · {publication.forks} forks ·{' '}
        {publication.installs} installs
      </span>
      {error && <p className="sync-message">{error}</p>}
    </div>
  );
}
