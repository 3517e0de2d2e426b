// Discovery routes (api-contract.md B.4, E.2) and the discovery.getCandidateLinks job: web search
// through the configured providers (crawl/search.h), de-duplication and deterministic ranking.
// Differences from the reference, on purpose: no provider configured (or every search failing)
// fails the job with a clear message instead of an empty result; an empty result is never reused
// from the cache; every numeric field is validated; placeholder versions stay out of queries.
#include <memory>
#include <vector>

#include "api/api_context.h"
#include "api/llm_support.h"
#include "api/validation.h"
#include "crawl/crawl_settings.h"
#include "crawl/search.h"
#include "jobs/status.h"
#include "llm/assistants.h"
#include "util/api_error.h"
#include "util/strings.h"
#include "util/time.h"
#include "util/uuid.h"

namespace cg {
using http::Request;
using http::Response;

namespace {
const char* kDiscoveryJob = "discovery.getCandidateLinks";

const OrderedJson* field(const OrderedJson& body, const char* camel, const char* snake) {
  if (auto it = body.find(camel); it != body.end()) return &*it;
  if (auto it = body.find(snake); it != body.end()) return &*it;
  return nullptr;
}

OrderedJson loc(const char* name) { return OrderedJson::array({"body", name}); }

std::string stringField(const OrderedJson& body, const char* camel, const char* snake, const char* defaultValue) {
  const OrderedJson* v = field(body, camel, snake);
  if (!v) {
    if (!defaultValue) throwValidation("missing", loc(camel), "Field required", body);
    return defaultValue;
  }
  if (!v->is_string()) throwValidation("string_type", loc(camel), "Input should be a valid string", *v);
  return v->get<std::string>();
}

bool boolField(const OrderedJson& body, const char* camel, const char* snake, bool defaultValue) {
  const OrderedJson* v = field(body, camel, snake);
  if (!v) return defaultValue;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_number_integer() && (v->get<int64_t>() == 0 || v->get<int64_t>() == 1)) return v->get<int64_t>() == 1;
  if (v->is_string()) {
    std::string s = toLower(trim(v->get<std::string>()));
    if (s == "true" || s == "1" || s == "yes" || s == "on" || s == "t" || s == "y") return true;
    if (s == "false" || s == "0" || s == "no" || s == "off" || s == "f" || s == "n") return false;
  }
  throwValidation("bool_parsing", loc(camel), "Input should be a valid boolean", *v);
}

int64_t intField(const OrderedJson& body, const char* camel, const char* snake, int64_t defaultValue,
                 std::optional<int64_t> min, std::optional<int64_t> max) {
  const OrderedJson* v = field(body, camel, snake);
  if (!v) return defaultValue;
  int64_t n = 0;
  if (v->is_number_integer()) {
    n = v->get<int64_t>();
  } else if (v->is_number_float() && v->get<double>() == static_cast<double>(static_cast<int64_t>(v->get<double>()))) {
    n = static_cast<int64_t>(v->get<double>());
  } else if (v->is_string() && !trim(v->get<std::string>()).empty()) {
    try {
      size_t used = 0;
      std::string s = trim(v->get<std::string>());
      n = std::stoll(s, &used);
      if (used != s.size()) throw std::invalid_argument("x");
    } catch (const std::exception&) {
      throwValidation("int_parsing", loc(camel), "Input should be a valid integer, unable to parse string as an integer", *v);
    }
  } else {
    throwValidation("int_type", loc(camel), "Input should be a valid integer", *v);
  }
  if (min && n < *min)
    throwValidation("greater_than_equal", loc(camel), "Input should be greater than or equal to " + std::to_string(*min),
                    *v, OrderedJson{{"ge", *min}});
  if (max && n > *max)
    throwValidation("less_than_equal", loc(camel), "Input should be less than or equal to " + std::to_string(*max), *v,
                    OrderedJson{{"le", *max}});
  return n;
}

// CandidateLinksInput (E.2) with every default filled, in the contract's key order.
OrderedJson parseCandidateLinksInput(const OrderedJson& body) {
  if (!body.is_object())
    throwValidation("model_attributes_type", OrderedJson::array({"body"}),
                    "Input should be a valid dictionary or object to extract fields from", body);
  OrderedJson in = OrderedJson::object();
  in["applicationName"] = stringField(body, "applicationName", "application_name", nullptr);
  in["applicationVersion"] = stringField(body, "applicationVersion", "application_version", "latest");
  std::string type = "DUMMY";
  if (const OrderedJson* t = field(body, "integrationType", "integration_type"); t && !t->is_null()) {
    if (!t->is_string()) throwValidation("string_type", loc("integrationType"), "Input should be a valid string", *t);
    std::string v = trim(t->get<std::string>());
    for (auto& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (v != "SCIM" && v != "REST" && v != "DUMMY")
      throwValidation("value_error", loc("integrationType"),
                      "Value error, integrationType must be one of 'SCIM', 'REST', 'DUMMY'", *t,
                      OrderedJson{{"error", "invalid integrationType"}});
    type = v;
  }
  in["integrationType"] = type;
  in["llmGeneratedSearchQuery"] = boolField(body, "llmGeneratedSearchQuery", "llm_generated_search_query", false);
  in["skipCache"] = boolField(body, "skipCache", "skip_cache", false);
  in["enableLinkFiltering"] = boolField(body, "enableLinkFiltering", "enable_link_filtering", true);
  in["enableLinkRanking"] = boolField(body, "enableLinkRanking", "enable_link_ranking", true);
  in["numQueries"] = intField(body, "numQueries", "num_queries", 8, 1, 8);
  in["maxResultsPerQuery"] = intField(body, "maxResultsPerQuery", "max_results_per_query", 10, 1, 100);
  in["maxCandidateLinks"] = intField(body, "maxCandidateLinks", "max_candidate_links", 10, std::nullopt, 1000);
  in["maxFilterLlmCalls"] = intField(body, "maxFilterLlmCalls", "max_filter_llm_calls", 3, 0, 20);
  return in;
}

OrderedJson discoveryBodySchema() {
  return {{"required", true},
          {"content",
           {{"application/json",
             {{"schema",
               {{"type", "object"},
                {"required", {"applicationName"}},
                {"properties",
                 {{"applicationName", {{"type", "string"}}},
                  {"applicationVersion", {{"type", "string"}, {"default", "latest"}}},
                  {"integrationType", {{"type", "string"}, {"enum", {"SCIM", "REST", "DUMMY"}}, {"default", "DUMMY"}}},
                  {"llmGeneratedSearchQuery", {{"type", "boolean"}, {"default", false}}},
                  {"skipCache", {{"type", "boolean"}, {"default", false}}},
                  {"enableLinkFiltering", {{"type", "boolean"}, {"default", true}}},
                  {"enableLinkRanking", {{"type", "boolean"}, {"default", true}}},
                  {"numQueries", {{"type", "integer"}, {"minimum", 1}, {"maximum", 8}, {"default", 8}}},
                  {"maxResultsPerQuery", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}, {"default", 10}}},
                  {"maxCandidateLinks", {{"type", "integer"}, {"default", 10}}},
                  {"maxFilterLlmCalls", {{"type", "integer"}, {"default", 3}}}}}}}}}}}};
}
}  // namespace

