// Bulk operations on the grid's selection: push to or pull from a platform as
// a background job, with its progress from the event stream and the failures
// listed (and retryable).
import { useEffect, useState } from 'react';
import { call, Platform } from './api';

interface Job {
  id: number;
  status: string;
  total: number;
  done: number;
  failed: number;
}

export function BulkBar({ selected, onClear, onSelectAll }: { selected: number[]; onClear: () => void; onSelectAll: () => void }) {
  const [platforms, setPlatforms] = useState<Platform[]>([]);
  const [platform, setPlatform] = useState('');
  const [job, setJob] = useState<Job | null>(null);
  const [failures, setFailures] = useState<{ cardId: number; error: string }[]>([]);
  const [error, setError] = useState('');

  useEffect(() => {
    call<{ platforms: Platform[] }>('GET', '/api/federation/platforms').then((r) => {
      const enabled = r.platforms.filter((p) => p.enabled === 1);
      setPlatforms(enabled);
      if (enabled.length) setPlatform(enabled[0].platform);
    });
  }, []);

  useEffect(() => {
    if (!job || job.status === 'done' || job.status === 'failed' || job.status === 'cancelled') return;
    const stream = new EventSource('/api/federation/events/stream');
    stream.onmessage = (m) => {
      const event = JSON.parse(m.data);
      if (event.type === 'job' && event.job.id === job.id) setJob(event.job);
    };
    return () => stream.close();
  }, [job?.id, job?.status]);

  useEffect(() => {
    if (job && (job.status === 'done' || job.status === 'failed')) {
      call<any>('GET', `/api/federation/jobs/${job.id}`).then((r) => setFailures(r.job.failures));
    }
  }, [job?.status]);

  const start = async (kind: 'push' | 'pull', ids: number[]) => {
    setError('');
    setFailures([]);
    try {
      const r = await call<{ job: Job }>('POST', '/api/federation/jobs', { kind, platform, cardIds: ids });
      setJob(r.job);
    } catch (e: any) {
      setError(e.message);
    }
  };

  if (!selected.length && !job) return null;
  return (
    <div className="bulk-bar" role="region" aria-label="Selection">
      <span className="selection-count">{selected.length} selected</span>
      <button onClick={onSelectAll}>Select all results</button>
      <button onClick={onClear}>Clear</button>
      <select aria-label="Platform" value={platform} onChange={(e) => setPlatform(e.target.value)}>
        {platforms.map((p) => <option key={p.platform} value={p.platform}>{p.display_name}</option>)}
      </select>
      <button className="primary bulk-push" disabled={!platform || !selected.length} onClick={() => start('push', selected)}>Push</button>
      <button className="bulk-pull" disabled={!platform || !selected.length} onClick={() => start('pull', selected)}>Pull</button>
      {error && <span className="error">{error}</span>}
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
