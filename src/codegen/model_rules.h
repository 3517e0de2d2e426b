// Documented, deterministic decisions the generators share: which attribute becomes UID/NAME,
// how documentation paths become connector-relative paths, how JSON types/formats map onto the
// runtime's accepted values, and which endpoint serves which operation.
//
// Rules (also the user-facing documentation of the choices):
//  UID  : skip multi-valued, complex and write-only (readable false) attributes; SQL: the single
//         primary-key column (extra "primaryKey": true); then the first name in: id, uid,
//         <class>Id, <class>_id, key, guid, uuid (case-insensitive); then a non-creatable attribute
//         ending in "id"; then the first attribute. REST only: that id-like attribute must be
//         addressable (the key of a get-by-key endpoint, or an equality query parameter of a list
//         endpoint); when it is not but another attribute is the path key of a get-by-key endpoint
//         (Forgejo organizations: only orgs/{org}, keyed by name), that attribute is the UID.
//  NAME : same exclusions, never the UID attribute; first name in: login, userName, username,
//         user_name, login_name, name, email, mail, displayName, display_name, full_name,
//         fullName, title, slug, key (case-insensitive; the list order wins; attributes described
//         as deprecated only when nothing else qualifies); falls back to the UID attribute.
//  Keys : a path placeholder names the UID for {id}/{uid}/{<class>Id}/{<class>_<uid attribute>}
//         (Asana {user_gid}), an attribute of the same
//         (loose) name, else the NAME-like attribute for {username}/{login}/{name}/{<class>} and
//         abbreviations of the class name ({org} for Organization).
//  Paths: strip scheme/host and the base URL's path prefix, strip the leading "/", keep {…}.
//  JSON : type ∈ {string, integer, number, boolean, binary}; arrays are element type + multiValued;
//         a format is emitted only when the runtime's OpenAPI format registry knows it.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codegen/codegen_input.h"
#include "digest/model.h"

namespace cg::codegen {

// Formats of the runtime's OpenAPI value mapping (conndev json/OpenApiValueMapping).
bool isKnownOpenApiFormat(std::string_view format);
// JSON schema types the runtime accepts (conndev json/JsonSchemaValueMapping).
bool isJsonSchemaType(std::string_view type);

// True for attributes whose value is another class (format embedded/reference, or a type that
// is not a JSON scalar).
bool isComplexAttribute(const digest::Attribute& a);

const digest::Attribute* chooseUidAttribute(const ClassCodegenInput& in);
const digest::Attribute* chooseNameAttribute(const ClassCodegenInput& in);
const digest::Attribute* findAttribute(const ClassCodegenInput& in, std::string_view name);
// Lower-case, without '_' and '-': "user_name" ~ "userName".
std::string looseKey(std::string_view name);

// "/api/v1/users/{id}" with base "https://h/api/v1" → "users/{id}".
std::string connectorPath(std::string_view path, std::string_view baseApiUrl);
std::vector<std::string> pathPlaceholders(std::string_view path);  // names inside {…}
std::string replacePlaceholder(std::string_view path, std::string_view from, std::string_view to);

bool hasUse(const digest::Endpoint& e, std::string_view use);
// Endpoints matching `method` (any when empty), preferred ones first (in the caller's order),
// then the input order.
std::vector<const digest::Endpoint*> endpointsByPreference(const ClassCodegenInput& in, std::string_view method);

// True when a path segment names the class: "users" ~ User, "orgs" ~ Organization (a plural or
// an abbreviation of at least three letters).
bool segmentNamesClass(std::string_view segment, std::string_view className);

// GET endpoints that read one object by a single path key, best first (preferred, then paths whose
// parent segment names the class, then documented getById; shorter paths first within each), with
// the attribute the key names (nullptr when it names none).
struct GetByKeyEndpoint {
  const digest::Endpoint* endpoint;
  std::string placeholder;
  const digest::Attribute* attribute;
};
std::vector<GetByKeyEndpoint> getByKeyEndpoints(const ClassCodegenInput& in);

// The attribute a path placeholder identifies ({id} → UID, {username} → login, …); nullptr when
// it names no attribute.
const digest::Attribute* attributeForPlaceholder(const ClassCodegenInput& in, std::string_view placeholder);

// The placeholder that opens (nearly) every documented path, e.g. "realm" when Keycloak documents
// /{realm}/users, /{realm}/groups, …: a tenant chosen once per connector, not per request. The
// runtime fills only {id}, so generated paths leave it out and the connector's base URL must end
// with its value. "" when there is none (at least 5 paths, at least 90 % of them opening with the
// same placeholder).
std::string scopePlaceholder(const digest::DigestResult& digest);
// "/{realm}/users/{id}" → "/users/{id}" for scope "realm"; other paths unchanged.
std::string stripScope(std::string_view path, std::string_view scope);

// A relationship participant's attribute: the digester's, else the other class's name in lower
// case (the subject of "user_to_team" without an attribute gets "team").
std::string participantAttribute(const digest::Relation& r, bool subjectSide);

// Names of classes resolved against knownClasses (case-insensitive); nullopt when unknown.
std::optional<std::string> knownClassName(const std::vector<std::string>& known, std::string_view name);

}  // namespace cg::codegen
