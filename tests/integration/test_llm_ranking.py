"""Optional LLM steps of issue 7 beyond test_llm.py, against the scripted OpenAI-compatible server of
fake_llm.py: the IGA re-ranking of ambiguous object classes in the digester (only classes the
deterministic engines marked relevant "maybe" are sent and changed, the class order is kept, the
verdict is cached with the digest, a failing model keeps the deterministic values with an error
line) and the model's summaries for scraped prose pages (one budget per scrape job)."""
import json
import tempfile
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import fake_llm
from fake_llm import prompt_text
from harness import Server, ServerTestCase, fresh_database_url, wait_until
from test_documentation import multipart


def _list_and_get(name, path):
    """GET list + GET by id + POST for one resource, all returning the schema `name`."""
    ref = {"$ref": f"#/components/schemas/{name}"}
    ok = {"description": "ok", "content": {"application/json": {"schema": ref}}}
    many = {"description": "ok", "content": {"application/json": {"schema": {"type": "array", "items": ref}}}}
    return {
        path: {"get": {"operationId": f"list{name}s", "responses": {"200": many}},
               "post": {"operationId": f"create{name}", "requestBody": {"content": {"application/json": {"schema": ref}}},
                        "responses": {"201": ok}}},
        path + "/{id}": {"get": {"operationId": f"get{name}", "responses": {"200": ok},
                                 "parameters": [{"name": "id", "in": "path", "required": True,
                                                 "schema": {"type": "string"}}]}},
    }


def _schema(description, *fields):
    return {"type": "object", "description": description,
            "properties": dict({"id": {"type": "string"}}, **{f: {"type": "string"} for f in fields})}


# User and Group are IGA classes (relevant "true" from the structured engine); Invoice, Widget and
# Gadget are not IGA-like, so the engine leaves them "maybe".
SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Ledger API", "version": "2.1"},
    "servers": [{"url": "https://ledger.example/api"}],
    "paths": dict(**_list_and_get("User", "/users"), **_list_and_get("Group", "/groups"),
                  **_list_and_get("Invoice", "/invoices"), **_list_and_get("Widget", "/widgets"),
                  **_list_and_get("Gadget", "/gadgets")),
    "components": {"schemas": {
        "User": _schema("A person who signs in.", "userName", "email"),
        "Group": _schema("A set of users.", "displayName"),
        "Invoice": _schema("A bill; its approvers decide who may pay it.", "number", "approver"),
        "Widget": _schema("A dashboard tile.", "title"),
        "Gadget": _schema("A hardware item.", "serial"),
    }},
}
AMBIGUOUS = {"Invoice", "Widget", "Gadget"}

RERANK_REPLY = {"classes": [
    {"name": "Invoice", "relevant": "true", "importance": 2, "reason": "approvers are entitlements"},
    {"name": "Widget", "relevant": "false", "importance": 5, "reason": "presentation only"},
    # Not ambiguous: the structured "true" must stay.
    {"name": "User", "relevant": "false", "importance": 5, "reason": "scripted contradiction"},
    # Unknown to the digest: ignored.
    {"name": "Spaceship", "relevant": "true", "importance": 1, "reason": "hallucinated"},
    # Gadget is not named: it stays "maybe".
]}

SUMMARY_REPLY = {
    "summary": "Scripted page summary: Ledger users and their invoices.",
    "category": "reference_other",
    "tags": ["ledger", "scripted"],
    "numEndpoints": 0,
    "differentAppName": False,
}


def scripted_reply(body):
    kind = fake_llm.schema_name(body)
    if kind == "class_rerank":
        return RERANK_REPLY
    if kind == "chunk_summary":
        return SUMMARY_REPLY
    raise AssertionError(f"unexpected prompt kind {kind}")


