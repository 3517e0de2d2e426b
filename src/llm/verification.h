// Verification of LLM claims against the documentation chunk they were extracted from. Pure.
//
// Contract:
//  - A claim survives only when its identifying text occurs in the chunk:
//      * object class / attribute / parameter names: case-insensitive, ignoring separators and case
//        style ("displayName" ~ "display name" ~ "display_name"), on identifier boundaries; class names
//        may also appear in plural ("User" ~ "users");
//      * endpoint paths: literal segments case-sensitive, `{param}` placeholders match any single
//        segment text (`{id}`, `:id`, `<id>`, `123`), the path may sit inside a longer URL, the next
//        character must end the path; the HTTP method (upper case) must occur within 200 characters;
//        paths without any literal segment are rejected;
//      * auth methods: the evidence quote (whitespace-collapsed, case-insensitive) or, failing that, a
//        keyword of the claimed type (e.g. "basic", "bearer"/"token", "oauth", "api key") must occur;
//      * metadata: each value (name, versions, base URLs) is kept only if it occurs; apiType needs its
//        keyword (REST/RESTful/OpenAPI/Swagger, SCIM, SQL) or, for REST, a verified endpoint.
//  - Every verified claim carries evidence spans (byte offsets into the chunk). Unverifiable parameters
//    are removed from their endpoint; unverifiable claims are dropped and listed with a reason.
//  - Attributes and endpoints naming a class that is neither verified here nor in `knownClasses`
//    keep the claim but clear the class (endpoints) or are dropped (attributes).
//  - Never throws; linear-ish in chunk size × number of claims.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/json.h"

namespace cg::llm {

struct EvidenceSpan {
  std::size_t begin = 0;  // byte offsets into the chunk text
  std::size_t end = 0;
  bool operator==(const EvidenceSpan&) const = default;
};

struct ClassClaim {
  std::string name;
  std::string description;
  std::string evidence;
};
struct AttributeClaim {
  std::string objectClass;
  std::string name;
  std::string type;
  std::optional<std::string> description;
  std::optional<bool> mandatory;
  std::optional<bool> multivalue;
  std::optional<bool> readOnly;
};
struct EndpointClaim {
  std::optional<std::string> objectClass;
  std::string method;
  std::string path;
  std::string description;
  std::vector<std::string> suggestedUse;
  std::vector<std::string> parameters;
};
struct AuthClaim {
  std::string name;
  std::string type;
  std::string quirks;
  std::string evidence;
};
struct MetadataClaim {
  std::string name;
  std::string applicationVersion;
  std::string apiVersion;
  std::vector<std::string> apiType;
  std::vector<std::string> baseApiEndpoints;
  bool empty() const;
};
struct ProseClaims {
  std::vector<ClassClaim> objectClasses;
  std::vector<AttributeClaim> attributes;
  std::vector<EndpointClaim> endpoints;
  std::vector<AuthClaim> auth;
  std::optional<MetadataClaim> metadata;
};
// Reads the prose_extract reply (lenient: wrong types are skipped, never throws).
ProseClaims proseClaimsFromJson(const OrderedJson& reply);

template <typename Claim>
struct Verified {
  Claim claim;
  std::vector<EvidenceSpan> evidence;
};

struct DroppedClaim {
  std::string kind;    // objectClass | attribute | endpoint | parameter | auth | metadata
  std::string what;    // e.g. "GET /users/{id}"
  std::string reason;  // e.g. "path not found in the chunk"
};

struct VerifiedClaims {
  std::vector<Verified<ClassClaim>> objectClasses;
  std::vector<Verified<AttributeClaim>> attributes;
  std::vector<Verified<EndpointClaim>> endpoints;
  std::vector<Verified<AuthClaim>> auth;
  std::optional<Verified<MetadataClaim>> metadata;
  std::vector<DroppedClaim> dropped;
  bool empty() const {
    return objectClasses.empty() && attributes.empty() && endpoints.empty() && auth.empty() && !metadata;
  }
};

VerifiedClaims verifyAgainstChunk(const ProseClaims& claims, std::string_view chunkText,
                                  const std::vector<std::string>& knownClasses = {});

// The matchers, exposed for tests and for other verifiers (e.g. codegen repair, link re-rank).
std::optional<EvidenceSpan> findName(std::string_view chunk, std::string_view name, bool allowPlural = false);
std::optional<EvidenceSpan> findPath(std::string_view chunk, std::string_view path);
std::optional<EvidenceSpan> findQuote(std::string_view chunk, std::string_view quote);

}  // namespace cg::llm
