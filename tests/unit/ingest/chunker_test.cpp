// Tests of the structure-aware chunker (ingest/chunker.h) on hand-made inputs and the shared corpus.
#include "ingest/chunker.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "ingest/chunk_writer.h"
#include "util/strings.h"
#include "util/yaml_json.h"

namespace cg::ingest {
namespace {

size_t quarterBytes(std::string_view s) { return (s.size() + 3) / 4; }
const TokenCounter kCounter = quarterBytes;

std::string corpusFile(const std::string& rel) {
  const char* dir = std::getenv("CG_SHARED_DIR");
  if (!dir) return {};
  std::filesystem::path p = std::filesystem::path(dir) / "corpus" / rel;
  std::ifstream in(p, std::ios::binary);
  if (!in) return {};
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

#define LOAD_OR_SKIP(var, rel)                                                 \
  std::string var = corpusFile(rel);                                           \
  if (var.empty()) GTEST_SKIP() << "corpus file " << rel << " not available (set CG_SHARED_DIR)"

std::string withoutWhitespace(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\f' && c != '\v') out += c;
  return out;
}

// Budget, non-empty and UTF-8 validity checks shared by every test.
void expectWellFormed(const ChunkingResult& r, size_t maxTokens) {
  ASSERT_FALSE(r.chunks.empty());
  for (size_t i = 0; i < r.chunks.size(); ++i) {
    const Chunk& c = r.chunks[i];
    EXPECT_LE(c.tokenCount, maxTokens) << "chunk " << i << ": " << c.summary;
    EXPECT_EQ(c.tokenCount, quarterBytes(c.content)) << "chunk " << i;
    EXPECT_TRUE(isValidUtf8(c.content)) << "chunk " << i;
    EXPECT_FALSE(trim(std::string_view(c.content).substr(c.bodyOffset)).empty()) << "chunk " << i;
    EXPECT_FALSE(c.summary.empty()) << "chunk " << i;
    EXPECT_FALSE(c.category.empty());
    EXPECT_FALSE(c.chunkingStrategy.empty());
  }
}

// The bodies of text chunks, in order, are the whole input (whitespace aside).
void expectBodiesCover(const ChunkingResult& r, std::string_view input) {
  std::string bodies;
  for (const auto& c : r.chunks) bodies += std::string_view(c.content).substr(c.bodyOffset);
  EXPECT_EQ(withoutWhitespace(bodies), withoutWhitespace(input));
}

TEST(ChunkerMarkdown, SmallDocumentIsOneChunk) {
  std::string md = "# Users API\n\nIntro.\n\n## Users\n\n### Create a user\n\nPOST /users creates a user.\n";
  auto r = chunkDocument(md, ChunkSourceKind::Markdown, kCounter);
  expectWellFormed(r, 10000);
  ASSERT_EQ(r.chunks.size(), 1u);
  EXPECT_EQ(r.chunks[0].content, trim(md));
  EXPECT_EQ(r.chunks[0].numEndpoints, 1u);
  EXPECT_EQ(r.chunks[0].category, "reference_api");
  EXPECT_EQ(r.chunks[0].chunkingStrategy, "sections");
  EXPECT_NE(std::find(r.chunks[0].tags.begin(), r.chunks[0].tags.end(), "users"), r.chunks[0].tags.end());
  EXPECT_NE(std::find(r.chunks[0].tags.begin(), r.chunks[0].tags.end(), "user"), r.chunks[0].tags.end());
  EXPECT_NE(std::find(r.chunks[0].tags.begin(), r.chunks[0].tags.end(), "endpoints"), r.chunks[0].tags.end());
}

std::string filler(size_t words, const std::string& word = "lorem") {
  std::string s;
  for (size_t i = 0; i < words; ++i) s += word + (i % 12 == 11 ? "\n" : " ");
  return s + "\n";
}

TEST(ChunkerMarkdown, SectionsCarryHeadingPathAndPackSiblings) {
  std::string md = "# Users API\n\n" + filler(100) + "\n## Users\n\n" + filler(100) + "\n### Create a user\n\n" +
                   filler(150) + "\n### Delete a user\n\n" + filler(150) + "\n### Tiny one\n\nshort\n\n### Tiny two\n\nshort\n";
  ChunkOptions opt;
  opt.maxTokens = 400;
  auto r = chunkDocument(md, ChunkSourceKind::Markdown, kCounter, opt);
  expectWellFormed(r, 400);
  expectBodiesCover(r, md);
  bool sawCreate = false, sawPackedTinies = false;
  for (const auto& c : r.chunks) {
    if (c.summary.find("'Create a user'") != std::string::npos) {
      sawCreate = true;
      EXPECT_TRUE(startsWith(c.content, "# Users API\n## Users\n\n### Create a user")) << c.content.substr(0, 80);
      EXPECT_EQ(c.sectionPath, (std::vector<std::string>{"Users API", "Users", "Create a user"}));
      EXPECT_NE(c.summary.find("(Users API > Users)"), std::string::npos) << c.summary;
      EXPECT_FALSE(c.cutMidUnit);
    }
    if (c.content.find("### Tiny one") != std::string::npos && c.content.find("### Tiny two") != std::string::npos)
      sawPackedTinies = true;
  }
  EXPECT_TRUE(sawCreate);
  EXPECT_TRUE(sawPackedTinies);
}

TEST(ChunkerMarkdown, HashLinesInFencedCodeAreNotHeadings) {
  std::string md = "# Real\n\ntext\n\n```bash\n# not a heading\necho hi\n```\n\n## Second\n\nmore\n";
  ChunkOptions opt;
  opt.maxTokens = 16;
  auto r = chunkDocument(md, ChunkSourceKind::Markdown, kCounter, opt);
  expectWellFormed(r, 16);
  expectBodiesCover(r, md);
  for (const auto& c : r.chunks)
    for (const auto& t : c.sectionPath) EXPECT_NE(t, "not a heading");
}

TEST(ChunkerMarkdown, SetextHeadingsAreSections) {
  std::string md = "Title\n=====\n\n" + filler(60) + "\nPart two\n--------\n\n" + filler(60);
  ChunkOptions opt;
  opt.maxTokens = 200;
  auto r = chunkDocument(md, ChunkSourceKind::Markdown, kCounter, opt);
  expectWellFormed(r, 200);
  expectBodiesCover(r, md);
  bool found = false;
  for (const auto& c : r.chunks)
    if (c.sectionPath == std::vector<std::string>{"Title", "Part two"}) {
      found = true;
      EXPECT_TRUE(startsWith(c.content, "Title\n=====\n\nPart two\n--------")) << c.content.substr(0, 60);
    }
  EXPECT_TRUE(found);
}

TEST(ChunkerText, LongSectionIsCutWithOverlapOnlyBetweenPieces) {
  std::string md = "# Big\n\n" + filler(2000, "wörd") + "\n# Small\n\nshort text\n";
  ChunkOptions opt;
  opt.maxTokens = 500;
  opt.overlapRatio = 0.1;
  auto r = chunkDocument(md, ChunkSourceKind::Markdown, kCounter, opt);
  expectWellFormed(r, 500);
  expectBodiesCover(r, md);
  size_t pieces = 0;
  for (size_t i = 0; i < r.chunks.size(); ++i) {
    const Chunk& c = r.chunks[i];
    if (c.cutMidUnit) {
      ++pieces;
      if (pieces > 1) {
        EXPECT_TRUE(startsWith(c.content, "# Big\n\n")) << "later pieces repeat their heading";
        EXPECT_GT(c.bodyOffset, std::string("# Big\n\n").size()) << "later pieces start with overlap";
        EXPECT_NE(c.summary.find("part "), std::string::npos);
      }
    } else {
      EXPECT_NE(c.content.find("# Small"), std::string::npos);
      EXPECT_EQ(c.bodyOffset, 0u) << "no overlap between sections";
    }
  }
  EXPECT_GT(pieces, 2u);
}

TEST(ChunkerText, HardCutsRespectCodePoints) {
  std::string text;
  for (int i = 0; i < 3000; ++i) text += "žluťoučký€𝄞";  // one long line of multi-byte characters
  ChunkOptions opt;
  opt.maxTokens = 64;
  auto r = chunkDocument(text, ChunkSourceKind::PlainText, kCounter, opt);
  expectWellFormed(r, 64);
  expectBodiesCover(r, text);
  EXPECT_GT(r.chunks.size(), 100u);
}

TEST(ChunkerText, CsvRepeatsHeaderLine) {
  std::string csv = "id,name,email\n";
  for (int i = 0; i < 300; ++i) csv += std::to_string(i) + ",user" + std::to_string(i) + ",u" + std::to_string(i) + "@x.io\n";
  ChunkOptions opt;
  opt.maxTokens = 200;
  opt.overlapRatio = 0;
  auto r = chunkDocument(csv, ChunkSourceKind::Csv, kCounter, opt);
  expectWellFormed(r, 200);
  expectBodiesCover(r, csv);
  ASSERT_GT(r.chunks.size(), 2u);
  for (const auto& c : r.chunks) EXPECT_TRUE(startsWith(c.content, "id,name,email\n")) << c.content.substr(0, 40);
}

TEST(ChunkerText, EmptyAndWhitespaceInputsGiveNoChunks) {
  for (auto kind : {ChunkSourceKind::Markdown, ChunkSourceKind::OpenApiYaml, ChunkSourceKind::SqlDdl,
                    ChunkSourceKind::ScimJson, ChunkSourceKind::PlainText}) {
    EXPECT_TRUE(chunkDocument("", kind, kCounter).chunks.empty());
    EXPECT_TRUE(chunkDocument(" \n\t\n", kind, kCounter).chunks.empty());
  }
}

TEST(ChunkerRst, NextcloudSections) {
  LOAD_OR_SKIP(rst, "nextcloud/instruction_set_for_users.rst");
  ChunkOptions opt;
  opt.maxTokens = 600;
  auto r = chunkDocument(rst, ChunkSourceKind::Rst, kCounter, opt);
  expectWellFormed(r, 600);
  expectBodiesCover(r, rst);
  bool found = false;
  for (const auto& c : r.chunks) {
    EXPECT_EQ(c.sectionPath.empty() ? "" : c.sectionPath[0], "Instruction set for users");
    if (c.summary.find("'Add a new user'") != std::string::npos) found = true;
  }
  EXPECT_TRUE(found);
  EXPECT_TRUE(startsWith(r.chunks.back().content, "=========================\nInstruction set for users\n"))
      << r.chunks.back().content.substr(0, 80);
}

TEST(ChunkerAsciiDoc, ForgejoEndpointListCountsEndpoints) {
  LOAD_OR_SKIP(adoc, "forgejo/forgejo-api-endpoints.adoc");
  ChunkOptions opt;
  opt.maxTokens = 1000;
  auto r = chunkDocument(adoc, ChunkSourceKind::AsciiDoc, kCounter, opt);
  expectWellFormed(r, 1000);
  expectBodiesCover(r, adoc);
  size_t endpoints = 0;
  for (const auto& c : r.chunks) {
    endpoints += c.numEndpoints;
    if (c.numEndpoints) {
      EXPECT_EQ(c.category, "reference_api");
    }
  }
  size_t methodLines = 0;
  for (const auto& line : split(adoc, '\n')) {
    auto t = trim(line);
    for (const char* m : {"GET", "POST", "PUT", "PATCH", "DELETE"})
      if (t == m || startsWith(t, std::string(m) + " ")) ++methodLines;
  }
  EXPECT_EQ(endpoints, methodLines);
}

TEST(ChunkerSql, StatementsRespectQuotesCommentsAndDollarQuoting) {
  std::string sql =
      "-- users; table\nCREATE TABLE IF NOT EXISTS \"app\".\"users\" (id int, note text DEFAULT 'a;b');\n"
      "/* block ; /* nested ; */ still comment */\n"
      "CREATE FUNCTION f() RETURNS trigger AS $body$ BEGIN x := 'y'; RETURN NEW; END; $body$ LANGUAGE plpgsql;\n"
      "CREATE OR REPLACE VIEW v AS SELECT $$a;b$$ AS c;\n"
      "ALTER TABLE ONLY groups ADD COLUMN x int;\n";
  ChunkOptions opt;
  opt.maxTokens = 16;  // one statement per chunk, with text splitting for the long ones
  auto r = chunkDocument(sql, ChunkSourceKind::SqlDdl, [](std::string_view s) { return s.size() / 8 + 1; }, opt);
  std::set<std::string> tables;
  for (const auto& c : r.chunks) tables.insert(c.tables.begin(), c.tables.end());
  EXPECT_EQ(tables, (std::set<std::string>{"app.users", "v", "groups"}));
  // With a roomy budget statements are packed, and no statement is cut at an inner ';'.
  opt.maxTokens = 1000;
  auto packed = chunkDocument(sql, ChunkSourceKind::SqlDdl, kCounter, opt);
  ASSERT_EQ(packed.chunks.size(), 1u);
  EXPECT_EQ(packed.chunks[0].chunkingStrategy, "sql_statements");
  EXPECT_EQ(packed.chunks[0].summary,
            "SQL 4 statements (CREATE TABLE, CREATE FUNCTION, CREATE VIEW, ALTER TABLE): tables app.users, v, groups");
}

TEST(ChunkerSql, MySqlBackslashEscapes) {
  std::string sql = "CREATE TABLE `a` (x varchar(9) DEFAULT 'it\\'s; fine');\nCREATE TABLE `b` (y int);\n";
  ChunkOptions opt;
  opt.maxTokens = 16;
  auto r = chunkDocument(sql, ChunkSourceKind::SqlDdl, [](std::string_view s) { return s.size() / 5 + 1; }, opt);
  std::vector<std::string> tables;
  for (const auto& c : r.chunks) tables.insert(tables.end(), c.tables.begin(), c.tables.end());
  EXPECT_EQ(tables, (std::vector<std::string>{"a", "b"}));
}

TEST(ChunkerSql, CorpusFiles) {
  LOAD_OR_SKIP(pg, "sql/create-scripted-idm-tables-sync-postgresql.sql");
  LOAD_OR_SKIP(dms, "sql/dms-db-tables.sql");
  ChunkOptions opt;
  opt.maxTokens = 100;
  auto r = chunkDocument(pg, ChunkSourceKind::SqlDdl, kCounter, opt);
  expectWellFormed(r, 100);
  expectBodiesCover(r, pg);
  std::vector<std::string> tables;
  bool functionWhole = false;
  for (const auto& c : r.chunks) {
    tables.insert(tables.end(), c.tables.begin(), c.tables.end());
    if (c.content.find("CREATE OR REPLACE FUNCTION") != std::string::npos)
      functionWhole = c.content.find("language 'plpgsql';") != std::string::npos;
  }
  EXPECT_EQ(tables, (std::vector<std::string>{"Users", "Groups", "Organizations"}));
  EXPECT_TRUE(functionWhole) << "the $$ body keeps the function in one statement";
  auto d = chunkDocument(dms, ChunkSourceKind::SqlDdl, kCounter);
  ASSERT_EQ(d.chunks.size(), 1u);
  EXPECT_EQ(d.chunks[0].tables, (std::vector<std::string>{"users", "document_stores", "accesses", "accesses_view"}));
  EXPECT_EQ(d.chunks[0].category, "reference_api");
}

TEST(ChunkerScim, ListResponseIsSplitPerSchema) {
  LOAD_OR_SKIP(list, "scim/scim.dev-Schemas.json");
  auto r = chunkDocument(list, ChunkSourceKind::ScimJson, kCounter);
  expectWellFormed(r, 10000);
  auto doc = Json::parse(list);
  ASSERT_EQ(r.chunks.size(), doc["Resources"].size());
  for (size_t i = 0; i < r.chunks.size(); ++i) {
    auto parsed = Json::parse(r.chunks[i].content);
    EXPECT_EQ(parsed, doc["Resources"][i]);
    EXPECT_EQ(r.chunks[i].scimSchemas.at(0), doc["Resources"][i]["id"]);
    EXPECT_EQ(r.chunks[i].category, "spec_json");
    EXPECT_NE(std::find(r.chunks[i].tags.begin(), r.chunks[i].tags.end(), "SCIM"), r.chunks[i].tags.end());
  }
}

TEST(ChunkerScim, LargeSchemaSplitsAttributesKeepingSchemaFields) {
  LOAD_OR_SKIP(users, "scim/users.json");
  ChunkOptions opt;
  opt.maxTokens = 1500;
  auto r = chunkDocument(users, ChunkSourceKind::ScimJson, kCounter, opt);
  expectWellFormed(r, 1500);
  auto doc = Json::parse(users);
  ASSERT_GT(r.chunks.size(), 1u);
  Json attributes = Json::array();
  for (const auto& c : r.chunks) {
    auto part = Json::parse(c.content);
    EXPECT_EQ(part["id"], doc["id"]);
    for (const auto& a : part["attributes"]) attributes.push_back(a);
    EXPECT_NE(c.summary.find("SCIM schema User"), std::string::npos) << c.summary;
  }
  EXPECT_EQ(attributes, doc["attributes"]);
}

TEST(ChunkerScim, ResourceTypes) {
  LOAD_OR_SKIP(rt, "scim/resourcetype-user.json");
  auto r = chunkDocument(rt, ChunkSourceKind::ScimJson, kCounter);
  expectWellFormed(r, 10000);
  ASSERT_EQ(r.chunks.size(), 1u);
  EXPECT_NE(r.chunks[0].summary.find("SCIM resource type User (/Users"), std::string::npos) << r.chunks[0].summary;
  EXPECT_NE(std::find(r.chunks[0].tags.begin(), r.chunks[0].tags.end(), "user"), r.chunks[0].tags.end());
}

// OpenAPI: every chunk re-parses in the input's format, carries the header, and together the
// chunks cover every path (with identical operations) and every schema.
void checkOpenApi(const std::string& text, bool yaml, size_t maxTokens) {
  ChunkOptions opt;
  opt.maxTokens = maxTokens;
  auto r = chunkDocument(text, yaml ? ChunkSourceKind::OpenApiYaml : ChunkSourceKind::OpenApiJson, kCounter, opt);
  EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics.front();
  expectWellFormed(r, maxTokens);
  OrderedJson spec = yaml ? yamlToJson(text) : OrderedJson::parse(text);
  bool v2 = spec.contains("swagger");
  const OrderedJson& specSchemas = v2 ? spec["definitions"] : spec["components"]["schemas"];
  OrderedJson seenPaths = OrderedJson::object();
  std::set<std::string> schemaNames, chunkPaths;
  size_t textSplit = 0;
  for (const auto& c : r.chunks) {
    EXPECT_EQ(c.category, yaml ? "spec_yaml" : "spec_json");
    for (const auto& p : c.paths) chunkPaths.insert(p);
    for (const auto& s : c.schemas) schemaNames.insert(s);
    if (c.cutMidUnit) {
      ++textSplit;
      continue;
    }
    OrderedJson part;
    ASSERT_NO_THROW(part = yaml ? yamlToJson(c.content) : OrderedJson::parse(c.content)) << c.summary;
    EXPECT_TRUE(part.contains(v2 ? "swagger" : "openapi")) << c.summary;
    EXPECT_TRUE(part.contains("info")) << c.summary;
    if (part.contains("paths")) {
      size_t ops = 0;
      for (auto it = part["paths"].begin(); it != part["paths"].end(); ++it) {
        if (it.value().empty()) seenPaths[it.key()] = OrderedJson::object();  // e.g. okta's empty path items
        for (auto m = it.value().begin(); m != it.value().end(); ++m) {
          EXPECT_EQ(m.value(), spec["paths"][it.key()][m.key()]) << it.key() << " " << m.key();
          seenPaths[it.key()][m.key()] = m.value();
          std::string k = m.key();
          ops += (k == "get" || k == "put" || k == "post" || k == "delete" || k == "patch" || k == "head" ||
                  k == "options" || k == "trace");
        }
      }
      EXPECT_EQ(ops, c.numEndpoints) << c.summary;
      // Directly referenced schemas travel with their paths when they fit.
      for (const auto& s : c.schemas)
        EXPECT_EQ(v2 ? part["definitions"][s] : part["components"]["schemas"][s], specSchemas[s]);
    }
  }
  std::set<std::string> allPaths;
  for (auto it = spec["paths"].begin(); it != spec["paths"].end(); ++it) allPaths.insert(it.key());
  EXPECT_EQ(chunkPaths, allPaths);
  if (textSplit == 0) {
    EXPECT_EQ(seenPaths.size(), spec["paths"].size());
  }
  std::set<std::string> allSchemas;
  for (auto it = specSchemas.begin(); it != specSchemas.end(); ++it) allSchemas.insert(it.key());
  EXPECT_EQ(schemaNames, allSchemas);
}

TEST(ChunkerOpenApi, OktaYaml) {
  LOAD_OR_SKIP(text, "okta/management-minimal.yaml");
  checkOpenApi(text, true, 10000);
}

TEST(ChunkerOpenApi, AsanaYaml) {
  LOAD_OR_SKIP(text, "asana/asana_oas.yaml");
  checkOpenApi(text, true, 10000);
}

TEST(ChunkerOpenApi, ForgejoSwaggerJson) {
  LOAD_OR_SKIP(text, "forgejo/swagger.v1.json");
  checkOpenApi(text, false, 10000);
}

TEST(ChunkerOpenApi, ForgejoSmallBudgetFallsBackToTextButStaysWithinBudget) {
  LOAD_OR_SKIP(text, "forgejo/swagger.v1.json");
  checkOpenApi(text, false, 800);
}

TEST(ChunkerOpenApi, KeycloakAndNextcloud) {
  LOAD_OR_SKIP(kc, "keycloak/keycloak-23.0.7.yml");
  LOAD_OR_SKIP(nc, "nextcloud/provisioning_api-openapi.json");
  checkOpenApi(kc, true, 4000);
  checkOpenApi(nc, false, 3000);
}

TEST(ChunkerOpenApi, GroupsByTagAndPacksWithReferencedSchemas) {
  std::string spec = R"({"openapi":"3.0.0","info":{"title":"T","version":"1","description":"long"},
    "servers":[{"url":"https://x.io/api"}],
    "tags":[{"name":"users","description":"User ops"},{"name":"groups"}],
    "paths":{
      "/users":{"get":{"tags":["users"],"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/User"}}}}}},
                "post":{"tags":["users"],"responses":{"201":{"$ref":"#/components/responses/Created"}}}},
      "/groups":{"get":{"tags":["groups"],"responses":{"200":{"description":"ok"}}}},
      "/users/{id}":{"delete":{"tags":["users"],"responses":{"204":{"description":"gone"}}}}},
    "components":{"securitySchemes":{"bearer":{"type":"http","scheme":"bearer"}},
      "responses":{"Created":{"description":"made","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Group"}}}}},
      "schemas":{"User":{"type":"object"},"Group":{"type":"object"},"Unused":{"type":"string"}}}})";
  auto r = chunkDocument(spec, ChunkSourceKind::OpenApiJson, kCounter);
  ASSERT_EQ(r.chunks.size(), 3u);  // overview, paths (both groups packed), schemas
  EXPECT_EQ(r.chunks[0].chunkingStrategy, "openapi_overview");
  EXPECT_NE(std::find(r.chunks[0].tags.begin(), r.chunks[0].tags.end(), "authentication"), r.chunks[0].tags.end());
  const Chunk& paths = r.chunks[1];
  EXPECT_EQ(paths.paths, (std::vector<std::string>{"/users", "/users/{id}", "/groups"}));
  EXPECT_EQ(paths.numEndpoints, 4u);
  EXPECT_EQ(paths.summary, "OpenAPI paths /users, /users/{id}, /groups (tags users, groups): 4 operations");
  auto doc = Json::parse(paths.content);
  EXPECT_EQ(doc["servers"][0]["url"], "https://x.io/api");
  EXPECT_EQ(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
  EXPECT_TRUE(doc["components"]["schemas"].contains("User"));
  EXPECT_TRUE(doc["components"]["schemas"].contains("Group")) << "reached through the Created response";
  EXPECT_FALSE(doc["components"]["schemas"].contains("Unused"));
  EXPECT_TRUE(doc["components"]["responses"].contains("Created"));
  EXPECT_FALSE(doc["info"].contains("description")) << "path chunks carry a compact info";
  EXPECT_EQ(r.chunks[2].schemas, (std::vector<std::string>{"User", "Group", "Unused"}));

  // With a small budget the two tag groups go to separate chunks.
  ChunkOptions opt;
  opt.maxTokens = 260;
  auto small = chunkDocument(spec, ChunkSourceKind::OpenApiJson, kCounter, opt);
  expectWellFormed(small, 260);
  size_t pathChunks = 0;
  for (const auto& c : small.chunks) {
    if (c.paths.empty()) continue;
    ++pathChunks;
    bool hasGroups = std::find(c.paths.begin(), c.paths.end(), "/groups") != c.paths.end();
    EXPECT_EQ(hasGroups, std::find(c.tags.begin(), c.tags.end(), "groups") != c.tags.end()) << c.summary;
  }
  EXPECT_GE(pathChunks, 2u);
}

