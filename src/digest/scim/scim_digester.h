// Deterministic SCIM 2.0 digester: a service provider's /Schemas, /ResourceTypes and
// /ServiceProviderConfig documents (plus the built-in RFC 7643 core schemas) → the digester results
// of spec/api-contract.md B.6 / E.4–E.9, without an LLM.
//
// Contract:
//  - Pure, deterministic (same input → same result, byte-identical JSON), never throws; parse caps
//    of scim_schema.h bound the work; problems become diagnostics.
//  - Resource types: those the documents declare; when no document declares any, the RFC core
//    resources User (/Users, with the EnterpriseUser extension) and Group (/Groups) plus one
//    inferred resource per documented non-extension custom schema (endpoint "/<Plural>", medium
//    confidence). A documented schema replaces the built-in one with the same URN.
//  - Classes: one per resource type (name = PascalCase resource type name; extra {"schemaUrn",
//    "endpoint"}), one per schema extension (e.g. EnterpriseUser, superclass = the resource class,
//    extra {"schemaUrn", "extensionOf"}), and one embedded class (embedded=true, no endpoints) per
//    complex attribute, named owner + PascalCase(attribute) (UserEmails, GroupMembers,
//    EnterpriseUserManager). Order: confidence, non-embedded first, IGA priority, name.
//  - Attributes: resource classes get the §3.1 common attributes id/externalId/meta when their
//    schema lacks them. type: string/boolean/integer, decimal→number, dateTime→string+date-time,
//    binary→string+binary, reference→string+reference (uri for external/uri-only references),
//    complex→embedded class name+embedded. Flags: mutability readOnly → not creatable/updatable,
//    immutable → not updatable, writeOnly → not readable; returned never/request → not
//    returnedByDefault; mandatory = required and not readOnly; multivalue = multiValued; a readOnly
//    parent makes its sub-attributes readOnly. scimAttribute = SCIM path (`userName`,
//    `name.givenName`, `urn:…:enterprise:2.0:User:employeeNumber`, `urn:…:User:manager.value`).
//    extra: {"uniqueness"?, "caseExact"?, "canonicalValues"?, "referenceTypes"?}.
//  - Endpoints per resource class: GET/POST <endpoint>, GET/PUT/PATCH/DELETE <endpoint>/{id} with
//    suggestedUse, application/scim+json, list pagination startIndex/count (items in "Resources")
//    and filter parameters; PATCH / search dropped when ServiceProviderConfig says unsupported.
//  - Relations: from complex attributes whose `$ref` sub-attribute references other resource types
//    (RFC: Group.members → User/Group, User.groups, EnterpriseUser.manager); `members`-style
//    attributes make the referenced type the subject (user_to_group, objectAttribute "members",
//    subjectAttribute "groups" when User has it). Self references are skipped.
//  - Auth: only ServiceProviderConfig.authenticationSchemes (oauthbearertoken → bearer, httpbasic →
//    basic, httpdigest → digest, others through normalizeAuthType).
//  - Metadata: apiType ["SCIM"]; baseApiEndpoint from absolute resource type endpoints and
//    meta.location URLs (…/Schemas/…, …/ResourceTypes/…, …/ServiceProviderConfig stripped).
//  - Connectivity: GET of the first resource collection, then /ServiceProviderConfig,
//    /ResourceTypes, /Schemas.
//  - Evidence: chunks registered in the EvidenceIndex at scimEvidencePointer(id) for a schema id or
//    resource type id/name (the chunker's `scim_schemas` values) of the defining document.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "digest/model.h"
#include "digest/openapi/evidence_index.h"
#include "digest/scim/scim_schema.h"
#include "util/json.h"

namespace cg::digest::scim {

struct ScimDocument {
  std::string docId;
  const OrderedJson* root = nullptr;  // not owned; must outlive the call
};

struct ScimDigestOptions {
  ScimParseOptions parse;
};

// "/scimSchemas/<id with ~ and / escaped>".
std::string scimEvidencePointer(std::string_view schemaOrResourceTypeId);

DigestResult digestScim(const std::vector<ScimDocument>& documents, const openapi::EvidenceIndex& evidence = {},
                        const ScimDigestOptions& options = {});
DigestResult digestScim(const OrderedJson& root, const std::string& docId = "",
                        const openapi::EvidenceIndex& evidence = {}, const ScimDigestOptions& options = {});
// Parses SCIM JSON text (bounded depth) and digests it; unparsable text gives an empty result with
// an error diagnostic.
DigestResult digestScimText(std::string_view text, const std::string& docId = "",
                            const openapi::EvidenceIndex& evidence = {}, const ScimDigestOptions& options = {});

// "User" + "phoneNumbers" → "UserPhoneNumbers".
std::string embeddedClassName(std::string_view ownerClass, std::string_view attribute);

// SCIM described inside an OpenAPI document (already digested by openapi::digestOpenApi): adds
// "SCIM" to info.apiType (first) and fills scimAttribute of attributes whose names match the core
// schemas — User/Group/EnterpriseUser classes, their common attributes, complex attributes typed
// as another class (name → name.givenName), and extension-URN-named properties. Existing
// scimAttribute values are kept. Returns the number of paths filled.
size_t applyScimSemantics(DigestResult& openApiResult);

}  // namespace cg::digest::scim
