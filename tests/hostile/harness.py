"""Shared pieces of the hostile-input suites (tests/*_test.sh run them): a
`charchive serve` on a loopback port it binds itself (--port 0) with its log in a
temp dir, raw and JSON requests to it, and a tally of checks that ends the process
with the suite's verdict; a hostile peer that echoes every request's headers back.
Talks only to 127.0.0.1."""
import http.client, http.server, json, os, socket, subprocess, sys, tempfile, threading, time, uuid


def serve_args(port_file):
    """The `serve` arguments that make it pick a free port and write it to port_file."""
    return ["--port", "0", "--port-file", port_file]


def wait_port_file(port_file, proc, timeout=60):
    """The port a starting `charchive serve` wrote to port_file (serve_args); fails when
    the process exits first or has not listened within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            text = open(port_file).read().strip()
            if text:
                os.unlink(port_file)
                return int(text)
        except FileNotFoundError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}) before listening")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server did not listen within {timeout} s")
        time.sleep(0.05)


def new_port_file():
    fd, path = tempfile.mkstemp(prefix="charchive-port.")
    os.close(fd)
    os.unlink(path)  # serve writes it (atomically) once it listens
    return path


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"ok - {name}")
        else:
            self.failed += 1
            print(f"FAILED - {name} {detail}")
        sys.stdout.flush()
        return ok

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)


class EchoPeer:
    """A hostile peer on a free loopback port: every answer is an error page
    (401, or 500 for CSRF paths) quoting the request's headers, and every
    request's headers are kept in `seen` (so a test can tell the secrets were
    sent). stop() ends it."""

    def __init__(self):
        seen = self.seen = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def handle_one(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                echoed = "\n".join(f"{k}: {v}" for k, v in self.headers.items())
                seen.append(echoed)
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

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def stop(self):
        self.httpd.shutdown()


class Server:
    """`charchive serve` on a port it picks itself; stop() ends it (SIGTERM). With
    public=True it is a hub node at its own address (public_url set through
    PUT /api/hub once the port is known)."""

    def __init__(self, binary, data_dir, token="hostile-token", extra=(), env=None, public=False):
        self.token = token
        self.data_dir = data_dir
        self.log_path = os.path.join(os.path.dirname(data_dir.rstrip("/")), f"server-{uuid.uuid4().hex[:8]}.log")
        self.log = open(self.log_path, "wb")
        port_file = new_port_file()
        self.proc = subprocess.Popen([binary, "serve", "--data", data_dir, *serve_args(port_file),
                                      "--ui", os.environ.get("CHARCHIVE_UI_DIR", "/nonexistent"), *extra],
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     env={**(env if env is not None else os.environ), "CHARCHIVE_TOKEN": token})
        try:
            self.port = wait_port_file(port_file, self.proc)
        except RuntimeError as e:
            raise RuntimeError(f"{e}; log: " + open(self.log_path).read())
        self.base = f"http://127.0.0.1:{self.port}"
        if public:
            status, _, raw = self.json("PUT", "/api/hub", {"enabled": True, "public_url": self.base})
            if status != 200:
                raise RuntimeError(f"could not make {self.base} a hub node ({status}): {raw!r}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()

    def peak_rss_mib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return -1

    def request(self, method, path, body=None, headers=None, auth=True, timeout=30):
        """(status, headers dict with lower-case names, body bytes)."""
        h = dict(headers or {})
        if auth:
            h.setdefault("Authorization", f"Bearer {self.token}")
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=h)
            res = conn.getresponse()
            return res.status, {k.lower(): v for k, v in res.getheaders()}, res.read()
        finally:
            conn.close()

    def json(self, method, path, doc=None, **kw):
        body = None if doc is None else json.dumps(doc).encode()
        headers = kw.pop("headers", {}) or {}
        if body is not None:
            headers["Content-Type"] = "application/json"
        status, h, raw = self.request(method, path, body, headers=headers, **kw)
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return status, parsed, raw

    def upload(self, name, data):
        boundary = "hostile" + uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        return self.json_raw("POST", "/api/cards", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def json_raw(self, method, path, body, headers):
        status, h, raw = self.request(method, path, body, headers=headers)
        try:
            return status, json.loads(raw), raw
        except ValueError:
            return status, None, raw

    def raw(self, payload, read_timeout=10):
        """Sends bytes as they are; returns what the server answered (b'' if it closed)."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=read_timeout)
        try:
            s.sendall(payload)
            chunks = []
            while True:
                try:
                    b = s.recv(65536)
                except socket.timeout:
                    break
                if not b:
                    break
                chunks.append(b)
            return b"".join(chunks)
        finally:
            s.close()


def status_of(raw_response):
    """The status code of a raw HTTP response, or 0."""
    try:
        return int(raw_response.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


def card_total(server):
    status, doc, _ = server.json("GET", "/api/cards?limit=1")
    return doc["total"] if status == 200 else -1


def workdir():
    return tempfile.mkdtemp(prefix="charchive-hostile-")
