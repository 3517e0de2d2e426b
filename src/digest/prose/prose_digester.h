// Deterministic extraction from prose documentation (Markdown, reStructuredText, AsciiDoc, text from
// HTML or PDF) — no LLM. Only what the text states exactly is taken, with lower confidence than a
// structured spec:
//  - endpoints from endpoint lines (`GET /users/{id}`, `**GET** `/users``, `.. http:get:: /users/(int:id)`,
//    a method line followed by a path line, "Syntax: ocs/v1.php/cloud/users" with a nearby
//    "HTTP method: POST", table rows with a method and a path cell) and from curl command lines;
//    path parameters (`(int:id)`, `<id>`, `:id`) are normalised to `{id}`; paths are made relative to
//    the base URL found in curl examples;
//  - object classes from the resources those endpoints address (last non-parameter path segment,
//    singularised; action words such as enable/disable/search are skipped), ranked with the IGA
//    priority table of openapi/naming.h; confidence Low, Medium when the class has list + get-by-id +
//    create endpoints; relevant "true" for IGA resources, else "maybe";
//  - suggestedUse from method + path shape (getAll, list, getById, create, update, delete, search,
//    activate, deactivate);
//  - attributes from tables with a name/field/attribute/parameter/property column (type, description,
//    required columns when present), `name (type): description` definition lists, httpdomain
//    `:<json type name:` fields, "POST argument: name - type, description" lines and JSON examples in
//    code blocks, assigned to the class whose endpoint or name is in the same section; flags only
//    when stated;
//  - auth methods from exact statements (Authorization: Basic/Bearer/token headers, "basic auth",
//    "OAuth 2", X-...-Key headers); other required custom request headers become quirks;
//  - metadata: name from the first title, base URL from curl examples (dynamic when it holds
//    placeholders or example hosts), apiType REST when endpoints were found;
//  - evidence: every item points at the chunks whose content contains the line it came from.
// Pure, deterministic (same input → same output), bounded (caps on text, lines, items), never throws.
// The result plugs into the same merge as the structured engines (structured facts win) and has the
// shape an LLM-assisted extractor also produces (llm/prose_extractor.h), so both can be combined.
#pragma once
#include <string>
#include <vector>

#include "digest/model.h"
#include "digest/session_digest.h"

namespace cg::digest::prose {

struct ProseDocument {
  std::string docId;
  std::string text;  // whole normalized text
};

inline constexpr std::size_t kMaxProseTextBytes = 8u << 20;  // per document; the rest is ignored
inline constexpr std::size_t kMaxProseEndpoints = 5000;
inline constexpr std::size_t kMaxProseClasses = 300;
inline constexpr std::size_t kMaxProseAttributesPerClass = 400;

DigestResult digestProse(const std::vector<ProseDocument>& docs, const std::vector<ChunkEvidence>& chunks);

}  // namespace cg::digest::prose
