// Bulk operations on the grid's selection: push to or pull from a platform as
// a background job, with its progress from the event stream and the failures
// listed (and retryable).
import { useEffect, useState } from 'react';
import { call, errorMessage, Job, JobDetail, Platform, StreamEvent } from './api';

export function BulkBar({ selected, onClear, onSelectAll }: { selected: number[]; onClear: () => void; onSelectAll: () => void }) {
  const [platforms, setPlatforms] = useState<Platform[]>([]);
  const [platform, setPlatform] = useState('');
  const [job, setJob] = useState<Job | null>(null);
  const [failures, setFailures] = useState<JobDetail['failures']>([]);
  const [error, setError] = useState('');

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
    if (jobId === undefined || jobStatus === 'done' || jobStatus === 'failed' || jobStatus === 'cancelled') return;
    const stream = new EventSource('/api/federation/events/stream');
    // A job can move (or finish) before the stream is open: read where it is once the
    // stream listens, then follow its events.
    stream.onopen = () => {
      call<{ job: JobDetail }>('GET', `/api/federation/jobs/${jobId}`).then((r) => setJob(r.job)).catch(() => {});
    };
    stream.onmessage = (m) => {
      const event: StreamEvent = JSON.parse(m.data);
      if (event.type === 'job' && event.job.id === jobId) setJob(event.job);
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
