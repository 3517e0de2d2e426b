#include "api/session_model.h"

#include "api/llm_support.h"

#include <chrono>
#include <list>
#include <thread>
#include <mutex>
#include <set>

#include "digest/protocol.h"
#include "ingest/tokenizer.h"
#include "llm/assistants.h"
#include "llm/llm_budget.h"
#include "llm/llm_client.h"
#include "llm/llm_settings.h"
#include "llm/prose_extractor.h"
#include "util/strings.h"
#include "util/time.h"

namespace cg {
namespace {
struct DigestCache {
  std::mutex mu;
  std::list<std::pair<std::string, std::shared_ptr<const digest::SessionDigest>>> entries;  // most recent first
};
DigestCache& digestCache() {
  static DigestCache cache;
  return cache;
}
bool isRelevanceKey(const std::string& k) {
  return k == "relevantDocumentations" || k == "relevant_documentations" || k == "relevantSequences" ||
         k == "relevant_sequences";
}
}  // namespace

OrderedJson stripRelevance(const OrderedJson& v) {
  if (v.is_object()) {
    OrderedJson out = OrderedJson::object();
    for (auto it = v.begin(); it != v.end(); ++it)
      if (!isRelevanceKey(it.key())) out[it.key()] = stripRelevance(it.value());
    return out;
  }
  if (v.is_array()) {
    OrderedJson out = OrderedJson::array();
    for (const auto& e : v) out.push_back(stripRelevance(e));
    return out;
  }
  return v;
}

namespace {
// The same string as Store::documentationFingerprint, from rows already loaded.
std::string documentsKey(const std::string& sid, const std::vector<DocumentRow>& docs, const std::vector<ChunkRow>& chunks) {
  std::string key = sid;
  for (const auto& d : docs) key += "|" + d.docId + ":" + d.sha256 + ":" + std::to_string(d.createdAt);
  for (const auto& c : chunks) key += "|" + c.chunkId;
  return sha256Hex(key);
}

std::shared_ptr<const digest::SessionDigest> cachedDigest(const std::string& key) {
  auto& cache = digestCache();
  std::lock_guard lock(cache.mu);
  for (auto it = cache.entries.begin(); it != cache.entries.end(); ++it)
    if (it->first == key) {
      cache.entries.splice(cache.entries.begin(), cache.entries, it);
      return it->second;
    }
  return nullptr;
}
}  // namespace

std::shared_ptr<const digest::SessionDigest> sessionDigest(Store& store, const std::string& sid) {
  // The fingerprint reads no text, so a cache hit (the common case: seven jobs per digest) does not
  // load whole documents and chunks.
  if (auto hit = cachedDigest(sha256Hex(store.documentationFingerprint(sid)))) return hit;
  auto docs = store.listDocuments(sid);
  auto chunks = store.listChunks(sid);
  std::string key = documentsKey(sid, docs, chunks);
  if (auto hit = cachedDigest(key)) return hit;
  auto& cache = digestCache();
  std::vector<digest::DocumentInput> inputs;
  for (auto& d : docs) inputs.push_back({d.docId, std::move(d.text), d.contentType});
  std::vector<digest::ChunkEvidence> evidence;
  for (auto& c : chunks)
    if (c.docId) evidence.push_back({*c.docId, c.chunkId, std::move(c.metadata), std::move(c.content)});
  auto result = std::make_shared<const digest::SessionDigest>(digest::digestDocuments(inputs, evidence));
  std::lock_guard lock(cache.mu);
  cache.entries.emplace_front(key, result);
  while (cache.entries.size() > 16) cache.entries.pop_back();
  return result;
}

namespace {
// One augmented digest per documents key + model; `computing` keeps the seven digester jobs of a
// session from calling the model concurrently for the same documents.
struct LlmDigestEntry {
  std::timed_mutex mu;
  bool done = false;
  std::shared_ptr<const digest::SessionDigest> digest;
  std::string failure;  // set when the LLM step failed entirely (the digest is then the deterministic one)
  std::string rerankFailure;  // set when the class re-rank failed (ambiguous classes keep "maybe")
};
struct LlmDigestCache {
  std::mutex mu;
  std::list<std::pair<std::string, std::shared_ptr<LlmDigestEntry>>> entries;  // most recent first
};
LlmDigestCache& llmDigestCache() {
  static LlmDigestCache cache;
  return cache;
}
std::shared_ptr<LlmDigestEntry> llmDigestEntry(const std::string& key) {
  auto& cache = llmDigestCache();
  std::lock_guard lock(cache.mu);
  for (auto it = cache.entries.begin(); it != cache.entries.end(); ++it)
    if (it->first == key) {
      cache.entries.splice(cache.entries.begin(), cache.entries, it);
      return it->second;
    }
  auto entry = std::make_shared<LlmDigestEntry>();
  cache.entries.emplace_front(key, entry);
  while (cache.entries.size() > 16) cache.entries.pop_back();
  return entry;
}

std::string endpointKey(const digest::Endpoint& e) { return toUpperAscii(e.method) + " " + e.path; }

// Adds the LLM's verified findings to `into` without changing anything the structured engines found.
void mergeProseFindings(digest::DigestResult& into, const digest::DigestResult& found) {
  for (const auto& cls : found.objectClasses) {
    digest::ObjectClass* existing = into.findClass(cls.name);
    if (!existing) {
      into.objectClasses.push_back(cls);
      continue;
    }
    std::set<std::string> attributeNames, endpointKeys;
    for (const auto& a : existing->attributes) attributeNames.insert(toLower(a.name));
    for (const auto& e : existing->endpoints) endpointKeys.insert(endpointKey(e));
    for (const auto& a : cls.attributes)
      if (attributeNames.insert(toLower(a.name)).second) existing->attributes.push_back(a);
    for (const auto& e : cls.endpoints)
      if (endpointKeys.insert(endpointKey(e)).second) existing->endpoints.push_back(e);
  }
  std::set<std::string> authTypes;
  for (const auto& a : into.auth) authTypes.insert(toLower(a.type));
  for (const auto& a : found.auth)
    if (authTypes.insert(toLower(a.type)).second) into.auth.push_back(a);
  if (found.info) {
    if (!into.info) into.info = digest::InfoMetadata{};
    auto& info = *into.info;
    const auto& extra = *found.info;
    if (info.name.empty()) info.name = extra.name;
    if (info.applicationVersion.empty()) info.applicationVersion = extra.applicationVersion;
    if (info.apiVersion.empty()) info.apiVersion = extra.apiVersion;
    if (info.apiType.empty()) info.apiType = extra.apiType;
    if (info.baseApiEndpoint.empty()) info.baseApiEndpoint = extra.baseApiEndpoint;
    digest::normalizeInfoMetadata(info);
    if (info.empty()) into.info.reset();
  }
}

// Runs the prose extraction for one set of documents; fills `out` (usage, errors) and returns the
// augmented digest, or nullptr (with `failure`) when the LLM step failed entirely.
std::shared_ptr<const digest::SessionDigest> augmentWithLlm(JobContext& ctx, const digest::SessionDigest& base,
                                                            const std::vector<DocumentRow>& docs,
                                                            const std::vector<ChunkRow>& chunks, llm::LlmBudget& budget,
                                                            JobDigest& out, std::string& failure) {
  const auto& settings = processLlmSettings();
  std::set<std::string> proseDocs;
  for (const auto& d : docs)
    if (digest::detectProtocol(d.text, d.contentType).protocol == digest::Protocol::Unknown) proseDocs.insert(d.docId);
  std::vector<llm::ProseChunk> proseChunks;
  for (const auto& c : chunks)
    if (c.docId && proseDocs.count(*c.docId)) proseChunks.push_back({c.chunkId, *c.docId, c.content});
  if (proseChunks.empty()) return std::make_shared<const digest::SessionDigest>(base);

  llm::ProseExtractionOptions options;
  if (base.result.info) {
    options.applicationName = base.result.info->name;
    options.applicationVersion = base.result.info->applicationVersion;
  }
  for (const auto& cls : base.result.objectClasses) options.knownObjectClasses.push_back(cls.name);
  options.call.shouldStop = [&ctx] { return ctx.cancelled(); };

  ctx.progress("llm_extraction", "Extracting from " + std::to_string(proseChunks.size()) + " prose chunks with " +
                                     settings.model);
  llm::ProseExtractor extractor(processLlmClient(), budget);
  llm::ProseExtractionResult found = extractor.extract(proseChunks, options);
  out.llmUsage = budget.usage().toJson();  // jobSessionDigest updates it if the class re-rank calls too
  const std::size_t maxErrorLines = 10;
  for (std::size_t i = 0; i < found.errors.size() && i < maxErrorLines; ++i)
    out.errors.push_back("LLM prose extraction: " + found.errors[i]);
  if (found.errors.size() > maxErrorLines)
    out.errors.push_back("LLM prose extraction: … " + std::to_string(found.errors.size() - maxErrorLines) + " more errors");
  if (!found.dropped.empty()) {
    const auto& first = found.dropped.front();
    out.errors.push_back("LLM prose extraction dropped " + std::to_string(found.dropped.size()) +
                         " claims that the documentation does not support (e.g. " + first.kind + " " + first.what +
                         ": " + first.reason + ").");
  }
  ctx.checkCancelled();
  if (found.chunksProcessed == 0) {
    failure = found.errors.empty() ? "no chunk could be processed" : found.errors.front();
    return nullptr;
  }
  auto augmented = std::make_shared<digest::SessionDigest>(base);
  mergeProseFindings(augmented->result, found.digest);
  return augmented;
}

// Issue 7 item 5: the model judges the IGA relevance of the classes the deterministic engines left
// ambiguous (relevant "maybe"); only those are sent, and its "true"/"false" verdicts are applied to
// them only (a structured "true"/"false" is never changed, a class the model does not name or calls
// "maybe" stays "maybe"). The order of the classes is kept: it is the contract's confidence-bucket
// order (digester.md 5.2), not an importance ranking. Returns `digest` itself when nothing changes;
// `ran` tells whether the step applied (there were ambiguous classes), `failure` why it failed.
std::shared_ptr<const digest::SessionDigest> rerankAmbiguousClasses(
    JobContext& ctx, const std::shared_ptr<const digest::SessionDigest>& digest, llm::LlmBudget& budget, bool& ran,
    std::string& failure) {
  const auto& classes = digest->result.objectClasses;
  llm::ClassRerankInput input;
  if (digest->result.info) input.applicationName = digest->result.info->name;
  std::vector<std::size_t> positions;  // input.classes[k] is classes[positions[k]]
  for (std::size_t i = 0; i < classes.size(); ++i)
    if (classes[i].relevant == "maybe") {
      input.classes.push_back({classes[i].name, classes[i].description});
      positions.push_back(i);
    }
  if (positions.empty()) return digest;
  ran = true;
  ctx.progress("llm_class_rerank", "Judging the IGA relevance of " + std::to_string(positions.size()) +
                                       " ambiguous object classes with " + processLlmSettings().model);
  llm::LlmCallOptions options;
  options.shouldStop = [&ctx] { return ctx.cancelled(); };
  llm::Reranking verdict = llm::rerankClasses(processLlmClient(), budget, input, options);
  ctx.checkCancelled();
  if (!verdict.ok) {
    failure = verdict.error.empty() ? "the model gave no usable answer" : verdict.error;
    return digest;
  }
  std::shared_ptr<digest::SessionDigest> judged;
  for (std::size_t k = 0; k < positions.size(); ++k) {
    if (k >= verdict.judged.size() || !verdict.judged[k]) continue;
    const std::string& relevance = verdict.relevance[k];
    if (relevance != "true" && relevance != "false") continue;
    if (!judged) judged = std::make_shared<digest::SessionDigest>(*digest);
    auto& cls = judged->result.objectClasses[positions[k]];
    if (cls.relevant == "maybe") cls.relevant = relevance;
  }
  if (!judged) return digest;
  return judged;
}

void addCachedFailureLines(const LlmDigestEntry& entry, std::vector<std::string>& errors) {
  if (!entry.failure.empty())
    errors.push_back("The LLM step failed for these documents (" + entry.failure +
                     "); the result comes from the deterministic digest only.");
  if (!entry.rerankFailure.empty())
    errors.push_back("The LLM class re-ranking failed for these documents (" + entry.rerankFailure +
                     "); ambiguous object classes keep relevant \"maybe\" from the deterministic digest.");
}
}  // namespace

JobDigest jobSessionDigest(JobContext& ctx, const std::string& sid) {
  JobDigest out;
  if (!processLlmSettings().enabled()) {
    out.digest = sessionDigest(ctx.store(), sid);
    // Item 6 of the LLM issue: say where an LLM would have been used.
    if (out.digest->proseDocuments > 0)
      out.errors.push_back(std::to_string(out.digest->proseDocuments) +
                           " prose document(s) were read by the deterministic extractor only (no LLM configured: "
                           "LLM__OPENAI_API_BASE and LLM__MODEL_NAME enable LLM extraction).");
    return out;
  }
  Store& store = ctx.store();
  std::string key = sha256Hex(store.documentationFingerprint(sid)) + "|llm|" + processLlmSettings().model;
  auto base = sessionDigest(store, sid);
  auto entry = llmDigestEntry(key);
  std::unique_lock lock(entry->mu, std::defer_lock);
  while (!lock.try_lock_for(std::chrono::milliseconds(100))) ctx.checkCancelled();
  // A failed LLM step is retried when the job asks to skip caches (e.g. after the endpoint was fixed).
  const OrderedJson& input = ctx.input();
  bool skipCache = input.is_object() && input.contains("skipCache") && input["skipCache"].is_boolean() &&
                   input["skipCache"].get<bool>();
  bool redoProse = !entry->done || (skipCache && !entry->failure.empty());
  bool redoRerank = redoProse || (skipCache && !entry->rerankFailure.empty());
  if (!redoRerank) {
    out.digest = entry->digest;
    addCachedFailureLines(*entry, out.errors);
    return out;
  }
  auto budget = makeJobLlmBudget();
  bool ran = false;
  std::shared_ptr<const digest::SessionDigest> digest = entry->digest;  // prose result kept when only re-ranking
  std::string failure = entry->failure;
  if (redoProse) {
    failure.clear();
    auto docs = store.listDocuments(sid);
    auto chunks = store.listChunks(sid);
    auto augmented = augmentWithLlm(ctx, *base, docs, chunks, *budget, out, failure);
    ran = out.llmUsage.has_value();
    digest = augmented ? augmented : base;
    if (!failure.empty())
      out.errors.push_back("The LLM step failed (" + failure + "); the result comes from the deterministic digest only.");
  }
  std::string rerankFailure;
  digest = rerankAmbiguousClasses(ctx, digest, *budget, ran, rerankFailure);
  if (!rerankFailure.empty())
    out.errors.push_back("The LLM class re-ranking failed (" + rerankFailure +
                         "); ambiguous object classes keep relevant \"maybe\" from the deterministic digest.");
  if (ran) out.llmUsage = budget->usage().toJson();
  entry->done = true;  // only now: a cancelled job leaves the entry as it was
  entry->failure = failure;
  entry->rerankFailure = rerankFailure;
  entry->digest = digest;
  out.digest = digest;
  return out;
}

void awaitDocumentation(JobContext& ctx) {
  const std::vector<std::string> types = {"documentation.processUpload", "scrape.getRelevantDocumentation"};
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(750);
  bool announced = false;
  while (std::chrono::steady_clock::now() < deadline) {
    auto pending = ctx.store().unfinishedJobIds(ctx.job().sessionId, types);
    if (pending.empty()) return;
    if (!announced) {
      ctx.progress("queue", "Waiting for documentation processing to complete.");
      announced = true;
    }
    ctx.checkCancelled();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ctx.addError("Documentation jobs were still running after 750 s; continuing with what is stored.");
}

SessionModel loadSessionModel(Store& store, const std::string& sid, bool fillFromDigest, bool persistFilled,
                              const std::function<std::shared_ptr<const digest::SessionDigest>()>& digestSource) {
  SessionModel out;
  auto data = store.getSessionData(sid);
  auto get = [&](const std::string& key) -> const OrderedJson* {
    auto it = data.find(key);
    return it == data.end() ? nullptr : &it->second;
  };
  std::shared_ptr<const digest::SessionDigest> d;
  auto digestOnce = [&]() -> const digest::SessionDigest& {
    if (!d) d = digestSource ? digestSource() : sessionDigest(store, sid);
    return *d;
  };
  std::vector<std::pair<std::string, OrderedJson>> filled;
  auto& m = out.model;

  if (const OrderedJson* meta = get("metadataOutput")) {
    m.info = digest::infoFromResponse(*meta);
    out.fromSession = true;
  } else if (fillFromDigest) {
    m.info = digestOnce().result.info;
    filled.emplace_back("metadataOutput", digest::infoResponse(m.info));
  }
  if (const OrderedJson* classes = get("objectClassesOutput")) {
    m.objectClasses = digest::objectClassesFromResponse(*classes);
    out.fromSession = true;
  } else if (fillFromDigest) {
    m.objectClasses = digestOnce().result.objectClasses;
    filled.emplace_back("objectClassesOutput", digest::objectClassesResponse(m.objectClasses));
  }
  for (auto& cls : m.objectClasses) {
    std::string oc = toLower(cls.name);
    const digest::ObjectClass* dc = fillFromDigest ? digestOnce().result.findClass(cls.name) : nullptr;
    if (const OrderedJson* attrs = get(oc + "AttributesOutput")) {
      cls.attributes = digest::attributesFromResponse(*attrs);
    } else if (dc) {
      cls.attributes = dc->attributes;
      if (!cls.attributes.empty()) filled.emplace_back(oc + "AttributesOutput", digest::attributesResponse(cls.attributes));
    }
    if (const OrderedJson* eps = get(oc + "EndpointsOutput")) {
      cls.endpoints = digest::endpointsFromResponse(*eps);
      if (eps->contains("endpoints") && (*eps)["endpoints"].is_array())
        for (const auto& e : (*eps)["endpoints"])
          if (e.is_object() && e.contains("table")) out.sqlEndpoints[oc].push_back(e);
    } else if (dc) {
      cls.endpoints = dc->endpoints;
      auto sqlIt = digestOnce().sqlEndpoints.find(oc);
      if (sqlIt != digestOnce().sqlEndpoints.end()) {
        out.sqlEndpoints[oc] = sqlIt->second;
        filled.emplace_back(oc + "EndpointsOutput", OrderedJson{{"endpoints", sqlIt->second}});
      } else if (!cls.endpoints.empty()) {
        filled.emplace_back(oc + "EndpointsOutput", digest::endpointsResponse(cls.endpoints));
      }
    }
  }
  if (const OrderedJson* rels = get("relationsOutput")) {
    m.relations = digest::relationsFromResponse(*rels);
  } else if (fillFromDigest) {
    m.relations = digestOnce().result.relations;
    filled.emplace_back("relationsOutput", digest::relationsResponse(m.relations));
  }
  if (const OrderedJson* auth = get("authOutput")) {
    m.auth = digest::authFromResponse(*auth);
  } else if (fillFromDigest) {
    m.auth = digestOnce().result.auth;
    filled.emplace_back("authOutput", digest::authResponse(m.auth));
  }
  if (fillFromDigest && !get("connectivityEndpointOutput")) {
    m.connectivityEndpoints = digestOnce().result.connectivityEndpoints;
    filled.emplace_back("connectivityEndpointOutput", digest::connectivityResponse(m.connectivityEndpoints));
  }
  if (persistFilled && !filled.empty()) {
    for (auto& [k, v] : filled) v = stripRelevance(v);
    store.putSessionData(sid, filled, nowMicros());
  }
  return out;
}
}  // namespace cg
