#include "llm/verification.h"

#include <gtest/gtest.h>

using namespace cg::llm;

namespace {
const char* kChunk = R"(Instruction set for users
=========================

Add a new user
--------------
Create a new user on the Nextcloud server. Authentication is done by sending a basic HTTP
authentication header.

**Syntax: ocs/v1.php/cloud/users**

* HTTP method: POST
* POST argument: userid - string, the required username for the new user
* POST argument: password - string, the password for the new user
* POST argument: displayName - string, the display name

Example:
  $ curl -X POST http://admin:secret@example.com/ocs/v1.php/cloud/users -d userid="Frank" -H "OCS-APIRequest: true"

Get data of a single user
-------------------------
Syntax: ocs/v1.php/cloud/users/{userid}
HTTP method: GET
  $ curl -X GET http://admin:secret@example.com/ocs/v1.php/cloud/users/Frank
)";

std::string spanText(const std::string& text, EvidenceSpan s) { return text.substr(s.begin, s.end - s.begin); }
}  // namespace

TEST(FindName, CaseSeparatorsBoundariesAndPlural) {
  std::string c = kChunk;
  ASSERT_TRUE(findName(c, "USERID"));
  EXPECT_EQ(spanText(c, *findName(c, "USERID")), "userid");
  EXPECT_EQ(spanText(c, *findName(c, "display_name")), "displayName");
  EXPECT_EQ(spanText(c, *findName(c, "display name")), "displayName");
  EXPECT_FALSE(findName(c, "play"));          // only inside "display", never on its own
  EXPECT_FALSE(findName("the userName field", "name"));  // camelCase hides a longer identifier
  EXPECT_FALSE(findName(c, "email"));
  EXPECT_TRUE(findName(c, "Users", true));    // plural claim, text has both
  EXPECT_TRUE(findName("list all groups", "Group", true));
  EXPECT_FALSE(findName("list all groups", "Group", false));
  EXPECT_FALSE(findName("", "x"));
  EXPECT_FALSE(findName("abc", "!!"));
}

TEST(FindPath, PlaceholdersPrefixesAndBoundaries) {
  std::string c = kChunk;
  auto s = findPath(c, "/cloud/users/{id}");
  ASSERT_TRUE(s);
  EXPECT_EQ(spanText(c, *s), "/cloud/users/{userid}");
  EXPECT_TRUE(findPath(c, "/ocs/v1.php/cloud/users"));
  EXPECT_TRUE(findPath(c, "/cloud/users/:userid"));
  EXPECT_TRUE(findPath(c, "https://example.com/ocs/v1.php/cloud/users?format=json"));
  EXPECT_FALSE(findPath(c, "/cloud/user"));            // must end at a path boundary
  EXPECT_FALSE(findPath(c, "/cloud/Users"));           // literal segments are case-sensitive
  EXPECT_FALSE(findPath(c, "/cloud/groups"));
  // Documentation that writes the path without its leading slash.
  auto bare = findPath(c, "/ocs/v1.php/cloud/users/{userid}");
  ASSERT_TRUE(bare);
  EXPECT_EQ(spanText(c, *bare), "ocs/v1.php/cloud/users/{userid}");
  EXPECT_FALSE(findPath(c, "/{a}/{b}"));               // nothing literal to check
  EXPECT_FALSE(findPath(c, "/"));
  EXPECT_TRUE(findPath("GET /v2/items/{item_id}.json", "/v2/items/{id}.json"));
}

TEST(FindQuote, WhitespaceCaseAndEllipsis) {
  std::string c = kChunk;
  EXPECT_TRUE(findQuote(c, "authentication is done by sending a basic http   authentication header"));
  EXPECT_TRUE(findQuote(c, "Create a new user ... basic HTTP authentication"));
  EXPECT_FALSE(findQuote(c, "uses OAuth 2.0 tokens"));
  EXPECT_FALSE(findQuote(c, "a"));
}

