#include "llm/assistants.h"

#include <algorithm>
#include <optional>

#include "util/strings.h"

namespace cg::llm {

ChunkSummary summarizeChunk(LlmClient& client, LlmBudget& budget, const ChunkSummaryInput& input,
                            const LlmCallOptions& options) {
  ChunkSummary out;
  RenderedPrompt prompt = chunkSummaryPrompt(input);
  out.promptVersion = prompt.purpose();
  LlmResult r = client.complete(prompt.toRequest(), budget, options);
  if (!r.ok) {
    out.error = r.error;
    return out;
  }
  out.ok = true;
  out.summary = trim(r.value.value("summary", ""));
  out.category = r.value.value("category", "other");
  for (const auto& t : r.value["tags"]) {
    std::string tag = trim(t.get<std::string>());
    if (!tag.empty() && tag.size() <= 40 && std::find(out.tags.begin(), out.tags.end(), tag) == out.tags.end())
      out.tags.push_back(tag);
    if (out.tags.size() == 8) break;
  }
  out.numEndpoints = std::max(0, r.value.value("numEndpoints", 0));
  out.differentAppName = r.value.value("differentAppName", false);
  return out;
}

ScriptRepairProposal proposeScriptRepair(LlmClient& client, LlmBudget& budget, const CodegenRepairInput& input,
                                         const LlmCallOptions& options) {
  ScriptRepairProposal out;
  RenderedPrompt prompt = codegenRepairPrompt(input);
  out.promptVersion = prompt.purpose();
  LlmResult r = client.complete(prompt.toRequest(), budget, options);
  if (!r.ok) {
    out.error = r.error;
    return out;
  }
  out.code = r.value.value("code", "");
  // Models sometimes fence the code inside the JSON string.
  std::string trimmed = trim(out.code);
  if (startsWith(trimmed, "```")) {
    auto firstNewline = trimmed.find('\n');
    auto lastFence = trimmed.rfind("```");
    if (firstNewline != std::string::npos && lastFence > firstNewline)
      out.code = trimmed.substr(firstNewline + 1, lastFence - firstNewline - 1);
  }
  out.explanation = r.value.value("explanation", "");
  if (trim(out.code).empty()) {
    out.error = prompt.purpose() + ": the model returned an empty script";
    return out;
  }
  if (trim(out.code) == trim(input.currentScript)) {
    out.error = prompt.purpose() + ": the model returned the script unchanged";
    return out;
  }
  out.ok = true;
  return out;
}

namespace {
void completeOrder(Reranking& out, std::size_t n) {
  std::vector<bool> seen(n, false);
  for (auto i : out.order) seen[i] = true;
  for (std::size_t i = 0; i < n; ++i)
    if (!seen[i]) out.order.push_back(i);
}

// The common part of both re-rankings: records the prompt version, answers an empty input, and on a
// failed call keeps the input order with the error. Returns the model's reply, or nullopt when `out`
// is already final.
std::optional<OrderedJson> askForRanking(LlmClient& client, LlmBudget& budget, const RenderedPrompt& prompt,
                                         const LlmCallOptions& options, std::size_t n, Reranking& out) {
  out.promptVersion = prompt.purpose();
  if (n == 0) {
    out.ok = true;
    return std::nullopt;
  }
  LlmResult r = client.complete(prompt.toRequest(), budget, options);
  if (!r.ok) {
    out.error = r.error;
    for (std::size_t i = 0; i < n; ++i) out.order.push_back(i);
    return std::nullopt;
  }
  return std::move(r.value);
}
}  // namespace

Reranking rerankLinks(LlmClient& client, LlmBudget& budget, const LinkRerankInput& input, const LlmCallOptions& options) {
  Reranking out;
  std::size_t n = input.links.size();
  out.relevant.assign(n, true);
  out.judged.assign(n, false);
  auto reply = askForRanking(client, budget, linkRerankPrompt(input), options, n, out);
  if (!reply) return out;
  std::vector<bool> seen(n, false);
  for (const auto& item : (*reply)["ranking"]) {
    long long index = item.value("index", -1LL);
    if (index < 0 || static_cast<std::size_t>(index) >= n || seen[static_cast<std::size_t>(index)]) continue;
    seen[static_cast<std::size_t>(index)] = true;
    out.judged[static_cast<std::size_t>(index)] = true;
    out.order.push_back(static_cast<std::size_t>(index));
    out.relevant[static_cast<std::size_t>(index)] = item.value("relevant", true);
  }
  completeOrder(out, n);
  out.ok = true;
  return out;
}

Reranking rerankClasses(LlmClient& client, LlmBudget& budget, const ClassRerankInput& input,
                        const LlmCallOptions& options) {
  Reranking out;
  std::size_t n = input.classes.size();
  out.relevant.assign(n, true);
  out.judged.assign(n, false);
  out.importance.assign(n, 3);
  out.relevance.assign(n, "true");
  auto reply = askForRanking(client, budget, classRerankPrompt(input), options, n, out);
  if (!reply) return out;
  std::vector<bool> seen(n, false);
  std::vector<std::pair<int, std::size_t>> judged;
  for (const auto& item : (*reply)["classes"]) {
    std::string name = item.value("name", "");
    for (std::size_t i = 0; i < n; ++i) {
      if (seen[i] || !iequals(input.classes[i].name, name)) continue;
      seen[i] = true;
      out.judged[i] = true;
      out.relevance[i] = item.value("relevant", "true");
      out.relevant[i] = out.relevance[i] != "false";
      out.importance[i] = std::clamp(static_cast<int>(item.value("importance", 3LL)), 1, 5);
      judged.push_back({out.importance[i], i});
      break;
    }
  }
  std::stable_sort(judged.begin(), judged.end(), [&](const auto& a, const auto& b) {
    if (out.relevant[a.second] != out.relevant[b.second]) return out.relevant[a.second] > out.relevant[b.second];
    return a.first < b.first;
  });
  for (const auto& [importance, i] : judged) out.order.push_back(i);
  completeOrder(out, n);
  out.ok = true;
  return out;
}

}  // namespace cg::llm
