// A card's conflict on a platform: base, archive and peer side by side for
// each field that differs, a choice per field (or all of one side), a preview
// of the merged card, and apply.
import { useEffect, useMemo, useState } from 'react';
import { call, CardDiff, errorMessage } from './api';
import { DiffLines } from './lineDiff';

const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v, null, 2));

export function ConflictView({ cardId, platform, onDone }: { cardId: number; platform: string; onDone: () => void }) {
  const [diff, setDiff] = useState<CardDiff | null>(null);
  const [choices, setChoices] = useState<Record<string, 'local' | 'remote'>>({});
  const [error, setError] = useState('');

  useEffect(() => {
    call<CardDiff>('GET', `/api/federation/cards/${cardId}/diff/${platform}`)
      .then((d) => {
        setDiff(d);
        const initial: Record<string, 'local' | 'remote'> = {};
        for (const f of d.fields) {
          if (!f.conflict) initial[f.field] = f.remote_changed && !f.local_changed ? 'remote' : 'local';
        }
        setChoices(initial);
      })
      .catch((e) => setError(errorMessage(e)));
  }, [cardId, platform]);

  const preview = useMemo(() => {
    if (!diff) return null;
    const merged = { ...diff.local };
    for (const [field, side] of Object.entries(choices)) if (side === 'remote') merged[field] = diff.remote[field];
    return merged;
  }, [diff, choices]);

  if (error) return <p className="error">{error}</p>;
  if (!diff) return <p>Loading the differences…</p>;
  const unresolved = diff.fields.filter((f) => !choices[f.field]).map((f) => f.field);
  const all = (side: 'local' | 'remote') => setChoices(Object.fromEntries(diff.fields.map((f) => [f.field, side])));
  const apply = async () => {
    try {
      await call('POST', `/api/federation/cards/${cardId}/resolve/${platform}`, { strategy: 'merge', fields: choices });
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <div className="conflict-view">
      <div className="row actions">
        <button onClick={() => all('local')}>Keep all local</button>
        <button onClick={() => all('remote')}>Keep all remote</button>
      </div>
      <table className="three-way">
        <thead>
          <tr>
            <th>Field</th>
            <th>Base (last sync)</th>
            <th>Archive</th>
            <th>{platform}</th>
          </tr>
        </thead>
        <tbody>
          {diff.fields.map((f) => (
            <tr key={f.field} className={f.conflict ? 'field-conflict' : ''} data-field={f.field}>
              <th>
                {f.field}
                {f.conflict && <span className="badge badge-conflict">both changed</span>}
              </th>
              <td className="cell-base"><pre>{show(f.base)}</pre></td>
              <td className={f.local_changed ? 'cell-changed' : ''}>
                <label className="inline">
                  <input type="radio" name={`choice-${f.field}`} value="local" checked={choices[f.field] === 'local'}
                         onChange={() => setChoices({ ...choices, [f.field]: 'local' })} /> use this
                </label>
                {f.local_lines ? <DiffLines lines={f.local_lines} /> : <pre>{show(f.local)}</pre>}
              </td>
              <td className={f.remote_changed ? 'cell-changed' : ''}>
                <label className="inline">
                  <input type="radio" name={`choice-${f.field}`} value="remote" checked={choices[f.field] === 'remote'}
                         onChange={() => setChoices({ ...choices, [f.field]: 'remote' })} /> use this
                </label>
                {f.remote_lines ? <DiffLines lines={f.remote_lines} /> : <pre>{show(f.remote)}</pre>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <details className="merge-preview">
        <summary>Preview the merged card</summary>
        <pre>{JSON.stringify(preview, null, 2)}</pre>
      </details>
      {unresolved.length > 0 && <p className="muted">Choose a side for: {unresolved.join(', ')}</p>}
      <button className="primary apply-merge" disabled={unresolved.length > 0} onClick={apply}>Apply merge</button>
    </div>
  );
}
