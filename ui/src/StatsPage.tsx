// The statistics page (GET /api/stats): cards by source, spec and creator,
// the most used tags, the token distribution and imports per month, as SVG
// charts (Charts.tsx).
import { useEffect, useState } from 'react';
import { call, errorMessage, LibraryStats } from './api';
import { BarChart, ColumnChart } from './Charts';
import { Modal } from './Modal';

export function StatsPage({ onClose }: { onClose: () => void }) {
  const [stats, setStats] = useState<LibraryStats | null>(null);
  const [error, setError] = useState('');
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    setError('');
    call<LibraryStats>('GET', '/api/stats').then(setStats).catch((e) => setError(errorMessage(e)));
  }, [attempt]);
  return (
    <Modal title="Statistics" className="stats-page" onClose={onClose}>
      {error && (
        <div className="state state-error" role="alert">
          <p className="error">{error}</p>
          <button onClick={() => setAttempt((n) => n + 1)}>Retry</button>
        </div>
      )}
      {!stats && !error && <p className="state state-loading"><span className="spinner" /> Loading…</p>}
      {stats && (
        <>
          <p className="stats-totals">
            <strong className="stats-cards">{stats.cards}</strong> cards · <strong className="stats-favorites">{stats.favorites}</strong> favorites
          </p>
          <div className="charts">
            <BarChart title="Cards by source" bars={stats.sources} className="chart-sources" />
            <BarChart title="Cards by spec" bars={stats.specs} className="chart-specs" />
            <BarChart title="Top creators" bars={stats.creators} className="chart-creators" />
            <BarChart title="Top tags" bars={stats.tags} className="chart-tags" />
            <ColumnChart title="Tokens (estimated, characters / 4)" bars={stats.tokens} className="chart-tokens" />
            <ColumnChart title="Imports per month" bars={stats.imports} className="chart-imports" />
          </div>
        </>
      )}
    </Modal>
  );
}