TEST(ChunkerOpenApi, UnparsableSpecFallsBackToText) {
  std::string bad = "openapi: 3.0.0\npaths: [unclosed\n  - x: {\n";
  auto r = chunkDocument(bad, ChunkSourceKind::OpenApiYaml, kCounter);
  ASSERT_FALSE(r.diagnostics.empty());
  expectWellFormed(r, 10000);
  expectBodiesCover(r, bad);
}

TEST(ChunkerDeterminism, SameInputSameChunks) {
  LOAD_OR_SKIP(text, "asana/asana_oas.yaml");
  ChunkOptions opt;
  opt.maxTokens = 3000;
  auto a = chunkDocument(text, ChunkSourceKind::OpenApiYaml, kCounter, opt);
  auto b = chunkDocument(text, ChunkSourceKind::OpenApiYaml, kCounter, opt);
  ASSERT_EQ(a.chunks.size(), b.chunks.size());
  for (size_t i = 0; i < a.chunks.size(); ++i) {
    EXPECT_EQ(a.chunks[i].content, b.chunks[i].content);
    EXPECT_EQ(a.chunks[i].summary, b.chunks[i].summary);
    EXPECT_EQ(chunkMetadataJson(a.chunks[i], i), chunkMetadataJson(b.chunks[i], i));
  }
}

