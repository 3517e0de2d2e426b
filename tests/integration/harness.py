"""Integration-test harness: runs the real connector-gen binary on a free loopback port against a
fresh SQLite file or a fresh database on the throwaway PostgreSQL server (CTest fixture "pg"),
and talks to it over real HTTP (http.client, no mocks)."""
import http.client
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import uuid

BINARY = os.environ.get("CG_BINARY", "")
BACKEND = os.environ.get("CG_BACKEND", "sqlite")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def pg_server_url():
    direct = os.environ.get("CG_TEST_PG_URL")
    if direct:
        return direct
    path = os.environ.get("CG_PG_URL_FILE")
    if path and os.path.exists(path):
        with open(path) as f:
            return f.read().strip()
    return ""


def fresh_database_url(tmpdir):
    """A new SQLite file path, or a new PostgreSQL database URL."""
    if BACKEND == "sqlite":
        return os.path.join(tmpdir, "test.db")
    server = pg_server_url()
    if not server:
        raise unittest.SkipTest("no PostgreSQL test server (run through ctest, which starts one)")
    name = "cgit_" + uuid.uuid4().hex[:10]
    subprocess.run(["psql", server, "-qAtc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    return server.rsplit("/", 1)[0] + "/" + name


class Server:
    """One connector-gen process. `env` adds environment variables; `args` adds flags."""

    def __init__(self, database_url, workers=2, env=None, args=None, cwd=None):
        self.port = free_port()
        self.database_url = database_url
        self.cwd = cwd or tempfile.mkdtemp(prefix="cg-it-")
        self.log_path = os.path.join(self.cwd, f"server-{self.port}.log")
        full_env = dict(os.environ)
        full_env.update({"DATABASE__URL": database_url, "APP__HOST": "127.0.0.1", "APP__PORT": str(self.port),
                         "APP__WORKERS": str(workers), "JOBS__POLL_MILLISECONDS": "20"})
        full_env.update(env or {})
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([BINARY, "serve"] + (args or []), env=full_env, cwd=self.cwd,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_ready()

    def wait_ready(self, timeout=20):
        end = time.time() + timeout
        while time.time() < end:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited early:\n" + self.read_log())
            try:
                status, _, _ = self.request("GET", "/health", timeout=1)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("server did not become ready:\n" + self.read_log())

    def read_log(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def request(self, method, path, body=None, headers=None, timeout=30, raw=False):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        hdrs = dict(headers or {})
        data = body
        if body is not None and not isinstance(body, (bytes, str)):
            data = json.dumps(body)
            hdrs.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        payload = resp.read()
        conn.close()
        if raw:
            return resp.status, payload, resp
        parsed = None
        if payload:
            try:
                parsed = json.loads(payload)
            except ValueError:
                parsed = payload.decode("utf-8", "replace")
        return resp.status, parsed, resp

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode

    def kill9(self):
        self.proc.kill()
        self.proc.wait()
        self.log.close()


def run_cli(*args, env=None, cwd=None, check=True):
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([BINARY] + list(args), env=full_env, cwd=cwd, capture_output=True, text=True, check=check)


def wait_until(predicate, timeout=30, interval=0.05):
    end = time.time() + timeout
    while time.time() < end:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


class ServerTestCase(unittest.TestCase):
    """Starts one server per test class on a fresh database."""
    workers = 2
    server_env = None

    @classmethod
    def setUpClass(cls):
        if not BINARY or not os.path.exists(BINARY):
            raise RuntimeError("CG_BINARY must point at the connector-gen binary")
        cls.tmp = tempfile.mkdtemp(prefix="cg-it-")
        cls.database_url = fresh_database_url(cls.tmp)
        cls.server = Server(cls.database_url, workers=cls.workers, env=cls.server_env, cwd=cls.tmp)

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "server", None):
            cls.server.stop()

    def req(self, *args, **kwargs):
        return self.server.request(*args, **kwargs)

    def new_session(self):
        status, body, _ = self.req("POST", "/api/v1/session")
        self.assertEqual(status, 201, body)
        return body["sessionId"]
