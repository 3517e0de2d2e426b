// SCIM 2.0 schema model (RFC 7643 §7 "Schema Definition", §6 "ResourceType"), the built-in RFC 7643
// core schemas, and exact parsing of a service provider's own /Schemas, /ResourceTypes and
// /ServiceProviderConfig documents.
//
// Contract:
//  - Pure and total: parsing never throws; wrong-typed members read as absent; sub-attribute nesting
//    is capped at one level (RFC 7643 forbids complex sub-attributes) and counts are capped
//    (ScimParseOptions); every skipped item is reported as a Diagnostic.
//  - Accepted document shapes: a single Schema / ResourceType / ServiceProviderConfig resource, a
//    ListResponse (`Resources`), or a bare JSON array of resources. A resource is a Schema when its
//    `schemas` list the Schema URN or it has `attributes`; a ResourceType when it lists the
//    ResourceType URN or has `endpoint` + `schema`.
//  - Built-in schemas (coreScimSchemas): User, Group and the EnterpriseUser extension with the RFC's
//    attribute names, types, multiValued, required, caseExact, mutability, returned, uniqueness,
//    canonicalValues, referenceTypes and sub-attributes; `id`, `externalId` and `meta` (§3.1) are
//    added to resource schemas by withCommonAttributes.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "digest/model.h"
#include "util/json.h"

namespace cg::digest::scim {

inline constexpr std::string_view kUserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
inline constexpr std::string_view kGroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
inline constexpr std::string_view kEnterpriseUserSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
inline constexpr std::string_view kSchemaUrn = "urn:ietf:params:scim:schemas:core:2.0:Schema";
inline constexpr std::string_view kResourceTypeUrn = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
inline constexpr std::string_view kServiceProviderConfigUrn = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
inline constexpr std::string_view kListResponseUrn = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

struct ScimAttributeDef {
  std::string name;
  std::string type = "string";  // string|boolean|decimal|integer|dateTime|binary|reference|complex
  bool multiValued = false;
  std::string description;
  bool required = false;
  bool caseExact = false;
  std::string mutability = "readWrite";  // readOnly|readWrite|immutable|writeOnly
  std::string returned = "default";      // always|never|default|request
  std::string uniqueness = "none";       // none|server|global
  std::vector<std::string> canonicalValues;
  std::vector<std::string> referenceTypes;
  std::vector<ScimAttributeDef> subAttributes;
  bool isComplex() const { return type == "complex" || !subAttributes.empty(); }
};

struct ScimSchemaDef {
  std::string id;  // schema URN
  std::string name;
  std::string description;
  std::vector<ScimAttributeDef> attributes;
  std::string docId;     // "" for built-in schemas
  std::string location;  // meta.location when stated
  bool builtIn = false;
};

struct ScimSchemaExtensionRef {
  std::string schema;
  bool required = false;
};

struct ScimResourceTypeDef {
  std::string id;
  std::string name;
  std::string description;
  std::string endpoint;  // as written: "/Users" or absolute
  std::string schema;    // core schema URN
  std::vector<ScimSchemaExtensionRef> extensions;
  std::string docId;
  std::string location;
};

struct ScimAuthenticationScheme {
  std::string type;  // RFC 7643 §5: oauth, oauth2, oauthbearertoken, httpbasic, httpdigest
  std::string name;
  std::string description;
  std::string specUri;
  std::string documentationUri;
  bool primary = false;
};

struct ScimServiceProviderConfig {
  std::optional<bool> patchSupported;
  std::optional<bool> bulkSupported;
  std::optional<bool> filterSupported;
  std::optional<long long> filterMaxResults;
  std::optional<bool> changePasswordSupported;
  std::optional<bool> sortSupported;
  std::optional<bool> etagSupported;
  std::string documentationUri;
  std::vector<ScimAuthenticationScheme> authenticationSchemes;
  std::string docId;
  std::string location;
};

struct ScimDocumentContent {
  std::vector<ScimSchemaDef> schemas;
  std::vector<ScimResourceTypeDef> resourceTypes;
  std::optional<ScimServiceProviderConfig> serviceProviderConfig;
  std::vector<Diagnostic> diagnostics;
  bool isScim() const { return !schemas.empty() || !resourceTypes.empty() || serviceProviderConfig.has_value(); }
};

struct ScimParseOptions {
  size_t maxResources = 2000;
  size_t maxAttributesPerSchema = 2000;
  size_t maxSubAttributes = 500;
};

// Parses one SCIM discovery document (see the header comment for the accepted shapes).
ScimDocumentContent parseScimDocument(const OrderedJson& root, const std::string& docId = "",
                                      const ScimParseOptions& options = {});

// One attribute definition from its JSON object; depth 0 = top level (sub-attributes parsed),
// depth 1 = sub-attribute (nested sub-attributes dropped with a diagnostic).
ScimAttributeDef parseScimAttribute(const OrderedJson& j, int depth, std::vector<Diagnostic>& diagnostics,
                                    const std::string& docId, const std::string& location,
                                    const ScimParseOptions& options = {});

// The RFC 7643 core schemas (User, Group, EnterpriseUser), without the common attributes.
const std::vector<ScimSchemaDef>& coreScimSchemas();
const ScimSchemaDef* findCoreScimSchema(std::string_view urn);  // case-insensitive URN

// RFC 7643 §3.1 common attributes: id, externalId, meta (with resourceType, created, lastModified,
// location, version).
std::vector<ScimAttributeDef> commonScimAttributes();
// The schema with any missing common attribute prepended (id, externalId) / appended (meta).
ScimSchemaDef withCommonAttributes(ScimSchemaDef schema);

// True for `urn:…:extension:…` schema URNs.
bool isExtensionSchemaUrn(std::string_view urn);

}  // namespace cg::digest::scim
