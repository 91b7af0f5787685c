// A card's tags as chips: × removes one, Enter or a comma adds what is typed,
// Backspace in the empty box removes the last; the archive's tags
// (GET /api/tags, most used first) are offered as completions.
import { useEffect, useId, useState } from 'react';
import { call } from './api';

let known: Promise<string[]> | null = null;
// After tags change across cards (the tag manager, bulk tags): read them again.
export function forgetKnownTags() {
  known = null;
}
function knownTags(): Promise<string[]> {
  known ??= call<{ tags: { tag: string; count: number }[] }>('GET', '/api/tags')
    .then((r) => [...r.tags].sort((a, b) => b.count - a.count).map((t) => t.tag))
    .catch(() => {
      known = null;
      return [];
    });
  return known;
}

export function TagChips({ tags, onChange }: { tags: string[]; onChange: (tags: string[]) => void }) {
  const [text, setText] = useState('');
  const [options, setOptions] = useState<string[]>([]);
  const list = useId();
  useEffect(() => {
    knownTags().then(setOptions);
  }, []);
  const add = (value: string) => {
    const fresh = value.split(',').map((t) => t.trim()).filter((t) => t && !tags.includes(t));
    if (fresh.length) onChange([...tags, ...Array.from(new Set(fresh))]);
    setText('');
  };
  return (
    <div className="tag-chips">
      {tags.map((t) => (
        <span key={t} className="chip tag-chip">
          {t}
          <button type="button" className="link" aria-label={`Remove tag ${t}`} onClick={() => onChange(tags.filter((x) => x !== t))}>×</button>
        </span>
      ))}
      <input name="tags" aria-label="Add a tag" list={list} placeholder="add a tag…" value={text}
             onChange={(e) => (e.target.value.includes(',') ? add(e.target.value) : setText(e.target.value))}
             onBlur={() => text.trim() && add(text)}
             onKeyDown={(e) => {
               if (e.key === 'Enter') {
                 e.preventDefault();
                 add(text);
               } else if (e.key === 'Backspace' && !text && tags.length) {
                 onChange(tags.slice(0, -1));
               }
             }} />
      <datalist id={list}>
        {options.filter((o) => !tags.includes(o)).slice(0, 200).map((o) => <option key={o} value={o} />)}
      </datalist>
    </div>
  );
}
