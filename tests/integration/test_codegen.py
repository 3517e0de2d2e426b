"""Codegen routes (contract B.7), the package extension and the generate command, over real HTTP
and the real binary: scripts generated from a digested spec, validated overrides, repair mode,
contract messages, and a downloadable package whose scripts all pass validation."""
import io
import os
import pathlib
import subprocess
import tempfile
import unittest
import zipfile

from harness import BACKEND, BINARY, ServerTestCase, wait_until
from test_documentation import CORPUS, multipart


class Codegen(ServerTestCase):
    def wait(self, path, timeout=180):
        holder = {}

        def done():
            status, body, _ = self.req("GET", path)
            holder["b"] = body
            return status == 200 and body.get("status") in ("finished", "failed")
        self.assertTrue(wait_until(done, timeout, 0.05), holder.get("b"))
        return holder["b"]

    def prepared_session(self, rel="forgejo/swagger.v1.json"):
        if not os.path.isdir(CORPUS):
            self.skipTest(f"corpus not found at {CORPUS}")
        sid = self.new_session()
        body, headers = multipart(os.path.basename(rel), pathlib.Path(CORPUS, rel).read_bytes())
        status, resp, _ = self.req("POST", f"/api/v1/session/{sid}/documentation", body, headers)
        self.assertEqual(status, 200)
        self.assertTrue(wait_until(lambda: self.req("GET", f"/api/v1/session/{sid}/jobs")[1]["jobs"][0]["status"] == "finished",
                                   60, 0.05))
        for op in ("/metadata", "/classes", "/auth", "/relations"):
            self.assertEqual(self.req("POST", f"/api/v1/digester/{sid}{op}")[0], 200)
            self.assertEqual(self.wait(f"/api/v1/digester/{sid}{op}")["status"], "finished")
        for op in ("attributes", "endpoints"):
            self.req("POST", f"/api/v1/digester/{sid}/classes/user/{op}")
            self.assertEqual(self.wait(f"/api/v1/digester/{sid}/classes/user/{op}")["status"], "finished")
        return sid

    def test_scripts_for_every_artifact(self):
        if not os.path.isdir(CORPUS):
            self.skipTest("corpus not found")
        sid = self.prepared_session()
        cases = [("native-schema", "userNativeSchema"), ("connid", "userConnid"), ("search/all", "userSearchAll"),
                 ("search/filter", "userSearchFilter"), ("search/id", "userSearchId"), ("create", "userCreate"),
                 ("update", "userUpdate"), ("delete", "userDelete")]
        for sub, key in cases:
            with self.subTest(sub=sub):
                status, body, _ = self.req("POST", f"/api/v1/codegen/{sid}/classes/User/{sub}")
                self.assertEqual(status, 200, body)
                st = self.wait(f"/api/v1/codegen/{sid}/classes/user/{sub}")
                self.assertEqual(st["status"], "finished", st)
                code = st["result"]["code"]
                self.assertIn('objectClass("User")', code)
                for err in st.get("errors") or []:
                    self.assertNotIn("validation error", err, (sub, err))
                if sub in ("native-schema", "connid"):
                    self.assertNotIn("result", {k for k, v in st.items() if v is None})  # stage envelope omits nulls
                _, session, _ = self.req("GET", f"/api/v1/session/{sid}")
                self.assertEqual(session["data"][key + "Output"], {"code": code})
                self.assertEqual(session["data"][key + "JobId"], st["jobId"])
        st = self.wait(f"/api/v1/codegen/{sid}/classes/user/search/id")
        self.assertIn("singleResult()", st["result"]["code"])
        # Authorization needs preferredAuthorizations.
        status, body, _ = self.req("POST", f"/api/v1/codegen/{sid}/authorization", {})
        self.assertEqual(status, 422)
        _, auth, _ = self.req("GET", f"/api/v1/digester/{sid}/auth")
        first = auth["result"]["auth"][0]
        status, body, _ = self.req("POST", f"/api/v1/codegen/{sid}/authorization",
                                   {"preferredAuthorizations": {"name": first["name"]}})
        self.assertEqual(status, 200, body)
        st = self.wait(f"/api/v1/codegen/{sid}/authorization")
        self.assertEqual(st["status"], "finished")
        self.assertIn("authentication", st["result"]["code"])
        _, session, _ = self.req("GET", f"/api/v1/session/{sid}")
        self.assertEqual(session["data"]["authorizationInput"]["preferredAuthorizations"][0]["type"], first["type"])
        # Relations.
        _, rels, _ = self.req("GET", f"/api/v1/digester/{sid}/relations")
        name = rels["result"]["relations"][0]["name"]
        self.assertEqual(self.req("POST", f"/api/v1/codegen/{sid}/relations/{name}")[0], 200)
        st = self.wait(f"/api/v1/codegen/{sid}/relations/{name}")
        self.assertIn(f'relationship("{name}")', st["result"]["code"])
        status, body, _ = self.req("POST", f"/api/v1/codegen/{sid}/relations/no_such_relation")
        self.assertEqual((status, body["detail"]), (404, f"Relation no_such_relation not found in session {sid}."))

    def test_messages_overrides_and_repair(self):
        sid = self.new_session()
        status, body, _ = self.req("POST", f"/api/v1/codegen/{sid}/classes/user/native-schema")
        self.assertEqual((status, body["detail"]), (404, f"No attributes found for user in session {sid}. Please run "
                                                          "/classes/user/attributes endpoint first."))
        status, body, _ = self.req("GET", f"/api/v1/codegen/{sid}/classes/user/connid")
        self.assertEqual((status, body["detail"]), (404, f"No ConnID job found for user in session {sid}"))
        status, body, _ = self.req("POST", f"/api/v1/codegen/{sid}/classes/user/search/sideways")
        self.assertEqual((status, body["detail"][0]["loc"]), (422, ["path", "intent"]))
        status, body, _ = self.req("POST", f"/api/v1/codegen/{sid}/relations/x")
        self.assertEqual((status, body["detail"]), (404, f"No relations found in session {sid}. Please run /relations endpoint first."))
        # Overrides are validated: invalid Groovy and DSL mistakes are 422 with the validator's message.
        good = 'objectClass("User") {\n    search {\n        endpoint("users") {\n            responseFormat JSON_ARRAY\n            emptyFilterSupported true\n        }\n    }\n}\n'
        status, body, _ = self.req("PUT", f"/api/v1/codegen/{sid}/classes/user/search/all", {"code": "```groovy\n" + good + "```"})
        self.assertEqual((status, body), (200, {"message": "Search code for user overridden successfully", "sessionId": sid,
                                                "objectClass": "user"}))
        _, session, _ = self.req("GET", f"/api/v1/session/{sid}")
        self.assertEqual(session["data"]["userSearchAllOutput"], {"code": good.strip()})
        for bad in ["objectClass(\"User\") {", "", 'objectClass("User") { attribute("id") { connIdAttribute "EMAIL" } }']:
            status, body, _ = self.req("PUT", f"/api/v1/codegen/{sid}/classes/user/native-schema", {"code": bad})
            self.assertEqual(status, 422, bad)
            self.assertTrue(body["detail"][0]["msg"].startswith("Value error, "), body)
        # Repair mode: a known midPoint error is fixed deterministically.
        sid2 = self.prepared_session()
        broken = ('objectClass("User") {\n    attribute("id") {\n        jsonType "uuid-string"\n'
                  '        connIdAttribute "UID"\n    }\n}\n')
        status, body, _ = self.req("POST", f"/api/v1/codegen/{sid2}/classes/user/native-schema",
                                   {"currentScript": broken, "midpointErrors": ["Unknown JSON type: uuid-string"]})
        self.assertEqual(status, 200, body)
        st = self.wait(f"/api/v1/codegen/{sid2}/classes/user/native-schema")
        self.assertEqual(st["status"], "finished")
        self.assertNotIn("uuid-string", st["result"]["code"])
        self.assertTrue(any(e.startswith("repair:") for e in st["errors"]), st["errors"])
        _, session, _ = self.req("GET", f"/api/v1/session/{sid2}")
        self.assertEqual(session["data"]["userNativeSchemaInput"]["midpointErrors"], ["Unknown JSON type: uuid-string"])

    def test_package_download_and_generate_command(self):
        if not os.path.isdir(CORPUS):
            self.skipTest("corpus not found")
        sid = self.new_session()
        body, headers = multipart("swagger.v1.json", pathlib.Path(CORPUS, "forgejo/swagger.v1.json").read_bytes())
        self.req("POST", f"/api/v1/session/{sid}/documentation", body, headers)
        status, body, _ = self.req("GET", f"/api/v1/codegen/{sid}/package/download")
        self.assertEqual(status, 404)
        self.assertEqual(self.req("POST", f"/api/v1/codegen/{sid}/package")[0], 200)
        st = self.wait(f"/api/v1/codegen/{sid}/package", 300)
        self.assertEqual(st["status"], "finished", st)
        self.assertEqual(st["result"]["failedValidation"], 0)
        status, payload, resp = self.req("GET", f"/api/v1/codegen/{sid}/package/download", raw=True)
        self.assertEqual(status, 200)
        self.assertEqual(resp.getheader("Content-Type"), "application/zip")
        z = zipfile.ZipFile(io.BytesIO(payload))
        names = set(z.namelist())
        for n in ("User.native.schema.groovy", "User.connid.schema.groovy", "User.search.all.op.groovy",
                  "User.search.id.op.groovy", "User.search.filter.op.groovy", "User.create.op.groovy",
                  "User.update.op.groovy", "User.delete.op.groovy", "authentication.op.groovy", "connector.manifest",
                  "README.md"):
            self.assertIn(n, names)
        self.assertIn('script: "/User.search.all.op.groovy"', z.read("connector.manifest").decode())
        self.assertIn("| User |", z.read("README.md").decode())
        # The CLI produces the same package offline.
        out = tempfile.mkdtemp(prefix="cg-gen-")
        proc = subprocess.run([BINARY, "generate", str(pathlib.Path(CORPUS, "forgejo/swagger.v1.json")), "-o", out],
                              capture_output=True, text=True, timeout=600)
        self.assertEqual(proc.returncode, 0, proc.stderr + proc.stdout)
        self.assertIn("0 failed validation", proc.stdout)
        cli_names = set(os.listdir(out)) - {"connector.zip"}
        self.assertEqual(cli_names, names)
        self.assertEqual(pathlib.Path(out, "User.search.all.op.groovy").read_text(), z.read("User.search.all.op.groovy").decode())
        bad = subprocess.run([BINARY, "generate", "/nonexistent/spec.yaml", "-o", out], capture_output=True, text=True)
        self.assertNotEqual(bad.returncode, 0)