class Steps:
    def wait_status(self, path, predicate, timeout=120, server=None):
        server = server or self.server
        holder = {}

        def check():
            status, body, _ = server.request("GET", path)
            holder["body"] = body
            return status == 200 and predicate(body)
        self.assertTrue(wait_until(check, timeout, 0.05), holder.get("body"))
        return holder["body"]

    def upload_spec(self, sid, server=None):
        server = server or self.server
        body, headers = multipart("ledger.json", json.dumps(SPEC).encode(), "application/json")
        status, resp, _ = server.request("POST", f"/api/v1/session/{sid}/documentation", body, headers)
        self.assertEqual(status, 200, resp)
        self.wait_status(f"/api/v1/session/{sid}/jobs",
                         lambda b: all(j["status"] in ("finished", "failed") for j in b["jobs"]), server=server)

    def run_op(self, sid, path, query="", server=None):
        server = server or self.server
        status, body, _ = server.request("POST", f"/api/v1/digester/{sid}{path}{query}")
        self.assertEqual(status, 200, (path, body))
        return self.wait_status(f"/api/v1/digester/{sid}{path}?jobId={body['jobId']}",
                                lambda b: b["status"] in ("finished", "failed"), server=server)

    def new_session_on(self, server):
        status, body, _ = server.request("POST", "/api/v1/session")
        self.assertEqual(status, 201, body)
        return body["sessionId"]

    @staticmethod
    def relevance(status):
        return {c["name"]: c["relevant"] for c in status["result"]["objectClasses"]}

    @staticmethod
    def names(status):
        return [c["name"] for c in status["result"]["objectClasses"]]


class LlmServerCase(fake_llm.ScriptedLlmCase, Steps, ServerTestCase):
    """A server configured for the scripted model; `llm_status` sets the model's HTTP status."""
    llm_reply = staticmethod(scripted_reply)


