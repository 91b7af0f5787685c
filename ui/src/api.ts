// The JSON API, as the UI uses it (docs/api.md). The session cookie is sent by
// the browser; state-changing requests carry the session's CSRF token.

let csrfToken = '';

export class ApiError extends Error {
  constructor(public status: number, message: string, public kind?: string) {
    super(message);
  }
}

export async function call<T = any>(method: string, path: string, body?: unknown): Promise<T> {
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
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) throw new ApiError(res.status, json?.error ?? `HTTP ${res.status}`, json?.kind);
  return json as T;
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
export function upload(file: File, onProgress: (fraction: number) => void): Promise<any> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/cards');
    xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
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
  updated_at: string;
}

export interface Platform {
  id: number;
  platform: string;
  display_name: string;
  base_url: string;
  api_key: string | null;
  enabled: number;
  auth_kind: string;
  username: string;
  options: Record<string, any>;
  last_connected_at: string | null;
}

export interface SyncState {
  platform: string;
  status: string;
  error_message: string | null;
  platform_id: string | null;
  last_sync_at: string | null;
  display_name: string;
  enabled: number;
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
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
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
  finished_at: string | null;
}

export interface Source {
  source: string;
  display_name: string;
  base_url: string;
  api_key: string | null;
  filters: { tags: string[]; creators: string[]; nsfw: boolean; min_tokens: number };
  interval_minutes: number;
  request_interval_ms: number;
  enabled: boolean;
  last_run_at: string | null;
  last_run: SourceRun | null;
}
