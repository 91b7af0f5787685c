// The Federation settings (docs/architecture.md "The web UI", routes in docs/api.md
// "The plan's contract"): one panel per platform, then this
// archive's own hub node. The API key field is write-only: it is never filled
// with the stored key. CardsHub's panel asks for what its login needs (URL,
// username, password) and always saves auth kind `login`. Test Connection tests
// the settings as typed (a blank key: the stored one) and saves nothing.
import { useEffect, useState } from 'react';
import { call, ConnectionTest, errorMessage, Platform } from './api';
import { HubPanel } from './HubPanel';
import { Modal } from './Modal';

const PLACEHOLDER: Record<string, string> = {
  sillytavern: 'http://127.0.0.1:8000',
  architect: 'http://127.0.0.1:3456',
  hub: 'http://127.0.0.1:3000',
  archive: 'https://archive.example.org',
};

function PlatformPanel({ platform, onSaved }: { platform: Platform; onSaved: () => void }) {
  const [enabled, setEnabled] = useState(platform.enabled === 1);
  const [baseUrl, setBaseUrl] = useState(platform.base_url);
  const [apiKey, setApiKey] = useState('');
  const cardsHub = platform.platform === 'hub';
  const [authKind, setAuthKind] = useState(cardsHub ? 'login' : platform.auth_kind);
  const [username, setUsername] = useState(platform.username);
  const [useCforge, setUseCforge] = useState(!!platform.options?.use_cforge);
  const [autoPush, setAutoPush] = useState(!!platform.options?.auto_push);
  const [poll, setPoll] = useState(String(platform.options?.poll_minutes ?? 0));
  const [visibility, setVisibility] = useState(platform.options?.visibility ?? 'private');
  const [status, setStatus] = useState('');
  const [statusKind, setStatusKind] = useState<'ok' | 'error' | ''>('');
  const [saved, setSaved] = useState(false);
  const id = `platform-${platform.platform}`;

  // The settings as typed: what Save stores, and what Test tries without storing.
  const typed = () => {
    const options: Record<string, unknown> = { auto_push: autoPush, poll_minutes: Number(poll) || 0 };
    if (platform.platform === 'sillytavern') options.use_cforge = useCforge;
    if (cardsHub) options.visibility = visibility;
    const body: Record<string, unknown> = { enabled, base_url: baseUrl, auth_kind: authKind, username, options };
    if (apiKey) body.api_key = apiKey;
    return body;
  };
  const save = async () => {
    try {
      await call('POST', `/api/federation/platforms/${platform.platform}`, typed());
      setApiKey('');
      setSaved(true);
      setStatus('');
      setTimeout(() => setSaved(false), 2000);
      onSaved();
    } catch (e) {
      setStatus(errorMessage(e));
      setStatusKind('error');
    }
  };
  const test = async () => {
    setStatus('Testing…');
    setStatusKind('');
    try {
      const r = await call<ConnectionTest>('POST', `/api/federation/platforms/${platform.platform}/test`, typed());
      if (r.connected) {
        setStatus(typeof r.data.message === 'string' ? r.data.message : `Connected: ${r.data.software ?? ''} ${r.data.version ?? ''}`.trim());
        setStatusKind('ok');
        onSaved();
      } else {
        setStatus(r.error);
        setStatusKind('error');
      }
    } catch (e) {
      setStatus(errorMessage(e));
      setStatusKind('error');
    }
  };

  return (
    <section className="platform-panel" data-platform={platform.platform}>
      <header>
        <h3>{platform.display_name}</h3>
        <label className="inline">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Enabled
        </label>
      </header>
      <p className="muted">Last connected: {platform.last_connected_at ?? 'never'}</p>
      <label htmlFor={`${id}-url`}>Base URL</label>
      <input id={`${id}-url`} className="base-url" value={baseUrl} placeholder={PLACEHOLDER[platform.platform]}
             onChange={(e) => setBaseUrl(e.target.value)} />
      {cardsHub ? (
        <>
          <label htmlFor={`${id}-user`}>Username</label>
          <input id={`${id}-user`} className="username" value={username} autoComplete="username"
                 onChange={(e) => setUsername(e.target.value)} />
          <label htmlFor={`${id}-key`}>Password</label>
          <input id={`${id}-key`} className="api-key" type="password" value={apiKey} autoComplete="new-password"
                 placeholder={platform.api_key ? 'Leave blank to keep' : 'Not set'}
                 onChange={(e) => setApiKey(e.target.value)} />
        </>
      ) : (
        <>
          <label htmlFor={`${id}-key`}>API key or password</label>
          <input id={`${id}-key`} className="api-key" type="password" value={apiKey} autoComplete="new-password"
                 placeholder={platform.api_key ? 'Leave blank to keep existing' : 'Not set'}
                 onChange={(e) => setApiKey(e.target.value)} />
          <div className="row">
            <label>
              Auth
              <select value={authKind} onChange={(e) => setAuthKind(e.target.value)}>
                <option value="none">none</option>
                <option value="sillytavern-csrf">SillyTavern (CSRF)</option>
                <option value="basic">basic</option>
                <option value="bearer">bearer</option>
              </select>
            </label>
            <label>
              User
              <input value={username} onChange={(e) => setUsername(e.target.value)} />
            </label>
          </div>
        </>
      )}
      {cardsHub && (
        <label>
          New cards are published as
          <select className="hub-visibility" value={visibility} onChange={(e) => setVisibility(e.target.value as typeof visibility)}>
            <option value="private">private</option>
            <option value="unlisted">unlisted</option>
            <option value="public">public</option>
            <option value="nsfw_only">nsfw only</option>
          </select>
        </label>
      )}
      {platform.platform === 'sillytavern' && (
        <label className="inline">
          <input type="checkbox" checked={useCforge} onChange={(e) => setUseCforge(e.target.checked)} /> Use the
          CForge plugin when it answers
        </label>
      )}
      <div className="row">
        <label className="inline">
          <input type="checkbox" checked={autoPush} onChange={(e) => setAutoPush(e.target.checked)} /> Auto-push local
          changes
        </label>
        <label>
          Poll every (minutes, 0 = off)
          <input className="short" type="number" min={0} max={1440} value={poll} onChange={(e) => setPoll(e.target.value)} />
        </label>
      </div>
      <div className="row actions">
        <button className="test-connection" onClick={test}>Test Connection</button>
        <button className="primary" onClick={save}>Save</button>
        {saved && <span className="saved">Saved!</span>}
      </div>
      {status && <p className={`connection-status status-${statusKind || 'pending'}`}>{status}</p>}
    </section>
  );
}

export function FederationModal({ onClose }: { onClose: () => void }) {
  const [platforms, setPlatforms] = useState<Platform[]>([]);
  const load = () => call<{ platforms: Platform[] }>('GET', '/api/federation/platforms').then((r) => setPlatforms(r.platforms));
  useEffect(() => {
    load();
  }, []);
  return (
    <Modal title="Federation" className="federation-modal" onClose={onClose}>
      {platforms.map((p) => (
        <PlatformPanel key={p.platform} platform={p} onSaved={load} />
      ))}
      <HubPanel />
    </Modal>
  );
}
