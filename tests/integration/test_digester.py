"""Digester routes (contract B.6) over real HTTP: every structured corpus document gives the seven
results, deterministically; overrides show up in GETs; contract error messages."""
import json
import os
import pathlib
import unittest
import uuid

from harness import ServerTestCase, wait_until
from test_documentation import CORPUS, multipart

STRUCTURED = [
    ("forgejo/swagger.v1.json", "REST", ["User", "Organization", "Team"]),
    ("okta/management-minimal.yaml", "REST", ["User", "Group"]),
    ("asana/asana_oas.yaml", "REST", ["User"]),
    ("keycloak/keycloak-23.0.7.yml", "REST", ["User", "Group"]),
    ("nextcloud/provisioning_api-openapi.json", "REST", []),
    ("scim/scim.dev-Schemas.json", "SCIM", ["User", "Group"]),
    ("scim/pagerduty-scim-openapiv3.json", "SCIM", []),
    ("sql/create-scripted-idm-tables-sync-postgresql.sql", "SQL", []),
    ("sql/dms-db-tables.sql", "SQL", []),
]


def strip_refs(v):
    if isinstance(v, dict):
        return {k: strip_refs(x) for k, x in v.items() if k not in ("relevantDocumentations", "relevantSequences")}
    if isinstance(v, list):
        return [strip_refs(x) for x in v]
    return v


