"""The server against hostile peers (tests/peer_hostile_test.sh): every platform
(sillytavern, architect, hub = CardsHub, archive = another archive over ActivityPub) and
every card source (chub, ct) pointed at a HostilePeer (hostile_peer.py) in each of its
modes — deep JSON, endless headers, one endless header line, a trickled body, huge bodies
with and without a length, wrong types in every field adapters read. For each: the
connection test, a push, a pull of new cards and a source run end with a clear error of
the kind the attack calls for; all along `/api/health` answers within 1 s; the server's
peak RSS stays under RSS_BOUND_MIB; and the card store is unchanged (same cards, same
content hashes, no new version).
usage: python3 peer_hostile.py CHARCHIVE_BINARY"""
import json
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, Server, workdir  # noqa: E402
from hostile_peer import HostilePeer  # noqa: E402

BIN = sys.argv[1]
# The server's own ~25 MiB, plus one answer at PeerHttp's cap (64 MiB; the suite's
# requests run one at a time), plus room. Before the head caps a peer streaming headers
# took the server to GBs; before the body got its room at once a 64 MiB answer peaked
# at ~190 MiB.
RSS_BOUND_MIB = 160
HEALTH_BOUND_S = 1.0

EXPECTED = {  # the error kinds each attack may end in
    "deep": {"peer_bad_response", "peer_bad_card"},
    "headers": {"peer_bad_response"},
    "long_line": {"peer_bad_response"},
    "trickle": {"peer_timeout"},
    "huge": {"peer_response_too_large"},
    "huge_chunked": {"peer_response_too_large"},
    "wrong_types": {"peer_bad_response", "peer_bad_card", "peer_refused"},
    "wrong_types_list": {"peer_bad_response", "peer_bad_card", "peer_refused"},
}
PLATFORMS = {
    "sillytavern": {},
    "architect": {},
    "hub": {"username": "owner", "api_key": "secret-password"},
    "archive": {},
}
SOURCES = ("chub", "ct")

checks = Checks()


class HealthWatch:
    """Asks /api/health every 100 ms on its own connection; keeps the slowest answer."""

    def __init__(self, server):
        self.server = server
        self.slowest = 0.0
        self.failures = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                status, _, _ = self.server.request("GET", "/api/health", auth=False, timeout=5)
                if status != 200:
                    self.failures.append(f"HTTP {status}")
            except Exception as e:  # a timeout or a refused connection is what this watches for
                self.failures.append(repr(e))
            self.slowest = max(self.slowest, time.monotonic() - started)
            self._stop.wait(0.1)

    def stop(self):
        self._stop.set()
        self._thread.join()


def store_state(server):
    status, doc, _ = server.json("GET", "/api/cards?limit=200")
    cards = {c["id"]: c["content_hash"] for c in doc["items"]} if status == 200 else {}
    versions = {}
    for card in cards:
        _, v, _ = server.json("GET", f"/api/cards/{card}/versions")
        versions[card] = len(v["versions"]) if v else -1
    return cards, versions


def kind_ok(mode, kind):
    return kind in EXPECTED[mode]


def one_platform(server, peer, platform, card):
    mode = peer.mode
    settings = {"base_url": peer.url, "enabled": True, "options": {"timeout_seconds": 1}, **PLATFORMS[platform]}
    status, _, raw = server.json("POST", f"/api/federation/platforms/{platform}", settings)
    if not checks.check(f"{mode} {platform}: configured at the hostile peer", status == 200, raw[:300]):
        return
    status, doc, raw = server.json("POST", f"/api/federation/platforms/{platform}/test", timeout=60)
    checks.check(f"{mode} {platform}: the connection test fails clearly ({(doc or {}).get('kind')})",
                 status == 200 and doc.get("connected") is False and doc.get("error")
                 and kind_ok(mode, doc.get("kind")), raw[:300])
    status, doc, raw = server.json("POST", f"/api/federation/cards/{card}/push/{platform}", {}, timeout=60)
    checks.check(f"{mode} {platform}: a push fails clearly ({(doc or {}).get('kind')})",
                 400 <= status < 600 and doc and doc.get("error") and kind_ok(mode, doc.get("kind")), raw[:300])
    status, doc, raw = server.json("POST", f"/api/federation/pull/{platform}", {"new": True}, timeout=60)
    kind = (doc or {}).get("kind")
    checks.check(f"{mode} {platform}: a pull of new cards fails clearly ({kind})",
                 400 <= status < 600 and doc and doc.get("error") and kind_ok(mode, kind), raw[:300])
    server.json("POST", f"/api/federation/platforms/{platform}", {"enabled": False})


