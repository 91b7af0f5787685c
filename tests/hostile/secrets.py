"""Platform secrets never leak: platforms are configured with known API keys
and a password (over the API and the CLI), pointed at a peer that echoes
every request header back in its error pages, then tested, pushed to, synced
and listed. None of the secrets may appear in any API response, CLI output,
the server's operator log (at debug, every line), the CLI's log, or any file
of the data dir (SQLite db, -wal, -shm), while the peer did receive them (so
the test would see a leak).

    secrets.py CHARCHIVE_BINARY
"""
import base64, glob, json, os, subprocess, sys, time, uuid

sys.path.insert(0, os.path.dirname(__file__))
from harness import Checks, EchoPeer, Server, workdir  # noqa: E402

BIN = sys.argv[1]
t = Checks()
work = workdir()
data = os.path.join(work, "data")
KEY_API = "sk-api-" + uuid.uuid4().hex
PASSWORD = "pw-basic-" + uuid.uuid4().hex
KEY_CLI = "sk-cli-" + uuid.uuid4().hex
BASIC = base64.b64encode(f"owner:{PASSWORD}".encode()).decode()
SECRETS = {"API key": KEY_API, "password": PASSWORD, "CLI key": KEY_CLI, "basic credential": BASIC}
peer = EchoPeer()
peer_url = peer.url

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


server = Server(BIN, data, extra=["--log-level", "debug"])  # every line the log has, checked below
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
    cli("push", "--platform", "architect", "--card", str(card_id), "--log-level", "debug")
    cli("platform", "list")
    cli("history")
    cli("status")
    live_db += db_bytes()
finally:
    server.stop()
peer.stop()

received = "\n".join(peer.seen)
t.check("the peer received the bearer key, the basic credential and the CLI key (the test can see a leak)",
        KEY_API in received and BASIC in received and KEY_CLI in received)
log = open(server.log_path, encoding="utf-8", errors="replace").read()
t.check("the server log has the requests and the failed pushes (the test can see a leak there)",
        "http_request method=POST path=/api/federation/platforms/architect status=200" in log and
        "sync_event action=push platform=architect" in log)
t.check("the CLI's debug log has the failed push",
        any("sync_event action=push platform=architect" in text for text in texts))
t.check("the API token is not in the server log", server.token not in log)
everything = "\n".join(texts)
final_db = db_bytes()
for what, secret in SECRETS.items():
    t.check(f"the {what} is in no API response or CLI output", secret not in everything,
            everything[everything.find(secret) - 100:everything.find(secret) + 50] if secret in everything else "")
    t.check(f"the {what} is not in the server log", secret not in log)
    t.check(f"the {what} is in no file of the data dir (db, -wal, -shm), live or after stop",
            secret.encode() not in live_db and secret.encode() not in final_db)
t.finish()
