// The card grid, windowed: only the rows on screen and OVERSCAN rows either
// side are in the DOM (a few dozen tiles at 100,000 cards), spacers above and
// below keep the page's height, and the cards of the rows coming into view are
// asked of `pages` (cardPages.ts) as the page scrolls. Rows have one height
// (tiles are fixed in size, styles.css), measured from the first row drawn.
// Arrow keys, Home, End, Page Up/Down move the focus (scrolling the row into
// view first), Enter opens, Space selects. In selection mode (touch: the grid
// has no Ctrl or Shift) a tap selects instead of opening.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { CardSyncSummary } from './api';
import { CardPages, Tile } from './cardPages';

const OVERSCAN = 2; // rows drawn beyond each edge of the screen
const GAP = 12; // the grid's gap, styles.css .grid

function syncBadge(b?: CardSyncSummary) {
  if (!b || !b.active_syncs) return null;
  if (b.remote_deleted_platforms?.length) {
    return <span className="badge badge-remote_deleted">deleted on {b.remote_deleted_platforms.join(', ')}</span>;
  }
  if (b.error_syncs) return <span className="badge badge-error">sync error</span>;
  if (b.synced_platforms.length === b.active_syncs) return <span className="badge badge-synced">synced</span>;
  return <span className="badge badge-pending">out of sync</span>;
}

// Columns as the CSS grid would lay them out: tiles at least 170 px wide (130 px on a phone).
function columnsFor(width: number) {
  const min = window.matchMedia('(max-width: 700px)').matches ? 130 : 170;
  return Math.max(1, Math.floor((width + GAP) / (min + GAP)));
}

