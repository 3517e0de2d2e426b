// digestDocuments (session_digest.h) hands documents without a structured protocol to the prose
// extractor and merges its result after the structured engines.
#include <gtest/gtest.h>

#include "digest/session_digest.h"

namespace cg::digest {
namespace {

const std::string kProse =
    "# Team API\n\n## Teams\n\nGET /teams\n\nList teams.\n\nPOST /teams\n\nCreate a team.\n\n"
    "GET /teams/{id}\n\nGet a team.\n\nUse `Authorization: Basic` credentials.\n";

TEST(ProseSession, UnknownDocumentsGoToTheProseExtractor) {
  std::vector<DocumentInput> docs = {{"d1", kProse, "text/markdown"}};
  std::vector<ChunkEvidence> chunks = {{"d1", "c1", OrderedJson::object(), kProse}};
  SessionDigest s = digestDocuments(docs, chunks);
  EXPECT_EQ(s.documentsUsed, 1u);
  EXPECT_EQ(s.documentsSkipped, 0u);
  const ObjectClass* team = s.result.findClass("Team");
  ASSERT_NE(team, nullptr);
  EXPECT_EQ(team->confidence, Confidence::Medium);
  ASSERT_EQ(team->endpoints.size(), 3u);
  ASSERT_EQ(team->relevantDocumentations.size(), 1u);
  EXPECT_EQ(team->relevantDocumentations[0].chunkId, "c1");
  ASSERT_EQ(s.result.auth.size(), 1u);
  EXPECT_EQ(s.result.auth[0].type, "basic");
}

TEST(ProseSession, StructuredClassesWinOverProse) {
  const std::string spec =
      R"({"openapi":"3.0.0","info":{"title":"T","version":"1"},"paths":{"/teams":{"get":{"responses":{"200":{"description":"ok",)"
      R"("content":{"application/json":{"schema":{"type":"array","items":{"$ref":"#/components/schemas/Team"}}}}}}}}},)"
      R"("components":{"schemas":{"Team":{"type":"object","properties":{"slug":{"type":"string"}}}}}})";
  std::vector<DocumentInput> docs = {{"spec", spec, "application/json"}, {"d1", kProse, "text/markdown"}};
  SessionDigest s = digestDocuments(docs, {});
  const ObjectClass* team = s.result.findClass("Team");
  ASSERT_NE(team, nullptr);
  ASSERT_EQ(team->attributes.size(), 1u);
  EXPECT_EQ(team->attributes[0].name, "slug");
  EXPECT_EQ(team->endpoints.size(), 1u) << "the structured class is kept as is";
  EXPECT_EQ(s.documentsUsed, 2u);
}

TEST(ProseSession, ProseWithNothingUsableIsSkipped) {
  SessionDigest s = digestDocuments({{"d1", "Hello world.\n", "text/plain"}}, {});
  EXPECT_EQ(s.documentsUsed, 0u);
  EXPECT_EQ(s.documentsSkipped, 1u);
  EXPECT_TRUE(s.result.objectClasses.empty());
}

}  // namespace
}  // namespace cg::digest
