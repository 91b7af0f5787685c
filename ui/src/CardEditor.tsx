// The card editor: every V3 data field in tabs (basics, greetings, lorebook,
// extensions as JSON, the whole data as raw JSON), token counts per field and
// in total, a name check, and save feedback. It edits a copy of the card's
// `data`; saving sends what changed (a new card: all of it). Fields the editor
// has no control for are kept as they came, and the raw JSON tab edits them.
import { useEffect, useMemo, useState } from 'react';
import { CardData, errorMessage } from './api';
import { CharacterBook, LorebookEditor } from './LorebookEditor';
import { Markdown } from './Markdown';
import { StringList } from './StringList';
import { TagChips } from './TagChips';
import { cardTokens, TokenCount, TOKENIZER_NAME, useTokenizer } from './tokens';
import { setUnsaved } from './unsaved';

type Tab = 'basics' | 'greetings' | 'lorebook' | 'extensions' | 'raw';
const TABS: [Tab, string][] = [
  ['basics', 'Basics'], ['greetings', 'Greetings'], ['lorebook', 'Lorebook'], ['extensions', 'Extensions'], ['raw', 'Raw JSON'],
];

const LINES: [string, string][] = [['name', 'Name'], ['nickname', 'Nickname'], ['creator', 'Creator'], ['character_version', 'Version']];
const TEXTS: [string, string, number][] = [
  ['description', 'Description', 8], ['personality', 'Personality', 4], ['scenario', 'Scenario', 4],
  ['mes_example', 'Example messages', 6], ['system_prompt', 'System prompt', 4],
  ['post_history_instructions', 'Post-history instructions', 4],
];

const text = (v: unknown) => (typeof v === 'string' ? v : '');
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

// The fields of `draft` that differ from `base`; a removed field is null.
export function changedFields(base: CardData, draft: CardData): CardData {
  const patch: CardData = {};
  for (const key of new Set([...Object.keys(base), ...Object.keys(draft)])) {
    if (!same(base[key], draft[key])) patch[key] = draft[key] === undefined ? null : draft[key];
  }
  return patch;
}

// A JSON text box that hands on what it parses to (an object) and says why not.
function JsonBox({ name, value, onChange, onValidity, rows }: {
  name: string;
  value: unknown;
  onChange: (v: Record<string, unknown>) => void;
  onValidity: (error: string) => void;
  rows: number;
}) {
  const [textValue, setText] = useState(() => JSON.stringify(value ?? {}, null, 2));
  const [error, setError] = useState('');
  const edit = (t: string) => {
    setText(t);
    let message = '';
    try {
      const parsed: unknown = JSON.parse(t);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) message = 'must be a JSON object ({…})';
      else onChange(parsed as Record<string, unknown>);
    } catch (e) {
      message = `not valid JSON: ${errorMessage(e)}`;
    }
    setError(message);
    onValidity(message);
  };
  return (
    <>
      <textarea name={name} className="json-box" spellCheck={false} rows={rows} value={textValue}
                aria-invalid={!!error} onChange={(e) => edit(e.target.value)} />
      {error ? <p className="error json-error" role="alert">{name}: {error}</p> : <p className="muted json-ok">Valid JSON.</p>}
    </>
  );
}