export function CardGrid({ pages, selected, selecting, onOpen, onSelect, onStar }: {
  pages: CardPages;
  selected: number[];
  selecting: boolean; // selection mode: a tap selects
  onOpen: (id: number) => void;
  onSelect: (ids: number[], mode: 'toggle' | 'add') => void;
  onStar: (tile: Tile) => void;
}) {
  const gridRef = useRef<HTMLDivElement>(null);
  const [columns, setColumns] = useState(4);
  const [rowHeight, setRowHeight] = useState(340); // until the first row is measured
  const [range, setRange] = useState({ first: 0, last: 4 }); // rows in the DOM
  const [focus, setFocus] = useState(0);
  const focusPending = useRef<number | null>(null);
  const anchor = useRef<number | null>(null);
  const rows = Math.ceil(pages.count / columns);
  const selectedIds = useMemo(() => new Set(selected), [selected]); // "select all" can hold 100,000

  // The rows the screen shows, from where the grid sits in the viewport.
  const measure = useCallback(() => {
    const grid = gridRef.current;
    if (!grid) return;
    const cols = columnsFor(grid.clientWidth);
    setColumns(cols);
    const first = grid.querySelector<HTMLElement>('[role="row"]');
    const height = first ? first.offsetHeight + GAP : rowHeight;
    if (first && height !== rowHeight) setRowHeight(height);
    const top = grid.getBoundingClientRect().top;
    const from = Math.max(0, Math.floor(-top / height) - OVERSCAN);
    const to = Math.max(from, Math.ceil((window.innerHeight - top) / height) + OVERSCAN);
    setRange((r) => (r.first === from && r.last === to ? r : { first: from, last: to }));
  }, [rowHeight]);

  useLayoutEffect(measure, [measure, pages.count]);
  useEffect(() => {
    let frame = 0;
    const schedule = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(measure);
    };
    window.addEventListener('scroll', schedule, { passive: true });
    window.addEventListener('resize', schedule);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('scroll', schedule);
      window.removeEventListener('resize', schedule);
    };
  }, [measure]);

  const { ensure } = pages;
  const firstRow = Math.min(range.first, Math.max(0, rows - 1));
  const lastRow = Math.min(range.last, rows - 1);
  useEffect(() => {
    if (lastRow >= firstRow) ensure(firstRow * columns, (lastRow + 1) * columns - 1);
  }, [ensure, firstRow, lastRow, columns, pages.version]);

  // After a key moved the focus to a tile that was off screen: focus it once drawn. (Cells
  // are keyed by position, so a placeholder that gets its card keeps the focus.)
  useLayoutEffect(() => {
    if (focusPending.current === null) return;
    const tile = gridRef.current?.querySelector<HTMLElement>(`[data-index="${focusPending.current}"]`);
    if (tile) {
      tile.focus({ preventScroll: true });
      focusPending.current = null;
    }
  });

  const moveFocus = (next: number) => {
    const index = Math.min(pages.count - 1, Math.max(0, next));
    const grid = gridRef.current;
    if (!grid || index < 0) return;
    setFocus(index);
    focusPending.current = index;
    const top = grid.getBoundingClientRect().top + window.scrollY + Math.floor(index / columns) * rowHeight;
    if (top < window.scrollY) window.scrollTo({ top });
    else if (top + rowHeight > window.scrollY + window.innerHeight) window.scrollTo({ top: top + rowHeight - window.innerHeight });
    measure();
  };

  const screenRows = Math.max(1, Math.floor(window.innerHeight / rowHeight));
  const keys = (e: React.KeyboardEvent) => {
    const move: Record<string, number> = {
      ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns,
      PageDown: columns * screenRows, PageUp: -columns * screenRows,
    };
    const tile = pages.tileAt(focus);
    if (e.key in move) {
      e.preventDefault();
      moveFocus(focus + move[e.key]);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      moveFocus(e.key === 'Home' ? 0 : pages.count - 1);
    } else if (e.key === 'Enter' && tile) {
      onOpen(tile.id);
    } else if (e.key === ' ') {
      e.preventDefault(); // on a tile still loading too: Space never scrolls the page away
      if (tile) onSelect([tile.id], 'toggle');
    }
  };

  const click = (e: React.MouseEvent, index: number, id: number) => {
    if (e.shiftKey && anchor.current !== null) {
      onSelect(pages.idsBetween(Math.min(anchor.current, index), Math.max(anchor.current, index)), 'add');
    } else if (selecting || e.ctrlKey || e.metaKey) {
      onSelect([id], 'toggle');
      anchor.current = index;
    } else {
      anchor.current = index;
      onOpen(id);
    }
  };

  // The focused tile takes Tab; when it is scrolled away, the first tile drawn does.
  const tabStop = focus >= firstRow * columns && focus <= (lastRow + 1) * columns - 1 ? focus : firstRow * columns;
  const drawn = [];
  for (let r = firstRow; r <= lastRow; r++) {
    const cells = [];
    for (let k = r * columns; k < Math.min(pages.count, (r + 1) * columns); k++) {
      const c = pages.tileAt(k);
      if (!c) {
        cells.push(<div key={k} role="gridcell" className="tile-placeholder" aria-busy="true" data-index={k}
                        tabIndex={k === tabStop ? 0 : -1} onFocus={() => setFocus(k)} />);
        continue;
      }
      const chosen = selectedIds.has(c.id);
      cells.push(
        <div key={k} role="gridcell" tabIndex={k === tabStop ? 0 : -1} data-card-id={c.id} data-index={k} aria-selected={chosen}
             className={`card-tile${chosen ? ' selected' : ''}`}
             onClick={(e) => click(e, k, c.id)} onFocus={() => setFocus(k)}>
          {c.thumbnail_url ? <img loading="lazy" src={`${c.thumbnail_url}?v=${encodeURIComponent(c.updated_at ?? '')}`} alt="" /> : <div className="no-image">No image</div>}
          {selecting && <span className="tile-check" aria-hidden="true">{chosen ? '✓' : ''}</span>}
          {c.favorite !== undefined && (
            <button className={c.favorite ? 'tile-star on' : 'tile-star'} aria-pressed={c.favorite} tabIndex={-1}
                    aria-label={c.favorite ? `Remove ${c.name} from favorites` : `Add ${c.name} to favorites`}
                    onClick={(e) => {
                      e.stopPropagation();
                      onStar(c);
                    }}>{c.favorite ? '★' : '☆'}</button>
          )}
          <div className="tile-body">
            <strong className="tile-name">{c.name}</strong>
            <span className="muted tile-creator">{c.creator}</span>
            <div className="badges">
              <span className="badge">{c.spec}</span>
              {c.has_lorebook && <span className="badge">lorebook</span>}
              {c.greetings_count > 0 && <span className="badge">{c.greetings_count + 1} greetings</span>}
              {syncBadge(pages.badgeOf(c.id))}
            </div>
            <div className="tags">{(c.tags ?? []).slice(0, 4).map((t) => <span key={t} className="tag">{t}</span>)}</div>
          </div>
        </div>,
      );
    }
    drawn.push(<div key={r} role="row" className="grid-row" aria-rowindex={r + 1}
                    style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}>{cells}</div>);
  }

  return (
    <div className={`grid${selecting ? ' selecting' : ''}`} ref={gridRef} role="grid" aria-label="Cards" aria-multiselectable="true"
         aria-rowcount={rows} aria-colcount={columns} onKeyDown={keys}>
      <div role="presentation" style={{ height: firstRow * rowHeight }} />
      {drawn}
      <div role="presentation" style={{ height: Math.max(0, rows - 1 - lastRow) * rowHeight }} />
    </div>
  );
}
