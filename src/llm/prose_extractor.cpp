#include "llm/prose_extractor.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "llm/prompts.h"
#include "util/strings.h"

namespace cg::llm {
namespace {

std::string squash(std::string_view s) {
  std::string out;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80)
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

void addReference(std::vector<digest::ChunkReference>& refs, const ProseChunk& chunk) {
  digest::ChunkReference ref{chunk.docId, chunk.chunkId};
  if (std::find(refs.begin(), refs.end(), ref) == refs.end()) refs.push_back(ref);
}

digest::ObjectClass* findClass(std::vector<digest::ObjectClass>& classes, std::string_view name) {
  std::string key = squash(name);
  for (auto& c : classes) {
    std::string ck = squash(c.name);
    if (ck == key || ck + "s" == key || ck == key + "s") return &c;
  }
  return nullptr;
}

// Start/end sequences of an evidence span: the first and last (up to) 80 bytes, cut at UTF-8 boundaries.
digest::SequenceReference sequenceOf(const ProseChunk& chunk, EvidenceSpan span) {
  std::string_view text = std::string_view(chunk.text).substr(span.begin, span.end - span.begin);
  auto headCut = [&](std::size_t n) {
    n = std::min(n, text.size());
    while (n < text.size() && n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    return std::string(text.substr(0, n));
  };
  auto tailCut = [&](std::size_t n) {
    std::size_t start = text.size() > n ? text.size() - n : 0;
    while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) ++start;
    return std::string(text.substr(start));
  };
  return {chunk.chunkId, headCut(80), tailCut(80)};
}

digest::Endpoint toEndpoint(const Verified<EndpointClaim>& v, const ProseChunk& chunk) {
  digest::Endpoint e;
  e.path = v.claim.path;
  if (auto scheme = e.path.find("://"); scheme != std::string::npos) {
    auto slash = e.path.find('/', scheme + 3);
    e.path = slash == std::string::npos ? "/" : e.path.substr(slash);
  }
  if (e.path.empty() || e.path[0] != '/') e.path = "/" + e.path;
  e.method = v.claim.method;
  e.description = v.claim.description;
  for (const auto& use : v.claim.suggestedUse)
    if (std::find(e.suggestedUse.begin(), e.suggestedUse.end(), use) == e.suggestedUse.end()) e.suggestedUse.push_back(use);
  for (const auto& p : v.claim.parameters) {
    digest::EndpointParameter param;
    param.name = p;
    bool inPath = e.path.find("{" + p + "}") != std::string::npos || e.path.find(":" + p) != std::string::npos;
    param.in = inPath ? "path" : (e.method == "GET" ? "query" : "");
    param.required = inPath;
    e.parameters.push_back(std::move(param));
  }
  e.relevantDocumentations.push_back({chunk.docId, chunk.chunkId});
  e.extra["source"] = "llm-prose";
  return e;
}

void mergeEndpoint(std::vector<digest::Endpoint>& list, digest::Endpoint e) {
  for (auto& existing : list) {
    if (existing.method == e.method && existing.path == e.path) {
      for (const auto& r : e.relevantDocumentations)
        if (std::find(existing.relevantDocumentations.begin(), existing.relevantDocumentations.end(), r) ==
            existing.relevantDocumentations.end())
          existing.relevantDocumentations.push_back(r);
      if (existing.description.empty()) existing.description = e.description;
      for (const auto& u : e.suggestedUse)
        if (std::find(existing.suggestedUse.begin(), existing.suggestedUse.end(), u) == existing.suggestedUse.end())
          existing.suggestedUse.push_back(u);
      for (const auto& p : e.parameters)
        if (std::none_of(existing.parameters.begin(), existing.parameters.end(),
                         [&](const digest::EndpointParameter& q) { return q.name == p.name; }))
          existing.parameters.push_back(p);
      return;
    }
  }
  list.push_back(std::move(e));
}

std::string baseUrlType(const std::string& uri) {
  return uri.find('{') != std::string::npos || uri.find('<') != std::string::npos ? "dynamic" : "constant";
}

}  // namespace

void mergeVerifiedClaims(ProseExtractionResult& result, const ProseChunk& chunk, const VerifiedClaims& claims) {
  auto& classes = result.digest.objectClasses;
  for (const auto& v : claims.objectClasses) {
    digest::ObjectClass* c = findClass(classes, v.claim.name);
    if (!c) {
      digest::ObjectClass oc;
      oc.name = v.claim.name;
      oc.description = v.claim.description;
      oc.confidence = digest::Confidence::Low;
      oc.extra["source"] = "llm-prose";
      classes.push_back(std::move(oc));
      c = &classes.back();
    }
    if (c->description.empty()) c->description = v.claim.description;
    addReference(c->relevantDocumentations, chunk);
  }
  for (const auto& v : claims.attributes) {
    digest::ObjectClass* c = findClass(classes, v.claim.objectClass);
    if (!c) {  // a class known from structured documents: keep the attribute under its name
      digest::ObjectClass oc;
      oc.name = v.claim.objectClass;
      oc.confidence = digest::Confidence::Low;
      oc.extra["source"] = "llm-prose";
      classes.push_back(std::move(oc));
      c = &classes.back();
    }
    auto existing = std::find_if(c->attributes.begin(), c->attributes.end(),
                                 [&](const digest::Attribute& a) { return squash(a.name) == squash(v.claim.name); });
    if (existing == c->attributes.end()) {
      digest::Attribute a;
      a.name = v.claim.name;
      std::string type = toLower(v.claim.type);
      if (type == "string" || type == "integer" || type == "number" || type == "boolean") a.type = type;
      else if (!v.claim.type.empty()) {
        a.type = v.claim.type;
        a.format = "reference";
      }
      a.description = v.claim.description;
      a.mandatory = v.claim.mandatory;
      a.multivalue = v.claim.multivalue;
      if (v.claim.readOnly) {
        a.updatable = !*v.claim.readOnly;
        a.creatable = !*v.claim.readOnly;
      }
      a.extra["source"] = "llm-prose";
      c->attributes.push_back(std::move(a));
      existing = c->attributes.end() - 1;
    }
    addReference(existing->relevantDocumentations, chunk);
    addReference(c->relevantDocumentations, chunk);
    if (c->confidence == digest::Confidence::Low) c->confidence = digest::Confidence::Medium;
  }
  for (const auto& v : claims.endpoints) {
    digest::Endpoint e = toEndpoint(v, chunk);
    digest::ObjectClass* c = v.claim.objectClass ? findClass(classes, *v.claim.objectClass) : nullptr;
    if (!c && v.claim.objectClass) {
      digest::ObjectClass oc;
      oc.name = *v.claim.objectClass;
      oc.confidence = digest::Confidence::Low;
      oc.extra["source"] = "llm-prose";
      classes.push_back(std::move(oc));
      c = &classes.back();
    }
    if (c) {
      mergeEndpoint(c->endpoints, std::move(e));
      addReference(c->relevantDocumentations, chunk);
      if (c->confidence == digest::Confidence::Low) c->confidence = digest::Confidence::Medium;
    } else {
      mergeEndpoint(result.unassignedEndpoints, std::move(e));
    }
  }
  for (const auto& v : claims.auth) {
    auto existing = std::find_if(result.digest.auth.begin(), result.digest.auth.end(), [&](const digest::AuthMethod& a) {
      return a.type == v.claim.type && (v.claim.type != "other" || squash(a.name) == squash(v.claim.name));
    });
    if (existing == result.digest.auth.end()) {
      digest::AuthMethod a;
      a.name = v.claim.name.empty() ? v.claim.type : v.claim.name;
      a.type = v.claim.type;
      a.quirks = v.claim.quirks;
      result.digest.auth.push_back(std::move(a));
      existing = result.digest.auth.end() - 1;
    }
    for (const auto& span : v.evidence) existing->relevantSequences.push_back(sequenceOf(chunk, span));
    addReference(existing->relevantDocumentations, chunk);
  }
  if (claims.metadata) {
    const MetadataClaim& m = claims.metadata->claim;
    if (!result.digest.info) result.digest.info = digest::InfoMetadata{};
    auto& info = *result.digest.info;
    if (info.name.empty()) info.name = m.name;
    if (info.applicationVersion.empty()) info.applicationVersion = m.applicationVersion;
    if (info.apiVersion.empty()) {
      info.apiVersion = m.apiVersion;
      if (info.apiVersion.size() > 1 && (info.apiVersion[0] == 'v' || info.apiVersion[0] == 'V') &&
          std::isdigit(static_cast<unsigned char>(info.apiVersion[1])))
        info.apiVersion.erase(0, 1);
    }
    for (const auto& t : m.apiType)
      if (std::find(info.apiType.begin(), info.apiType.end(), t) == info.apiType.end()) info.apiType.push_back(t);
    for (const auto& uri : m.baseApiEndpoints) {
      bool seen = std::any_of(info.baseApiEndpoint.begin(), info.baseApiEndpoint.end(),
                              [&](const digest::BaseApiEndpoint& b) { return iequals(b.uri, uri); });
      if (!seen) info.baseApiEndpoint.push_back({uri, baseUrlType(uri)});
    }
    std::sort(info.baseApiEndpoint.begin(), info.baseApiEndpoint.end(),
              [](const digest::BaseApiEndpoint& a, const digest::BaseApiEndpoint& b) {
                return toLower(a.uri) < toLower(b.uri);
              });
  }
  for (const auto& d : claims.dropped) {
    result.dropped.push_back(d);
    digest::Diagnostic diag;
    diag.severity = digest::Diagnostic::Severity::Info;
    diag.docId = chunk.docId;
    diag.location = "chunk:" + chunk.chunkId;
    diag.message = "LLM claim dropped (" + d.kind + " " + d.what + "): " + d.reason;
    result.digest.diagnostics.push_back(std::move(diag));
  }
  if (!claims.empty()) addReference(result.relevantDocumentations, chunk);
}

namespace {

// Verified endpoints the model named no class for: the first literal path segment that is a
// collection of a class of the result or of a known (structured) class ("/teams/{id}/members" →
// Team; the class name itself counts only right before a placeholder, "/user/{id}") assigns them.
// "/cloud/user/fields" (the caller's own fields) names none. The rest stay unassigned and are
// reported.
bool segmentIsCollectionOf(const std::vector<std::string>& segs, size_t i, const std::string& className) {
  std::string key = squash(segs[i]), ck = squash(className);
  if (ck.empty()) return false;
  if (ck + "s" == key || ck + "es" == key) return true;
  return ck == key && i + 1 < segs.size() && !segs[i + 1].empty() && segs[i + 1].front() == '{';
}

void assignByPath(ProseExtractionResult& result, const std::vector<std::string>& knownClasses) {
  std::vector<digest::Endpoint> left;
  for (auto& e : result.unassignedEndpoints) {
    digest::ObjectClass* target = nullptr;
    std::vector<std::string> segs;
    for (size_t start = 0; start <= e.path.size();) {
      size_t end = e.path.find('/', start);
      if (end == std::string::npos) end = e.path.size();
      if (end > start) segs.push_back(e.path.substr(start, end - start));
      start = end + 1;
    }
    for (size_t i = 0; i < segs.size() && !target; ++i) {
      if (segs[i].front() == '{') continue;
      for (auto& c : result.digest.objectClasses)
        if (segmentIsCollectionOf(segs, i, c.name)) {
          target = &c;
          break;
        }
      if (target) break;
      for (const auto& k : knownClasses) {
        if (!segmentIsCollectionOf(segs, i, k)) continue;
        digest::ObjectClass oc;
        oc.name = k;
        oc.confidence = digest::Confidence::Low;
        oc.extra["source"] = "llm-prose";
        result.digest.objectClasses.push_back(std::move(oc));
        target = &result.digest.objectClasses.back();
        break;
      }
    }
    if (target) {
      for (const auto& r : e.relevantDocumentations)
        if (std::find(target->relevantDocumentations.begin(), target->relevantDocumentations.end(), r) ==
            target->relevantDocumentations.end())
          target->relevantDocumentations.push_back(r);
      mergeEndpoint(target->endpoints, std::move(e));
    } else {
      left.push_back(std::move(e));
    }
  }
  result.unassignedEndpoints = std::move(left);
  if (!result.unassignedEndpoints.empty()) {
    std::string list;
    for (size_t i = 0; i < result.unassignedEndpoints.size() && i < 5; ++i)
      list += (i ? ", " : "") + result.unassignedEndpoints[i].method + " " + result.unassignedEndpoints[i].path;
    if (result.unassignedEndpoints.size() > 5) list += ", ...";
    digest::Diagnostic diag;
    diag.severity = digest::Diagnostic::Severity::Info;
    diag.message = std::to_string(result.unassignedEndpoints.size()) +
                   " verified endpoint(s) from prose name no object class and were not used: " + list;
    result.digest.diagnostics.push_back(std::move(diag));
  }
}

}  // namespace

ProseExtractionResult ProseExtractor::extract(const std::vector<ProseChunk>& chunks, const ProseExtractionOptions& options) {
  ProseExtractionResult result;
  ProseExtractionInput sample{options.applicationName, options.applicationVersion, "", options.knownObjectClasses};
  result.promptVersion = proseExtractionPrompt(sample).purpose();
  if (!client_.enabled()) {
    result.errors.push_back("prose extraction skipped: no LLM configured (LLM__OPENAI_API_BASE / LLM__MODEL_NAME)");
    result.chunksSkipped = static_cast<int>(chunks.size());
    return result;
  }
  std::size_t count = std::min(chunks.size(), options.maxChunks);
  if (count < chunks.size()) {
    result.chunksSkipped += static_cast<int>(chunks.size() - count);
    result.errors.push_back("prose extraction: only the first " + std::to_string(count) + " of " +
                            std::to_string(chunks.size()) + " chunks were sent to the LLM");
  }
  struct PerChunk {
    bool attempted = false;
    LlmResult reply;
    VerifiedClaims claims;
  };
  std::vector<PerChunk> per(count);
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < count; i = next++) {
      if (budget_.exhausted()) return;
      if (options.call.shouldStop && options.call.shouldStop()) return;
      ProseExtractionInput input{options.applicationName, options.applicationVersion, chunks[i].text,
                                 options.knownObjectClasses};
      per[i].attempted = true;
      per[i].reply = client_.complete(proseExtractionPrompt(input).toRequest(), budget_, options.call);
      if (per[i].reply.ok)
        per[i].claims = verifyAgainstChunk(proseClaimsFromJson(per[i].reply.value), chunks[i].text, options.knownObjectClasses);
    }
  };
  std::size_t workers = std::min<std::size_t>(count, static_cast<std::size_t>(std::max(1, client_.settings().maxConcurrency)));
  std::vector<std::thread> threads;
  for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();

  bool budgetReported = false;
  for (std::size_t i = 0; i < count; ++i) {
    const PerChunk& p = per[i];
    if (!p.attempted) {
      ++result.chunksSkipped;
      continue;
    }
    result.usage.add(p.reply.usage);
    if (!p.reply.ok) {
      if (p.reply.failure == LlmResult::Failure::Budget) {
        ++result.chunksSkipped;
        if (!budgetReported) result.errors.push_back(p.reply.error);
        budgetReported = true;
        continue;
      }
      ++result.chunksFailed;
      result.errors.push_back("chunk " + chunks[i].chunkId + ": " + p.reply.error);
      continue;
    }
    ++result.chunksProcessed;
    mergeVerifiedClaims(result, chunks[i], p.claims);
  }
  if (result.chunksSkipped > 0 && budget_.exhausted() && !budgetReported)
    result.errors.push_back("LLM budget exhausted: " + std::to_string(result.chunksSkipped) + " chunks were not processed");
  assignByPath(result, options.knownObjectClasses);
  return result;
}

}  // namespace cg::llm
