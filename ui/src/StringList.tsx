// A numbered list of texts (alternate or group-only greetings): each can be
// edited, moved up or down, or removed, and a new one added at the end.
import { TokenCount } from './tokens';

export function StringList({ name, label, items, onChange, addLabel }: {
  name: string;
  label: string;
  items: string[];
  onChange: (items: string[]) => void;
  addLabel: string;
}) {
  const set = (k: number, v: string) => onChange(items.map((x, i) => (i === k ? v : x)));
  const move = (k: number, by: number) => {
    const next = [...items];
    [next[k], next[k + by]] = [next[k + by], next[k]];
    onChange(next);
  };
  return (
    <fieldset className={`string-list list-${name}`}>
      <legend>{label} ({items.length})</legend>
      <ol>
        {items.map((text, k) => (
          <li key={k} className="string-item">
            <div className="item-head">
              <strong>{k + 1}.</strong>
              <TokenCount text={text} />
              <span className="spacer" />
              <button type="button" aria-label={`Move ${label.toLowerCase()} ${k + 1} up`} disabled={k === 0} onClick={() => move(k, -1)}>↑</button>
              <button type="button" aria-label={`Move ${label.toLowerCase()} ${k + 1} down`} disabled={k === items.length - 1} onClick={() => move(k, 1)}>↓</button>
              <button type="button" className="danger" aria-label={`Remove ${label.toLowerCase()} ${k + 1}`} onClick={() => onChange(items.filter((_, i) => i !== k))}>Remove</button>
            </div>
            <textarea name={`${name}-${k}`} aria-label={`${label} ${k + 1}`} rows={3} value={text} onChange={(e) => set(k, e.target.value)} />
          </li>
        ))}
      </ol>
      <button type="button" className={`add-${name}`} onClick={() => onChange([...items, ''])}>{addLabel}</button>
    </fieldset>
  );
}
