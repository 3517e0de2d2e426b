#include "digest/model.h"

#include <gtest/gtest.h>

using namespace cg;
using namespace cg::digest;

TEST(DigestModel, ObjectClassSerializesContractFieldsInOrder) {
  ObjectClass c;
  c.name = "User";
  c.description = "A user account";
  c.abstract = false;
  c.embedded = false;
  c.confidence = Confidence::High;
  c.relevantDocumentations.push_back({"d1", "c1"});
  c.attributes.push_back({});  // not part of the class JSON
  EXPECT_EQ(dumpJson(toJson(c)),
            R"({"name":"User","description":"A user account","superclass":null,"abstract":false,)"
            R"("embedded":false,"relevant":"true","confidence":"high",)"
            R"("relevantDocumentations":[{"docId":"d1","chunkId":"c1"}]})");
}

TEST(DigestModel, AttributeResponseUsesNameAsKey) {
  Attribute a;
  a.name = "email";
  a.type = "string";
  a.format = "email";
  a.mandatory = true;
  a.multivalue = false;
  std::string json = dumpJson(attributesResponse({a}));
  EXPECT_EQ(json,
            R"({"attributes":{"email":{"type":"string","format":"email","description":null,"mandatory":true,)"
            R"("updatable":null,"creatable":null,"readable":null,"multivalue":false,"returnedByDefault":null,)"
            R"("relevantDocumentations":[]}}})");
  auto back = attributesFromResponse(OrderedJson::parse(json));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].name, "email");
  EXPECT_EQ(back[0].format, "email");
  EXPECT_EQ(back[0].mandatory, true);
  EXPECT_FALSE(back[0].updatable.has_value());
}

TEST(DigestModel, ScimAttributeAndExtrasOnlyWhenSet) {
  Attribute a;
  a.name = "emails.value";
  a.scimAttribute = "emails.value";
  a.extra["table"] = "users";
  auto j = toJson(a);
  EXPECT_EQ(j["scimAttribute"], "emails.value");
  EXPECT_EQ(j["table"], "users");
  Attribute plain;
  EXPECT_FALSE(toJson(plain).contains("scimAttribute"));
}

TEST(DigestModel, EndpointExtensionsEmittedOnlyWhenPresent) {
  Endpoint e;
  e.path = "/users";
  e.method = "GET";
  e.description = "List users";
  e.suggestedUse = {"getAll", "search"};
  auto j = toJson(e);
  EXPECT_FALSE(j.contains("pagination"));
  EXPECT_FALSE(j.contains("parameters"));
  e.pagination.style = "page";
  e.pagination.pageParam = "page";
  e.pagination.sizeParam = "limit";
  j = toJson(e);
  EXPECT_EQ(j["pagination"]["style"], "page");
  auto back = endpointFromJson(j);
  EXPECT_EQ(back.pagination.sizeParam, "limit");
  EXPECT_EQ(back.suggestedUse, (std::vector<std::string>{"getAll", "search"}));
}

TEST(DigestModel, EndpointFromJsonNormalizesMethodAndDropsUnknownUses) {
  auto e = endpointFromJson(OrderedJson::parse(R"({"path":"/x","method":" patch ","description":"d",
      "suggestedUse":["update","bogus","update"]})"));
  EXPECT_EQ(e.method, "PATCH");
  EXPECT_EQ(e.suggestedUse, std::vector<std::string>{"update"});
}

TEST(DigestModel, AuthTypeAliases) {
  EXPECT_EQ(normalizeAuthType("OAuth 2.0"), "other");
  EXPECT_EQ(normalizeAuthType("Bearer-Token"), "bearer");
  EXPECT_EQ(normalizeAuthType("SAML"), "other");
  EXPECT_EQ(normalizeAuthType("HTTP Basic Auth"), "basic");
  EXPECT_EQ(normalizeAuthType("x-api-key"), "apiKey");
  EXPECT_EQ(normalizeAuthType("client_credentials"), "oauth2ClientCredentials");
  EXPECT_EQ(normalizeAuthType("jwtBearer"), "jwtBearer");
  EXPECT_EQ(normalizeAuthType("OIDC"), "openidConnect");
  EXPECT_EQ(normalizeAuthType("Mutual TLS"), "mtls");
  EXPECT_EQ(normalizeAuthType("AWS4-HMAC-SHA256"), "awsSignature");
}

