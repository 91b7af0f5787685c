// A card's conflict on a platform, one item at a time as the sync core decides them: each
// field, extension key, lorebook entry (or entry field) and greeting that changed, with the
// base, the archive's and the peer's value side by side and a choice per item (or all of one
// side), so the archive's edit of lorebook entry 1 and the peer's edit of entry 2 can be
// taken together; apply resolves with those choices.
import { useEffect, useState } from 'react';
import { call, CardDiff, errorMessage, ItemDiff } from './api';
import { DiffLines } from './lineDiff';

type Side = 'local' | 'remote';

const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v, null, 2));

// "Lorebook entry 2 · content", "Alternate greeting 2", "extensions.depth_prompt".
function itemLabel(d: ItemDiff): string {
  const entry = d.entry?.startsWith('id:') ? d.entry.slice(3).replace(/^"(.*)"$/, '$1') : d.entry;
  if (d.kind === 'entry') return `Lorebook entry ${entry}`;
  if (d.kind === 'entry_field') return `Lorebook entry ${entry} · ${d.item.slice(d.item.lastIndexOf('.') + 1)}`;
  if (d.kind === 'entry_order') return 'Lorebook entries (order)';
  const greeting = /^(alternate_greetings|group_only_greetings)\[(\d+)\]$/.exec(d.item);
  if (greeting) return `${greeting[1] === 'alternate_greetings' ? 'Alternate' : 'Group-only'} greeting ${Number(greeting[2]) + 1}`;
  return d.item;
}

export function ConflictView({ cardId, platform, onDone }: { cardId: number; platform: string; onDone: () => void }) {
  const [diff, setDiff] = useState<CardDiff | null>(null);
  const [choices, setChoices] = useState<Record<string, Side>>({});
  const [error, setError] = useState('');

  useEffect(() => {
    call<CardDiff>('GET', `/api/federation/cards/${cardId}/diff/${platform}`)
      .then((d) => {
        setDiff(d);
        const initial: Record<string, Side> = {};
        for (const i of d.items) {
          if (i.decision === 'take_local') initial[i.item] = 'local';
          if (i.decision === 'take_remote') initial[i.item] = 'remote';
        }
        setChoices(initial);
      })
      .catch((e) => setError(errorMessage(e)));
  }, [cardId, platform]);

  if (error) return <p className="error">{error}</p>;
  if (!diff) return <p>Loading the differences…</p>;
  const choosable = diff.items.filter((i) => i.decision !== 'converged');
  const unresolved = choosable.filter((i) => !choices[i.item]).map(itemLabel);
  const all = (side: Side) => setChoices(Object.fromEntries(choosable.map((i) => [i.item, side])));
  const apply = async () => {
    try {
      await call('POST', `/api/federation/cards/${cardId}/resolve/${platform}`, { strategy: 'merge', items: choices });
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const cell = (i: ItemDiff, side: Side) => {
    const changed = side === 'local' ? i.decision === 'take_local' || i.decision === 'conflict'
                                     : i.decision === 'take_remote' || i.decision === 'conflict';
    const lines = side === 'local' ? i.local_lines : i.remote_lines;
    return (
      <td className={changed ? 'cell-changed' : ''} data-label={side === 'local' ? 'Archive' : platform}>
        {i.decision !== 'converged' && (
          <label className="inline">
            <input type="radio" name={`choice-${i.item}`} value={side} checked={choices[i.item] === side}
                   onChange={() => setChoices({ ...choices, [i.item]: side })} /> use this
          </label>
        )}
        {lines ? <DiffLines lines={lines} /> : <pre>{show(side === 'local' ? i.local : i.remote)}</pre>}
      </td>
    );
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
            <th>Item</th>
            <th>Base (last sync)</th>
            <th>Archive</th>
            <th>{platform}</th>
          </tr>
        </thead>
        <tbody>
          {diff.items.map((i) => (
            <tr key={i.item} className={i.decision === 'conflict' ? 'field-conflict' : ''} data-field={i.field} data-item={i.item}>
              <th>
                {itemLabel(i)}
                {i.decision === 'conflict' && <span className="badge badge-conflict">both changed</span>}
                {i.decision === 'converged' && <span className="badge">changed alike</span>}
              </th>
              <td className="cell-base" data-label="Base (last sync)"><pre>{show(i.base)}</pre></td>
              {cell(i, 'local')}
              {cell(i, 'remote')}
            </tr>
          ))}
        </tbody>
      </table>
      {unresolved.length > 0 && <p className="muted">Choose a side for: {unresolved.join(', ')}</p>}
      <button className="primary apply-merge" disabled={unresolved.length > 0} onClick={apply}>Apply merge</button>
    </div>
  );
}