class ClassRerankTest(LlmServerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The same documentation on a server without LLM settings gives the deterministic answer.
        cls.plain_tmp = tempfile.mkdtemp(prefix="cg-it-plain-")
        cls.plain = Server(fresh_database_url(cls.plain_tmp), cwd=cls.plain_tmp)

    @classmethod
    def tearDownClass(cls):
        cls.plain.stop()
        super().tearDownClass()

    def deterministic_classes(self):
        sid = self.new_session_on(self.plain)
        self.upload_spec(sid, server=self.plain)
        st = self.run_op(sid, "/classes", server=self.plain)
        self.assertEqual(st["status"], "finished", st)
        self.assertNotIn("llmUsage", st)
        # Without a model the job says where one would have helped (and that nothing was called).
        self.assertIn('3 object class(es) keep relevant "maybe" (no LLM configured to judge their IGA relevance).',
                      st["errors"])
        self.assertFalse(any("failed" in e for e in (st.get("errors") or [])), st.get("errors"))
        return st

    def test_model_verdict_applies_to_ambiguous_classes_only(self):
        plain = self.deterministic_classes()
        before = self.relevance(plain)
        self.assertEqual({n for n, r in before.items() if r == "maybe"}, AMBIGUOUS, before)
        self.assertEqual(before["User"], "true")

        sid = self.new_session()
        self.upload_spec(sid)
        start = len(self.llm.requests)
        st = self.run_op(sid, "/classes")
        self.assertEqual(st["status"], "finished", st)
        after = self.relevance(st)
        self.assertEqual(after["Invoice"], "true")   # "maybe" → the model's "true"
        self.assertEqual(after["Widget"], "false")   # "maybe" → the model's "false"
        self.assertEqual(after["Gadget"], "maybe")   # not judged by the model
        self.assertEqual(after["User"], "true")      # structured verdict kept against the model
        self.assertEqual(after["Group"], "true")
        self.assertNotIn("Spaceship", after)
        # The order is the deterministic (confidence bucket) order.
        self.assertEqual(self.names(st), self.names(plain))

        calls = self.llm.calls("class_rerank", since=start)
        self.assertEqual(len(calls), 1)
        self.assertEqual(len(self.llm.calls(since=start)), 1)  # no other LLM step for a structured spec
        prompt = prompt_text(calls[0]["body"])
        for name in AMBIGUOUS:
            self.assertIn(f"- {name}:", prompt)
        self.assertNotIn("- User:", prompt)
        self.assertNotIn("- Group:", prompt)
        self.assertIn("A dashboard tile.", prompt)
        self.assertEqual(st["llmUsage"]["calls"], 1)
        self.assertEqual(st["llmUsage"]["failedCalls"], 0)
        self.assertGreaterEqual(st["llmUsage"]["totalTokens"], 160)
        self.assertFalse(any("LLM" in e for e in (st.get("errors") or [])), st.get("errors"))
        self.assertNotIn("sk-test-secret", json.dumps(st))

        # The session output (what codegen reads) carries the verdicts.
        _, session, _ = self.req("GET", f"/api/v1/session/{sid}")
        stored = {c["name"]: c["relevant"] for c in session["data"]["objectClassesOutput"]["objectClasses"]}
        self.assertEqual(stored, after)

        # Cached with the digest: other digester jobs and a rerun make no model call and report no usage.
        auth = self.run_op(sid, "/auth")
        again = self.run_op(sid, "/classes")
        self.assertEqual(len(self.llm.calls(since=start)), 1)
        self.assertNotIn("llmUsage", auth)
        self.assertNotIn("llmUsage", again)
        self.assertEqual(self.relevance(again), after)


class ClassRerankFailureTest(LlmServerCase):
    llm_status = 500

    def test_failing_model_keeps_deterministic_values_with_an_error_line(self):
        self.llm.status = 500
        sid = self.new_session()
        self.upload_spec(sid)
        start = len(self.llm.requests)
        st = self.run_op(sid, "/classes")
        self.assertEqual(st["status"], "finished", st)
        rel = self.relevance(st)
        self.assertEqual({n for n, r in rel.items() if r == "maybe"}, AMBIGUOUS, rel)
        self.assertEqual(rel["User"], "true")
        failed = [e for e in st["errors"] if e.startswith("The LLM class re-ranking failed")]
        self.assertEqual(len(failed), 1, st["errors"])
        self.assertIn("500", failed[0])
        self.assertIn('keep relevant "maybe"', failed[0])
        self.assertEqual(st["llmUsage"]["calls"], 1)
        self.assertEqual(st["llmUsage"]["failedCalls"], 1)
        self.assertEqual(len(self.llm.calls("class_rerank", since=start)), 1)
        self.assertNotIn("sk-test-secret", json.dumps(st))

        # The failure is cached: a rerun reports it again without calling the model ...
        again = self.run_op(sid, "/classes")
        self.assertEqual(len(self.llm.calls(since=start)), 1)
        self.assertTrue(any(e.startswith("The LLM class re-ranking failed for these documents") for e in again["errors"]),
                        again["errors"])
        self.assertEqual(self.relevance(again), rel)
        # ... and skipCache=true retries it once the model answers.
        self.llm.status = 200
        retried = self.run_op(sid, "/classes", "?skipCache=true")
        self.assertEqual(retried["status"], "finished", retried)
        self.assertEqual(self.relevance(retried)["Invoice"], "true")
        self.assertEqual(self.relevance(retried)["User"], "true")
        self.assertEqual(retried["llmUsage"]["calls"], 1)
        self.assertFalse(any("LLM" in e for e in (retried.get("errors") or [])), retried.get("errors"))


def _page(title, body="", links=()):
    anchors = "".join(f"<a href='{h}'>{h}</a> " for h in links)
    return (f"<html><head><title>{title}</title></head><body><main><h1>{title}</h1>"
            f"<p>This page of the Ledger handbook explains {title.lower()} in plain words for administrators. "
            f"{body}</p>{anchors}</main></body></html>").encode()


class LedgerSite(BaseHTTPRequestHandler):
    """A small documentation site: an index, three prose pages and the OpenAPI document."""
    pages = {
        "/docs/": ("text/html", _page("Ledger docs", links=("users.html", "invoices.html", "groups.html",
                                                             "openapi.json"))),
        "/docs/users.html": ("text/html", _page("Users", "Every person who signs in to Ledger is a user.")),
        "/docs/invoices.html": ("text/html", _page("Invoices", "An invoice has one approver.")),
        "/docs/groups.html": ("text/html", _page("Groups", "Groups collect users who approve together.")),
        "/docs/openapi.json": ("application/json", json.dumps(SPEC).encode()),
    }

    def do_GET(self):
        ctype, body = self.pages.get(self.path, ("text/html", b"<h1>Not found</h1>"))
        self.send_response(200 if self.path in self.pages else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _serve(handler):
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


SITE = _serve(LedgerSite)
SITE_BASE = f"http://127.0.0.1:{SITE.server_address[1]}"
SCRAPE_ENV = {"SCRAPE_AND_PROCESS__ALLOWED_HOSTS": "127.0.0.1", "SCRAPE__PER_HOST_DELAY_MILLISECONDS": "0"}


class ScrapeSteps(Steps):
    site_base = SITE_BASE

    def scrape(self):
        sid = self.new_session()
        start = len(self.llm.requests) if hasattr(self, "llm") else 0
        status, body, _ = self.req("POST", f"/api/v1/scrape/{sid}/scrape",
                                   {"starterLinks": [self.site_base + "/docs/"], "applicationName": "Ledger",
                                    "applicationVersion": "2.1"})
        self.assertEqual(status, 200, body)
        st = self.wait_status(f"/api/v1/scrape/{sid}/scrape?jobId={body['jobId']}",
                              lambda b: b["status"] in ("finished", "failed"))
        self.assertEqual(st["status"], "finished", st)
        chunks = [c for d in st["result"]["savedDocumentations"] for c in d["chunks"]]
        prose = [c for c in chunks if not c["url"].endswith("openapi.json")]
        spec = [c for c in chunks if c["url"].endswith("openapi.json")]
        self.assertEqual({c["url"] for c in prose},
                         {self.site_base + p for p in ("/docs/", "/docs/users.html", "/docs/invoices.html",
                                                       "/docs/groups.html")})
        self.assertGreater(len(spec), 0)
        return sid, st, prose, spec, (self.llm.calls(since=start) if hasattr(self, "llm") else [])

    @staticmethod
    def has_model_summary(chunk):
        return (chunk["summary"] == SUMMARY_REPLY["summary"] and chunk["metadata"].get("category") == "reference_other"
                and chunk["metadata"].get("tags") == SUMMARY_REPLY["tags"])


class ScrapeCase(ScrapeSteps, LlmServerCase):
    llm_env = SCRAPE_ENV


class ScrapeSummaryTest(ScrapeCase):
    def test_scraped_prose_chunks_carry_the_models_summary(self):
        sid, st, prose, spec, calls = self.scrape()
        for c in prose:
            self.assertTrue(self.has_model_summary(c), c)
        for c in spec:  # machine-readable documents keep the deterministic summary
            self.assertNotEqual(c["summary"], SUMMARY_REPLY["summary"])
        self.assertEqual(len(calls), len(prose))
        self.assertTrue(all(fake_llm.schema_name(r["body"]) == "chunk_summary" for r in calls))
        prompts = [prompt_text(r["body"]) for r in calls]
        for c in prose:
            self.assertTrue(any(c["url"] in p for p in prompts), c["url"])
        self.assertTrue(all("Ledger" in p for p in prompts))
        self.assertEqual(st["result"]["llmUsage"]["calls"], len(prose))
        self.assertEqual(st["result"]["llmUsage"]["failedCalls"], 0)
        self.assertFalse(any("LLM" in e for e in (st.get("errors") or [])), st.get("errors"))

        # Stored that way, under the same chunk ids the job reported.
        doc_id = next(d["docId"] for d in st["result"]["savedDocumentations"]
                      if d["chunks"][0]["url"].endswith("/docs/users.html"))
        status, bundle, _ = self.req("GET", f"/api/v1/session/{sid}/documentation/{doc_id}")
        self.assertEqual(status, 200, bundle)
        reported = [c for c in prose if c["url"].endswith("/docs/users.html")]
        self.assertEqual([c["chunkId"] for c in bundle["chunks"]], [c["chunkId"] for c in reported])
        for c in bundle["chunks"]:
            self.assertTrue(self.has_model_summary(c), c)


class ScrapeBudgetTest(ScrapeCase):
    llm_env = dict(ScrapeCase.llm_env, LLM__MAX_CALLS_PER_JOB="2")

    def test_exhausted_budget_keeps_deterministic_summaries_for_the_rest(self):
        sid, st, prose, spec, calls = self.scrape()
        self.assertGreaterEqual(len(prose), 4)
        self.assertEqual(len(calls), 2)
        with_model = [c for c in prose if self.has_model_summary(c)]
        self.assertEqual(len(with_model), 2)
        for c in prose:
            if c not in with_model:
                self.assertTrue(c["summary"])
                self.assertNotEqual(c["summary"], SUMMARY_REPLY["summary"])
        self.assertEqual(st["result"]["llmUsage"]["calls"], 2)
        lines = [e for e in st["errors"] if e.startswith("LLM budget exhausted")]
        self.assertEqual(len(lines), 1, st["errors"])
        self.assertIn(f"{len(prose) - 2} chunks keep their deterministic summary", lines[0])
        self.assertIn("LLM__MAX_CALLS_PER_JOB", lines[0])


class ScrapeWithoutLlmTest(ScrapeSteps, ServerTestCase):
    server_env = SCRAPE_ENV

    def test_scrape_without_llm_keeps_deterministic_summaries_and_reports_no_usage(self):
        _, st, prose, _, _ = self.scrape()
        self.assertNotIn("llmUsage", st["result"])
        self.assertFalse(any("LLM" in e for e in (st.get("errors") or [])), st.get("errors"))
        for c in prose:
            self.assertTrue(c["summary"])
            self.assertNotEqual(c["summary"], SUMMARY_REPLY["summary"])


if __name__ == "__main__":
    unittest.main()
