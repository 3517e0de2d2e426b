// Inputs of the DSL generators: what the codegen jobs read from the session (digester outputs
// plus the caller's preferences), as plain values. Built by the job/API layer; generators only read.
//
// Contract:
//  - `className` is the object class name exactly as the native schema script declares it (the
//    digester's casing, e.g. "User"), never the lower-cased session key; use resolveClassName().
//  - Everything is optional: an empty endpoint list gives a loadable script with an explanatory
//    comment, never an exception.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "digest/model.h"

namespace cg::codegen {

enum class Protocol { Rest, Scim, Sql };
std::string_view protocolName(Protocol p);  // "rest" | "scim" | "sql"
// infoMetadata.apiType list → protocol; SQL wins over SCIM, SCIM over REST; default REST.
Protocol protocolFromApiTypes(const std::vector<std::string>& apiTypes);

enum class SearchIntent { All, Filter, Id };
std::string_view searchIntentName(SearchIntent i);  // "all" | "filter" | "id"

struct PreferredEndpoint {
  std::string method;  // upper-case
  std::string path;
};

struct PreferredAuthorization {
  std::string name;
  std::string type;  // normalized auth type (digest::normalizeAuthType)
  std::string quirks;
};

struct ClassCodegenInput;

// A reference attribute of the class, declared by a relationship script (digester relations),
// with the class on the other side: the filter search uses it to serve "members of X" lookups
// from paths such as orgs/{org}/members (codegen-dsl.md A.8.4, "support search").
struct ReferenceAttributeInput {
  std::string attribute;       // this class's participant attribute
  std::string relation;        // relationship name
  std::string otherAttribute;  // the other participant's attribute
  std::shared_ptr<const ClassCodegenInput> other;  // the other class (its own `references` empty)
};

struct ClassCodegenInput {
  Protocol protocol = Protocol::Rest;
  std::string className;
  std::string description;
  bool embedded = false;
  std::vector<digest::Attribute> attributes;
  std::vector<digest::Endpoint> endpoints;
  std::vector<PreferredEndpoint> preferredEndpoints;  // honoured first when they match an endpoint
  std::string baseApiUrl;    // its path part is stripped from endpoint paths
  // scopePlaceholder() of the digest ("realm"): already stripped from `endpoints`; the connector's
  // base URL must end with its value.
  std::string scope;
  std::string databaseName;  // SQL: emitted as the class `schema` when set
  // Names (native casing) of every class of the connector; complexType targets must be in it.
  std::vector<std::string> knownClasses;
  std::vector<ReferenceAttributeInput> references;
};

struct RelationCodegenInput {
  digest::Relation relation;
  std::vector<std::string> knownClasses;  // for casing of subject/object
};

struct AuthCodegenInput {
  Protocol protocol = Protocol::Rest;
  std::vector<PreferredAuthorization> preferred;  // required by the API (min 1); order = preference
  std::vector<digest::AuthMethod> documented;      // authOutput (details fill implementations)
};

// Class name as declared in the digester's object classes (case-insensitive match), else the
// input unchanged.
std::string resolveClassName(std::string_view name, const std::vector<digest::ObjectClass>& classes);

}  // namespace cg::codegen
