"""Session API, routing, validation and service routes over real HTTP (contract A, B.1, B.2, B.8.1)."""
import datetime
import http.client
import json
import re
import socket
import subprocess
import threading
import time
import unittest
import uuid

from harness import ServerTestCase, run_cli

TS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z$")


def parse_ts(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))


class SessionApi(ServerTestCase):
    def test_create_get_head_delete(self):
        status, body, _ = self.req("POST", "/api/v1/session")
        self.assertEqual(status, 201)
        sid = body["sessionId"]
        self.assertEqual(str(uuid.UUID(sid)), sid)
        self.assertEqual(body["message"], "Session created successfully. Use this session_id in subsequent requests.")
        status, body, _ = self.req("GET", f"/api/v1/session/{sid}")
        self.assertEqual(status, 200)
        self.assertEqual(list(body.keys()), ["sessionId", "data", "createdAt", "updatedAt"])
        self.assertEqual(body["data"], {})
        self.assertRegex(body["createdAt"], TS)
        status, payload, _ = self.req("HEAD", f"/api/v1/session/{sid}", raw=True)
        self.assertEqual((status, payload), (204, b""))
        status, body, _ = self.req("DELETE", f"/api/v1/session/{sid}")
        self.assertEqual((status, body), (200, {"message": "Session deleted successfully", "sessionId": sid}))
        status, body, _ = self.req("GET", f"/api/v1/session/{sid}")
        self.assertEqual((status, body), (404, {"detail": f"Session {sid} not found"}))
        status, payload, _ = self.req("HEAD", f"/api/v1/session/{sid}", raw=True)
        self.assertEqual((status, payload), (404, b""))
        status, body, _ = self.req("DELETE", f"/api/v1/session/{sid}")
        self.assertEqual(status, 404)

    def test_create_with_chosen_id_and_conflict(self):
        sid = str(uuid.uuid4())
        status, body, _ = self.req("POST", f"/api/v1/session/{sid.upper()}")
        self.assertEqual(status, 201)
        self.assertEqual(body, {"sessionId": sid, "message": "Session created successfully with provided ID."})
        status, body, _ = self.req("POST", f"/api/v1/session/{sid}")
        self.assertEqual((status, body), (409, {"detail": f"Session {sid} already exists"}))

    def test_seed_flow_patch_and_timestamps(self):
        sid = self.new_session()
        _, before, _ = self.req("GET", f"/api/v1/session/{sid}")
        time.sleep(0.01)
        discovery = {"applicationName": "Forgejo", "applicationVersion": "11"}
        status, body, _ = self.req("PATCH", f"/api/v1/session/{sid}", {"data": {"discoveryInput": discovery}})
        self.assertEqual((status, body), (200, {"message": "Session updated successfully", "sessionId": sid}))
        scrape = {"starterLinks": ["https://forgejo.org/docs/"], "applicationName": "Forgejo"}
        items = [{"uuid": str(uuid.uuid4()), "url": "https://x", "markdown": "# A", "source": "upload"}]
        self.req("PATCH", f"/api/v1/session/{sid}", {"data": {"scrapeInput": scrape, "documentationItems": items}})
        # Top-level replace of one key keeps the others.
        self.req("PATCH", f"/api/v1/session/{sid}", {"data": {"discoveryInput": {"applicationName": "Gitea"}}})
        status, body, _ = self.req("GET", f"/api/v1/session/{sid}")
        self.assertEqual(status, 200)
        self.assertEqual(body["data"], {"discoveryInput": {"applicationName": "Gitea"}, "documentationItems": items,
                                        "scrapeInput": scrape})
        self.assertEqual(body["createdAt"], before["createdAt"])
        self.assertGreater(parse_ts(body["updatedAt"]), parse_ts(before["updatedAt"]))
        self.assertGreaterEqual(parse_ts(body["updatedAt"]), parse_ts(body["createdAt"]))

    def test_patch_validation_and_missing_session(self):
        sid = self.new_session()
        for bad, typ in [({}, "missing"), ({"data": 5}, "dict_type"), ({"data": [1]}, "dict_type"),
                         ([], "model_attributes_type")]:
            status, body, _ = self.req("PATCH", f"/api/v1/session/{sid}", bad)
            self.assertEqual(status, 422, bad)
            self.assertEqual(body["detail"][0]["type"], typ)
            self.assertEqual(body["detail"][0]["loc"][0], "body")
        status, body, _ = self.req("PATCH", f"/api/v1/session/{sid}", "{not json", {"Content-Type": "application/json"})
        self.assertEqual(status, 422)
        self.assertEqual(body["detail"][0]["type"], "json_invalid")
        status, body, _ = self.req("PATCH", f"/api/v1/session/{sid}")
        self.assertEqual((status, body["detail"][0]["type"]), (422, "missing"))
        status, body, _ = self.req("PATCH", f"/api/v1/session/{sid}", {"data": {"k" * 256: 1}})
        self.assertEqual(status, 422)
        other = str(uuid.uuid4())
        status, body, _ = self.req("PATCH", f"/api/v1/session/{other}", {"data": {"a": 1}})
        self.assertEqual((status, body), (404, {"detail": f"Session {other} not found or update failed"}))
        # Nothing was stored by the failed requests.
        _, body, _ = self.req("GET", f"/api/v1/session/{sid}")
        self.assertEqual(body["data"], {})

    def test_fifty_concurrent_patches_lose_no_key(self):
        sid = self.new_session()
        errors = []

        def patch(i):
            try:
                status, _, _ = self.req("PATCH", f"/api/v1/session/{sid}", {"data": {f"key{i}": {"i": i}}})
                if status != 200:
                    errors.append(status)
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))

        threads = [threading.Thread(target=patch, args=(i,)) for i in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        _, body, _ = self.req("GET", f"/api/v1/session/{sid}")
        self.assertEqual(len(body["data"]), 50)
        self.assertEqual(body["data"]["key17"], {"i": 17})

    def test_jobs_list_shape_and_order(self):
        sid = self.new_session()
        status, body, _ = self.req("GET", f"/api/v1/session/{sid}/jobs")
        self.assertEqual((status, body), (200, {"sessionId": sid, "jobs": []}))
        out = run_cli("jobs", "enqueue", "--session", sid, "--type", "system.sleep", "--input", '{"sleepMs": 1}',
                      "--count", "3", env={"DATABASE__URL": self.database_url}, cwd=self.tmp)
        ids = out.stdout.split()
        self.assertEqual(len(ids), 3)
        self.server.request("GET", "/health")

        def all_finished():
            _, b, _ = self.req("GET", f"/api/v1/session/{sid}/jobs")
            return all(j["status"] == "finished" for j in b["jobs"]) and len(b["jobs"]) == 3
        deadline = time.time() + 20
        while not all_finished() and time.time() < deadline:
            time.sleep(0.05)
        _, body, _ = self.req("GET", f"/api/v1/session/{sid}/jobs")
        self.assertEqual([j["jobId"] for j in body["jobs"]], ids)
        for j in body["jobs"]:
            self.assertEqual(j["status"], "finished")
            self.assertEqual(j["type"], "system.sleep")
            self.assertEqual(list(j.keys()), ["jobId", "type", "status", "createdAt", "updatedAt", "startedAt", "finishedAt"])
        missing = str(uuid.uuid4())
        status, body, _ = self.req("GET", f"/api/v1/session/{missing}/jobs")
        self.assertEqual((status, body), (404, {"detail": f"Session {missing} not found"}))


class RoutingAndValidation(ServerTestCase):
    def test_unknown_route_and_wrong_method(self):
        status, body, _ = self.req("GET", "/api/v1/nothing-here")
        self.assertEqual((status, body), (404, {"detail": "Not Found"}))
        status, body, resp = self.req("PUT", "/api/v1/session")
        self.assertEqual((status, body), (405, {"detail": "Method Not Allowed"}))
        self.assertEqual(resp.getheader("Allow"), "POST")
        status, body, resp = self.req("HEAD", "/health", raw=True)
        self.assertEqual(status, 405)
        self.assertIn("GET", resp.getheader("Allow"))

    def test_non_uuid_ids_are_422_list_shaped(self):
        for path in ["/api/v1/session/not-a-uuid", "/api/v1/session/12345/jobs"]:
            status, body, _ = self.req("GET", path)
            self.assertEqual(status, 422, path)
            item = body["detail"][0]
            self.assertEqual(list(item.keys())[:4], ["type", "loc", "msg", "input"])
            self.assertEqual(item["type"], "uuid_parsing")
            self.assertEqual(item["loc"], ["path", "session_id"])

    def test_request_id_is_echoed_or_generated(self):
        _, _, resp = self.req("GET", "/health", headers={"X-Request-Id": "abc-123"})
        self.assertEqual(resp.getheader("X-Request-Id"), "abc-123")
        _, _, resp = self.req("GET", "/health")
        self.assertEqual(str(uuid.UUID(resp.getheader("X-Request-Id"))), resp.getheader("X-Request-Id"))
        _, _, resp = self.req("GET", "/health", headers={"X-Request-Id": "bad id\twith spaces"})
        self.assertNotEqual(resp.getheader("X-Request-Id"), "bad id\twith spaces")
        self.assertIn('"requestId":"abc-123"', self.server.read_log())

    def test_keep_alive_serves_many_requests_on_one_connection(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=5)
        for _ in range(20):
            conn.request("GET", "/health")
            resp = conn.getresponse()
            self.assertEqual(resp.status, 200)
            resp.read()
        conn.close()

    def test_malformed_http_gets_400_and_server_survives(self):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        s.sendall(b"THIS IS NOT HTTP\r\n\r\n")
        data = s.recv(4096)
        s.close()
        self.assertIn(b"400", data.split(b"\r\n")[0])
        status, _, _ = self.req("GET", "/health")
        self.assertEqual(status, 200)

    def test_health_metrics_openapi_docs(self):
        status, body, _ = self.req("GET", "/health")
        self.assertEqual((status, body), (200, {"message": "OK"}))
        self.req("GET", f"/api/v1/session/{uuid.uuid4()}")
        status, text, resp = self.req("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertIn('cg_http_requests_total{route="/api/v1/session/{session_id}",method="GET",status="404"}', text)
        self.assertIn("cg_http_request_duration_seconds_bucket", text)
        self.assertIn("cg_job_queue_depth", text)
        self.assertIn("cg_worker_utilization", text)
        status, html, resp = self.req("GET", "/docs")
        self.assertEqual(status, 200)
        self.assertIn("swagger-ui-bundle.js", html)
        status, js, resp = self.req("GET", "/docs/static/swagger-ui-bundle.js", raw=True)
        self.assertEqual(status, 200)
        self.assertGreater(len(js), 100000)
        status, _, _ = self.req("GET", "/docs/static/..%2F..%2Fpackage.json")
        self.assertEqual(status, 404)

    def test_openapi_document_matches_route_table(self):
        status, doc, _ = self.req("GET", "/openapi.json")
        self.assertEqual(status, 200)
        self.assertEqual(doc["openapi"], "3.1.0")
        routes = json.loads(run_cli("routes", cwd=self.tmp).stdout)
        served = {(r["method"].lower(), r["path"]) for r in routes if r["documented"]}
        documented = {(m, p) for p, ops in doc["paths"].items() for m in ops}
        self.assertEqual(served, documented)
        for path, ops in doc["paths"].items():
            params = set(re.findall(r"{(\w+)}", path))
            for method, op in ops.items():
                self.assertTrue(op.get("summary"), (method, path))
                declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
                self.assertEqual(params, declared, (method, path))
                self.assertIn("responses", op)
        # Every documented route answers something other than 404/405 for its method.
        for method, path in sorted(documented):
            concrete = re.sub(r"{\w+}", str(uuid.uuid4()), path)
            status, _, _ = self.req(method.upper(), concrete)
            self.assertNotIn(status, (405,), (method, path))


class HealthWithoutDatabase(ServerTestCase):
    def test_health_is_503_when_the_database_does_not_answer(self):
        from harness import BACKEND
        if BACKEND != "postgresql":
            self.skipTest("needs a database server that can go away (PostgreSQL)")
        self.assertEqual(self.req("GET", "/health")[0], 200)
        server, name = self.database_url.rsplit("/", 1)
        subprocess.run(["psql", server + "/postgres", "-qAtc", f"DROP DATABASE {name} WITH (FORCE)"], check=True,
                       capture_output=True)
        status, body, _ = self.req("GET", "/health")
        self.assertEqual(status, 503)
        self.assertIn("detail", body)


class BodyLimits(ServerTestCase):
    server_env = {"APP__MAX_BODY_BYTES": "65536"}

    def test_oversized_body_gets_413_json(self):
        sid = self.new_session()
        big = json.dumps({"data": {"k": "x" * 100000}})
        status, body, _ = self.req("PATCH", f"/api/v1/session/{sid}", big, {"Content-Type": "application/json"})
        self.assertEqual(status, 413)
        self.assertIn("too large", body["detail"])
        _, body, _ = self.req("GET", f"/api/v1/session/{sid}")
        self.assertEqual(body["data"], {})
        # Chunked body without Content-Length also hits the limit.
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)

        def gen():
            for _ in range(20):
                yield b"x" * 8192
        conn.request("PATCH", f"/api/v1/session/{sid}", body=gen(), headers={"Content-Type": "application/json"},
                     encode_chunked=True)
        resp = conn.getresponse()
        self.assertEqual(resp.status, 413)
        conn.close()


class ApiKeys(ServerTestCase):
    server_env = {"APP__API_KEYS": "key-one, key-two"}

    def test_api_routes_require_a_key_health_stays_open(self):
        status, body, resp = self.req("POST", "/api/v1/session")
        self.assertEqual(status, 401)
        self.assertIn("detail", body)
        status, _, _ = self.req("POST", "/api/v1/session", headers={"Authorization": "Bearer wrong"})
        self.assertEqual(status, 401)
        status, body, _ = self.req("POST", "/api/v1/session", headers={"Authorization": "Bearer key-two"})
        self.assertEqual(status, 201)
        status, _, _ = self.req("GET", f"/api/v1/session/{body['sessionId']}", headers={"X-API-Key": "key-one"})
        self.assertEqual(status, 200)
        self.assertEqual(self.req("GET", "/health")[0], 200)


if __name__ == "__main__":
    unittest.main()
