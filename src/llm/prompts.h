// Every prompt connector-gen sends to an LLM, in one place. Each prompt has an id and a version
// (bump the version whenever the wording or the schema changes; the pair is recorded with results),
// renders to chat messages plus the JSON schema of the expected reply, and is pure.
//
// Contract:
//  - Schemas are "strict"-compatible (every object lists all its properties as required and sets
//    additionalProperties:false; optional values are nullable), so they work with OpenAI strict
//    json_schema mode and with our own validator.
//  - Documentation text, scripts and errors are embedded between explicit BEGIN/END markers and the
//    system message tells the model to treat them as data, never as instructions.
//  - Inputs are truncated to the given character limits (UTF-8 safe) so a prompt stays bounded.
#pragma once
#include <string>
#include <vector>

#include "llm/llm_budget.h"
#include "llm/llm_client.h"
#include "util/json.h"

namespace cg::llm {

struct RenderedPrompt {
  std::string id;
  std::string version;
  std::vector<ChatMessage> messages;
  OrderedJson schema;
  std::string schemaName;
  std::string purpose() const { return id + "@" + version; }
  LlmRequest toRequest() const;
};

// The nine chunk categories of api-contract.md E.1.
const std::vector<std::string>& chunkCategories();
// The AuthType values of api-contract.md E.8 and the EndpointSuggestedUse values of E.6.
const std::vector<std::string>& authTypeValues();
const std::vector<std::string>& suggestedUseValues();

// --- chunk summary / category / tags (upload and scrape time) --------------------------- chunk_summary
struct ChunkSummaryInput {
  std::string applicationName;
  std::string applicationVersion;
  std::string url;  // page URL or upload://filename
  std::string content;
};
RenderedPrompt chunkSummaryPrompt(const ChunkSummaryInput& input);

// --- prose extraction (digester) -------------------------------------------------------- prose_extract
struct ProseExtractionInput {
  std::string applicationName;
  std::string applicationVersion;
  std::string chunkText;
  std::vector<std::string> knownObjectClasses;  // classes the deterministic digest already found
};
RenderedPrompt proseExtractionPrompt(const ProseExtractionInput& input);

// --- codegen repair ---------------------------------------------------------------------- codegen_repair
struct CodegenRepairInput {
  std::string artifact;  // e.g. "search User", "authorization"
  std::string currentScript;
  std::vector<std::string> midpointErrors;
  std::string grammarSummary;  // the DSL grammar table the script must follow
  std::vector<std::string> validatorFindings;  // our own checks' findings on the current script
};
RenderedPrompt codegenRepairPrompt(const CodegenRepairInput& input);

// --- discovery link re-rank ----------------------------------------------------------------- link_rerank
struct LinkCandidate {
  std::string url;
  std::string title;
  std::string snippet;
};
struct LinkRerankInput {
  std::string applicationName;
  std::string applicationVersion;
  std::vector<LinkCandidate> links;
};
RenderedPrompt linkRerankPrompt(const LinkRerankInput& input);

// --- object class re-rank (IGA relevance) --------------------------------------------------- class_rerank
struct ClassCandidate {
  std::string name;
  std::string description;
};
struct ClassRerankInput {
  std::string applicationName;
  std::vector<ClassCandidate> classes;
};
RenderedPrompt classRerankPrompt(const ClassRerankInput& input);

// Renders every prompt with sample input (for tests and for `connector-gen` diagnostics).
std::vector<RenderedPrompt> renderAllPromptsWithSamples();

}  // namespace cg::llm