class EveryCorpusDocument(unittest.TestCase):
    """Every script generated from every structured corpus document passes both validators."""

    def test_generate_validates_for_every_structured_document(self):
        if not os.path.isdir(CORPUS):
            self.skipTest(f"corpus not found at {CORPUS}")
        if BACKEND != "sqlite":
            self.skipTest("the generate command always runs on its own temporary SQLite database")
        from test_digester import STRUCTURED
        for rel, _, _ in STRUCTURED:
            with self.subTest(rel=rel):
                out = tempfile.mkdtemp(prefix="cg-gen-")
                proc = subprocess.run([BINARY, "generate", str(pathlib.Path(CORPUS, rel)), "-o", out],
                                      capture_output=True, text=True, timeout=900)
                self.assertEqual(proc.returncode, 0, proc.stderr[-2000:] + proc.stdout[-2000:])
                self.assertRegex(proc.stdout, r"scripts: [1-9][0-9]* \(0 failed validation\)")
                self.assertNotIn("Groovy compilation skipped", proc.stdout)
                self.assertTrue(os.path.exists(os.path.join(out, "connector.manifest")))


class ForgejoMatchesHandWritten(unittest.TestCase):
    """The generated Forgejo connector agrees with the hand-written one on every compared fact
    (bench/codegen_forgejo_compare.py: UID/NAME, search paths, keys, paging, relations, auth)."""

    def test_every_check_matches(self):
        if not os.path.isdir(CORPUS):
            self.skipTest(f"corpus not found at {CORPUS}")
        if BACKEND != "sqlite":
            self.skipTest("the generate command always runs on its own temporary SQLite database")
        script = pathlib.Path(__file__).resolve().parents[2] / "bench" / "codegen_forgejo_compare.py"
        env = dict(os.environ, CG_SHARED_DIR=str(pathlib.Path(CORPUS).parent))
        proc = subprocess.run(["python3", str(script), BINARY], capture_output=True, text=True, timeout=600, env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:] + proc.stdout[-2000:])
        misses = [line for line in proc.stdout.splitlines() if line.startswith("|") and line.endswith("| no |")]
        self.assertEqual(misses, [])
        self.assertRegex(proc.stdout, r"matched (\d+)/\1 checks")


if __name__ == "__main__":
    unittest.main()
