"""Platform secrets never leak: platforms are configured with known API keys
and a password (over the API and the CLI), pointed at a peer that echoes
every request header back in its error pages, then tested, pushed to, synced
and listed. None of the secrets may appear in any API response, CLI output,
the server log, or any file of the data dir (SQLite db, -wal, -shm), while the
peer did receive them (so the test would see a leak).

    secrets.py CHARCHIVE_BINARY
"""
import base64, glob, http.server, json, os, subprocess, sys, threading, time, uuid

sys.path.insert(0, os.path.dirname(__file__))
from harness import Checks, Server, workdir  # noqa: E402

BIN = sys.argv[1]
t = Checks()
work = workdir()
data = os.path.join(work, "data")
KEY_API = "sk-api-" + uuid.uuid4().hex
PASSWORD = "pw-basic-" + uuid.uuid4().hex
KEY_CLI = "sk-cli-" + uuid.uuid4().hex
BASIC = base64.b64encode(f"owner:{PASSWORD}".encode()).decode()
SECRETS = {"API key": KEY_API, "password": PASSWORD, "CLI key": KEY_CLI, "basic credential": BASIC}
seen_by_peer = []


class EchoPeer(http.server.BaseHTTPRequestHandler):
    """A hostile peer: every answer is an error page quoting the request."""

    def handle_one(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        echoed = "\n".join(f"{k}: {v}" for k, v in self.headers.items())
        seen_by_peer.append(echoed)
        status = 401 if "csrf" not in self.path else 500
        body = f"denied; you sent {echoed} to {self.path}".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("X-Echo", self.headers.get("Authorization", "none"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_one

    def log_message(self, *args):
        pass


peer = http.server.ThreadingHTTPServer(("127.0.0.1", 0), EchoPeer)
threading.Thread(target=peer.serve_forever, daemon=True).start()
peer_url = f"http://127.0.0.1:{peer.server_address[1]}"

texts = []  # every response body, header set and CLI output, to grep afterwards


def cli(*args, stdin=None):
    p = subprocess.run([BIN, *args, "--data", data], input=stdin, capture_output=True, text=True, timeout=120)
    texts.append(p.stdout + p.stderr)
    return p


def db_bytes():
    out = b""
    for path in glob.glob(os.path.join(data, "**", "*"), recursive=True):
        if os.path.isfile(path):
            out += open(path, "rb").read()
    return out


server = Server(BIN, data)
try:
    def call(method, path, doc=None):
        status, h, raw = server.request(method, path, json.dumps(doc).encode() if doc is not None else b"",
                                        headers={"Content-Type": "application/json"})
        texts.append(raw.decode("utf-8", "replace") + json.dumps(h))
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, None

    card = {"spec": "chara_card_v2", "spec_version": "2.0", "data": {"name": "Secretive", "description": "d"}}
    status, body, raw = server.upload("card.json", json.dumps(card).encode())
    card_id = body["results"][0]["id"]
    s1, _ = call("POST", "/api/federation/platforms/architect",
                 {"base_url": peer_url, "enabled": True, "auth_kind": "bearer", "api_key": KEY_API})
    s2, _ = call("POST", "/api/federation/platforms/sillytavern",
                 {"base_url": peer_url, "enabled": True, "auth_kind": "basic", "username": "owner",
                  "api_key": PASSWORD})
    t.check(f"platforms configured with a bearer key and a basic password ({s1}, {s2})", s1 == 200 and s2 == 200)
    for platform in ("architect", "sillytavern"):
        status, body = call("POST", f"/api/federation/platforms/{platform}/test")
        t.check(f"{platform}: the connection test fails against the echoing peer ({status})",
                status == 200 and body.get("connected") is False)
        status, _ = call("POST", f"/api/federation/cards/{card_id}/push/{platform}")
        t.check(f"{platform}: the push fails ({status})", status >= 400)
        call("POST", f"/api/federation/cards/{card_id}/sync/{platform}")
        call("POST", "/api/federation/jobs", {"kind": "push", "platform": platform, "cardIds": [card_id]})
        call("GET", f"/api/federation/platforms/{platform}/cards")
    for path in ("/api/federation/platforms", f"/api/federation/cards/{card_id}/sync", "/api/federation/events",
                 "/api/federation/jobs"):
        call("GET", path)
    time.sleep(1.5)  # let the job run and record its failure
    call("GET", "/api/federation/jobs")
    call("GET", "/api/federation/events")
    live_db = db_bytes()  # while the server runs: the -wal holds the recent writes

    p = cli("platform", "set", "architect", "--api-key-stdin", stdin=KEY_CLI + "\n")
    t.check(f"the CLI sets a key from stdin (exit {p.returncode})", p.returncode == 0)
    cli("platform", "test", "architect")
    cli("push", "--platform", "architect", "--card", str(card_id))
    cli("platform", "list")
    cli("history")
    cli("status")
    live_db += db_bytes()
finally:
    server.stop()
peer.shutdown()

received = "\n".join(seen_by_peer)
t.check("the peer received the bearer key, the basic credential and the CLI key (the test can see a leak)",
        KEY_API in received and BASIC in received and KEY_CLI in received)
log = open(server.log_path, encoding="utf-8", errors="replace").read()
everything = "\n".join(texts)
final_db = db_bytes()
for what, secret in SECRETS.items():
    t.check(f"the {what} is in no API response or CLI output", secret not in everything,
            everything[everything.find(secret) - 100:everything.find(secret) + 50] if secret in everything else "")
    t.check(f"the {what} is not in the server log", secret not in log)
    t.check(f"the {what} is in no file of the data dir (db, -wal, -shm), live or after stop",
            secret.encode() not in live_db and secret.encode() not in final_db)
t.finish()
