// Simple SVG charts for the statistics page: horizontal bars (a label and a
// count per row) and columns (a series in order, such as months). Each bar
// carries its label and count as text and a <title>, so the numbers are
// readable without the picture.
export interface Bar {
  label: string;
  count: number;
}

const ROW = 22;
const LABEL = 130;
const WIDTH = 460;

export function BarChart({ title, bars, className }: { title: string; bars: Bar[]; className: string }) {
  const max = Math.max(1, ...bars.map((b) => b.count));
  const span = WIDTH - LABEL - 50;
  return (
    <figure className={`chart ${className}`}>
      <figcaption>{title}</figcaption>
      {bars.length ? (
        <svg viewBox={`0 0 ${WIDTH} ${bars.length * ROW}`} role="img" aria-label={title}>
          {bars.map((b, k) => (
            <g key={b.label} className="bar" data-label={b.label} data-count={b.count} transform={`translate(0 ${k * ROW})`}>
              <title>{`${b.label || 'unknown'}: ${b.count}`}</title>
              <text x={LABEL - 6} y={ROW / 2} textAnchor="end" dominantBaseline="middle">
                {(b.label || 'unknown').slice(0, 20)}
              </text>
              <rect x={LABEL} y={3} height={ROW - 6} width={Math.max(2, (b.count / max) * span)} rx={3} />
              <text x={LABEL + Math.max(2, (b.count / max) * span) + 6} y={ROW / 2} dominantBaseline="middle">{b.count}</text>
            </g>
          ))}
        </svg>
      ) : <p className="muted">Nothing yet.</p>}
    </figure>
  );
}

const HEIGHT = 160;

export function ColumnChart({ title, bars, className }: { title: string; bars: Bar[]; className: string }) {
  const max = Math.max(1, ...bars.map((b) => b.count));
  const column = Math.max(24, Math.min(60, WIDTH / Math.max(1, bars.length)));
  const width = Math.max(WIDTH, column * bars.length);
  return (
    <figure className={`chart ${className}`}>
      <figcaption>{title}</figcaption>
      {bars.length ? (
        <svg viewBox={`0 0 ${width} ${HEIGHT + 36}`} role="img" aria-label={title}>
          {bars.map((b, k) => {
            const h = Math.max(2, (b.count / max) * HEIGHT);
            return (
              <g key={b.label} className="bar" data-label={b.label} data-count={b.count} transform={`translate(${k * column} 0)`}>
                <title>{`${b.label}: ${b.count}`}</title>
                <text x={column / 2} y={HEIGHT + 2 - h - 4} textAnchor="middle">{b.count}</text>
                <rect x={4} y={HEIGHT + 2 - h} width={column - 8} height={h} rx={3} />
                <text x={column / 2} y={HEIGHT + 20} textAnchor="middle" className="axis">{b.label}</text>
              </g>
            );
          })}
        </svg>
      ) : <p className="muted">Nothing yet.</p>}
    </figure>
  );
}
