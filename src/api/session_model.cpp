#include "api/session_model.h"

#include <chrono>
#include <list>
#include <thread>
#include <mutex>

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

std::shared_ptr<const digest::SessionDigest> sessionDigest(Store& store, const std::string& sid) {
  auto docs = store.listDocuments(sid);
  auto chunks = store.listChunks(sid);
  std::string key = sid;
  for (const auto& d : docs) key += "|" + d.docId + ":" + d.sha256 + ":" + std::to_string(d.createdAt);
  for (const auto& c : chunks) key += "|" + c.chunkId;
  key = sha256Hex(key);
  auto& cache = digestCache();
  {
    std::lock_guard lock(cache.mu);
    for (auto it = cache.entries.begin(); it != cache.entries.end(); ++it)
      if (it->first == key) {
        cache.entries.splice(cache.entries.begin(), cache.entries, it);
        return it->second;
      }
  }
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

SessionModel loadSessionModel(Store& store, const std::string& sid, bool fillFromDigest, bool persistFilled) {
  SessionModel out;
  auto data = store.getSessionData(sid);
  auto get = [&](const std::string& key) -> const OrderedJson* {
    auto it = data.find(key);
    return it == data.end() ? nullptr : &it->second;
  };
  std::shared_ptr<const digest::SessionDigest> d;
  auto digestOnce = [&]() -> const digest::SessionDigest& {
    if (!d) d = sessionDigest(store, sid);
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
