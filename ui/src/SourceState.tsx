// Where a card came from when a source (Chub, Character Tavern) brought it,
// and, when the source changed a card that was also edited here, the choice
// between the two (docs/sources.md, conflicts).
import { useCallback, useEffect, useState } from 'react';
import { ApiError, call, CardSource, errorMessage } from './api';

export function SourceState({ cardId, onChanged }: { cardId: number; onChanged: () => void }) {
  const [state, setState] = useState<CardSource | null>(null);
  const [error, setError] = useState('');
  const load = useCallback(() =>
    call<CardSource>('GET', `/api/sources/cards/${cardId}`).then(setState).catch((e) => {
      if (!(e instanceof ApiError && e.status === 404)) setError(errorMessage(e));
    }), [cardId]);
  useEffect(() => {
    load();
  }, [load]);
  const resolve = async (keep: 'local' | 'source') => {
    try {
      await call('POST', `/api/sources/cards/${cardId}/resolve`, { keep });
      setError('');
      load();
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  if (!state) return error ? <p className="sync-message">{error}</p> : null;
  return (
    <div className="source-state" data-status={state.status}>
      From <strong>{state.source}</strong> <span className="muted">{state.source_id}</span>{' '}
      <span className={`badge badge-${state.status}`}>{state.status}</span>
      {state.status === 'conflict' && (
        <>
          <p className="sync-message">The source changed this card and so did you. Keep which?</p>
          <button className="keep-local" onClick={() => resolve('local')}>Keep mine</button>
          <button className="keep-source" onClick={() => resolve('source')}>Take the source's</button>
        </>
      )}
      {error && <p className="sync-message">{error}</p>}
    </div>
  );
}
