"""Documentation routes (contract B.3) over real HTTP: uploads of every corpus file and of fixtures
made here (HTML, Markdown, PDF, DOCX), the processing job, import, HEAD, delete, and bad input."""
import io
import json
import os
import pathlib
import time
import unittest
import uuid
import zipfile

from harness import ServerTestCase, wait_until

SHARED = os.environ.get("CG_SHARED_DIR", os.path.join(os.path.dirname(__file__), "../../../shared"))
CORPUS = os.path.join(SHARED, "corpus")


def multipart(filename, data, content_type="application/octet-stream", field="documentation"):
    boundary = "cgboundary" + uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
            f"Content-Type: {content_type}\r\n\r\n").encode()
    body = head + data + f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def minimal_pdf(lines):
    """A valid one-page PDF whose text is `lines` (Helvetica), with a correct xref table."""
    text_ops = "BT /F1 12 Tf 72 720 Td " + " ".join(f"({l}) Tj 0 -16 Td" for l in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        f"<< /Length {len(text_ops)} >>\nstream\n{text_ops}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{obj}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def minimal_docx(paragraphs, table_rows):
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    rows = "".join("<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{c}</w:t></w:r></w:p></w:tc>" for c in row) + "</w:tr>"
                   for row in table_rows)
    doc = f'<?xml version="1.0" encoding="UTF-8"?><w:document {ns}><w:body>{body}<w:tbl>{rows}</w:tbl></w:body></w:document>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("word/document.xml", doc)
    return buf.getvalue()


