// The JSON API, as the UI uses it (docs/api.md), and the shapes of its answers.
// The session cookie is sent by the browser; state-changing requests carry the
// session's CSRF token.

import type { DiffLine } from './lineDiff';

let csrfToken = '';

// The window event `call` sends when the server answers 401 (no valid session).
export const SESSION_EXPIRED = 'charchive:session-expired';

export class ApiError extends Error {
  constructor(public status: number, message: string, public kind?: string) {
    super(message);
  }
}

// What to show for anything an action threw: an Error's message (an ApiError's
// is the server's `error`), else the value as text.
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// Every error answer is `{error, kind}`.
interface ErrorBody {
  error?: string;
  kind?: string;
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export async function call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined || method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body ?? {});
  }
  const res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  const json = parseJson(await res.text());
  if (!res.ok) {
    const failure = json as ErrorBody | null;
    // The session expired or was revoked: the app goes back to its login.
    if (res.status === 401 && path !== '/api/session') window.dispatchEvent(new Event(SESSION_EXPIRED));
    throw new ApiError(res.status, failure?.error ?? `HTTP ${res.status}`, failure?.kind);
  }
  return json as T;
}

// POST /api/cards/export: the chosen cards in one zip, saved by the browser as cards.zip.
export async function exportCards(cardIds: number[], format: 'png' | 'json' | 'charx'): Promise<void> {
  const res = await fetch('/api/cards/export', {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken },
    body: JSON.stringify({ cardIds, format }),
  });
  if (!res.ok) {
    const failure = parseJson(await res.text()) as ErrorBody | null;
    if (res.status === 401) window.dispatchEvent(new Event(SESSION_EXPIRED));
    throw new ApiError(res.status, failure?.error ?? `HTTP ${res.status}`, failure?.kind);
  }
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = 'cards.zip';
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

export async function restoreSession(): Promise<boolean> {
  try {
    const s = await call<{ csrfToken?: string }>('GET', '/api/session');
    csrfToken = s.csrfToken ?? '';
    return true;
  } catch {
    return false;
  }
}

export async function login(token: string): Promise<void> {
  const s = await call<{ csrfToken: string }>('POST', '/api/session', { token });
  csrfToken = s.csrfToken;
}

export async function logout(): Promise<void> {
  await call('DELETE', '/api/session');
  csrfToken = '';
}

// Upload with progress (fetch has no upload progress).
export function upload(file: File, onProgress: (fraction: number) => void): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/cards');
    xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      if (xhr.status === 401) window.dispatchEvent(new Event(SESSION_EXPIRED));
      try {
        resolve(JSON.parse(xhr.responseText));
      } catch {
        reject(new Error(`HTTP ${xhr.status}`));
      }
    };
    xhr.onerror = () => reject(new Error('network error'));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

// One uploaded file's outcome: `id` (imported), `duplicateOf` (already in the
// archive) or `error` and `kind` (rejected).
export interface UploadResult {
  file: string;
  id?: number;
  duplicateOf?: number;
  error?: string;
  kind?: string;
}

// POST /api/cards: the report, or only `{error, kind}` when the request itself
// was refused (e.g. 413).
export interface UploadAnswer extends ErrorBody {
  results?: UploadResult[];
  imported?: number;
  duplicates?: number;
  failed?: number;
}

export interface CardSummary {
  id: number;
  name: string;
  creator: string;
  tags: string[];
  spec: string;
  format: string;
  source: string;
  favorite: boolean;
  has_lorebook: boolean;
  greetings_count: number;
  token_estimate: number;
  thumbnail_url: string | null;
  image_url: string | null;
  content_hash: string;
  created_at: string;
  updated_at: string;
  trashed_at: string | null; // set while the card is in the trash
}

// GET /api/trash: the newest trashed cards (at most 200) and how many there are.
export interface TrashPage {
  items: CardSummary[];
  total: number;
}

// GET /api/cards
export interface CardPage {
  items: CardSummary[];
  total: number;
  // A filtered count stops at 10,000: then total is 10,000 and more cards match.
  total_capped: boolean;
  page: number;
  limit: number;
}

export interface LorebookEntry {
  id?: number;
  keys?: string[];
  content?: string;
  enabled?: boolean;
  [field: string]: unknown;
}

// A card's normalized V3 `data`: the fields the UI reads by name, and any other
// field or extension as it came.
export interface CardData {
  name?: string;
  description?: string;
  personality?: string;
  scenario?: string;
  first_mes?: string;
  mes_example?: string;
  system_prompt?: string;
  post_history_instructions?: string;
  creator_notes?: string;
  tags?: string[];
  alternate_greetings?: string[];
  group_only_greetings?: string[];
  extensions?: Record<string, unknown>;
  character_book?: { entries?: LorebookEntry[]; [field: string]: unknown };
  [field: string]: unknown;
}