void registerDiscoveryRoutes(http::Router& r, ApiContext& ctx) {
  const std::string path = ctx.v1() + "/discovery/{session_id}/discovery";

  r.add("POST", path, [&ctx](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    OrderedJson input = parseCandidateLinksInput(api::jsonBody(req));
    requireSession(ctx.store, sid);
    std::string jobId = ctx.startOperationJob(sid, kDiscoveryJob, "discovery", input, OrderedJson::object(),
                                              {"queue", "Queued candidate links discovery", std::nullopt, std::nullopt});
    return Response::json(200, OrderedJson{{"jobId", jobId}});
  }, {"Search the web for the application's API documentation (candidate links)", "discovery", 200,
      discoveryBodySchema()});

  r.add("GET", path, [&ctx](Request& req) {
    std::string sid = api::uuidParam(req, "session_id");
    auto jobId = api::uuidQuery(req, "jobId");
    return Response::json(200, resolveJobStatus(ctx.store, sid, jobId, "discoveryJobId",
                                                "No discovery job found in session " + sid, StatusEnvelope::stage));
  }, {"Status and result of the session's discovery job", "discovery", 200, nullptr, nullptr,
      Json::array({{{"name", "jobId"}, {"required", false}, {"schema", {{"type", "string"}, {"format", "uuid"}}}}})});
}

namespace {
// Issue 7 item 5: discovery's re-rank hook backed by llm::rerankLinks. Links the model judges
// irrelevant go after the relevant ones; on failure the deterministic order stays and the reason
// is kept for the job's errors.
class LlmLinkReranker : public crawl::CandidateReranker {
 public:
  explicit LlmLinkReranker(JobContext& ctx) : ctx_(ctx), budget_(makeJobLlmBudget()) {}

