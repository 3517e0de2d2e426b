// Per-document protocol detection (digest/protocol.h).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "digest/protocol.h"

using namespace cg::digest;

TEST(ProtocolDetection, StructuredRoots) {
  EXPECT_EQ(detectProtocol(R"({"openapi": "3.0.0", "paths": {}})").apiType, "REST");
  EXPECT_EQ(detectProtocol("swagger: '2.0'\npaths: {}\n").apiType, "REST");
  EXPECT_EQ(detectProtocol("openapi: 3.1.0\ninfo:\n  title: x\n").apiType, "REST");
  EXPECT_EQ(detectProtocol(R"({"openapi": "3.0.0", "paths": {"/Users": {)").apiType, "REST");  // truncated
  auto scimInRest = detectProtocol(R"({"openapi": "3.0.0", "x": "application/scim+json"})");
  EXPECT_EQ(scimInRest.protocol, Protocol::Rest);
  EXPECT_TRUE(scimInRest.describesScim);
  EXPECT_EQ(detectProtocol(R"({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"], "id": "x", "attributes": []})").apiType,
            "SCIM");
  EXPECT_EQ(detectProtocol(R"({"id": "User", "endpoint": "/Users", "schema": "urn:x"})").apiType, "SCIM");
  EXPECT_EQ(detectProtocol(R"({"totalResults": 1, "Resources": [{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"]}]})").apiType,
            "SCIM");
  EXPECT_EQ(detectProtocol(R"({"tables": [{"name": "users", "columns": []}]})").apiType, "SQL");
  EXPECT_EQ(detectProtocol(R"({"users": {"columns": ["id"]}})").apiType, "SQL");
}

TEST(ProtocolDetection, TextDocuments) {
  EXPECT_EQ(detectProtocol("-- schema\nCREATE TABLE users (id int);").apiType, "SQL");
  EXPECT_EQ(detectProtocol("create temporary table t (x int)").apiType, "SQL");
  // Only a real statement counts, not a comment or a string.
  EXPECT_EQ(detectProtocol("-- CREATE TABLE users (id int);\nhello").apiType, "");
  EXPECT_EQ(detectProtocol("SELECT 'CREATE TABLE x (a int)';").apiType, "");
  EXPECT_EQ(detectProtocol("Send requests with Content-Type application/scim+json to /Users.").apiType, "SCIM");
  EXPECT_EQ(detectProtocol("Call GET /ResourceTypes and GET /Schemas to discover").apiType, "SCIM");
  EXPECT_EQ(detectProtocol("# Users API\nGET /users returns users").apiType, "");
  EXPECT_EQ(detectProtocol("anything", "application/scim+json").apiType, "SCIM");
  EXPECT_EQ(detectProtocol("anything", "application/sql").apiType, "SQL");
  EXPECT_EQ(detectProtocol("").protocol, Protocol::Unknown);
  EXPECT_EQ(detectProtocol(std::string(5000, '[')).protocol, Protocol::Unknown);
}

TEST(ProtocolDetection, CorpusFiles) {
  const char* shared = std::getenv("CG_SHARED_DIR");
  std::filesystem::path root = std::filesystem::path(shared ? shared : "/work/shared") / "corpus";
  if (!std::filesystem::exists(root / "scim")) GTEST_SKIP() << "corpus not found under " << root << " (CG_SHARED_DIR)";
  auto read = [](const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  for (const char* f : {"users.json", "groups.json", "enterprise-user.json", "resourcetype-user.json",
                        "resourcetype-group.json", "scim.dev-Schemas.json"}) {
    EXPECT_EQ(detectProtocol(read(root / "scim" / f)).apiType, "SCIM") << f;
  }
  EXPECT_EQ(detectProtocol(read(root / "scim" / "pagerduty-scim-openapiv3.json")).apiType, "REST");
  for (const auto& entry : std::filesystem::directory_iterator(root / "sql")) {
    EXPECT_EQ(detectProtocol(read(entry.path())).apiType, "SQL") << entry.path();
  }
  if (std::filesystem::exists(root / "forgejo" / "swagger.v1.json")) {
    EXPECT_EQ(detectProtocol(read(root / "forgejo" / "swagger.v1.json")).apiType, "REST");
  }
}
