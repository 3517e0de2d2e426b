// The digester's data model: what every extraction engine (OpenAPI, SCIM, SQL, prose) produces and
// what codegen consumes. Each struct mirrors one output object of spec/api-contract.md E.4–E.9
// (spec/digester.md §3) and serializes to JSON with exactly the contract's field names, in the
// contract's field order, so the same model always gives byte-identical JSON.
//
// Contract of this header (kept stable; other engines build against it):
//  - Optional contract fields are std::optional and serialize as JSON null when empty.
//  - Fields that are ours, not the contract's (Endpoint::pagination, Endpoint::parameters,
//    AuthMethod::details, every `extra`), are emitted only when non-empty, after the contract
//    fields, so consumers that validate the contract shape see nothing unexpected.
//  - ObjectClass::attributes / ::endpoints ride along with the class (like the reference's model)
//    but are NOT part of the class JSON (E.4); they serialize through the attribute (E.5) and
//    endpoint (E.6) responses.
//  - *FromJson functions are lenient: they accept the spellings the contract accepts (docId/doc_id,
//    display_name, a single baseApiEndpoint object, lower-case methods, ...), ignore wrong types and
//    never throw.
//  - Normalizers implement the contract's enum/alias tables (auth types, API types, methods).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/json.h"

namespace cg::digest {

// ---------------------------------------------------------------- enums and normalizers

enum class Confidence { Low, Medium, High };
std::string_view confidenceName(Confidence c);  // "low" | "medium" | "high"
Confidence parseConfidence(std::string_view s);  // unknown → Low
int confidenceRank(Confidence c);                // High=0, Medium=1, Low=2 (sort key)

// AuthType of §3.1: lower-case, strip non-alphanumerics, look up the alias table; unknown → "other".
std::string normalizeAuthType(std::string_view input);
// ApiType: rest/openapi/swagger → "REST", scim → "SCIM", sql/db → "SQL"; unknown → "" (drop it).
std::string normalizeApiType(std::string_view input);
// EndpointMethod: trimmed, upper-cased; returns "" when not GET/POST/PUT/PATCH/DELETE.
std::string normalizeEndpointMethod(std::string_view input);
// Base-URL classification: "constant" | "dynamic" | "" (anything else).
std::string normalizeEndpointType(std::string_view input);
// True for the nine EndpointSuggestedUse literals.
bool isSuggestedUse(std::string_view use);

// ---------------------------------------------------------------- shared pieces

struct ChunkReference {  // {"docId","chunkId"}
  std::string docId;
  std::string chunkId;
  auto operator<=>(const ChunkReference&) const = default;
};

struct SequenceReference {  // {"chunkId","startSequence","endSequence"}
  std::string chunkId;
  std::string startSequence;
  std::string endSequence;
  auto operator<=>(const SequenceReference&) const = default;
};

// A non-fatal finding about the input: where (JSON pointer into the document, or ""), what.
struct Diagnostic {
  enum class Severity { Info, Warning, Error };
  Severity severity = Severity::Warning;
  std::string docId;     // document the finding is about ("" = not document-specific)
  std::string location;  // JSON pointer, e.g. "/paths/~1users/get"
  std::string message;
};
std::string_view severityName(Diagnostic::Severity s);  // "info" | "warning" | "error"

// ---------------------------------------------------------------- E.5 attributes

struct Attribute {
  std::string name;  // the map key in AttributeResponse; never serialized inside the info object
  std::optional<std::string> type;    // string|integer|number|boolean, or a class name
  std::optional<std::string> format;  // OpenAPI format, or "embedded"/"reference" for class types
  std::optional<std::string> description;
  std::optional<bool> mandatory;
  std::optional<bool> updatable;
  std::optional<bool> creatable;
  std::optional<bool> readable;
  std::optional<bool> multivalue;
  std::optional<bool> returnedByDefault;
  std::vector<ChunkReference> relevantDocumentations;
  std::optional<std::string> scimAttribute;  // SCIM path; serialized only when set
  OrderedJson extra = OrderedJson::object();  // e.g. SQL "table", "column", "primaryKey"
};

// ---------------------------------------------------------------- E.6 endpoints

// How a list operation pages (our extension). `style`: "page" (page number + size),
// "offset" (offset + limit), "cursor" (opaque token), "link" (RFC 8288 Link header), "" none.
struct PaginationInfo {
  std::string style;
  std::string pageParam;    // page number parameter (style page)
  std::string sizeParam;    // page size / limit parameter (page, offset, cursor)
  std::string offsetParam;  // style offset
  std::string cursorParam;  // style cursor
  std::string firstPage;    // "0"/"1" when the documentation says so, else ""
  bool linkHeader = false;  // the response documents a Link header
  bool empty() const { return style.empty(); }
};

// One documented operation parameter (our extension; codegen uses it for filters).
struct EndpointParameter {
  std::string name;
  std::string in;  // "query" | "path" | "header"
  std::string type;
  std::string description;
  bool required = false;
};

struct Endpoint {
  std::string path;    // relative to the base URL, starts with "/"
  std::string method;  // GET|POST|PUT|PATCH|DELETE
  std::string description;
  std::optional<std::string> responseContentType;
  std::optional<std::string> requestContentType;
  std::vector<std::string> suggestedUse;  // EndpointSuggestedUse literals, no duplicates
  std::vector<ChunkReference> relevantDocumentations;
  // Extensions (emitted only when non-empty):
  PaginationInfo pagination;
  std::vector<EndpointParameter> parameters;
  std::string responseItemsField;  // e.g. "data" when the list sits inside an envelope
  OrderedJson extra = OrderedJson::object();
};

// ---------------------------------------------------------------- E.6c connectivity

struct ConnectivityEndpoint {
  std::string path;
  std::string method;
  std::string description;
  std::optional<std::string> responseContentType;
  std::optional<std::string> requestContentType;
  std::optional<bool> requiresAuth;
  std::vector<ChunkReference> relevantDocumentations;
};

// ---------------------------------------------------------------- E.4 object classes

struct ObjectClass {
  std::string name;  // original casing
  std::string description;
  std::optional<std::string> superclass;
  std::optional<bool> abstract;
  std::optional<bool> embedded;
  std::string relevant = "true";  // "true" | "false" | "maybe"
  Confidence confidence = Confidence::Low;
  std::vector<ChunkReference> relevantDocumentations;
  // Not part of the class JSON (see header comment):
  std::vector<Attribute> attributes;
  std::vector<Endpoint> endpoints;
  OrderedJson extra = OrderedJson::object();  // raw keys kept with the stored class
};

// ---------------------------------------------------------------- E.7 relations

struct Relation {
  std::string name;  // snake_case, default "{subject}_to_{object}"
  std::string displayName;
  std::string shortDescription;
  std::string subject;  // lower-case class name
  std::string subjectAttribute;
  std::string object;  // lower-case class name
  std::string objectAttribute;
};

// ---------------------------------------------------------------- E.8 auth

// Structured facts behind the quirks text (our extension, emitted as "details" when non-empty).
struct AuthDetails {
  std::string schemeName;  // key in securitySchemes/securityDefinitions
  std::string in;          // "header" | "query" | "cookie"
  std::string parameterName;  // header / query / cookie name
  std::string scheme;         // HTTP auth scheme or token prefix ("Basic", "Bearer", "token")
  std::string bearerFormat;
  std::string tokenUrl;
  std::string authorizationUrl;
  std::string openIdConnectUrl;
  std::vector<std::string> scopes;
  bool empty() const;
};

struct AuthMethod {
  std::string name;
  std::string type;  // normalized AuthType
  std::string quirks;
  std::vector<SequenceReference> relevantSequences;
  std::vector<ChunkReference> relevantDocumentations;  // emitted only when non-empty
  AuthDetails details;
};

// ---------------------------------------------------------------- E.9 metadata

struct BaseApiEndpoint {
  std::string uri;
  std::string type;  // "constant" | "dynamic" | ""
};

struct InfoMetadata {
  std::string name;
  std::string applicationVersion;
  std::string apiVersion;
  std::vector<std::string> apiType;  // REST/SCIM/SQL, deduplicated
  std::vector<BaseApiEndpoint> baseApiEndpoint;
  std::string databaseName;
  bool empty() const;
};
// Applies E.9: normalizes apiType (dedupe, first-seen order), drops empty uris, dedupes
// baseApiEndpoint on (lower(uri), type), sorts by lower(uri) then "constant" first. Keeps uri case.
void normalizeInfoMetadata(InfoMetadata& info);

// ---------------------------------------------------------------- everything one digest yields

struct DigestResult {
  std::optional<InfoMetadata> info;
  std::vector<ObjectClass> objectClasses;  // ranked; each carries its attributes and endpoints
  std::vector<Relation> relations;
  std::vector<AuthMethod> auth;
  std::vector<ConnectivityEndpoint> connectivityEndpoints;  // best first
  std::vector<Diagnostic> diagnostics;
  // Case-insensitive lookup; nullptr when absent.
  const ObjectClass* findClass(std::string_view name) const;
  ObjectClass* findClass(std::string_view name);
};

// ---------------------------------------------------------------- JSON

OrderedJson toJson(const ChunkReference& ref);
OrderedJson toJson(const SequenceReference& ref);
OrderedJson toJson(const Diagnostic& d);
OrderedJson toJson(const Attribute& attribute);  // the info object (no name)
OrderedJson toJson(const PaginationInfo& pagination);
OrderedJson toJson(const Endpoint& endpoint);
OrderedJson toJson(const ConnectivityEndpoint& endpoint);
OrderedJson toJson(const ObjectClass& objectClass);  // E.4 fields (+ extra), no attributes/endpoints
OrderedJson toJson(const Relation& relation);
OrderedJson toJson(const AuthMethod& auth);
OrderedJson toJson(const InfoMetadata& info);

// Response wrappers exactly as the contract's job results / session values.
OrderedJson objectClassesResponse(const std::vector<ObjectClass>& classes);  // {"objectClasses":[…]}
OrderedJson attributesResponse(const std::vector<Attribute>& attributes);    // {"attributes":{name:info}}
OrderedJson endpointsResponse(const std::vector<Endpoint>& endpoints);       // {"endpoints":[…]}
OrderedJson connectivityResponse(const std::vector<ConnectivityEndpoint>& endpoints);  // {"endpoints":[…]}
OrderedJson relationsResponse(const std::vector<Relation>& relations);  // {"relations":[…]}
OrderedJson authResponse(const std::vector<AuthMethod>& auth);          // {"auth":[…]}
OrderedJson infoResponse(const std::optional<InfoMetadata>& info);      // {"infoMetadata":…|null}

std::vector<ChunkReference> chunkReferencesFromJson(const OrderedJson& j);
Attribute attributeFromJson(std::string name, const OrderedJson& j);
Endpoint endpointFromJson(const OrderedJson& j);
ConnectivityEndpoint connectivityEndpointFromJson(const OrderedJson& j);
ObjectClass objectClassFromJson(const OrderedJson& j);
Relation relationFromJson(const OrderedJson& j);
AuthMethod authMethodFromJson(const OrderedJson& j);
InfoMetadata infoMetadataFromJson(const OrderedJson& j);

// Accept the response wrappers (or, where the contract allows, the bare payload).
std::vector<ObjectClass> objectClassesFromResponse(const OrderedJson& j);
std::vector<Attribute> attributesFromResponse(const OrderedJson& j);  // {"attributes":{…}} or bare map
std::vector<Endpoint> endpointsFromResponse(const OrderedJson& j);
std::vector<ConnectivityEndpoint> connectivityFromResponse(const OrderedJson& j);
std::vector<Relation> relationsFromResponse(const OrderedJson& j);
std::vector<AuthMethod> authFromResponse(const OrderedJson& j);
std::optional<InfoMetadata> infoFromResponse(const OrderedJson& j);  // null/empty → nullopt

}  // namespace cg::digest
