"""Optional LLM steps (issue 7), against a scripted OpenAI-compatible server: prose extraction in the
digester jobs (verified claims are merged into the deterministic result, hallucinated ones are
dropped, the job reports llmUsage, a failing LLM leaves the deterministic result with an error line)
and chunk summaries at upload time (the model's summary/category/tags replace the deterministic ones;
a failing LLM keeps them and notes an error). Without LLM settings nothing of this happens."""
import http.server
import io
import json
import re
import sqlite3
import threading
import unittest
import zipfile

import fake_llm
from fake_llm import MODEL, schema_name
from harness import BACKEND, ServerTestCase, wait_until
from test_documentation import multipart

# Prose the deterministic extractor cannot turn into an endpoint (no "GET /path" line, no curl, no table).
MARKDOWN = b"""# Teamspace handbook

Teamspace keeps people organised in teams. A team groups several people who share one workspace and
its projects. Each team has a name.

To find out who belongs to a team, send a GET request; the members listing lives at /teams/{id}/members
and returns one entry per member of the team. Every team of the workspace is listed, page by page,
at /teams as well.
"""

VERIFIED_PATH = "/teams/{id}/members"
HALLUCINATED_PATH = "/teams/{id}/archive"
LIST_PATH = "/teams"

REPLY = {
    "objectClasses": [{"name": "Team", "description": "A group of people sharing one workspace.",
                       "evidence": "A team groups several people who share one workspace"}],
    "attributes": [{"objectClass": "Team", "name": "name", "type": "string", "description": "The team's name.",
                    "mandatory": None, "multivalue": None, "readOnly": None}],
    "endpoints": [
        {"objectClass": "Team", "method": "GET", "path": VERIFIED_PATH, "description": "Lists the members of a team.",
         "suggestedUse": ["list"], "parameters": ["id"]},
        {"objectClass": "Team", "method": "GET", "path": LIST_PATH, "description": "Lists every team.",
         "suggestedUse": ["getAll"], "parameters": []},
        {"objectClass": "Team", "method": "DELETE", "path": HALLUCINATED_PATH, "description": "Archives a team.",
         "suggestedUse": ["delete"], "parameters": []},
    ],
    "auth": [],
    "metadata": None,
}

SUMMARY_REPLY = {
    "summary": "Scripted summary: Teamspace teams and their members listing.",
    "category": "reference_api",
    "tags": ["teams", "members"],
    "numEndpoints": 1,
    "differentAppName": False,
}


def prompt_links(body):
    """The URLs of a link_rerank prompt, in prompt order ("[i] url" lines)."""
    text = "\n".join(m.get("content", "") for m in body["messages"])
    return re.findall(r"^\[(\d+)\] (\S+)$", text, re.M)


def scripted_reply(body):
    name = schema_name(body)
    if name == "chunk_summary":
        return SUMMARY_REPLY
    if name == "link_rerank":  # reverses the deterministic order
        indexes = [int(i) for i, _ in prompt_links(body)]
        return {"ranking": [{"index": i, "relevant": True, "reason": "scripted"} for i in reversed(indexes)]}
    return REPLY


def ScriptedLlm(status=200):
    """The shared scripted server (fake_llm.py) answering with this module's replies."""
    return fake_llm.ScriptedLlm(reply=scripted_reply, status=status, model=MODEL)


