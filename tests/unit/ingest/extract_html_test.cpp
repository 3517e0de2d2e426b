#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ingest/extract_html.h"

using namespace cg::ingest;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {
std::vector<std::string> hrefs(const HtmlConversion& r) {
  std::vector<std::string> out;
  for (const auto& l : r.links) out.push_back(l.href);
  return out;
}
}  // namespace

TEST(HtmlToMarkdown, HeadingsParagraphsAndInline) {
  auto r = htmlToMarkdown(R"(<!doctype html><html><head><title> Users  API </title></head><body>
    <h1>Users</h1>
    <p>The   <b>users</b> endpoint returns <em>all</em> users. Use <code>GET /users</code>,
       see <a href="/docs/paging.html">paging   docs</a>.</p>
    <h2>Fields</h2><p>Second<br>line &amp; more</p>
    </body></html>)");
  EXPECT_EQ(r.title, "Users API");
  EXPECT_EQ(r.markdown,
            "# Users\n\n"
            "The **users** endpoint returns _all_ users. Use `GET /users`, see [paging docs](/docs/paging.html).\n\n"
            "## Fields\n\n"
            "Second\nline & more");
  EXPECT_FALSE(r.usedFallback);
}

TEST(HtmlToMarkdown, TitleIsPrependedWhenThereIsNoH1) {
  auto r = htmlToMarkdown("<title>Groups</title><h2>List</h2><p>x</p>");
  EXPECT_EQ(r.markdown, "# Groups\n\n## List\n\nx");
}

TEST(HtmlToMarkdown, NestedListsAndOrderedStart) {
  auto r = htmlToMarkdown(R"(<ul><li>one<ul><li>one.a</li><li>one.b</li></ul></li><li>two</li></ul>
    <ol start="3"><li>three</li><li><p>four</p></li></ol>)");
  EXPECT_EQ(r.markdown, "- one\n  - one.a\n  - one.b\n- two\n\n3. three\n4. four");
}

TEST(HtmlToMarkdown, TablesBecomePipeTables) {
  auto r = htmlToMarkdown(R"(<table><caption>Params</caption>
    <thead><tr><th>Name</th><th>Type</th><th>Notes</th></tr></thead>
    <tbody><tr><td>id</td><td><code>string</code></td><td>a|b<br>c</td></tr>
    <tr><td colspan="2">limit</td><td>max 100</td></tr><tr><td>x</td></tr></tbody></table>)");
  EXPECT_EQ(r.markdown,
            "**Params**\n\n"
            "| Name | Type | Notes |\n"
            "| --- | --- | --- |\n"
            "| id | `string` | a\\|b<br>c |\n"
            "| limit |  | max 100 |\n"
            "| x |  |  |");
}

TEST(HtmlToMarkdown, CodeBlocksKeepWhitespaceAndLanguage) {
  auto r = htmlToMarkdown(
      "<p>Example:</p><pre><code class=\"hljs language-json\">{\n  \"id\": 1,\n  \"a\": \"<b>x</b>\"\n}\n</code></pre>"
      "<pre>line ``` with fence</pre>");
  EXPECT_EQ(r.markdown,
            "Example:\n\n```json\n{\n  \"id\": 1,\n  \"a\": \"x\"\n}\n```\n\n````\nline ``` with fence\n````");
}

TEST(HtmlToMarkdown, DropsScriptsStylesAndChromeButKeepsTheirLinks) {
  auto r = htmlToMarkdown(R"html(<html><head><style>p{color:red}</style><script>var x = "secret";</script></head><body>
    <header><a href="/home">Home</a> Site banner</header>
    <nav><ul><li><a href="/docs/users">Users</a></li><li><a href="/docs/groups">Groups</a></li></ul></nav>
    <main><article><header><h1>Article title</h1></header><p>Body text.</p>
      <form><input name=q><button>Search</button></form>
      <div class="sidebar">Sidebar junk</div><div aria-hidden="true">hidden</div><noscript>enable js</noscript>
      <svg><text>svg text</text></svg><template><p>tpl</p></template>
    </article></main>
    <footer>Copyright <a href="mailto:x@y">mail</a> <a href="javascript:void(0)">js</a> <a href="#top">top</a></footer>
    </body></html>)html");
  EXPECT_EQ(r.markdown, "# Article title\n\nBody text.");
  EXPECT_THAT(hrefs(r), ::testing::ElementsAre("/home", "/docs/users", "/docs/groups"));
  EXPECT_EQ(r.links[1].text, "Users");
}

