#include "api/llm_support.h"

#include "ingest/tokenizer.h"

namespace cg {

const llm::LlmSettings& processLlmSettings() {
  static const llm::LlmSettings settings = llm::LlmSettings::fromEnvironment();
  return settings;
}

bool llmEnabled() { return processLlmSettings().enabled(); }

llm::LlmClient& processLlmClient() {
  static llm::LlmClient client(processLlmSettings());
  return client;
}

std::unique_ptr<llm::LlmBudget> makeJobLlmBudget() {
  const auto& settings = processLlmSettings();
  llm::TokenCounter counter;
  if (auto tokenizer = ingest::Tokenizer::cl100k())
    counter = [tokenizer](std::string_view text) { return tokenizer->count(text); };
  return std::make_unique<llm::LlmBudget>(settings.maxCallsPerJob, settings.maxTokensPerJob, counter);
}

}  // namespace cg
