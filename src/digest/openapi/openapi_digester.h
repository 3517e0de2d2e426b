// Deterministic OpenAPI 2.0 / 3.0 / 3.1 digester: turns parsed specification documents into the
// seven digester results (metadata, object classes, attributes, endpoints, relations, auth,
// connectivity endpoints) of spec/api-contract.md B.6 / E.4–E.9, without an LLM.
//
// Contract:
//  - Pure: input = parsed documents (cg::OrderedJson; YAML converted with cg::yamlToJson) with
//    their docId, plus an optional EvidenceIndex; output = DigestResult. No I/O, no globals.
//  - Deterministic: the same input gives the same result (and byte-identical JSON).
//  - Robust: malformed, truncated, cyclic or contradictory documents give a partial result plus
//    diagnostics; never throws, never loops (ref hops, nesting depth and total work are capped).
//  - Classes: object schemas returned by operations (unwrapping list envelopes), with variants of
//    one resource merged (User--Full, UserMini, UserRepresentation → User); request bodies,
//    errors, pagination and envelope schemas are never classes. Order: confidence (high = list +
//    get-by-id paths + schema, medium = some operation, low = schema only), then the IGA priority
//    table of naming.h, then name.
//  - Attributes: union of the class's response variants plus the properties its create/update
//    request bodies accept; flags from required/readOnly/writeOnly/arrays and the request bodies;
//    plus read-only multivalued attributes for nested collections (/orgs/{org}/members → members).
//  - Relations only between existing classes that both appear in the IGA table; subject = the side
//    with the higher IGA priority.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "digest/model.h"
#include "digest/openapi/evidence_index.h"
#include "util/json.h"

namespace cg::digest::openapi {

struct OpenApiDocument {
  std::string docId;
  const OrderedJson* root = nullptr;  // not owned; must outlive the call
};

struct OpenApiOptions {
  size_t maxClasses = 1000;
  size_t maxAttributesPerClass = 2000;
  size_t maxConnectivityEndpoints = 10;
};

// True for a document with an `openapi` (3.x) or `swagger` (2.0) root key and a paths/components map.
bool isOpenApiDocument(const OrderedJson& root);

// Parses spec text: JSON when it starts with '{', otherwise YAML (cg::yamlToJson). On failure
// returns nullopt and adds an error diagnostic; never throws.
std::optional<OrderedJson> parseSpecText(std::string_view text, const std::string& docId,
                                         std::vector<Diagnostic>& diagnostics);

// Digests one or more documents. Results of several documents are merged (classes by name,
// auth by name+type, first non-empty metadata).
DigestResult digestOpenApi(const std::vector<OpenApiDocument>& documents, const EvidenceIndex& evidence = {},
                           const OpenApiOptions& options = {});
DigestResult digestOpenApi(const OrderedJson& root, const std::string& docId = "",
                           const EvidenceIndex& evidence = {}, const OpenApiOptions& options = {});

}  // namespace cg::digest::openapi
