// Auth methods and info metadata of one OpenAPI 2.0 / 3.x document.
//  - extractAuth: every entry of `securitySchemes` (3.x) / `securityDefinitions` (2.0) becomes one
//    AuthMethod per usable mechanism (one per OAuth2 flow), typed with the contract's AuthType
//    alias table: http basic → basic; http bearer → bearer (jwtBearer when bearerFormat is JWT);
//    http digest → digest; apiKey → apiKey; oauth2 clientCredentials/application → oauth2ClientCredentials,
//    password → oauth2Password, jwt-bearer grant → oauth2Jwt, authorizationCode/implicit → other;
//    openIdConnect → openidConnect; mutualTLS → mtls. `quirks` states the header/query/cookie
//    name and token prefix in plain sentences; `details` carries the same facts structured.
//    Order: schemes the document requires globally first, then declaration order; deprecated and
//    supplementary schemes (sudo, OTP headers) last.
//  - extractInfo: name (info.title), versions, apiType (REST, or SCIM when the paths/media types
//    describe SCIM), baseApiEndpoint from `servers` (variables or relative → dynamic) or
//    host+basePath (no host → dynamic), case kept.
#pragma once
#include <string>
#include <vector>

#include "digest/model.h"
#include "digest/openapi/evidence_index.h"
#include "util/json.h"

namespace cg::digest::openapi {

std::vector<AuthMethod> extractAuth(const OrderedJson& root, const std::string& docId, const EvidenceIndex& evidence);
InfoMetadata extractInfo(const OrderedJson& root);
// True when the document describes a SCIM 2.0 service (SCIM paths, schema URNs or media type).
bool describesScim(const OrderedJson& root);

}  // namespace cg::digest::openapi