export function CardEditor({ initial, isNew, onSave, onCancel }: {
  initial: CardData;
  isNew: boolean;
  onSave: (data: CardData) => Promise<void>; // the changed fields (all of them for a new card)
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<CardData>(() => structuredClone(initial));
  const [tab, setTab] = useState<Tab>('basics');
  const [jsonError, setJsonError] = useState('');
  const [status, setStatus] = useState<{ kind: 'saving' | 'error'; message: string } | null>(null);
  const [preview, setPreview] = useState(false);
  const count = useTokenizer();
  const dirty = !same(initial, draft);
  useEffect(() => {
    setUnsaved(dirty);
    return () => setUnsaved(false);
  }, [dirty]);
  const totals = useMemo(() => (count ? cardTokens(draft, count) : null), [count, draft]);

  const set = (field: string, value: unknown) => setDraft((d) => ({ ...d, [field]: value }));
  const nameMissing = !text(draft.name).trim();
  const switchTab = (t: Tab) => {
    // A JSON box's text belongs to its tab: leaving it with an error drops the bad text.
    setJsonError('');
    setTab(t);
  };
  const save = async () => {
    if (nameMissing || jsonError) return;
    setStatus({ kind: 'saving', message: 'Saving…' });
    try {
      await onSave(isNew ? draft : changedFields(initial, draft));
      setUnsaved(false);
    } catch (e) {
      setStatus({ kind: 'error', message: errorMessage(e) });
    }
  };

  return (
    <div className="card-editor">
      <nav className="tabs" role="tablist" aria-label="Editor sections">
        {TABS.map(([t, label]) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? 'tab active' : 'tab'}
                  onClick={() => switchTab(t)}>{label}</button>
        ))}
      </nav>
      <p className="token-totals muted">
        {totals ? <>Total <strong className="total-tokens">{totals.total}</strong> tokens, permanent <strong className="permanent-tokens">{totals.permanent}</strong></> : 'Counting tokens…'}
        {' '}<span title="The tokenizer: OpenAI's cl100k_base, as SillyTavern's &quot;OpenAI (cl100k_base)&quot; tokenizer counts">({TOKENIZER_NAME}; permanent as SillyTavern counts it: name, description, personality, scenario, character note)</span>
      </p>
      {tab === 'basics' && (
        <div className="edit-form">
          <div className="edit-lines">
            {LINES.map(([f, label]) => (
              <label key={f}>
                <span>{label}{f === 'name' && <TokenCount text={text(draft.name)} />}</span>
                <input name={f} value={text(draft[f])} aria-invalid={f === 'name' && nameMissing} required={f === 'name'}
                       onChange={(e) => set(f, e.target.value)} />
                {f === 'name' && nameMissing && <span className="error name-error" role="alert">A card needs a name.</span>}
              </label>
            ))}
          </div>
          <div className="field-label">Tags</div>
          <TagChips tags={strings(draft.tags)} onChange={(t) => set('tags', t)} />
          {TEXTS.map(([f, label, rows]) => (
            <label key={f}>
              <span>{label} <TokenCount text={text(draft[f])} /></span>
              <textarea name={f} rows={rows} value={text(draft[f])} onChange={(e) => set(f, e.target.value)} />
            </label>
          ))}
          <label>
            <span>Creator notes <button type="button" className="link preview-toggle" onClick={() => setPreview(!preview)}>{preview ? 'Edit' : 'Preview'}</button></span>
            {preview
              ? <div className="notes-preview"><Markdown text={text(draft.creator_notes)} /></div>
              : <textarea name="creator_notes" rows={4} value={text(draft.creator_notes)} onChange={(e) => set('creator_notes', e.target.value)} />}
          </label>
        </div>
      )}
      {tab === 'greetings' && (
        <div className="edit-form">
          <label>
            <span>First message <TokenCount text={text(draft.first_mes)} /></span>
            <textarea name="first_mes" rows={6} value={text(draft.first_mes)} onChange={(e) => set('first_mes', e.target.value)} />
          </label>
          <StringList name="alternate_greetings" label="Alternate greetings" addLabel="Add greeting"
                      items={strings(draft.alternate_greetings)} onChange={(g) => set('alternate_greetings', g)} />
          <StringList name="group_only_greetings" label="Group-only greetings" addLabel="Add group greeting"
                      items={strings(draft.group_only_greetings)} onChange={(g) => set('group_only_greetings', g)} />
        </div>
      )}
      {tab === 'lorebook' && (
        <LorebookEditor book={draft.character_book as CharacterBook | undefined} onChange={(b) => set('character_book', b)} />
      )}
      {tab === 'extensions' && (
        <div className="edit-form">
          <p className="muted">The card's <code>extensions</code> object (other apps' data: SillyTavern's depth prompt, talkativeness, world…), as JSON.</p>
          <JsonBox name="extensions" rows={16} value={draft.extensions} onChange={(v) => set('extensions', v)} onValidity={setJsonError} />
        </div>
      )}
      {tab === 'raw' && (
        <div className="edit-form">
          <p className="muted">The whole of the card's V3 <code>data</code>, as JSON.</p>
          <JsonBox name="raw" rows={24} value={draft} onChange={(v) => setDraft(v as CardData)} onValidity={setJsonError} />
        </div>
      )}
      <div className="row actions editor-actions">
        <button type="button" className="primary save" disabled={nameMissing || !!jsonError || status?.kind === 'saving' || (!dirty && !isNew)}
                onClick={save}>{isNew ? 'Create card' : 'Save'}</button>
        <button type="button" className="cancel" onClick={onCancel}>Cancel</button>
        {status && <span className={status.kind === 'error' ? 'error save-status' : 'muted save-status'} role="status">{status.message}</span>}
        {!status && dirty && <span className="muted unsaved">Unsaved changes</span>}
      </div>
    </div>
  );
}
