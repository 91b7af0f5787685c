// The card sources (docs/sources.md): one panel per public hub with its
// settings (the API key is write-only), "Sync now" with the run's progress
// live from the event stream, the recent runs, and the cards blocked because
// they were deleted here (with Unblock).
import { useCallback, useEffect, useState } from 'react';
import { BlockedCard, call, hasEnded, Source, SourceRun, StreamEvent } from './api';
import { Modal } from './Modal';
import { useActionStatus } from './useActionStatus';

const list = (text: string) => text.split(',').map((t) => t.trim()).filter(Boolean);

function RunReport({ run }: { run: SourceRun }) {
  const live = !hasEnded(run.status);
  return (
    <div className={`source-run run-${run.status}`} data-run={run.id}>
      <strong className="run-status">{run.status}</strong>{run.full ? ' (full)' : ''} ·{' '}
      <span className="run-counts">
        {run.seen} seen, {run.new} new, {run.updated} updated, {run.unchanged} unchanged, {run.conflicts} conflicts,{' '}
        {run.blocked} blocked, {run.failed} failed
      </span>{' '}
      · {run.requests} requests {live && <progress aria-label="running" />}
      {run.message && <p className="muted run-message">{run.message}</p>}
    </div>
  );
}

function SourcePanel({ source, onSaved }: { source: Source; onSaved: () => void }) {
  const [enabled, setEnabled] = useState(source.enabled);
  const [baseUrl, setBaseUrl] = useState(source.base_url);
  const [apiKey, setApiKey] = useState('');
  const [tags, setTags] = useState(source.filters.tags.join(', '));
  const [creators, setCreators] = useState(source.filters.creators.join(', '));
  const [nsfw, setNsfw] = useState(source.filters.nsfw);
  const [minTokens, setMinTokens] = useState(String(source.filters.min_tokens));
  const [everyMinutes, setEveryMinutes] = useState(String(source.interval_minutes));
  const [runs, setRuns] = useState<SourceRun[]>([]);
  const [blocked, setBlocked] = useState<BlockedCard[]>([]);
  const { message, kind: messageKind, attempt } = useActionStatus();
  const base = `/api/sources/${source.source}`;
  const current = runs[0];

  const loadRuns = useCallback(
    () => call<{ runs: SourceRun[] }>('GET', `${base}/runs?limit=5`).then((r) => setRuns(r.runs)), [base]);
  const loadBlocked = useCallback(
    () => call<{ blocked: BlockedCard[] }>('GET', `${base}/blocked`).then((r) => setBlocked(r.blocked)), [base]);
  useEffect(() => {
    loadRuns();
    loadBlocked();
  }, [loadRuns, loadBlocked]);
  // The stream follows the newest run's id and status, not each count it reports.
  const currentId = current?.id;
  const currentStatus = current?.status;
  useEffect(() => {
    if (currentId === undefined || !currentStatus || hasEnded(currentStatus)) return;
    const stream = new EventSource('/api/federation/events/stream');
    // A run that moved or ended between the list and the stream: read the list once the
    // stream listens, then follow its events.
    stream.onopen = () => { loadRuns(); };
    stream.onmessage = (m) => {
      const event: StreamEvent = JSON.parse(m.data);
      if (event.type !== 'source_run' || event.run.id !== currentId) return;
      setRuns((rs) => rs.map((r) => (r.id === event.run.id ? event.run : r)));
      if (hasEnded(event.run.status)) window.dispatchEvent(new Event('charchive:changed'));
    };
    return () => stream.close();
  }, [currentId, currentStatus, loadRuns]);

  const save = () => attempt(async () => {
    const body: Record<string, unknown> = {
      enabled, base_url: baseUrl, interval_minutes: Number(everyMinutes) || 0,
      filters: { tags: list(tags), creators: list(creators), nsfw, min_tokens: Number(minTokens) || 0 },
    };
    if (apiKey) body.api_key = apiKey;
    await call('PUT', base, body);
    setApiKey('');
    onSaved();
  }, 'Saved!');
  const sync = (full: boolean) => attempt(async () => {
    const r = await call<{ run: SourceRun }>('POST', `${base}/sync`, { full });
    setRuns((rs) => [r.run, ...rs]);
  }, 'Sync started.');
  const cancel = () => attempt(async () => {
    await call('POST', `${base}/runs/${current.id}/cancel`);
    loadRuns();
  }, 'Cancelled.');
  const unblock = (sourceId: string) => attempt(async () => {
    await call('POST', `${base}/unblock`, { source_id: sourceId });
    loadBlocked();
  }, `${sourceId} will be imported again by the next run.`);

  const id = `source-${source.source}`;
  return (
    <section className="platform-panel source-panel" data-source={source.source}>
      <header>
        <h3>{source.display_name}</h3>
        <label className="inline">
          <input type="checkbox" className="source-enabled" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Enabled
        </label>
      </header>
      <label htmlFor={`${id}-url`}>Base URL</label>
      <input id={`${id}-url`} className="base-url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} />
      <label htmlFor={`${id}-key`}>API key</label>
      <input id={`${id}-key`} className="api-key" type="password" value={apiKey} autoComplete="new-password"
             placeholder={source.api_key ? 'Leave blank to keep existing' : 'Not set (optional)'}
             onChange={(e) => setApiKey(e.target.value)} />
      <div className="row">
        <label>Tags <input className="source-tags" value={tags} placeholder="any" onChange={(e) => setTags(e.target.value)} /></label>
        <label>Creators <input className="source-creators" value={creators} placeholder="any" onChange={(e) => setCreators(e.target.value)} /></label>
      </div>
      <div className="row">
        <label className="inline">
          <input type="checkbox" checked={nsfw} onChange={(e) => setNsfw(e.target.checked)} /> NSFW
        </label>
        <label>Min tokens <input className="short" type="number" min={0} value={minTokens} onChange={(e) => setMinTokens(e.target.value)} /></label>
        <label>Every (minutes, 0 = by hand) <input className="short" type="number" min={0} max={10080} value={everyMinutes}
                                                  onChange={(e) => setEveryMinutes(e.target.value)} /></label>
      </div>
      <div className="row actions">
        <button className="primary source-save" onClick={save}>Save</button>
        <button className="source-sync" disabled={current && !hasEnded(current.status)} onClick={() => sync(false)}>Sync now</button>
        <button className="source-full" disabled={current && !hasEnded(current.status)} onClick={() => sync(true)}>Full resync</button>
        {current && !hasEnded(current.status) && <button className="source-cancel" onClick={cancel}>Cancel</button>}
      </div>
      {message && <p className={`source-message status-${messageKind}`}>{message}</p>}
      <h4>Runs</h4>
      {runs.map((r) => <RunReport key={r.id} run={r} />)}
      {!runs.length && <p className="muted">Never run.</p>}
      <h4>Blocked (deleted here, skipped by runs)</h4>
      <ul className="source-blocked">
        {blocked.map((b) => (
          <li key={b.source_id} data-source-id={b.source_id}>
            {b.card_name} <span className="muted">{b.source_id}</span>{' '}
            <button className="unblock" onClick={() => unblock(b.source_id)}>Unblock</button>
          </li>
        ))}
        {!blocked.length && <li className="muted">None.</li>}
      </ul>
    </section>
  );
}

export function SourcesModal({ onClose }: { onClose: () => void }) {
  const [sources, setSources] = useState<Source[]>([]);
  const load = () => call<{ sources: Source[] }>('GET', '/api/sources').then((r) => setSources(r.sources));
  useEffect(() => {
    load();
  }, []);
  return (
    <Modal title="Sources" className="sources-modal" onClose={onClose}>
      {sources.map((s) => <SourcePanel key={s.source} source={s} onSaved={load} />)}
    </Modal>
  );
}
