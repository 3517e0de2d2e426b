"""Operational behaviour: crash recovery after kill -9, graceful shutdown, several worker processes
sharing one database (each job runs exactly once)."""
import json
import os
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import uuid

from harness import BACKEND, BINARY, Server, fresh_database_url, run_cli, wait_until


class Operations(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cg-ops-")
        self.db = fresh_database_url(self.tmp)
        self.env = {"DATABASE__URL": self.db}

    def enqueue(self, sid, count, sleep_ms, create=True):
        args = ["jobs", "enqueue", "--session", sid, "--type", "system.sleep", "--input",
                json.dumps({"sleepMs": sleep_ms}), "--count", str(count)]
        if create:
            args.append("--create-session")
        return run_cli(*args, env=self.env, cwd=self.tmp).stdout.split()

    def jobs(self, server, sid):
        status, body, _ = server.request("GET", f"/api/v1/session/{sid}/jobs")
        self.assertEqual(status, 200, body)
        return body["jobs"]

    def test_kill9_while_jobs_run_then_restart_every_job_ends(self):
        sid = str(uuid.uuid4())
        env = {"JOBS__LEASE_SECONDS": "1"}
        server = Server(self.db, workers=2, env=env, cwd=self.tmp)
        ids = self.enqueue(sid, 6, 1500)
        self.assertTrue(wait_until(lambda: any(j["status"] == "running" for j in self.jobs(server, sid)), 15))
        server.kill9()
        server = Server(self.db, workers=2, env=env, cwd=self.tmp)
        try:
            done = wait_until(lambda: all(j["status"] in ("finished", "failed") for j in self.jobs(server, sid)), 90, 0.2)
            jobs = self.jobs(server, sid)
            self.assertTrue(done, jobs)
            self.assertEqual(sorted(j["jobId"] for j in jobs), sorted(ids))
            # Interrupted jobs were re-run; their status GET shows why.
            self.assertTrue(all(j["status"] == "finished" for j in jobs), jobs)
        finally:
            server.stop()

    def test_graceful_shutdown_finishes_in_flight_work(self):
        sid = str(uuid.uuid4())
        server = Server(self.db, workers=1, cwd=self.tmp)
        ids = self.enqueue(sid, 1, 800)
        self.assertTrue(wait_until(lambda: self.jobs(server, sid)[0]["status"] == "running", 15))
        t0 = time.time()
        rc = server.stop(signal.SIGTERM)
        self.assertEqual(rc, 0, server.read_log())
        self.assertIn("shutdown complete", server.read_log())
        # The running job finished before the process exited.
        server2 = Server(self.db, workers=0, cwd=self.tmp)
        try:
            job = self.jobs(server2, sid)[0]
            self.assertEqual((job["jobId"], job["status"]), (ids[0], "finished"))
        finally:
            server2.stop()
        self.assertLess(time.time() - t0, 30)

    def test_two_worker_processes_drain_200_jobs_each_exactly_once(self):
        sid = str(uuid.uuid4())
        ids = self.enqueue(sid, 200, 5)
        env = dict(os.environ, DATABASE__URL=self.db, APP__WORKERS="2", JOBS__POLL_MILLISECONDS="20")
        workers = [subprocess.Popen([BINARY, "worker"], env=env, cwd=self.tmp, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE) for _ in range(2)]
        server = Server(self.db, workers=0, cwd=self.tmp)
        try:
            self.assertTrue(wait_until(lambda: all(j["status"] == "finished" for j in self.jobs(server, sid)), 120, 0.2))
        finally:
            logs = []
            for w in workers:
                w.send_signal(signal.SIGTERM)
                _, err = w.communicate(timeout=30)
                self.assertEqual(w.returncode, 0)
                logs.append(err.decode())
            server.stop()
        # Each job was claimed exactly once (attempt 1) and both processes did work.
        db_jobs = self.read_jobs(sid)
        self.assertEqual(len(db_jobs), 200)
        for attempts, _result in db_jobs:
            self.assertEqual(attempts, 1)
        done_lines = [l for log in logs for l in log.splitlines() if '"msg":"job done"' in l]
        self.assertEqual(len(done_lines), 200)
        for log in logs:
            self.assertTrue(any('"msg":"job done"' in l for l in log.splitlines()), "a worker did no work")

    def read_jobs(self, sid):
        """(attempts, result) of every job of the session, straight from the database."""
        query = f"SELECT attempts, result FROM jobs WHERE session_id = '{sid}'"
        if BACKEND == "sqlite":
            out = subprocess.run(["sqlite3", "-separator", "\t", self.db, query], capture_output=True, text=True, check=True)
        else:
            out = subprocess.run(["psql", self.db, "-AtF", "\t", "-c", query], capture_output=True, text=True, check=True)
        rows = []
        for line in out.stdout.splitlines():
            attempts, result = line.split("\t", 1)
            rows.append((int(attempts), json.loads(result)))
        return rows


if __name__ == "__main__":
    unittest.main()
