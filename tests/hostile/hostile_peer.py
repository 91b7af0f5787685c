"""A hostile peer for tests/peer_hostile_test.sh: one loopback server that answers every
request on every route (so every adapter's: SillyTavern, Character Architect, CardsHub, an
archive's WebFinger/actor/inbox/outbox, Chub and Character Tavern listings) the same hostile
way, chosen by its mode. It reads the request head and body (by Content-Length) first, so
the client is always waiting for the answer when the attack starts. Talks only to 127.0.0.1.

Modes (HostilePeer.MODES):
- deep: 200 JSON nested 100,000 arrays deep (as application/json and activity+json alike);
- headers: a status line, then header fields without end;
- long_line: a status line, then one header line without end;
- trickle: a head promising 1 MB, then one byte every 100 ms;
- huge: a head promising 2 GiB of JSON, sent as fast as the client reads;
- huge_chunked: the same without a length (chunked), so only the reader's cap stops it;
- wrong_types: 200 JSON whose every field an adapter reads has the wrong type;
- wrong_types_list: a list of such objects, for routes that expect a list.
"""
import json
import socket
import threading
import time

WRONG = {
    # Fields the adapters read (SillyTavern, Architect, CardsHub, hub, sources), each with a
    # type it does not expect.
    "id": [], "name": {"x": 1}, "avatar": 7, "data": "not an object", "spec": 3, "spec_version": [],
    "cards": "x", "items": 7, "orderedItems": {"a": 1}, "first": 5, "next": [], "totalItems": "many",
    "inbox": 3, "outbox": [], "publicKey": [1, 2], "links": "x", "subject": {}, "href": 9,
    "type": 4, "object": "x", "attributedTo": [], "url": 12, "content": {}, "contentHash": [],
    "image": 8, "updated": [], "published": {}, "token": [], "csrfToken": {}, "version": {"x": []},
    "user": "x", "username": [], "slug": [], "hash": 9, "nodes": "x", "fullPath": [],
    "characters": 7, "definition": [], "lastActivityAt": [], "createdAt": {}, "path": 1,
    "error": [], "status": {}, "success": "yes", "pkg": 4, "software": [], "remoteId": {},
    "filename": [], "file_name": 3, "date_added": "x", "chat": [], "create_date": [],
    "char_name": {}, "tags": "a,b", "description": [], "first_mes": {}, "extensions": "x",
    "character_book": "x", "totalHits": "x", "hits": {}, "page": "1", "count": "x",
}


class HostilePeer:
    MODES = ("deep", "headers", "long_line", "trickle", "huge", "huge_chunked", "wrong_types",
             "wrong_types_list")

    def __init__(self, mode):
        assert mode in self.MODES, mode
        self.mode = mode
        self.requests = 0
        self.sent = 0  # bytes of answers, all connections
        self._lock = threading.Lock()
        self._quit = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def stop(self):
        self._quit.set()
        self._thread.join()
        self._listener.close()

    def _accept(self):
        while not self._quit.is_set():
            try:
                conn, _ = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            conn.settimeout(5)
            if not self._read_request(conn):
                return
            with self._lock:
                self.requests += 1
            getattr(self, "_" + self.mode)(conn)
        except OSError:
            pass  # the client went away: that is how these answers end
        finally:
            conn.close()

    def _read_request(self, conn):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return False
            data += chunk
            if len(data) > 1 << 20:
                return False
        head, _, rest = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip() or 0)
        while len(rest) < length:
            chunk = conn.recv(min(1 << 20, length - len(rest)))
            if not chunk:
                break
            rest += chunk
        return True

    def _send(self, conn, data):
        conn.sendall(data)
        with self._lock:
            self.sent += len(data)

    def _forever(self, conn, chunk, pause=0.0):
        conn.settimeout(None)
        while not self._quit.is_set():
            self._send(conn, chunk)
            if pause:
                time.sleep(pause)  # pacing the attack, not waiting for anyone

    def _json(self, conn, body):
        raw = body.encode() if isinstance(body, str) else body
        self._send(conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                   + str(len(raw)).encode() + b"\r\nConnection: close\r\n\r\n" + raw)

    def _deep(self, conn):
        self._json(conn, "[" * 100000 + "]" * 100000)

    def _wrong_types(self, conn):
        self._json(conn, json.dumps(WRONG))

    def _wrong_types_list(self, conn):
        self._json(conn, json.dumps([WRONG, WRONG]))

    def _headers(self, conn):
        self._send(conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
        self._forever(conn, b"X-Flood: " + b"f" * 40 + b"\r\n")

    def _long_line(self, conn):
        self._send(conn, b"HTTP/1.1 200 OK\r\nX-Endless: ")
        self._forever(conn, b"a" * 65536)

    def _trickle(self, conn):
        self._send(conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n")
        self._forever(conn, b"[", pause=0.1)

    def _huge(self, conn):
        self._send(conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                   + str(2 << 30).encode() + b"\r\n\r\n[")
        self._forever(conn, b"0," * 32768)

    def _huge_chunked(self, conn):
        self._send(conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        piece = b"0," * 32768
        self._forever(conn, f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