  std::vector<size_t> rerank(const crawl::DiscoveryInput& input, const std::vector<crawl::Candidate>& candidates) override {
    if (candidates.empty()) return {};
    llm::LinkRerankInput in;
    in.applicationName = input.applicationName;
    in.applicationVersion = input.applicationVersion;
    for (const auto& c : candidates) in.links.push_back({c.hit.href, c.hit.title, c.hit.body});
    llm::LlmCallOptions options;
    options.shouldStop = [this] { return ctx_.cancelled(); };
    ctx_.progress("llm_ranking", "Ranking " + std::to_string(candidates.size()) + " links with " +
                                     processLlmSettings().model);
    llm::Reranking r = llm::rerankLinks(processLlmClient(), *budget_, in, options);
    if (!r.ok) {
      errors_.push_back("LLM link ranking failed (deterministic order kept): " + r.error);
      return {};
    }
    std::vector<size_t> relevant, irrelevant;
    for (size_t i : r.order) {
      if (i >= candidates.size()) continue;
      bool isRelevant = i >= r.relevant.size() || r.relevant[i];
      (isRelevant ? relevant : irrelevant).push_back(i);
    }
    relevant.insert(relevant.end(), irrelevant.begin(), irrelevant.end());
    return relevant;
  }

  OrderedJson usage() const { return budget_->usage().toJson(); }
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  JobContext& ctx_;
  std::unique_ptr<llm::LlmBudget> budget_;
  std::vector<std::string> errors_;
};
}  // namespace

// Registered by registerCrawlJobHandlers (scrape_api.cpp).
void registerDiscoveryJobHandler(JobRegistry& registry, const ApiSettings& settings) {
  auto crawlSettings = std::make_shared<crawl::CrawlSettings>(crawl::CrawlSettings::fromEnvironment(settings.version));
  registry.add(kDiscoveryJob, [crawlSettings](JobContext& ctx) {
    const crawl::CrawlSettings& cs = *crawlSettings;
    const OrderedJson& in = ctx.input();
    JobOutcome out;
    if (!in.value("skipCache", false) && cs.searchCacheSeconds > 0) {
      int64_t since = nowMicros() - cs.searchCacheSeconds * 1'000'000;
      auto cached = ctx.store().findCachedJob(kDiscoveryJob, jobInputHash(kDiscoveryJob, in), since, std::nullopt);
      if (cached && cached->id != ctx.job().id && cached->result && cached->result->is_object() &&
          cached->result->contains("candidateLinks") && (*cached->result)["candidateLinks"].is_array() &&
          !(*cached->result)["candidateLinks"].empty()) {
        ctx.progress("processing", "Reused output from job " + cached->id);
        out.result = *cached->result;
        return out;
      }
    }
    crawl::DiscoveryInput di;
    di.applicationName = in.value("applicationName", "");
    di.applicationVersion = in.value("applicationVersion", "latest");
    di.integrationType = in.value("integrationType", "DUMMY");
    di.numQueries = in.value("numQueries", 8);
    di.maxResultsPerQuery = in.value("maxResultsPerQuery", 10);
    di.maxCandidateLinks = in.value("maxCandidateLinks", 10);
    di.enableLinkFiltering = in.value("enableLinkFiltering", true);
    di.enableLinkRanking = in.value("enableLinkRanking", true);
    ctx.progress("processing", std::string("Discovering candidate links ") +
                                   (di.enableLinkFiltering ? "with filtering" : "without filtering"));
    auto registry = crawl::makeSearchProviders(cs, crawl::defaultHttpGet(cs));
    std::unique_ptr<LlmLinkReranker> reranker;
    if (llmEnabled() && di.enableLinkRanking) reranker = std::make_unique<LlmLinkReranker>(ctx);
    auto outcome = crawl::runDiscovery(di, registry, cs.forbiddenUrlParts, cs.searchDelayMilliseconds,
                                       [&ctx] { ctx.checkCancelled(); }, reranker.get());
    if (outcome.failed) throw JobFailure(outcome.failure);
    if (in.value("llmGeneratedSearchQuery", false))
      outcome.notes.push_back("llmGeneratedSearchQuery is not available in this build; query templates were used.");
    out.result = outcome.toJson();
    out.errors = outcome.notes;
    if (reranker) {
      out.result["llmUsage"] = reranker->usage();
      out.errors.insert(out.errors.end(), reranker->errors().begin(), reranker->errors().end());
    }
    return out;
  });
}
}  // namespace cg
