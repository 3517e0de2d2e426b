// Process-wide LLM access for the API job handlers (issue 7): the settings read once from the
// environment (LLM__*), one shared LlmClient, and a per-job LlmBudget that counts tokens with the
// exact cl100k tokenizer when it is available.
//
// Contract: llmEnabled() is false unless LLM__OPENAI_API_BASE and LLM__MODEL_NAME are configured;
// callers must then skip every LLM step so behaviour is unchanged. Nothing here throws.
#pragma once
#include <memory>

#include "llm/llm_budget.h"
#include "llm/llm_client.h"
#include "llm/llm_settings.h"

namespace cg {

const llm::LlmSettings& processLlmSettings();
bool llmEnabled();
llm::LlmClient& processLlmClient();
// A fresh budget with the configured per-job call/token limits and the cl100k counter.
std::unique_ptr<llm::LlmBudget> makeJobLlmBudget();

}  // namespace cg
