"""Shared pieces of the hostile-input suites (tests/*_test.sh run them): a
`charchive serve` on a loopback port it binds itself (--port 0) with its log in a
temp dir, raw and JSON requests to it, and a tally of checks that ends the process
with the suite's verdict. Talks only to 127.0.0.1."""
import http.client, json, os, socket, subprocess, sys, tempfile, time, uuid


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


class Server:
    """`charchive serve` on a free port; stop() ends it (SIGTERM)."""

    def __init__(self, binary, data_dir, token="hostile-token", extra=(), env=None):
        self.token = token
        self.data_dir = data_dir
        self.log_path = os.path.join(os.path.dirname(data_dir.rstrip("/")), f"server-{uuid.uuid4().hex[:8]}.log")
        self.log = open(self.log_path, "wb")
        port_file = new_port_file()
        self.proc = subprocess.Popen([binary, "serve", "--data", data_dir, *serve_args(port_file), "--token", token,
                                      "--ui", os.environ.get("CHARCHIVE_UI_DIR", "/nonexistent"), *extra],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env)
        try:
            self.port = wait_port_file(port_file, self.proc)
        except RuntimeError as e:
            raise RuntimeError(f"{e}; log: " + open(self.log_path).read())

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
