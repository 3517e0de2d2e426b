"""Discovery and scrape (contract B.4, B.5) over real HTTP against the real binary: a fake SearXNG,
a local documentation site (nested pages, robots.txt, a redirect chain and a loop, a huge page, a
slow page, a broken link, a Swagger UI page pointing at an OpenAPI spec, a JavaScript-only page),
validation errors, re-scrape de-duplication, the SSRF matrix without an allowlist, and the end-to-end
run discovery → scrape → digester."""
import json
import threading
import time
import unittest
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness import ServerTestCase, wait_until

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Demo API", "version": "1.0"},
    "paths": {
        "/users": {"get": {"operationId": "listUsers", "responses": {"200": {"description": "ok", "content": {
            "application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/User"}}}}}}},
                   "post": {"operationId": "createUser", "requestBody": {"content": {"application/json": {
                       "schema": {"$ref": "#/components/schemas/User"}}}},
                            "responses": {"201": {"description": "created"}}}},
        "/users/{id}": {"get": {"operationId": "getUser", "parameters": [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                                "responses": {"200": {"description": "ok", "content": {"application/json": {
                                    "schema": {"$ref": "#/components/schemas/User"}}}}}}},
        "/groups": {"get": {"operationId": "listGroups", "responses": {"200": {"description": "ok", "content": {
            "application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Group"}}}}}}}},
    },
    "components": {"schemas": {
        "User": {"type": "object", "properties": {"id": {"type": "string"}, "userName": {"type": "string"},
                                                  "email": {"type": "string"}}},
        "Group": {"type": "object", "properties": {"id": {"type": "string"}, "displayName": {"type": "string"}}},
    }},
}


def page(title, links=""):
    return (f"<html><head><title>{title}</title></head><body><main><h1>{title}</h1>"
            f"<p>This page documents {title} of the Demo REST API with enough words to be real text.</p>"
            f"{links}</main></body></html>")


class DocsSite(BaseHTTPRequestHandler):
    requests = []
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", ctype="text/html; charset=utf-8", headers=None):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass

    def do_GET(self):
        with DocsSite.lock:
            DocsSite.requests.append((self.path, self.headers.get("User-Agent", "")))
        p = self.path
        if p == "/robots.txt":
            return self.send(200, "User-agent: *\nDisallow: /docs/private/\n", "text/plain")
        if p == "/docs/":
            return self.send(200, page("Demo docs", "".join(f"<a href='{h}'>{h}</a> " for h in [
                "api/users.html", "/docs/api/groups.html", "/docs/private/secret.html", "/docs/moved",
                "/docs/loop-a", "/docs/huge.html", "/docs/slow.html", "/docs/missing.html",
                "/docs/swagger-ui.html", "/docs/app.html", "/docs/login", "/blog/news.html",
                "http://169.254.169.254/latest/meta-data/"])))
        if p == "/docs/api/users.html":
            return self.send(200, page("Users", "<a href='users/detail.html'>detail</a>"))
        if p == "/docs/api/users/detail.html":
            return self.send(200, page("User detail"))
        if p == "/docs/api/groups.html":
            return self.send(200, page("Groups"))
        if p == "/docs/moved":
            return self.send(301, headers={"Location": "/docs/moved-again"})
        if p == "/docs/moved-again":
            return self.send(302, headers={"Location": "/docs/api/authentication.html"})
        if p == "/docs/api/authentication.html":
            return self.send(200, page("Authentication"))
        if p == "/docs/loop-a":
            return self.send(302, headers={"Location": "/docs/loop-b"})
        if p == "/docs/loop-b":
            return self.send(302, headers={"Location": "/docs/loop-a"})
        if p == "/docs/huge.html":
            return self.send(200, page("Huge", "x" * (200 * 1024)))
        if p == "/docs/slow.html":
            time.sleep(4)
            return self.send(200, page("Slow"))
        if p == "/docs/swagger-ui.html":
            return self.send(200, "<html><body><div id='swagger-ui'></div><script>SwaggerUIBundle({url: "
                                  "'/docs/openapi.json', dom_id: '#swagger-ui'})</script></body></html>")
        if p == "/docs/openapi.json":
            return self.send(200, json.dumps(SPEC), "application/json")
        if p == "/docs/app.html":
            return self.send(200, "<html><body><div id='root'></div><script src='/app.js'></script></body></html>")
        if p in ("/docs/private/secret.html", "/docs/login", "/blog/news.html"):
            return self.send(200, page("Should not be fetched"))
        return self.send(404, "<h1>Not found</h1>")