class Digester(ServerTestCase):
    def upload_and_wait(self, sid, rel):
        if not os.path.isdir(CORPUS):
            self.skipTest(f"corpus not found at {CORPUS}")
        data = pathlib.Path(CORPUS, rel).read_bytes()
        body, headers = multipart(os.path.basename(rel), data)
        status, resp, _ = self.req("POST", f"/api/v1/session/{sid}/documentation", body, headers)
        self.assertEqual(status, 200, resp)
        self.wait_status(f"/api/v1/session/{sid}/jobs", lambda b: all(j["status"] in ("finished", "failed") for j in b["jobs"]))

    def wait_status(self, path, predicate, timeout=120):
        holder = {}

        def check():
            status, body, _ = self.req("GET", path)
            holder["body"] = body
            return status == 200 and predicate(body)
        self.assertTrue(wait_until(check, timeout, 0.05), holder.get("body"))
        return holder["body"]

    def run_op(self, sid, path):
        status, body, _ = self.req("POST", f"/api/v1/digester/{sid}{path}")
        self.assertEqual(status, 200, (path, body))
        job = body["jobId"]
        return self.wait_status(f"/api/v1/digester/{sid}{path}?jobId={job}",
                                lambda b: b["status"] in ("finished", "failed"))

    def digest_all(self, rel):
        sid = self.new_session()
        self.upload_and_wait(sid, rel)
        out = {}
        for op in ("/metadata", "/classes", "/auth", "/connectivity-endpoint"):
            st = self.run_op(sid, op)
            self.assertEqual(st["status"], "finished", (rel, op, st))
            self.assertEqual(list(st.keys()), ["jobId", "status", "createdAt", "startedAt", "updatedAt", "result", "errors",
                                               "progress"])
            out[op] = st["result"]
        classes = out["/classes"]["objectClasses"]
        if classes:
            oc = classes[0]["name"].lower()
            for op in (f"/classes/{oc}/attributes", f"/classes/{oc}/endpoints"):
                st = self.run_op(sid, op)
                self.assertEqual(st["status"], "finished", (rel, op, st))
                out[op.replace(oc, "{oc}")] = st["result"]
        st = self.run_op(sid, "/relations")
        self.assertEqual(st["status"], "finished", (rel, st))
        out["/relations"] = st["result"]
        return sid, out

    def test_corpus_documents_give_seven_results_deterministically(self):
        if not os.path.isdir(CORPUS):
            self.skipTest("corpus not found")
        for rel, api_type, must_have in STRUCTURED:
            with self.subTest(rel=rel):
                sid, first = self.digest_all(rel)
                info = first["/metadata"]["infoMetadata"]
                self.assertIsNotNone(info, rel)
                self.assertIn(api_type, info["apiType"], rel)
                names = [c["name"] for c in first["/classes"]["objectClasses"]]
                self.assertTrue(names, rel)
                for n in must_have:
                    self.assertIn(n, names, rel)
                for c in first["/classes"]["objectClasses"]:
                    self.assertEqual(list(c.keys())[:7], ["name", "description", "superclass", "abstract", "embedded",
                                                          "relevant", "confidence"])
                    self.assertIn(c["confidence"], ("high", "medium", "low"))
                    self.assertIsInstance(c["relevantDocumentations"], list)
                    self.assertNotIn("attributes", c)
                if "/classes/{oc}/attributes" in first:
                    attrs = first["/classes/{oc}/attributes"]["attributes"]
                    self.assertTrue(attrs, rel)
                    for name, a in attrs.items():
                        for k in ("type", "description", "mandatory", "updatable", "creatable", "readable", "multivalue",
                                  "returnedByDefault"):
                            self.assertIn(k, a, (rel, name))
                names = {c["name"].lower() for c in first["/classes"]["objectClasses"]}
                for relation in first["/relations"]["relations"]:
                    self.assertIn(relation["subject"].lower(), names, rel)
                    self.assertIn(relation["object"].lower(), names, rel)
                # A second session over the same document yields the same results (chunk ids differ).
                _, second = self.digest_all(rel)
                self.assertEqual(json.dumps(strip_refs(first), sort_keys=False),
                                 json.dumps(strip_refs(second), sort_keys=False), rel)

    def test_evidence_points_at_stored_chunks(self):
        sid = self.new_session()
        self.upload_and_wait(sid, "forgejo/swagger.v1.json")
        st = self.run_op(sid, "/classes")
        user = [c for c in st["result"]["objectClasses"] if c["name"] == "User"][0]
        self.assertTrue(user["relevantDocumentations"])
        _, docs, _ = self.req("GET", f"/api/v1/session/{sid}/documentation")
        chunk_ids = {c["chunkId"] for b in docs for c in b["chunks"]}
        for ref in user["relevantDocumentations"]:
            self.assertIn(ref["chunkId"], chunk_ids)

    def test_messages_overrides_and_hydration(self):
        sid = self.new_session()
        status, body, _ = self.req("GET", f"/api/v1/digester/{sid}/classes")
        self.assertEqual((status, body), (404, {"detail": f"No object classes job found in session {sid}"}))
        status, body, _ = self.req("POST", f"/api/v1/digester/{sid}/classes/user/attributes")
        self.assertEqual((status, body["detail"]),
                         (404, f"No object classes found in session {sid}. Please run /classes endpoint first."))
        status, body, _ = self.req("POST", f"/api/v1/digester/{sid}/relations")
        self.assertEqual(status, 404)
        # A classes job over a session without documentation fails with the contract's message.
        st = self.run_op(sid, "/classes")
        self.assertEqual(st["status"], "failed")
        self.assertEqual(st["errors"], [f"Session with ID {sid} has no documentation items stored."])
        self.upload_and_wait(sid, "forgejo/swagger.v1.json")
        st = self.run_op(sid, "/classes")
        self.assertEqual(st["status"], "finished")
        status, body, _ = self.req("GET", f"/api/v1/digester/{sid}/classes/nothing")
        self.assertEqual((status, body["detail"]), (404, f"Object class 'nothing' not found in session {sid}"))
        # PUT one class, then GET shows it (and keeps the others' evidence).
        status, body, _ = self.req("PUT", f"/api/v1/digester/{sid}/classes/Widget",
                                   {"description": "custom", "confidence": "medium"})
        self.assertEqual((status, body["message"]), (200, "Object class 'Widget' added successfully"))
        st = self.req("GET", f"/api/v1/digester/{sid}/classes")[1]
        by_name = {c["name"]: c for c in st["result"]["objectClasses"]}
        self.assertEqual(by_name["Widget"]["description"], "custom")
        self.assertTrue(by_name["User"]["relevantDocumentations"])
        # Attributes override.
        status, body, _ = self.req("PUT", f"/api/v1/digester/{sid}/classes/User/attributes",
                                   {"attributes": {"login": {"type": "string", "mandatory": True}}})
        self.assertEqual(body, {"message": "Attributes for user overridden successfully", "sessionId": sid,
                                "objectClass": "user"})
        st = self.run_op(sid, "/classes/user/endpoints")
        self.assertEqual(st["status"], "finished")
        status, cls, _ = self.req("GET", f"/api/v1/digester/{sid}/classes/USER")
        self.assertEqual(status, 200)
        self.assertEqual(cls["attributes"], {"login": {"type": "string", "mandatory": True, "relevantDocumentations": []}})
        self.assertTrue(cls["endpoints"])
        # Metadata override is validated and stored.
        status, body, _ = self.req("PUT", f"/api/v1/digester/{sid}/metadata", {"infoMetadata": "nope"})
        self.assertEqual(status, 422)
        status, body, _ = self.req("PUT", f"/api/v1/digester/{sid}/metadata",
                                   {"infoMetadata": {"name": "X", "apiType": ["REST"],
                                                     "baseApiEndpoint": [{"uri": "https://x/api", "type": "constant"}]}})
        self.assertEqual(body, {"message": "Metadata updated successfully", "sessionId": sid})
        _, session, _ = self.req("GET", f"/api/v1/session/{sid}")
        self.assertEqual(session["data"]["metadataOutput"]["infoMetadata"]["name"], "X")
        # Overrides show in the status GET of every output once its job has run.
        st = self.run_op(sid, "/metadata")
        self.assertEqual(self.req("PUT", f"/api/v1/digester/{sid}/metadata", {"infoMetadata": {"name": "Y"}})[0], 200)
        self.assertEqual(self.req("GET", f"/api/v1/digester/{sid}/metadata")[1]["result"]["infoMetadata"]["name"], "Y")
        # Relations PUT validates the body shape.
        self.assertEqual(self.req("PUT", f"/api/v1/digester/{sid}/relations", {"relations": "x"})[0], 422)
        self.assertEqual(self.req("PUT", f"/api/v1/digester/{sid}/relations", {"relations": []})[0], 200)
        # jobId of another session is not reported.
        other = self.new_session()
        status, body, _ = self.req("GET", f"/api/v1/digester/{other}/classes?jobId={st['jobId']}")
        self.assertEqual((status, body["status"]), (200, "not_found"))


if __name__ == "__main__":
    unittest.main()
