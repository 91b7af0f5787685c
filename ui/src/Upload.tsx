// Imports: an Upload button (a file picker for several card files, which is
// how a phone imports) and drag and drop of files or folders anywhere on the
// page; each file is uploaded on its own with a progress bar and its result.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, upload } from './api';

interface Item {
  name: string;
  progress: number;
  result?: string;
  ok?: boolean;
}

async function filesOf(items: DataTransferItemList | null, files: FileList | null): Promise<File[]> {
  const out: File[] = [];
  const entries = items
    ? Array.from(items).map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e)
    : [];
  if (!entries.length) return files ? Array.from(files) : [];
  const walk = async (entry: FileSystemEntry): Promise<void> => {
    if (entry.isFile) {
      const file = entry as FileSystemFileEntry;
      out.push(await new Promise<File>((res, rej) => file.file(res, rej)));
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        if (!batch.length) break;
        for (const e of batch) await walk(e);
      }
    }
  };
  for (const e of entries) await walk(e);
  return out;
}

export function Uploads({ onDone }: { onDone: () => void }) {
  const [dragging, setDragging] = useState(false);
  const [items, setItems] = useState<Item[]>([]);
  const picker = useRef<HTMLInputElement>(null);
  const count = useRef(0); // items so far, for the next batch's indexes

  const uploadAll = useCallback(async (files: File[]) => {
    if (!files.length) return;
    const start = count.current;
    count.current += files.length;
    setItems((prev) => [...prev, ...files.map((f) => ({ name: f.name, progress: 0 }))]);
    const update = (k: number, patch: Partial<Item>) =>
      setItems((prev) => prev.map((it, idx) => (idx === start + k ? { ...it, ...patch } : it)));
    await Promise.all(
      files.map(async (f, k) => {
        try {
          const r = await upload(f, (p) => update(k, { progress: p }));
          const first = r?.results?.[0];
          if (first?.id) update(k, { progress: 1, ok: true, result: `imported as #${first.id}` });
          else if (first?.duplicateOf) update(k, { progress: 1, ok: true, result: `duplicate of #${first.duplicateOf}` });
          else update(k, { progress: 1, ok: false, result: first?.error ?? r?.error ?? 'failed' });
        } catch (err) {
          update(k, { progress: 1, ok: false, result: errorMessage(err) });
        }
      }),
    );
    onDone();
  }, [onDone]);

  useEffect(() => {
    const over = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      setDragging(true);
    };
    const leave = (e: DragEvent) => {
      if (e.relatedTarget === null) setDragging(false);
    };
    const drop = async (e: DragEvent) => {
      if (!e.dataTransfer) return;
      e.preventDefault();
      setDragging(false);
      await uploadAll(await filesOf(e.dataTransfer.items, e.dataTransfer.files));
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [uploadAll]);

  return (
    <>
      <button className="upload-button" title="Import card files (PNG, JSON, CharX); or drop them anywhere"
              onClick={() => picker.current?.click()}>Upload</button>
      <input ref={picker} className="upload-picker" type="file" multiple hidden aria-label="Card files to import"
             accept=".png,.json,.charx,image/png,application/json"
             onChange={(e) => {
               const files = Array.from(e.target.files ?? []);
               e.target.value = '';
               uploadAll(files);
             }} />
      {dragging && <div className="drop-overlay">Drop card files or folders to import them</div>}
      {items.length > 0 && (
        <aside className="uploads" aria-label="Uploads">
          <header>
            <strong>Uploads</strong>
            <button className="link" onClick={() => {
              count.current = 0;
              setItems([]);
            }}>Clear</button>
          </header>
          <ul>
            {items.map((it, k) => (
              <li key={k} className={it.ok === false ? 'upload-failed' : it.ok ? 'upload-ok' : ''}>
                <span className="upload-name">{it.name}</span>
                <progress max={1} value={it.progress} />
                {it.result && <span className="upload-result">{it.result}</span>}
              </li>
            ))}
          </ul>
        </aside>
      )}
    </>
  );
}