def one_source(server, peer, source):
    mode = peer.mode
    status, _, raw = server.json("PUT", f"/api/sources/{source}",
                                 {"base_url": peer.url, "image_base_url": peer.url, "enabled": True,
                                  "request_interval_ms": 0})
    if not checks.check(f"{mode} {source}: configured at the hostile peer", status == 200, raw[:300]):
        return
    status, doc, raw = server.json("POST", f"/api/sources/{source}/sync", {"full": True})
    if not checks.check(f"{mode} {source}: a run is queued", status == 202, raw[:300]):
        return
    run = doc["run"]
    deadline = time.monotonic() + 180
    while run["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.2)  # polling the run's state over the API
        _, got, _ = server.json("GET", f"/api/sources/{source}/runs/{run['id']}")
        run = got or run
    checks.check(f"{mode} {source}: the run fails clearly and imports nothing",
                 run["status"] == "failed" and run.get("message") and run.get("new") == 0, json.dumps(run)[:400])
    server.json("PUT", f"/api/sources/{source}", {"enabled": False})


def main():
    work = workdir()
    cards_dir = os.path.join(work, "cards")
    os.makedirs(cards_dir)
    for name in ("Ada", "Brom"):
        with open(os.path.join(cards_dir, f"{name}.json"), "w") as f:
            json.dump({"spec": "chara_card_v2", "spec_version": "2.0",
                       "data": {"name": name, "description": f"{name}, kept safe.", "first_mes": "Hi.",
                                "extensions": {}}}, f)
    data = os.path.join(work, "data")
    subprocess.run([BIN, "import", "--data", data, cards_dir], check=True, stdout=subprocess.DEVNULL)
    server = Server(BIN, data, public=True)
    try:
        before = store_state(server)
        card = sorted(before[0])[0]
        health = HealthWatch(server)
        modes = sys.argv[2:] or HostilePeer.MODES
        for mode in modes:
            peer = HostilePeer(mode)
            try:
                for platform in PLATFORMS:
                    one_platform(server, peer, platform, card)
                if mode != "trickle":  # a source's requests wait 30 s per byte-less gap; PeerHttpTest covers it
                    for source in SOURCES:
                        one_source(server, peer, source)
            finally:
                peer.stop()
            print(f"# {mode}: {peer.requests} requests answered, {peer.sent >> 20} MiB sent, "
                  f"peak RSS {server.peak_rss_mib():.0f} MiB, slowest health {health.slowest:.2f} s", flush=True)
        health.stop()
        checks.check(f"/api/health answered every time within {HEALTH_BOUND_S} s "
                     f"(slowest {health.slowest:.2f} s)",
                     not health.failures and health.slowest < HEALTH_BOUND_S, str(health.failures[:3]))
        peak = server.peak_rss_mib()
        checks.check(f"peak RSS {peak:.0f} MiB stays under {RSS_BOUND_MIB} MiB", 0 < peak < RSS_BOUND_MIB)
        after = store_state(server)
        checks.check("the card store is unchanged (same cards, content hashes, versions)", after == before,
                     f"{before} -> {after}")
    finally:
        server.stop()
    checks.finish()


main()