TEST(DigestModel, InfoMetadataNormalization) {
  auto info = infoMetadataFromJson(OrderedJson::parse(R"({"name":"X","apiType":["swagger","rest","SCIM","graphql"],
      "baseApiEndpoint":{"uri":"https://B.example.com/API","type":"Constant"}})"));
  EXPECT_EQ(info.apiType, (std::vector<std::string>{"REST", "SCIM"}));
  ASSERT_EQ(info.baseApiEndpoint.size(), 1u);
  EXPECT_EQ(info.baseApiEndpoint[0].uri, "https://B.example.com/API");  // case kept
  EXPECT_EQ(info.baseApiEndpoint[0].type, "constant");

  InfoMetadata m;
  m.baseApiEndpoint = {{"https://z.example", "dynamic"}, {"https://a.example", ""}, {"https://A.example", ""},
                       {"", "constant"}};
  normalizeInfoMetadata(m);
  ASSERT_EQ(m.baseApiEndpoint.size(), 2u);
  EXPECT_EQ(m.baseApiEndpoint[0].uri, "https://a.example");
  EXPECT_EQ(dumpJson(infoResponse(std::nullopt)), R"({"infoMetadata":null})");
  EXPECT_FALSE(infoFromResponse(OrderedJson::parse(R"({"infoMetadata":null})")).has_value());
}

TEST(DigestModel, RelationAcceptsSnakeCaseDisplayName) {
  auto r = relationFromJson(OrderedJson::parse(
      R"({"name":"user_to_group","display_name":"User to Group","subject":"user","object":"group"})"));
  EXPECT_EQ(r.displayName, "User to Group");
  EXPECT_EQ(dumpJson(toJson(r)),
            R"({"name":"user_to_group","displayName":"User to Group","shortDescription":"","subject":"user",)"
            R"("subjectAttribute":"","object":"group","objectAttribute":""})");
}

TEST(DigestModel, ChunkReferencesAcceptBothSpellings) {
  auto refs = chunkReferencesFromJson(OrderedJson::parse(R"([{"doc_id":"a","chunk_id":"b"},{"docId":"c","chunkId":"d"},7])"));
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(refs[0].docId, "a");
  EXPECT_EQ(refs[1].chunkId, "d");
}

TEST(DigestModel, ObjectClassRoundTripKeepsExtraKeysAndAttributes) {
  auto j = OrderedJson::parse(R"({"name":"Office","description":"d","confidence":"medium","endpoint":"/Offices",
      "attributes":{"id":{"type":"string"}},"relevant":"maybe"})");
  auto c = objectClassFromJson(j);
  EXPECT_EQ(c.confidence, Confidence::Medium);
  EXPECT_EQ(c.relevant, "maybe");
  ASSERT_EQ(c.attributes.size(), 1u);
  EXPECT_EQ(toJson(c)["endpoint"], "/Offices");
  EXPECT_FALSE(toJson(c).contains("attributes"));
}

TEST(DigestModel, LenientReadersNeverThrowOnWrongTypes) {
  auto bad = OrderedJson::parse(R"({"name":5,"confidence":[],"attributes":"x","endpoints":{"a":1}})");
  EXPECT_NO_THROW(objectClassFromJson(bad));
  EXPECT_NO_THROW(authFromResponse(OrderedJson::parse("[1,2]")));
  EXPECT_TRUE(relationsFromResponse(OrderedJson::parse(R"({"relations":7})")).empty());
  auto auth = authFromResponse(OrderedJson::parse(R"({"auth":[{"name":"Token","type":"Personal Access Token"}]})"));
  ASSERT_EQ(auth.size(), 1u);
  EXPECT_EQ(auth[0].type, "bearer");
}
