// Bulk operations on the grid's selection: add or remove a tag, mark or
// unmark favorites (at once, then the grid refreshes), move them to the trash
// (with the app's Undo toast), export the cards as
// one zip (PNG, JSON or CharX), and push to or pull
// from a platform as a background job, with its progress from the event
// stream and the failures listed (and retryable).
import { useEffect, useState } from 'react';
import { forgetKnownTags } from './TagChips';
import { call, errorMessage, exportCards, hasEnded, Job, JobDetail, Platform, StreamEvent, TagsChanged } from './api';
import { moveToTrash } from './Trash';

// Of two states of a job, the later one: a job's count of done cards only grows,
// and once it has ended it stays ended. Another job's state replaces it.
function later(shown: Job | null, next: Job): Job {
  if (!shown || shown.id !== next.id) return next;
  if (hasEnded(shown.status) || next.done < shown.done) return shown;
  return next;
}

export function BulkBar({ selected, onClear, onSelectAll, onChanged }: {
  selected: number[];
  onClear: () => void;
  onSelectAll: () => void;
  onChanged: () => void; // cards' tags or favorites changed
}) {
  const [platforms, setPlatforms] = useState<Platform[]>([]);
  const [platform, setPlatform] = useState('');
  const [job, setJob] = useState<Job | null>(null);
  const [failures, setFailures] = useState<JobDetail['failures']>([]);
  const [error, setError] = useState('');
  const [tag, setTag] = useState('');
  const [done, setDone] = useState('');
  const [format, setFormat] = useState<'png' | 'json' | 'charx'>('png');

  useEffect(() => {
    call<{ platforms: Platform[] }>('GET', '/api/federation/platforms').then((r) => {
      const enabled = r.platforms.filter((p) => p.enabled === 1);
      setPlatforms(enabled);
      if (enabled.length) setPlatform(enabled[0].platform);
    });
  }, []);

  // The effects follow the job's id and status, not each progress step: the
  // stream stays open while the job runs.
  const jobId = job?.id;
  const jobStatus = job?.status;
  useEffect(() => {
    if (jobId === undefined || hasEnded(jobStatus)) return;
    const stream = new EventSource('/api/federation/events/stream');
    // A job can move (or finish) before the stream is open: read where it is once the
    // stream listens, then follow its events. That read can answer after later events
    // (or after the job ended): the later state stays.
    stream.onopen = () => {
      call<{ job: JobDetail }>('GET', `/api/federation/jobs/${jobId}`)
        .then((r) => setJob((shown) => later(shown, r.job))).catch(() => {});
    };
    stream.onmessage = (m) => {
      const event: StreamEvent = JSON.parse(m.data);
      if (event.type === 'job' && event.job.id === jobId) setJob((shown) => later(shown, event.job));
    };
    return () => stream.close();
  }, [jobId, jobStatus]);

  useEffect(() => {
    if (jobId !== undefined && (jobStatus === 'done' || jobStatus === 'failed')) {
      call<{ job: JobDetail }>('GET', `/api/federation/jobs/${jobId}`).then((r) => setFailures(r.job.failures));
    }
  }, [jobId, jobStatus]);

  const start = async (kind: 'push' | 'pull', ids: number[]) => {
    setError('');
    setFailures([]);
    try {
      const r = await call<{ job: Job }>('POST', '/api/federation/jobs', { kind, platform, cardIds: ids });
      setJob(r.job);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  // Runs an action on the selection and says how it went; the grid refreshes.
  const run = async (action: () => Promise<string>) => {
    setError('');
    setDone('');
    try {
      setDone(await action());
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const cards = (n: number) => `${n} card${n === 1 ? '' : 's'}`;
  const editTag = (change: 'add' | 'remove') => run(async () => {
    const r = await call<TagsChanged>('POST', '/api/cards/bulk/tags', { cardIds: selected, [change]: [tag.trim()] });
    forgetKnownTags();
    setTag('');
    return `${change === 'add' ? 'Tagged' : 'Untagged'} ${cards(r.changed)} “${tag.trim()}”`;
  });
  const favorite = (on: boolean) => run(async () => {
    const r = await call<{ changed: number }>('POST', '/api/cards/bulk/favorite', { cardIds: selected, favorite: on });
    return `${on ? 'Added' : 'Removed'} ${cards(r.changed)} ${on ? 'to' : 'from'} favorites`;
  });

  if (!selected.length && !job) return null;
  return (
    <div className="bulk-bar" role="region" aria-label="Selection">
      <span className="selection-count">{selected.length} selected</span>
      <button onClick={onSelectAll}>Select all results</button>
      <button onClick={onClear}>Clear</button>
      <span className="bulk-tags">
        <input className="bulk-tag" aria-label="Tag for the selected cards" placeholder="tag" value={tag}
               onChange={(e) => setTag(e.target.value)} />
        <button className="bulk-tag-add" disabled={!tag.trim() || !selected.length} onClick={() => editTag('add')}>Add tag</button>
        <button className="bulk-tag-remove" disabled={!tag.trim() || !selected.length} onClick={() => editTag('remove')}>Remove tag</button>
      </span>
      <button className="bulk-favorite" disabled={!selected.length} onClick={() => favorite(true)}>★ Favorite</button>
      <button className="bulk-unfavorite" disabled={!selected.length} onClick={() => favorite(false)}>☆ Unfavorite</button>
      <button className="bulk-delete danger" disabled={!selected.length} onClick={() => run(async () => {
        const n = selected.length;
        await moveToTrash(selected, cards(n));
        onClear();
        return `Moved ${cards(n)} to the trash`;
      })}>Delete</button>
      <span className="bulk-tags">
        <select aria-label="Export format" value={format} onChange={(e) => setFormat(e.target.value as typeof format)}>
          <option value="png">PNG</option>
          <option value="json">JSON</option>
          <option value="charx">CharX</option>
        </select>
        <button className="bulk-export" disabled={!selected.length} onClick={() => run(async () => {
          await exportCards(selected, format);
          return `Exported ${cards(selected.length)} as a zip`;
        })}>Export zip</button>
      </span>
      <select aria-label="Platform" value={platform} onChange={(e) => setPlatform(e.target.value)}>
        {platforms.map((p) => <option key={p.platform} value={p.platform}>{p.display_name}</option>)}
      </select>
      <button className="primary bulk-push" disabled={!platform || !selected.length} onClick={() => start('push', selected)}>Push</button>
      <button className="bulk-pull" disabled={!platform || !selected.length} onClick={() => start('pull', selected)}>Pull</button>
      {error && <span className="error">{error}</span>}
      {done && <span className="bulk-done status-ok" role="status">{done}</span>}
      {job && (
        <span className="job-progress">
          <progress max={job.total || 1} value={job.done} />
          <span className="job-count">{job.done}/{job.total}</span> {job.status}
          {job.failed > 0 && <span className="error"> · {job.failed} failed</span>}
        </span>
      )}
      {failures.length > 0 && (
        <details className="failures" open>
          <summary>Failures</summary>
          <ul>{failures.map((f) => <li key={f.cardId}>#{f.cardId}: {f.error}</li>)}</ul>
          <button onClick={() => start('push', failures.map((f) => f.cardId))}>Retry failed</button>
        </details>
      )}
    </div>
  );
}
