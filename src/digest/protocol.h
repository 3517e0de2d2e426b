// Deterministic protocol detection per documentation item: which digester engine understands it and
// which `metadataOutput.infoMetadata.apiType` value it stands for (spec/digester.md §11.2).
//
// Rules, first match wins:
//  1. Structured root (JSON, or YAML for the OpenAPI keys): an `openapi`/`swagger` root key → REST
//     (with describesScim when the text also names SCIM URNs or application/scim+json); a SCIM
//     resource or ListResponse (`schemas` listing `urn:ietf:params:scim:`, ResourceType
//     `endpoint`+`schema`, `Resources`) → SCIM; a JSON table description (`tables` key, or tables
//     with `columns`) → SQL.
//  2. Text with a CREATE TABLE statement (found by the DDL tokenizer, so comments and string
//     literals do not count) → SQL.
//  3. Text naming `urn:ietf:params:scim:` or `application/scim+json`, or both `/ResourceTypes` and
//     `/Schemas` / `/ServiceProviderConfig` → SCIM.
//  4. The declared content type: application/scim+json → SCIM, application/sql / text/x-sql → SQL.
//  5. Otherwise Unknown (apiType "").
// Pure, never throws; reads at most the whole text once (JSON parse depth-bounded).
#pragma once
#include <string>
#include <string_view>

namespace cg::digest {

enum class Protocol { Unknown, Rest, Scim, Sql };

struct ProtocolDetection {
  Protocol protocol = Protocol::Unknown;
  std::string apiType;         // "REST" | "SCIM" | "SQL" | ""
  bool describesScim = false;  // an OpenAPI document whose API is SCIM (e.g. PagerDuty's SCIM spec)
  std::string reason;          // short human-readable evidence, e.g. "openapi root key"
};

ProtocolDetection detectProtocol(std::string_view text, std::string_view contentType = {});

std::string_view apiTypeName(Protocol protocol);  // "REST" | "SCIM" | "SQL" | ""

}  // namespace cg::digest