// GET /api/cards/:id. `raw` and `data` are null when the stored JSON does not parse.
export interface CardDetail extends CardSummary {
  source_id: string | null;
  image_hash: string | null;
  lorebook_entries: number;
  file: { name: string; size: number; original_name: string };
  raw: unknown;
  data: CardData | null;
}

export interface CardVersion {
  id: number;
  card_id: number;
  content_hash: string;
  reason: 'import' | 'edit' | 'pull' | 'merge' | 'restore';
  created_at: string;
}

// GET /api/cards/:id/versions/:vid
export interface CardVersionContent extends CardVersion {
  raw: unknown;
  data: CardData | null;
}

export type PlatformName = 'sillytavern' | 'architect' | 'hub' | 'archive';
export type SyncStatus = 'pending' | 'synced' | 'conflict' | 'error' | 'remote_deleted';

// GET /api/tags: each tag with how many cards carry it, most used first.
export interface TagCount {
  tag: string;
  count: number;
}

// POST /api/tags/rename|merge|delete and /api/cards/bulk/tags: the cards changed, the new counts.
export interface TagsChanged {
  changed: number;
  tags: TagCount[];
}

// GET /api/stats: each chart a list of bars.
export interface LibraryStats {
  cards: number;
  favorites: number;
  sources: { label: string; count: number }[];
  specs: { label: string; count: number }[];
  creators: { label: string; count: number }[];
  tags: { label: string; count: number }[];
  tokens: { label: string; count: number }[];
  imports: { label: string; count: number }[];
}

// GET /api/duplicates and /api/cards/:id/related.
export type DuplicateReason = 'name_creator' | 'content' | 'near_text';
export interface DuplicateCard {
  id: number;
  name: string;
  creator: string;
  source: string;
  created_at: string;
}
export interface DuplicateGroup {
  reason: DuplicateReason;
  cards: DuplicateCard[];
}
export interface RelatedCard extends DuplicateCard {
  reason: DuplicateReason;
}

export type CardsHubVisibility = 'public' | 'private' | 'nsfw_only' | 'unlisted';

// GET /api/federation/cards/:cardId/remote/:platform: what CardsHub shows of the card's copy.
export interface RemoteCardStats {
  cardId: number;
  platform: PlatformName;
  slug: string;
  visibility: CardsHubVisibility;
  downloads: number;
  favorites: number;
}

export interface PlatformOptions {
  use_cforge?: boolean;
  timeout_seconds?: number;
  auto_push?: boolean;
  poll_minutes?: number;
  visibility?: CardsHubVisibility;  // CardsHub: what a first push publishes as
  pull_public?: boolean;
  pull_search?: string;
  pull_tags?: string;
  pull_max_cards?: number;
}

export interface Platform {
  id: number;
  platform: PlatformName;
  display_name: string;
  base_url: string;
  api_key: string | null;
  enabled: number;
  auth_kind: string;
  username: string;
  options: PlatformOptions;
  last_connected_at: string | null;
  created_at: string;
  updated_at: string;
}

// POST /api/federation/platforms/:platform/test; `data` is what the peer said.
export type ConnectionTest =
  | { connected: true; data: { software?: string; version?: string; [field: string]: unknown } }
  | { connected: false; error: string };

export interface SyncState {
  id: number;
  card_id: number;
  platform: PlatformName;
  status: SyncStatus;
  error_message: string | null;
  platform_id: string | null;
  last_sync_at: string | null;
  local_hash: string | null;
  remote_hash: string | null;
  remote_updated_at: string | null;
  base_version_id: number | null;
  created_at: string;
  updated_at: string;
  display_name: string;
  base_url: string;
  enabled: number;
  unverified: boolean;
  // What the peer changed in the card as it stored it, one sentence each.
  import_rewrites: ImportRewrite[];
}

export interface ImportRewrite {
  item: string;
  sent: unknown;
  stored: unknown;
  text: string;
}

// GET /api/federation/platforms/:platform/cards: a card with its state on the platform.
export interface PlatformCard {
  id: number;
  name: string;
  creator: string;
  spec: string;
  tags: string[];
  content_hash: string;
  updated_at: string;
  platform_id: string | null;
  last_sync_at: string | null;
  status: SyncStatus;
  error_message: string | null;
  local_hash: string | null;
  remote_hash: string | null;
}

export interface PlatformCards {
  platform: PlatformName;
  count: number;
  cards: PlatformCard[];
}

// POST /api/federation/sync-status: one card's state over every platform.
export interface CardSyncSummary {
  card_id: number;
  name: string;
  synced_platforms: PlatformName[];
  remote_deleted_platforms: PlatformName[];
  active_syncs: number;
  error_syncs: number;
}

// POST /api/federation/cards/:cardId/sync/:platform (and resolve).
export interface SyncResult {
  cardId: number;
  action: 'unchanged' | 'pushed' | 'pending' | 'pulled' | 'converged' | 'conflict' | 'imported' | 'linked';
  platform_id: string;
}

