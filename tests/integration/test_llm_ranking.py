"""Optional LLM steps of issue 7 beyond test_llm.py, against the scripted OpenAI-compatible server of
fake_llm.py: the IGA re-ranking of ambiguous object classes in the digester (only classes the
deterministic engines marked relevant "maybe" are sent and changed, the class order is kept, the
verdict is cached with the digest, a failing model keeps the deterministic values with an error
line) and the model's summaries for scraped prose pages (one budget per scrape job)."""
import json
import tempfile
import unittest

import fake_llm
from fake_llm import ScriptedLlm, prompt_text
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


class LlmServerCase(Steps, ServerTestCase):
    """A server configured for the scripted model; `llm_status` sets the model's HTTP status."""
    llm_status = 200
    extra_env = {}

    @classmethod
    def setUpClass(cls):
        cls.llm = ScriptedLlm(reply=scripted_reply, status=cls.llm_status)
        cls.server_env = cls.llm.env(LLM__OPENAI_API_KEY="sk-test-secret", **cls.extra_env)
        try:
            super().setUpClass()
        except Exception:
            cls.llm.close()
            raise

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.llm.close()


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
        self.assertFalse(any("LLM" in e for e in (st.get("errors") or [])), st.get("errors"))
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


if __name__ == "__main__":
    unittest.main()