class FakeSearxng(BaseHTTPRequestHandler):
    docs_base = ""
    queries = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        from urllib.parse import urlparse, parse_qs
        q = parse_qs(urlparse(self.path).query)
        FakeSearxng.queries.append(q.get("q", [""])[0])
        results = [
            {"url": "https://www.reddit.com/r/demo/comments/1", "title": "Demo API?", "content": "", "engine": "bing"},
            {"url": FakeSearxng.docs_base + "/docs/", "title": "Demo API documentation", "content": "Docs",
             "engine": "bing"},
            {"url": FakeSearxng.docs_base + "/docs/?utm_source=search", "title": "dup", "content": "", "engine": "x"},
            {"url": "https://demo.example/pricing", "title": "Pricing", "content": "", "engine": "bing"},
        ]
        body = json.dumps({"query": q.get("q", [""])[0], "results": results}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def start(handler):
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


DOCS = start(DocsSite)
SEARX = start(FakeSearxng)
DOCS_BASE = f"http://127.0.0.1:{DOCS.server_address[1]}"
FakeSearxng.docs_base = DOCS_BASE

COMMON_ENV = {
    "SEARCH__DELAY_MILLISECONDS": "0",
    "SCRAPE__PER_HOST_DELAY_MILLISECONDS": "0",
    "SCRAPE__REQUEST_TIMEOUT_SECONDS": "2",
    "SCRAPE_AND_PROCESS__MAX_PAGE_BYTES": "65536",
}


def poll(case, path, timeout=60):
    result = {}

    def done():
        status, body, _ = case.req("GET", path)
        result["status"], result["body"] = status, body
        return status == 200 and body.get("status") in ("finished", "failed")

    case.assertTrue(wait_until(done, timeout=timeout, interval=0.1), result)
    return result["body"]


class DiscoveryScrapeTest(ServerTestCase):
    server_env = dict(COMMON_ENV, SEARCH__METHOD_NAME="searxng",
                      SEARXNG__URL=f"http://127.0.0.1:{SEARX.server_address[1]}",
                      SCRAPE_AND_PROCESS__ALLOWED_HOSTS="127.0.0.1")

    def test_validation_and_missing_jobs(self):
        sid = self.new_session()
        status, body, _ = self.req("POST", f"/api/v1/discovery/{sid}/discovery", {})
        self.assertEqual(status, 422)
        self.assertEqual(body["detail"][0]["loc"], ["body", "applicationName"])
        for bad in ({"numQueries": 9}, {"numQueries": 0}, {"integrationType": "SOAP"}, {"integrationType": 5},
                    {"skipCache": "maybe"}, {"maxResultsPerQuery": "x"}):
            status, body, _ = self.req("POST", f"/api/v1/discovery/{sid}/discovery", dict(applicationName="X", **bad))
            self.assertEqual(status, 422, (bad, body))
        status, body, _ = self.req("POST", f"/api/v1/discovery/{uuid.uuid4()}/discovery", {"applicationName": "X"})
        self.assertEqual(status, 404)
        status, body, _ = self.req("GET", f"/api/v1/discovery/{sid}/discovery")
        self.assertEqual((status, body), (404, {"detail": f"No discovery job found in session {sid}"}))
        status, body, _ = self.req("GET", f"/api/v1/scrape/{sid}/scrape")
        self.assertEqual((status, body), (404, {"detail": f"No scrape job found in session {sid}"}))
        status, body, _ = self.req("POST", f"/api/v1/scrape/{sid}/scrape", {"applicationName": "X"})
        self.assertEqual(status, 422)
        self.assertEqual(body["detail"][0]["loc"], ["body", "starterLinks"])
        status, body, _ = self.req("POST", f"/api/v1/scrape/{sid}/scrape", {"starterLinks": [1], "applicationName": "X"})
        self.assertEqual(status, 422)
        status, body, _ = self.req("POST", f"/api/v1/scrape/{sid}/scrape",
                                   {"starterLinks": [], "applicationName": "X", "maxPages": 0})
        self.assertEqual(status, 422)
        status, body, _ = self.req("GET", f"/api/v1/scrape/{sid}/scrape?jobId=nope")
        self.assertEqual(status, 422)

    def test_no_starter_links(self):
        sid = self.new_session()
        status, body, _ = self.req("POST", f"/api/v1/scrape/{sid}/scrape",
                                   {"starterLinks": [], "applicationName": "Demo", "applicationVersion": " 2.0 "})
        self.assertEqual(status, 200, body)
        st = poll(self, f"/api/v1/scrape/{sid}/scrape")
        self.assertEqual(st["status"], "finished", st)
        self.assertEqual(st["result"]["finishReason"], "no-starter-links")
        _, session, _ = self.req("GET", f"/api/v1/session/{sid}")
        self.assertEqual(session["data"]["scrapeInput"],
                         {"starterLinks": [], "applicationName": "Demo", "applicationVersion": "2.0", "skipCache": False})

    def test_discovery_scrape_digest_end_to_end(self):
        sid = self.new_session()
        status, body, _ = self.req("POST", f"/api/v1/discovery/{sid}/discovery",
                                   {"applicationName": "Demo", "integrationType": "rest", "numQueries": 2,
                                    "skipCache": True})
        self.assertEqual(status, 200, body)
        job = body["jobId"]
        st = poll(self, f"/api/v1/discovery/{sid}/discovery")
        self.assertEqual(st["status"], "finished", st)
        self.assertEqual(st["jobId"], job)
        self.assertEqual(st["progress"], {"stage": "finished", "message": "completed"})
        links = st["result"]["candidateLinks"]
        self.assertEqual(links, [DOCS_BASE + "/docs/"], st)  # reddit and pricing dropped, duplicate merged
        enriched = st["result"]["candidateLinksEnriched"][0]
        self.assertEqual(enriched["source"], "searxng")
        self.assertEqual(enriched["query"], "Demo REST API documentation")
        _, session, _ = self.req("GET", f"/api/v1/session/{sid}")
        data = session["data"]
        self.assertEqual(data["discoveryJobId"], job)
        self.assertEqual(list(data["discoveryInput"].keys()),
                         ["applicationName", "applicationVersion", "integrationType", "llmGeneratedSearchQuery",
                          "skipCache", "enableLinkFiltering", "enableLinkRanking", "numQueries",
                          "maxResultsPerQuery", "maxCandidateLinks", "maxFilterLlmCalls"])
        self.assertEqual(data["discoveryInput"]["integrationType"], "REST")
        self.assertEqual(data["discoveryOutput"], st["result"])

        DocsSite.requests.clear()
        status, body, _ = self.req("POST", f"/api/v1/scrape/{sid}/scrape",
                                   {"starterLinks": links, "applicationName": "Demo"})
        self.assertEqual(status, 200, body)
        scrape_job = body["jobId"]
        st = poll(self, f"/api/v1/scrape/{sid}/scrape", timeout=90)
        self.assertEqual(st["status"], "finished", st)
        result = st["result"]
        self.assertEqual(result["finishReason"], "no-more-links", result["crawl"])
        self.assertEqual(st["progress"]["totalIterations"], 4)
        self.assertEqual(st["progress"]["completedIterations"], 4)
        urls = {c["url"] for d in result["savedDocumentations"] for c in d["chunks"]}
        for suffix in ("/docs/", "/docs/api/users.html", "/docs/api/users/detail.html", "/docs/api/groups.html",
                       "/docs/api/authentication.html", "/docs/openapi.json"):
            self.assertIn(DOCS_BASE + suffix, urls)
        # The Swagger UI viewer page has no text of its own: it is fetched for the spec URL it
        # configures, and the spec is stored whole instead.
        self.assertNotIn(DOCS_BASE + "/docs/swagger-ui.html", urls)
        self.assertIn("/docs/swagger-ui.html", [p for p, _ in DocsSite.requests])
        self.assertEqual(result["savedDocumentationsCount"], len(result["savedDocumentations"]))
        self.assertEqual(result["savedChunksCount"], sum(len(d["chunks"]) for d in result["savedDocumentations"]))
        for d in result["savedDocumentations"]:
            for c in d["chunks"]:
                self.assertEqual(c["source"], "scraper")
                self.assertEqual(c["scrapeJobIds"], [scrape_job])
        fetched = [p for p, _ in DocsSite.requests]
        self.assertEqual(fetched[0], "/robots.txt")
        for forbidden in ("/docs/private/secret.html", "/docs/login", "/blog/news.html"):
            self.assertNotIn(forbidden, fetched)
        self.assertEqual(fetched.count("/docs/loop-a"), 1)
        self.assertTrue(all(ua.startswith("connector-gen/") and "documentation crawler" in ua
                            for _, ua in DocsSite.requests))
        errors = "\n".join(st.get("errors", []))
        for expected in ("robots.txt disallows", "larger than 65536", "slow.html", "HTTP 404", "loop",
                         "rendering is disabled"):
            self.assertIn(expected, errors)
        _, session, _ = self.req("GET", f"/api/v1/session/{sid}")
        self.assertEqual(session["data"]["scrapeInput"]["applicationVersion"], "latest")  # from discoveryInput
        self.assertEqual(session["data"]["scrapeOutput"]["finishReason"], "no-more-links")

        status, docs, _ = self.req("GET", f"/api/v1/session/{sid}/documentation")
        self.assertEqual(status, 200)
        spec_chunks = [c for d in docs for c in d["chunks"] if c["url"] == DOCS_BASE + "/docs/openapi.json"]
        self.assertTrue(spec_chunks)
        self.assertTrue(any("userName" in c["content"] for c in spec_chunks))
        total_chunks = sum(len(d["chunks"]) for d in docs)

        # A second scrape of the same site stores nothing new.
        status, body, _ = self.req("POST", f"/api/v1/scrape/{sid}/scrape",
                                   {"starterLinks": links, "applicationName": "Demo", "maxDepth": 1})
        st2 = poll(self, f"/api/v1/scrape/{sid}/scrape", timeout=90)
        self.assertEqual(st2["status"], "finished", st2)
        self.assertEqual(st2["result"]["savedDocumentationsCount"], 0)
        self.assertGreater(st2["result"]["crawl"]["unchangedPages"], 0)
        self.assertEqual(st2["result"]["finishReason"], "max-iterations-reached")
        _, docs2, _ = self.req("GET", f"/api/v1/session/{sid}/documentation")
        self.assertEqual(sum(len(d["chunks"]) for d in docs2), total_chunks)

        # The digester finds the classes of the spec the site links to.
        status, body, _ = self.req("POST", f"/api/v1/digester/{sid}/classes", {})
        if status == 404 and body == {"detail": "Not Found"}:
            self.skipTest("digester routes are not registered in this build")
        self.assertEqual(status, 200, body)
        st = poll(self, f"/api/v1/digester/{sid}/classes", timeout=90)
        self.assertEqual(st["status"], "finished", st)
        names = {c["name"] for c in st["result"]["objectClasses"]}
        self.assertIn("User", names)
        self.assertIn("Group", names)


class NoProviderNoAllowlistTest(ServerTestCase):
    server_env = dict(COMMON_ENV)

    def test_discovery_without_provider_fails_clearly(self):
        sid = self.new_session()
        status, body, _ = self.req("POST", f"/api/v1/discovery/{sid}/discovery", {"applicationName": "Demo"})
        self.assertEqual(status, 200)
        st = poll(self, f"/api/v1/discovery/{sid}/discovery")
        self.assertEqual(st["status"], "failed", st)
        self.assertIn("No web search provider is configured", "\n".join(st["errors"]))

    def test_ssrf_matrix_is_refused(self):
        sid = self.new_session()
        DocsSite.requests.clear()
        starters = [DOCS_BASE + "/docs/", "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/",
                    "file:///etc/passwd", "http://[::1]:%d/" % DOCS.server_address[1], "http://localhost/"]
        status, body, _ = self.req("POST", f"/api/v1/scrape/{sid}/scrape",
                                   {"starterLinks": starters, "applicationName": "Demo"})
        self.assertEqual(status, 200)
        st = poll(self, f"/api/v1/scrape/{sid}/scrape")
        self.assertEqual(st["status"], "failed", st)
        errors = "\n".join(st["errors"])
        for part in ("127.0.0.1", "10.0.0.1", "169.254.169.254", "scheme 'file'", "localhost"):
            self.assertIn(part, errors)
        self.assertEqual(DocsSite.requests, [])
        status, _, _ = self.req("GET", f"/api/v1/session/{sid}/documentation")
        self.assertEqual(status, 404)


if __name__ == "__main__":
    unittest.main()