// A row of the sync history (GET /api/federation/events).
export interface SyncEvent {
  id: number;
  card_id: number | null;
  platform: PlatformName;
  action: string;
  status: 'ok' | 'error' | 'conflict';
  platform_id: string | null;
  local_hash: string | null;
  remote_hash: string | null;
  trigger: string;
  message: string;
  created_at: string;
}

// One field of a three-way diff; the values are the field's JSON on each side,
// and text fields have line diffs from the base (the shape lineDiff makes).
export interface FieldDiff {
  field: string;
  base: unknown;
  local: unknown;
  remote: unknown;
  local_changed: boolean;
  remote_changed: boolean;
  conflict: boolean;
  local_lines?: DiffLine[];
  remote_lines?: DiffLine[];
}

// GET /api/federation/cards/:cardId/diff/:platform
export interface CardDiff {
  cardId: number;
  platform: PlatformName;
  status: SyncStatus;
  base: CardData | null;
  local: CardData;
  remote: CardData;
  fields: FieldDiff[];
  items: ItemDiff[];
}

// One item of a three-way diff as the sync core decides it: a field, an extension key, a
// lorebook entry or one of its fields, the entries' order, a greeting.
export interface ItemDiff {
  item: string; // "scenario", "character_book.entries[id:2].content", "alternate_greetings[1]"
  kind: 'field' | 'extension' | 'lorebook_field' | 'entry' | 'entry_field' | 'entry_order' | 'greeting';
  field: string; // the top-level field it belongs to
  entry?: string;
  decision: 'take_local' | 'take_remote' | 'converged' | 'conflict';
  base: unknown;
  local: unknown;
  remote: unknown;
  remote_base: unknown;
  local_lines?: DiffLine[];
  remote_lines?: DiffLine[];
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

// A job or a source run in one of these states has ended: it moves no more.
export const hasEnded = (status?: JobStatus) => status === 'done' || status === 'failed' || status === 'cancelled';

export interface Job {
  id: number;
  kind: 'push' | 'pull' | 'sync';
  platform: PlatformName;
  status: JobStatus;
  total: number;
  done: number;
  failed: number;
  trigger: string;
  message: string;
  overwrite: boolean;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

// GET /api/federation/jobs/:id
export interface JobDetail extends Job {
  failures: { cardId: number; error: string }[];
}

export interface HubRelation {
  actor: string;
  inbox: string;
  state: 'pending' | 'accepted' | 'rejected';
  since: string;
}

export interface HubOverview {
  enabled: boolean;
  public_url: string;
  publish_all: boolean;
  auto_accept: boolean;
  actor: string | null;
  followers: HubRelation[];
  following: HubRelation[];
  published: number;
  deliveries: Record<string, number>;
}

// A peer's Update of a card this archive owns, kept instead of applied
// (GET /api/hub/suggestions).
export interface HubSuggestion {
  id: number;
  cardId: number;
  actor: string;
  activity: string;
  receivedAt: string;
  card: { data?: { name?: string } } | null;
}

export interface HubPublication {
  cardId: number;
  published: boolean;
  shared: boolean;
  activity: string | null;
  forks: number;
  installs: number;
}

export interface SourceRun {
  id: number;
  source: string;
  status: JobStatus;
  full: boolean;
  trigger: string;
  pages: number;
  seen: number;
  new: number;
  updated: number;
  unchanged: number;
  conflicts: number;
  blocked: number;
  failed: number;
  requests: number;
  message: string;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface Source {
  source: string;
  display_name: string;
  base_url: string;
  image_base_url: string;
  api_key: string | null;
  filters: { tags: string[]; creators: string[]; nsfw: boolean; min_tokens: number };
  interval_minutes: number;
  request_interval_ms: number;
  enabled: boolean;
  last_run_at: string | null;
  updated_at: string;
  last_run: SourceRun | null;
}

// GET /api/sources/:name/blocked: a card deleted here, which runs skip.
export interface BlockedCard {
  source: string;
  source_id: string;
  card_name: string;
  blocked_at: string;
}

// GET /api/sources/cards/:cardId: where a card came from. `pending` is the
// source's content waiting on a conflict's answer.
export interface CardSource {
  source: string;
  source_id: string;
  card_id: number;
  status: 'synced' | 'conflict';
  remote_updated_at: string;
  token_count: number;
  content_hash: string;
  local_hash: string;
  message: string;
  synced_at: string;
  pending: unknown;
}

// A message of GET /api/federation/events/stream.
export type StreamEvent =
  | { type: 'job'; job: Job }
  | { type: 'sync'; cardId: number; platform: PlatformName; status: SyncStatus; error: string | null }
  | { type: 'source_run'; run: SourceRun };
