"""Codegen repair with the optional LLM (issue 7 item 4), end to end against the scripted
OpenAI-compatible server of fake_llm.py: midPoint reports an error that deterministic repair has no
local fix for, the model is asked with the user's script, the errors and the DSL grammar, and its
answer is used only when it passes the Groovy 4 and DSL checks; otherwise the script is regenerated
from the digested model and the job says why. Recognised errors never reach the model."""
import json
import unittest

from fake_llm import ScriptedLlmCase, prompt_text
from harness import ServerTestCase, wait_until
from test_documentation import multipart

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Roster API", "version": "1.0"},
    "servers": [{"url": "https://roster.example/api"}],
    "paths": {
        "/users": {"get": {"operationId": "listUsers", "responses": {"200": {"description": "ok", "content": {
            "application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/User"}}}}}}}},
        "/users/{id}": {"get": {"operationId": "getUser", "parameters": [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/User"}}}}}}},
    },
    "components": {"schemas": {"User": {"type": "object", "description": "A person who signs in.", "properties": {
        "id": {"type": "string"}, "userName": {"type": "string"}, "email": {"type": "string", "format": "email"}}}}},
}

# The user's edited script: a hand-added attribute the regenerated script would not have.
USER_SCRIPT = ('objectClass("User") {\n'
               '    attribute("id") {\n        json {\n            type "string"\n        }\n    }\n'
               '    attribute("nickname") {\n        json {\n            type "string"\n        }\n    }\n'
               '}\n')
# The model's answer for the accepted case: the user's edit kept, the offending flag fixed.
MODEL_FIX = ('objectClass("User") {\n'
             '    attribute("id") {\n        json {\n            type "string"\n        }\n    }\n'
             '    attribute("nickname") {\n        json {\n            type "string"\n        }\n'
             '        updatable false\n    }\n'
             '}\n')
# A proposal that fails the DSL check (only UID and NAME exist as built-in ConnId attributes).
MODEL_BAD = 'objectClass("User") {\n    connIdAttribute("EMAIL", "email")\n}\n'


def scripted_reply(body):
    text = prompt_text(body)
    if "ACCEPT-ME" in text:
        return {"code": MODEL_FIX, "explanation": "nickname is read-only on the server"}
    return {"code": MODEL_BAD, "explanation": "mapped email"}


class LlmRepairTest(ScriptedLlmCase, ServerTestCase):
    llm_reply = staticmethod(scripted_reply)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sid = cls.prepare()

    @classmethod
    def prepare(cls):
        status, body, _ = cls.server.request("POST", "/api/v1/session")
        sid = body["sessionId"]
        data, headers = multipart("roster.json", json.dumps(SPEC).encode())
        status, body, _ = cls.server.request("POST", f"/api/v1/session/{sid}/documentation", data, headers)
        assert status == 200, body
        assert wait_until(lambda: all(j["status"] in ("finished", "failed") for j in
                                      cls.server.request("GET", f"/api/v1/session/{sid}/jobs")[1]["jobs"]), 60, 0.05)
        for op in ("/metadata", "/classes", "/classes/user/attributes", "/classes/user/endpoints"):
            status, body, _ = cls.server.request("POST", f"/api/v1/digester/{sid}{op}")
            assert status == 200, (op, body)
            assert wait_until(lambda: cls.server.request("GET", f"/api/v1/digester/{sid}{op}")[1].get("status")
                              in ("finished", "failed"), 120, 0.05), op
        return sid

    def repair(self, errors, script=USER_SCRIPT):
        path = f"/api/v1/codegen/{self.sid}/classes/user/native-schema"
        status, body, _ = self.req("POST", path, {"currentScript": script, "midpointErrors": errors})
        self.assertEqual(status, 200, body)
        job = body["jobId"]
        holder = {}

        def done():
            holder["b"] = self.req("GET", f"{path}?jobId={job}")[1]
            return holder["b"].get("status") in ("finished", "failed")
        self.assertTrue(wait_until(done, 180, 0.05), holder.get("b"))
        return holder["b"]

    def test_unfixable_error_is_repaired_by_the_model_when_its_script_validates(self):
        before = len(self.llm.calls("codegen_repair"))
        st = self.repair(["ACCEPT-ME: attribute nickname rejected by the server (HTTP 400)"])
        self.assertEqual(st["status"], "finished", st)
        self.assertEqual(st["result"]["code"].strip(), MODEL_FIX.strip())
        self.assertTrue(any(e.startswith("repair: LLM repair accepted") for e in st["errors"]), st["errors"])
        self.assertFalse(any(e.startswith("validation error") for e in st["errors"]), st["errors"])
        self.assertEqual(st["result"]["llmUsage"]["calls"], 1, st["result"]["llmUsage"])
        calls = self.llm.calls("codegen_repair", since=0)[before:]
        self.assertEqual(len(calls), 1)
        sent = prompt_text(calls[0]["body"])
        self.assertIn('attribute("nickname")', sent)  # the user's script, not a regenerated one
        self.assertIn("HTTP 400", sent)
        self.assertIn("objectClass", sent)  # the grammar summary
        _, session, _ = self.req("GET", f"/api/v1/session/{self.sid}")
        self.assertEqual(session["data"]["userNativeSchemaOutput"]["code"], st["result"]["code"])

    def test_invalid_proposal_is_rejected_and_the_model_regenerates(self):
        st = self.repair(["attribute nickname rejected by the server (HTTP 400)"])
        self.assertEqual(st["status"], "finished", st)
        code = st["result"]["code"]
        self.assertNotIn("EMAIL", code)
        self.assertNotIn("nickname", code)  # regenerated from the digested model
        self.assertIn('attribute("userName")', code)
        self.assertTrue(any(e.startswith("LLM repair rejected: the proposed script fails validation")
                            for e in st["errors"]), st["errors"])
        self.assertIn("repair: script regenerated from the digested model", st["errors"])
        self.assertFalse(any(e.startswith("validation error") for e in st["errors"]), st["errors"])
        self.assertEqual(st["result"]["llmUsage"]["calls"], 1)

    def test_recognised_error_is_fixed_locally_without_the_model(self):
        before = len(self.llm.calls("codegen_repair"))
        script = USER_SCRIPT.replace('type "string"\n        }\n    }\n    attribute("nickname")',
                                     'type "uuid-string"\n        }\n    }\n    attribute("nickname")')
        self.assertIn("uuid-string", script)
        st = self.repair(["Unknown JSON type: uuid-string"], script)
        self.assertEqual(st["status"], "finished", st)
        self.assertNotIn("uuid-string", st["result"]["code"])
        self.assertIn('attribute("nickname")', st["result"]["code"])  # the user's edit survives
        self.assertNotIn("llmUsage", st["result"])
        self.assertEqual(len(self.llm.calls("codegen_repair")), before)


if __name__ == "__main__":
    unittest.main()