TEST(VerifyAgainstChunk, KeepsGroundedClaimsAndDropsHallucinations) {
  ProseClaims claims;
  claims.objectClasses = {{"User", "A Nextcloud user", "Add a new user"}, {"Team", "A team", "teams of users"}};
  claims.attributes = {{"User", "userid", "string", std::nullopt, true, std::nullopt, std::nullopt},
                       {"User", "displayName", "string", std::nullopt, std::nullopt, std::nullopt, std::nullopt},
                       {"User", "email", "string", std::nullopt, std::nullopt, std::nullopt, std::nullopt},   // not in text
                       {"Team", "members", "string", std::nullopt, std::nullopt, std::nullopt, std::nullopt}};  // class dropped
  claims.endpoints = {
      {"User", "POST", "/ocs/v1.php/cloud/users", "Create", {"create"}, {"userid", "password", "quota"}},
      {"User", "GET", "/ocs/v1.php/cloud/users/{userid}", "Get", {"getById"}, {}},
      {"User", "DELETE", "/ocs/v1.php/cloud/users/{userid}", "Delete", {"delete"}, {}},  // method not stated
      {"User", "GET", "/ocs/v1.php/cloud/users/{userid}/subadmins", "Sub", {}, {}},     // path not in text
      {"User", "FETCH", "/ocs/v1.php/cloud/users", "x", {}, {}},
  };
  claims.auth = {{"HTTP Basic", "basic", "admin:secret in URL", "sending a basic HTTP authentication header"},
                 {"OAuth2", "oauth2ClientCredentials", "", "client credentials grant"}};
  claims.metadata = MetadataClaim{"Nextcloud", "", "1", {"REST", "SCIM"}, {"https://api.nextcloud.com/v2"}};

  std::string c = kChunk;
  VerifiedClaims v = verifyAgainstChunk(claims, c);
  ASSERT_EQ(v.objectClasses.size(), 1u);
  EXPECT_EQ(v.objectClasses[0].claim.name, "User");
  EXPECT_EQ(v.objectClasses[0].evidence.size(), 2u);  // the name and the quote

  ASSERT_EQ(v.attributes.size(), 2u);
  EXPECT_EQ(v.attributes[0].claim.name, "userid");
  EXPECT_EQ(v.attributes[1].claim.name, "displayName");

  ASSERT_EQ(v.endpoints.size(), 2u);
  EXPECT_EQ(v.endpoints[0].claim.method, "POST");
  EXPECT_EQ(v.endpoints[0].claim.parameters, (std::vector<std::string>{"userid", "password"}));
  EXPECT_EQ(spanText(c, v.endpoints[0].evidence[0]), "POST");
  EXPECT_EQ(spanText(c, v.endpoints[1].evidence[1]), "ocs/v1.php/cloud/users/{userid}");

  ASSERT_EQ(v.auth.size(), 1u);
  EXPECT_EQ(v.auth[0].claim.type, "basic");
  EXPECT_EQ(spanText(c, v.auth[0].evidence[0]), "sending a basic HTTP\nauthentication header");

  ASSERT_TRUE(v.metadata);
  EXPECT_EQ(v.metadata->claim.name, "Nextcloud");
  EXPECT_EQ(v.metadata->claim.apiVersion, "1");  // "v1" occurs
  EXPECT_EQ(v.metadata->claim.apiType, (std::vector<std::string>{"REST"}));  // REST via verified endpoints; no SCIM
  EXPECT_TRUE(v.metadata->claim.baseApiEndpoints.empty());

  auto reasonFor = [&](const std::string& what) {
    for (const auto& d : v.dropped)
      if (d.what == what) return d.reason;
    return std::string("<kept>");
  };
  EXPECT_EQ(reasonFor("Team"), "class name not found in the chunk");
  EXPECT_EQ(reasonFor("User.email"), "attribute name not found in the chunk");
  EXPECT_EQ(reasonFor("Team.members"), "its object class is not verified");
  EXPECT_EQ(reasonFor("POST /ocs/v1.php/cloud/users quota"), "parameter name not found in the chunk");
  EXPECT_EQ(reasonFor("DELETE /ocs/v1.php/cloud/users/{userid}"), "method DELETE not stated near the path");
  EXPECT_EQ(reasonFor("GET /ocs/v1.php/cloud/users/{userid}/subadmins"), "path not found in the chunk");
  EXPECT_EQ(reasonFor("FETCH /ocs/v1.php/cloud/users"), "unsupported HTTP method");
  EXPECT_EQ(reasonFor("oauth2ClientCredentials (OAuth2)"), "no mention of this kind of authentication in the chunk");
  EXPECT_EQ(reasonFor("apiType=SCIM"), "value not found in the chunk");
  EXPECT_EQ(reasonFor("baseApiEndpoint=https://api.nextcloud.com/v2"), "value not found in the chunk");
}

TEST(VerifyAgainstChunk, KnownClassesLetAttributesThrough) {
  ProseClaims claims;
  claims.attributes = {{"Account", "password", "string", std::nullopt, std::nullopt, std::nullopt, std::nullopt}};
  claims.endpoints = {{"Account", "GET", "/cloud/users/{id}", "", {}, {}}};
  VerifiedClaims v = verifyAgainstChunk(claims, kChunk, {"Account"});
  EXPECT_EQ(v.attributes.size(), 1u);
  ASSERT_EQ(v.endpoints.size(), 1u);
  EXPECT_EQ(v.endpoints[0].claim.objectClass, std::optional<std::string>("Account"));
  // Without the known class the endpoint stays but loses its class; the attribute is dropped.
  VerifiedClaims w = verifyAgainstChunk(claims, kChunk);
  EXPECT_TRUE(w.attributes.empty());
  ASSERT_EQ(w.endpoints.size(), 1u);
  EXPECT_FALSE(w.endpoints[0].claim.objectClass);
}

TEST(ProseClaimsFromJson, LenientOnWrongTypes) {
  auto j = cg::OrderedJson::parse(R"({"objectClasses":[{"name":5},{"name":"User"}],"endpoints":[{"method":"get","path":"/x"}],
                                      "auth":"nope","metadata":{"name":null,"apiType":["REST",3]}})");
  ProseClaims c = proseClaimsFromJson(j);
  ASSERT_EQ(c.objectClasses.size(), 2u);
  EXPECT_EQ(c.objectClasses[0].name, "");
  EXPECT_EQ(c.endpoints.at(0).method, "GET");
  EXPECT_TRUE(c.auth.empty());
  ASSERT_TRUE(c.metadata);
  EXPECT_EQ(c.metadata->apiType, (std::vector<std::string>{"REST"}));
  EXPECT_TRUE(proseClaimsFromJson(cg::OrderedJson()).objectClasses.empty());
}