TEST(ChunkerMetadata, ContractKeys) {
  auto r = chunkDocument("# A\n\nGET /users lists users\n", ChunkSourceKind::Markdown, kCounter);
  ASSERT_EQ(r.chunks.size(), 1u);
  auto m = chunkMetadataJson(r.chunks[0], 0);
  EXPECT_EQ(m["chunk_number"], 0);
  EXPECT_EQ(m["token_count"], r.chunks[0].tokenCount);
  EXPECT_EQ(m["character_count"], r.chunks[0].characterCount);
  EXPECT_EQ(m["num_endpoints"], 1);
  EXPECT_EQ(m["category"], "reference_api");
  EXPECT_EQ(m["section_path"], Json::array({"A"}));
  EXPECT_TRUE(m["tags"].is_array());
}

TEST(ChunkYamlWriter, RoundTripsTrickyScalars) {
  OrderedJson v = OrderedJson::parse(R"({
    "plain": "hello world", "yes": "yes", "num": "1.0", "int": "42", "date": "2019-10-18", "empty": "",
    "colon": "a: b", "hash": "x #y", "lead": " spaced", "quote": "it's \"q\"", "null": "null", "tilde": "~",
    "multi": "line one\n  indented\n\nlast", "trailing": "a\nb\n", "trailing2": "a\n\n", "wsline": "a\n   \nb",
    "leadspace": "  x\ny", "ls": "a\u2028b", "ctrl": "a\u0001b", "tab": "a\tb", "/users/{id}": {"get": 1},
    "200": [1, 2.5, true, null, [], {}, [[1, 2], {"k": "v"}], {"a": {"b": ["c"]}}], "": "empty key",
    "- dash": "-", "*star": "&amp", "unicode": "žluťoučký kůň"})");
  std::string yaml = chunking::writeChunkYaml(v);
  OrderedJson back;
  ASSERT_NO_THROW(back = yamlToJson(yaml)) << yaml;
  EXPECT_EQ(back, v) << yaml;
  EXPECT_NE(yaml.find("multi: |-\n  line one\n    indented\n\n  last\n"), std::string::npos) << yaml;
}

}  // namespace
}  // namespace cg::ingest