TEST(HtmlToMarkdown, BlockquotesAndDefinitionLists) {
  auto r = htmlToMarkdown("<blockquote><p>Note one</p><p>Note two</p></blockquote><dl><dt>id</dt><dd>The key.</dd></dl>");
  EXPECT_EQ(r.markdown, "> Note one\n>\n> Note two\n\n**id**\n: The key.");
}

TEST(HtmlToMarkdown, SpecUrlsFromSwaggerUiRedocAndLinks) {
  auto swagger = htmlToMarkdown(R"(<html><body><div id="swagger-ui"></div><script>
    window.onload = function() { const ui = SwaggerUIBundle({ url: "https://petstore.example/v3/openapi.json",
      dom_id: '#swagger-ui', oauth2RedirectUrl: 'https://x/cb', urls: [{"url": '/specs/admin.yaml', name: "Admin"}] }); };
    </script></body></html>)");
  EXPECT_THAT(swagger.specUrls,
              ::testing::ElementsAre("https://petstore.example/v3/openapi.json", "/specs/admin.yaml"));
  auto redoc = htmlToMarkdown(R"(<redoc spec-url="/api/openapi.yaml"></redoc><div data-spec-url="v2.json"></div>
    <script>Redoc.init('/other.json', {}, el)</script><a href="/downloads/swagger.json?v=2">Download</a>)");
  EXPECT_THAT(redoc.specUrls,
              ::testing::ElementsAre("/api/openapi.yaml", "v2.json", "/other.json", "/downloads/swagger.json?v=2"));
  // A plain page has none.
  EXPECT_TRUE(htmlToMarkdown("<p>url: 'x'</p><script>var url = 'x';</script>").specUrls.empty());
}

TEST(HtmlToMarkdown, BaseHrefAndLinkDeduplication) {
  auto r = htmlToMarkdown(R"(<base href="https://docs.example/v1/"><a href="a.html">A</a><a href=" a.html ">A again</a>
    <a href="b.html"><img src="i.png" alt="B icon"></a>)");
  EXPECT_EQ(r.baseHref, "https://docs.example/v1/");
  EXPECT_THAT(hrefs(r), ::testing::ElementsAre("a.html", "b.html"));
  EXPECT_EQ(r.links[1].text, "B icon");
  EXPECT_THAT(r.markdown, HasSubstr("[B icon](b.html)"));
}

TEST(HtmlToMarkdown, WhitespaceAroundInlineElementsIsKept) {
  auto r = htmlToMarkdown("<p>a<b> bold </b>c and <a href='x'> link</a>.</p>");
  EXPECT_EQ(r.markdown, "a **bold** c and [link](x).");
}

TEST(HtmlToMarkdown, DeepNestingUsesTheLinearFallback) {
  std::string html = "<title>Deep</title>";
  for (int i = 0; i < 5000; ++i) html += "<div>";
  html += "deep text <a href=\"/x\">x</a>";
  for (int i = 0; i < 5000; ++i) html += "</div>";
  auto r = htmlToMarkdown(html);
  EXPECT_TRUE(r.usedFallback);
  EXPECT_EQ(r.title, "Deep");
  EXPECT_THAT(r.markdown, HasSubstr("deep text x"));
  EXPECT_THAT(hrefs(r), ::testing::ElementsAre("/x"));
  ASSERT_EQ(r.warnings.size(), 1u);
  // Many sibling paragraphs are not deep.
  std::string flat;
  for (int i = 0; i < 5000; ++i) flat += "<p>para";
  EXPECT_FALSE(htmlToMarkdown(flat).usedFallback);
}

TEST(HtmlToMarkdown, SurvivesBrokenMarkup) {
  auto r = htmlToMarkdown("<p>unclosed <b>bold <i>both</p><table><td>cell<tr><td>x</table></li></ul><h2>");
  EXPECT_THAT(r.markdown, HasSubstr("unclosed"));
  EXPECT_THAT(r.markdown, Not(HasSubstr("<")));
  EXPECT_TRUE(htmlToMarkdown("").markdown.empty());
  EXPECT_TRUE(htmlToMarkdown("\xff\xfe<p>\xc3</p>").markdown.size() < 20);
}