class DigesterSteps:
    def upload_job(self, sid):
        """Uploads the Markdown doc and returns (docId, finished job row, its chunks)."""
        body, headers = multipart("teamspace.md", MARKDOWN, "text/markdown")
        status, resp, _ = self.req("POST", f"/api/v1/session/{sid}/documentation", body, headers)
        self.assertEqual(status, 200, resp)
        job_id = resp["jobId"]
        jobs = self.wait_status(f"/api/v1/session/{sid}/jobs",
                                lambda b: any(j["jobId"] == job_id and j["status"] in ("finished", "failed")
                                              for j in b["jobs"]))
        job = [j for j in jobs["jobs"] if j["jobId"] == job_id][0]
        self.assertEqual(job["status"], "finished", job)
        job.update(self.stored_job(job_id))
        status, bundle, _ = self.req("GET", f"/api/v1/session/{sid}/documentation/{resp['docId']}")
        self.assertEqual(status, 200, bundle)
        return resp["docId"], job, bundle["chunks"]

    def stored_job(self, job_id):
        """The upload job's stored result and errors (no route exposes them)."""
        if BACKEND != "sqlite":
            self.skipTest("reads the upload job's result from the SQLite database")
        with sqlite3.connect(self.database_url) as db:
            result, errors = db.execute("SELECT result, errors FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
        return {"result": json.loads(result) if result else None, "errors": json.loads(errors) if errors else []}

    def upload_and_wait(self, sid):
        body, headers = multipart("teamspace.md", MARKDOWN, "text/markdown")
        status, resp, _ = self.req("POST", f"/api/v1/session/{sid}/documentation", body, headers)
        self.assertEqual(status, 200, resp)
        self.wait_status(f"/api/v1/session/{sid}/jobs",
                         lambda b: all(j["status"] in ("finished", "failed") for j in b["jobs"]))

    def wait_status(self, path, predicate, timeout=120):
        holder = {}

        def check():
            status, body, _ = self.req("GET", path)
            holder["body"] = body
            return status == 200 and predicate(body)
        self.assertTrue(wait_until(check, timeout, 0.05), holder.get("body"))
        return holder["body"]

    def run_op(self, sid, path, query=""):
        status, body, _ = self.req("POST", f"/api/v1/digester/{sid}{path}{query}")
        self.assertEqual(status, 200, (path, body))
        return self.wait_status(f"/api/v1/digester/{sid}{path}?jobId={body['jobId']}",
                                lambda b: b["status"] in ("finished", "failed"))

    @staticmethod
    def class_names(status):
        return [c["name"] for c in status["result"]["objectClasses"]]


class WithScriptedLlm(fake_llm.ScriptedLlmCase, DigesterSteps, ServerTestCase):
    llm_reply = staticmethod(scripted_reply)

    def test_verified_claims_are_merged_and_hallucinations_dropped(self):
        sid = self.new_session()
        self.upload_and_wait(sid)
        classes = self.run_op(sid, "/classes")
        self.assertEqual(classes["status"], "finished", classes)
        self.assertIn("Team", self.class_names(classes))
        self.assertIn("llmUsage", classes)
        self.assertGreaterEqual(classes["llmUsage"]["calls"], 1)
        self.assertGreaterEqual(classes["llmUsage"]["totalTokens"], 160)
        self.assertTrue(any("dropped" in e and HALLUCINATED_PATH in e for e in classes["errors"]), classes["errors"])
        calls_after_classes = len(self.llm.requests)

        endpoints = self.run_op(sid, "/classes/team/endpoints")
        self.assertEqual(endpoints["status"], "finished", endpoints)
        paths = [(e["method"], e["path"]) for e in endpoints["result"]["endpoints"]]
        self.assertIn(("GET", VERIFIED_PATH), paths)
        self.assertNotIn(HALLUCINATED_PATH, [p for _, p in paths])
        # The augmented digest is cached: the second job makes no model calls and reports no usage.
        self.assertEqual(len(self.llm.requests), calls_after_classes)
        self.assertNotIn("llmUsage", endpoints)

        self.assertGreaterEqual(len(self.llm.requests), 1)
        sent = [r for r in self.llm.requests if schema_name(r["body"]) != "chunk_summary"][0]
        self.assertTrue(sent["path"].endswith("/v1/chat/completions"), sent["path"])
        self.assertEqual(sent["body"]["model"], MODEL)
        self.assertIn("response_format", sent["body"])
        self.assertTrue(any("/teams/{id}/members" in m.get("content", "") for m in sent["body"]["messages"]))
        self.assertNotIn("sk-test-secret", json.dumps(classes))

        # ... and on to codegen: the verified list endpoint becomes the Team's search, valid for Groovy 4 + DSL.
        attributes = self.run_op(sid, "/classes/team/attributes")
        self.assertEqual(attributes["status"], "finished", attributes)
        status, body, _ = self.req("POST", f"/api/v1/codegen/{sid}/classes/team/search/all")
        self.assertEqual(status, 200, body)
        code_st = self.wait_status(f"/api/v1/codegen/{sid}/classes/team/search/all?jobId={body['jobId']}",
                                   lambda b: b["status"] in ("finished", "failed"))
        self.assertEqual(code_st["status"], "finished", code_st)
        code = code_st["result"]["code"]
        self.assertIn('endpoint("teams")', code)
        self.assertIn("emptyFilterSupported true", code)
        self.assertNotIn("archive", code)
        self.assertFalse(any(e.startswith("validation error") for e in code_st["errors"]), code_st["errors"])

    def test_package_of_prose_only_documentation_uses_the_llm_digest(self):
        sid = self.new_session()
        self.upload_and_wait(sid)
        status, body, _ = self.req("POST", f"/api/v1/codegen/{sid}/package")
        self.assertEqual(status, 200, body)
        st = self.wait_status(f"/api/v1/codegen/{sid}/package", lambda b: b["status"] in ("finished", "failed"), 300)
        self.assertEqual(st["status"], "finished", st)
        self.assertGreaterEqual(st["result"]["classes"], 1)
        self.assertEqual(st["result"]["failedValidation"], 0)
        self.assertGreaterEqual(st["result"]["llmUsage"]["calls"], 1)
        status, payload, _ = self.req("GET", f"/api/v1/codegen/{sid}/package/download", raw=True)
        self.assertEqual(status, 200)
        names = set(zipfile.ZipFile(io.BytesIO(payload)).namelist())
        self.assertIn("Team.search.all.op.groovy", names)
        all_search = zipfile.ZipFile(io.BytesIO(payload)).read("Team.search.all.op.groovy").decode()
        self.assertIn('endpoint("teams")', all_search)

    def test_upload_chunks_get_the_models_summary(self):
        sid = self.new_session()
        before = len(self.llm.requests)
        _, job, chunks = self.upload_job(sid)
        summary_calls = [r for r in self.llm.requests[before:] if schema_name(r["body"]) == "chunk_summary"]
        self.assertEqual(len(summary_calls), len(chunks))
        self.assertTrue(any("/teams/{id}/members" in m.get("content", "")
                            for m in summary_calls[0]["body"]["messages"]))
        self.assertGreater(len(chunks), 0)
        for c in chunks:
            self.assertEqual(c["summary"], SUMMARY_REPLY["summary"])
            self.assertEqual(c["metadata"]["category"], "reference_api")
            self.assertEqual(c["metadata"]["tags"], ["teams", "members"])
        self.assertGreaterEqual(job["result"]["llmUsage"]["calls"], len(chunks))
        self.assertGreaterEqual(job["result"]["llmUsage"]["totalTokens"], 160 * len(chunks))
        self.assertFalse(any("LLM" in e for e in job.get("errors") or []), job.get("errors"))


class FakeSearxng(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        results = [{"url": f"https://docs.demo{i}.example/api/reference", "title": f"Demo API reference {i}",
                    "content": "Demo REST API documentation: users, groups", "engine": "bing"} for i in range(3)]
        payload = json.dumps({"query": "q", "results": results}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


def section_summary(body):
    """Chunk summaries that name the section they were asked about (to check answers land on their chunk)."""
    if schema_name(body) != "chunk_summary":
        return REPLY
    found = re.findall(r"Section (\d+):", "\n".join(m.get("content", "") for m in body["messages"]))
    return dict(SUMMARY_REPLY, summary=f"Scripted summary of section {found[0] if found else '?'}.")


class ParallelSummaries(fake_llm.ScriptedLlmCase, DigesterSteps, ServerTestCase):
    """Chunk summaries of one document are requested in parallel (up to LLM__MAX_CONCURRENCY) and each
    answer is stored on the chunk it was asked about."""
    llm_reply = staticmethod(section_summary)
    llm_latency = 0.3
    llm_env = {"LLM__MAX_CONCURRENCY": "3", "SCRAPE_AND_PROCESS__CHUNK_LENGTH": "1000"}

    def test_summaries_run_in_parallel_and_land_on_their_chunks(self):
        text = "".join(f"\n## Section {i}: accounts part {i}\n\n" + ("Accounts have a login and groups. " * 180)
                       for i in range(1, 7))
        body, headers = multipart("handbook.md", ("# Handbook\n" + text).encode(), "text/markdown")
        sid = self.new_session()
        status, resp, _ = self.req("POST", f"/api/v1/session/{sid}/documentation", body, headers)
        self.assertEqual(status, 200, resp)
        self.wait_status(f"/api/v1/session/{sid}/jobs", lambda b: all(j["status"] == "finished" for j in b["jobs"]))
        status, bundle, _ = self.req("GET", f"/api/v1/session/{sid}/documentation/{resp['docId']}")
        self.assertEqual(status, 200, bundle)
        sections = [c for c in bundle["chunks"] if re.search(r"Section (\d+):", c["content"])]
        self.assertGreaterEqual(len(sections), 4, [c["content"][:80] for c in bundle["chunks"]])
        for c in sections:
            n = re.search(r"Section (\d+):", c["content"]).group(1)
            self.assertEqual(c["summary"], f"Scripted summary of section {n}.")
        self.assertGreaterEqual(self.llm.max_in_flight, 2)
        self.assertLessEqual(self.llm.max_in_flight, 3)


class DiscoveryWithScriptedLlm(DigesterSteps, ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.llm = ScriptedLlm()
        cls.searx = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeSearxng)
        threading.Thread(target=cls.searx.serve_forever, daemon=True).start()
        cls.server_env = {"LLM__OPENAI_API_BASE": cls.llm.base, "LLM__MODEL_NAME": MODEL, "LLM__MAX_ATTEMPTS": "1",
                          "LLM__REQUEST_TIMEOUT": "20", "SEARCH__METHOD_NAME": "searxng",
                          "SEARXNG__URL": f"http://127.0.0.1:{cls.searx.server_address[1]}",
                          "SEARCH__DELAY_MILLISECONDS": "0"}
        try:
            super().setUpClass()
        except Exception:
            cls.llm.close()
            cls.searx.shutdown()
            raise

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.llm.close()
        cls.searx.shutdown()
        cls.searx.server_close()

    def test_links_follow_the_models_ranking(self):
        sid = self.new_session()
        status, body, _ = self.req("POST", f"/api/v1/discovery/{sid}/discovery",
                                   {"applicationName": "Demo", "integrationType": "rest", "numQueries": 1,
                                    "skipCache": True})
        self.assertEqual(status, 200, body)
        st = self.wait_status(f"/api/v1/discovery/{sid}/discovery", lambda b: b["status"] in ("finished", "failed"))
        self.assertEqual(st["status"], "finished", st)
        rerank_calls = [r for r in self.llm.requests if schema_name(r["body"]) == "link_rerank"]
        self.assertEqual(len(rerank_calls), 1)
        prompt_order = [url for _, url in prompt_links(rerank_calls[0]["body"])]
        self.assertGreaterEqual(len(prompt_order), 2, prompt_order)
        links = st["result"]["candidateLinks"]
        self.assertEqual(links, list(reversed(prompt_order))[:len(links)])
        self.assertGreaterEqual(st["result"]["llmUsage"]["calls"], 1)


class WithFailingLlm(fake_llm.ScriptedLlmCase, DigesterSteps, ServerTestCase):
    llm_reply = staticmethod(scripted_reply)
    llm_status = 400
    llm_api_key = None

    def test_job_finishes_with_deterministic_result_and_an_error_line(self):
        sid = self.new_session()
        self.upload_and_wait(sid)
        classes = self.run_op(sid, "/classes")
        self.assertEqual(classes["status"], "finished", classes)
        self.assertNotIn("Team", self.class_names(classes))
        self.assertGreaterEqual(len(self.llm.requests), 1)
        self.assertTrue(any(e.startswith("The LLM step failed") for e in classes["errors"]), classes["errors"])
        self.assertNotIn("sk-", json.dumps(classes))

        # The failure is cached for these documents: a plain rerun does not call the model again ...
        calls = len(self.llm.requests)
        again = self.run_op(sid, "/classes")
        self.assertEqual(len(self.llm.requests), calls)
        self.assertNotIn("Team", self.class_names(again))
        self.assertTrue(any(e.startswith("The LLM step failed") for e in again["errors"]), again["errors"])
        # ... but skipCache=true retries it, and once the endpoint works the verified class appears.
        self.llm.status = 200
        retried = self.run_op(sid, "/classes", "?skipCache=true")
        self.assertEqual(retried["status"], "finished", retried)
        self.assertIn("Team", self.class_names(retried))
        self.assertGreaterEqual(retried["llmUsage"]["calls"], 1)
        self.assertFalse(any(e.startswith("The LLM step failed") for e in retried["errors"]), retried["errors"])


    def test_upload_keeps_deterministic_summary_when_the_model_fails(self):
        self.llm.status = 400
        sid = self.new_session()
        before = len(self.llm.requests)
        _, job, chunks = self.upload_job(sid)
        self.assertGreaterEqual(len(self.llm.requests) - before, 1)
        self.assertGreater(len(chunks), 0)
        for c in chunks:
            self.assertTrue(c["summary"])
            self.assertNotEqual(c["summary"], SUMMARY_REPLY["summary"])
            self.assertNotEqual(c["metadata"]["tags"], SUMMARY_REPLY["tags"])
        errors = job.get("errors") or []
        self.assertTrue(any(e.startswith("LLM chunk summary") and "deterministic summary kept" in e for e in errors),
                        errors)
        self.assertEqual(job["result"]["llmUsage"]["failedCalls"], job["result"]["llmUsage"]["calls"])
        self.assertNotIn("sk-", json.dumps(job))


class WithoutLlm(DigesterSteps, ServerTestCase):
    def test_same_upload_gives_no_llm_class(self):
        sid = self.new_session()
        self.upload_and_wait(sid)
        classes = self.run_op(sid, "/classes")
        self.assertEqual(classes["status"], "finished", classes)
        self.assertNotIn("Team", self.class_names(classes))
        self.assertNotIn("llmUsage", classes)
        # The job says the prose was read without a model, and nothing failed.
        self.assertTrue(any(e.startswith("1 prose document(s) were read by the deterministic extractor only (no LLM")
                            for e in classes["errors"]), classes["errors"])
        self.assertFalse(any("LLM step failed" in e for e in classes["errors"]), classes["errors"])

    def test_upload_without_llm_has_deterministic_summaries_and_no_usage(self):
        sid = self.new_session()
        _, job, chunks = self.upload_job(sid)
        self.assertNotIn("llmUsage", job.get("result") or {})
        self.assertFalse(any("LLM" in e for e in job.get("errors") or []), job.get("errors"))
        for c in chunks:
            self.assertTrue(c["summary"])
            self.assertNotEqual(c["summary"], SUMMARY_REPLY["summary"])


if __name__ == "__main__":
    unittest.main()