class Documentation(ServerTestCase):
    def upload(self, sid, filename, data, content_type="application/octet-stream", path=None, method="POST"):
        body, headers = multipart(filename, data, content_type)
        return self.req(method, path or f"/api/v1/session/{sid}/documentation", body, headers)

    def wait_job(self, sid, job_id, timeout=120):
        def done():
            _, body, _ = self.req("GET", f"/api/v1/session/{sid}/jobs")
            return [j for j in body["jobs"] if j["jobId"] == job_id and j["status"] in ("finished", "failed")]
        self.assertTrue(wait_until(done, timeout, 0.05), f"job {job_id} did not end")
        return done()[0]

    def job_row(self, sid, job_id):
        # Status and errors through the documentation status list and the session's job list.
        _, body, _ = self.req("GET", f"/api/v1/session/{sid}/documentation/status")
        return [j for j in body["uploadJobs"] if j["jobId"] == job_id][0]

    def test_every_corpus_file_uploads_and_chunks(self):
        if not os.path.isdir(CORPUS):
            self.skipTest(f"corpus not found at {CORPUS}")
        sid = self.new_session()
        expected = {}
        for root, _, files in os.walk(CORPUS):
            for name in sorted(files):
                if name.endswith(".md") or name == "expected.json":
                    continue
                data = pathlib.Path(root, name).read_bytes()
                status, body, _ = self.upload(sid, name, data)
                self.assertEqual(status, 200, body)
                self.assertEqual(body["status"], "queued")
                self.assertEqual(body["message"], "Documentation upload queued for processing")
                expected[body["docId"]] = (name, body["jobId"], data)
        for doc_id, (name, job_id, data) in expected.items():
            job = self.wait_job(sid, job_id)
            self.assertEqual(job["status"], "finished", (name, job))
            status, bundle, _ = self.req("GET", f"/api/v1/session/{sid}/documentation/{doc_id}")
            self.assertEqual(status, 200, name)
            self.assertEqual(bundle["docId"], doc_id)
            chunks = bundle["chunks"]
            self.assertGreater(len(chunks), 0, name)
            for i, c in enumerate(chunks):
                self.assertEqual(list(c.keys()), ["chunkId", "source", "url", "summary", "content", "metadata",
                                                  "createdAt", "scrapeJobIds"])
                self.assertEqual(c["source"], "upload")
                self.assertEqual(c["url"], f"upload://{name}")
                self.assertEqual(c["scrapeJobIds"], [job_id])
                m = c["metadata"]
                self.assertEqual(m["chunk_number"], i)
                self.assertEqual(m["filename"], name)
                self.assertLessEqual(m["token_count"], 10000)
                self.assertGreater(m["token_count"], 0)
                self.assertEqual(m["character_count"], len(c["content"]))
                for key in ("num_endpoints", "tags", "category", "content_type", "parser"):
                    self.assertIn(key, m)
                self.assertIn(m["category"], ["spec_yaml", "spec_json", "reference_api", "reference_other", "overview",
                                              "index", "tutorial", "non-technical", "other"])
                self.assertTrue(c["summary"])
            if name.endswith(".json") and "openapi" in json.dumps(chunks[0]["metadata"]).lower():
                # OpenAPI JSON chunks are valid JSON documents on their own.
                for c in chunks:
                    json.loads(c["content"])
            status, payload, resp = self.req("HEAD", f"/api/v1/session/{sid}/documentation/{doc_id}", raw=True)
            self.assertEqual((status, payload), (204, b""))
        # The whole-session listing groups the same documents.
        status, all_docs, _ = self.req("GET", f"/api/v1/session/{sid}/documentation")
        self.assertEqual(status, 200)
        self.assertEqual({b["docId"] for b in all_docs}, set(expected))
        status, st, _ = self.req("GET", f"/api/v1/session/{sid}/documentation/status")
        self.assertEqual(st["totalUploads"], len(expected))
        # The upload job key was written for each document.
        _, session, _ = self.req("GET", f"/api/v1/session/{sid}")
        for doc_id, (_, job_id, _) in expected.items():
            self.assertEqual(session["data"][f"documentation.processUpload_{doc_id}_job_id"], job_id)

    def test_fixtures_made_here_round_trip_their_text(self):
        sid = self.new_session()
        html = b"""<html><head><title>Users API</title><script>var secret = 1;</script></head><body>
<nav><a href="/">Home</a></nav><h1>Users</h1><p>Create a user with <code>POST /users</code>.</p>
<ul><li>id: string</li><li>email: string</li></ul>
<table><tr><th>Field</th><th>Type</th></tr><tr><td>name</td><td>string</td></tr></table>
<pre><code class="language-json">{"id": "1"}</code></pre></body></html>"""
        cases = [
            ("users.html", html, "text/html", ["# Users", "POST /users", "- id: string", "| name | string |"], ["secret"]),
            ("guide.md", b"# Guide\n\nSome text.\n\n## Auth\n\nUse a bearer token.\n", "text/markdown",
             ["# Guide", "bearer token"], []),
            ("manual.pdf", minimal_pdf(["Provisioning API manual", "GET /api/users lists users"]), "application/pdf",
             ["Provisioning API manual", "GET /api/users lists users"], []),
            ("spec.docx", minimal_docx(["Account attributes", "The login field is unique."],
                                       [["Attribute", "Type"], ["login", "string"]]),
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             ["Account attributes", "The login field is unique.", "login"], []),
        ]
        for name, data, ctype, must, must_not in cases:
            status, body, _ = self.upload(sid, name, data, ctype)
            self.assertEqual(status, 200, body)
            job = self.wait_job(sid, body["jobId"])
            self.assertEqual(job["status"], "finished", (name, job))
            _, bundle, _ = self.req("GET", f"/api/v1/session/{sid}/documentation/{body['docId']}")
            text = "\n".join(c["content"] for c in bundle["chunks"])
            for s in must:
                self.assertIn(s, text, name)
            for s in must_not:
                self.assertNotIn(s, text, name)
            parser = bundle["chunks"][0]["metadata"]["parser"]
            self.assertEqual(parser, {"users.html": "html", "guide.md": "text", "manual.pdf": "pdf",
                                      "spec.docx": "docx"}[name])

    def test_bad_uploads(self):
        sid = self.new_session()
        status, body, _ = self.upload(sid, "empty.yaml", b"")
        self.assertEqual((status, body), (422, {"detail": "Uploaded documentation empty.yaml is empty."}))
        body_bytes, headers = multipart("x.txt", b"hello", field="other")
        status, body, _ = self.req("POST", f"/api/v1/session/{sid}/documentation", body_bytes, headers)
        self.assertEqual(status, 422)
        self.assertEqual(body["detail"][0]["loc"], ["body", "documentation"])
        status, body, _ = self.req("POST", f"/api/v1/session/{sid}/documentation", {"not": "multipart"})
        self.assertEqual(status, 422)
        missing = str(uuid.uuid4())
        status, body, _ = self.upload(missing, "a.txt", b"x")
        self.assertEqual((status, body), (404, {"detail": f"Session {missing} not found"}))
        status, body, _ = self.upload(sid, "a.txt", b"x", path=f"/api/v1/session/{sid}/documentation?skipCache=maybe",
                                      method="PUT")
        self.assertEqual(status, 422)
        self.assertEqual(body["detail"][0]["type"], "bool_parsing")
        # Unsupported binary: the job fails with the contract's 415 message and stores nothing.
        status, body, _ = self.upload(sid, "blob.bin", bytes(range(256)) * 8)
        self.assertEqual(status, 200)
        job = self.wait_job(sid, body["jobId"])
        self.assertEqual(job["status"], "failed")
        status, _, _ = self.req("GET", f"/api/v1/session/{sid}/documentation/{body['docId']}")
        self.assertEqual(status, 404)
        status, payload, _ = self.req("HEAD", f"/api/v1/session/{sid}/documentation/{body['docId']}", raw=True)
        self.assertEqual(status, 404)
        # A PDF without text fails with the contract's 422 message.
        status, body, _ = self.upload(sid, "blank.pdf", minimal_pdf([]), "application/pdf")
        job = self.wait_job(sid, body["jobId"])
        self.assertEqual(job["status"], "failed")

    def test_import_replace_delete_and_head(self):
        sid = self.new_session()
        doc = str(uuid.uuid4())
        c1, c2 = str(uuid.uuid4()), str(uuid.uuid4())
        payload = {"docId": doc, "chunks": [
            {"chunkId": c1, "source": "upload", "content": "first", "createdAt": "2026-01-01T00:00:00Z",
             "@metadata": {"chunk_number": 0}, "scrapeJobIds": ["j1"]},
            {"chunk_id": c2, "source": "scraper", "content": "second", "created_at": "2026-01-01T00:00:01",
             "url": "https://example.com/a"}]}
        status, body, _ = self.req("PUT", f"/api/v1/session/{sid}/documentation/{doc}", payload)
        self.assertEqual((status, body), (200, {"message": "Documentation imported successfully", "sessionId": sid,
                                                "docId": doc, "importedChunks": 2}))
        status, bundle, _ = self.req("GET", f"/api/v1/session/{sid}/documentation/{doc}")
        self.assertEqual([c["chunkId"] for c in bundle["chunks"]], [c1, c2])
        self.assertEqual(bundle["chunks"][0]["createdAt"], "2026-01-01T00:00:00Z")
        self.assertEqual(bundle["chunks"][0]["metadata"], {"chunk_number": 0})
        status, listing, _ = self.req("GET", f"/api/v1/session/{sid}/documentation")
        self.assertEqual(len(listing), 2)  # grouped by (source, docId)
        # Mismatched docId, duplicates, bad dates; nothing changes.
        other = str(uuid.uuid4())
        status, body, _ = self.req("PUT", f"/api/v1/session/{sid}/documentation/{doc}", {"docId": other, "chunks": []})
        self.assertEqual((status, body["detail"]), (422, f"Body docId ({other}) must match path documentation_id ({doc})"))
        dup = {"chunks": [{"chunkId": c1, "source": "upload", "content": "x", "createdAt": "2026-01-01T00:00:00Z"}] * 2}
        status, body, _ = self.req("PUT", f"/api/v1/session/{sid}/documentation/{doc}", dup)
        self.assertEqual((status, body["detail"]), (422, f"Duplicate chunkId in import payload: {c1}"))
        bad = {"chunks": [{"chunkId": str(uuid.uuid4()), "source": "upload", "content": "x", "createdAt": "yesterday"}]}
        status, _, _ = self.req("PUT", f"/api/v1/session/{sid}/documentation/{doc}", bad)
        self.assertEqual(status, 422)
        # A chunk id used in another session → 409, atomically.
        sid2 = self.new_session()
        reuse = {"chunks": [{"chunkId": c1, "source": "upload", "content": "x", "createdAt": "2026-01-01T00:00:00Z"}]}
        status, body, _ = self.req("PUT", f"/api/v1/session/{sid2}/documentation/{doc}", reuse)
        self.assertEqual(status, 409)
        self.assertTrue(body["detail"].startswith("Import failed due to DB data conflict."))
        badsource = {"chunks": [{"chunkId": str(uuid.uuid4()), "source": "web", "content": "x",
                                 "createdAt": "2026-01-01T00:00:00Z"}]}
        self.assertEqual(self.req("PUT", f"/api/v1/session/{sid2}/documentation/{doc}", badsource)[0], 409)
        _, bundle, _ = self.req("GET", f"/api/v1/session/{sid}/documentation/{doc}")
        self.assertEqual(len(bundle["chunks"]), 2)
        # Delete one document.
        status, body, _ = self.req("DELETE", f"/api/v1/session/{sid}/documentation/{doc}")
        self.assertEqual(body, {"message": "Documentation deleted successfully (2 chunk(s) removed)", "sessionId": sid,
                                "deletedPageId": doc, "deletedChunks": 2})
        status, body, _ = self.req("DELETE", f"/api/v1/session/{sid}/documentation/{doc}")
        self.assertEqual((status, body["detail"]),
                         (404, f"Documentation with documentation_id {doc} not found in session {sid}"))
        status, body, _ = self.req("GET", f"/api/v1/session/{sid}/documentation")
        self.assertEqual((status, body), (404, {"detail": f"No documentation found in session {sid}"}))

    def test_head_202_while_processing_then_204_and_replace_all(self):
        sid = self.new_session()
        data = pathlib.Path(CORPUS, "forgejo", "swagger.v1.json").read_bytes() if os.path.isdir(CORPUS) else \
            b'{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {}}'
        doc = str(uuid.uuid4())
        status, body, _ = self.upload(sid, "spec.json", data, path=f"/api/v1/session/{sid}/documentation/{doc}")
        self.assertEqual(body["docId"], doc)
        status, _, resp = self.req("HEAD", f"/api/v1/session/{sid}/documentation/{doc}", raw=True)
        self.assertIn(status, (202, 204))
        if status == 202:
            self.assertEqual(resp.getheader("X-Documentation-Status"), "processing")
            self.assertEqual(resp.getheader("X-Job-Id"), body["jobId"])
        self.wait_job(sid, body["jobId"])
        self.assertEqual(self.req("HEAD", f"/api/v1/session/{sid}/documentation/{doc}", raw=True)[0], 204)
        # Replace-all: after the new upload finishes only it remains.
        status, body, _ = self.upload(sid, "notes.md", b"# Notes\n\nText.\n", "text/markdown", method="PUT")
        self.assertEqual(body["message"], "Documentation replacement queued for processing")
        self.wait_job(sid, body["jobId"])
        _, listing, _ = self.req("GET", f"/api/v1/session/{sid}/documentation")
        self.assertEqual([b["docId"] for b in listing], [body["docId"]])
        # Delete all.
        status, body, _ = self.req("DELETE", f"/api/v1/session/{sid}/documentation")
        self.assertEqual((status, body), (200, {"message": "All documentation deleted successfully", "sessionId": sid}))


class UploadLimit(ServerTestCase):
    server_env = {"DOCUMENTATION__MAX_UPLOAD_BYTES": "1000"}

    def test_upload_over_the_limit_is_413(self):
        sid = self.new_session()
        body, headers = multipart("big.txt", b"x" * 5000, "text/plain")
        status, resp, _ = self.req("POST", f"/api/v1/session/{sid}/documentation", body, headers)
        self.assertEqual(status, 413)
        self.assertIn("too large", resp["detail"])


if __name__ == "__main__":
    unittest.main()
