// Naming rules of the OpenAPI digester, kept in one place because they define the output:
//  - splitting identifiers into words, singular/plural forms;
//  - the *variant* rule: `User--Full`, `UserMini`, `UserRepresentation`, `UserCompact`, `UserResponse`,
//    `UserDetails` all describe the resource `User` (resourceBaseName);
//  - the *request shape* rule: `CreateUserOption`, `EditUserOption`, `UserUpdateRequest`,
//    `UserRequest` are bodies sent to create/update a `User`, never classes (requestShapeOf);
//  - the *noise* rule: error, pagination, envelope and wrapper schemas are not classes (isNoiseName);
//  - the fixed IGA priority table (igaPriority): lower = more important to identity management.
//      0 user/account/person/identity/employee   1 group/team   2 role
//      3 organization/tenant/workspace/company/department   4 membership/assignment/grant
//      5 entitlement/permission/privilege/policy/license/scope   6 application/client/serviceaccount
//      7 project   8 credential/key/token/factor/device/session   99 anything else
// All functions are pure and deterministic.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace cg::digest::openapi {

// "UserRepresentation" → {user, representation}; "user_group-id" → {user, group, id}.
std::vector<std::string> splitWords(std::string_view identifier);
std::string singularize(std::string_view word);  // lower-case input → lower-case singular
std::string pluralize(std::string_view word);    // lower-case input → lower-case plural
// Lower-case alphanumerics only ("User--Full" → "userfull").
std::string compactKey(std::string_view s);

enum class RequestKind { None, Create, Update, Any };
struct RequestShape {
  RequestKind kind = RequestKind::None;
  std::string resource;  // base resource name with original casing, e.g. "User"
};
// Recognizes request-body schema names; kind None when the name is not a request shape.
RequestShape requestShapeOf(std::string_view schemaName);

// The resource a (response) schema name describes, original casing kept: "UserMini" → "User".
// Returns the name unchanged when no variant decoration is found.
std::string resourceBaseName(std::string_view schemaName);

// Errors, pagination, envelopes, wrappers, links, list containers: not classes.
bool isNoiseName(std::string_view schemaName);

// Fixed IGA priority of a class name (see header comment).
int igaPriority(std::string_view className);
inline constexpr int kNotIga = 99;

// True when `segment` (a path segment such as "orgs") abbreviates or names `className`.
bool segmentNamesClass(std::string_view segment, std::string_view className);

// "UserGroup" → "user_group" (relation names).
std::string snakeCase(std::string_view identifier);

}  // namespace cg::digest::openapi
