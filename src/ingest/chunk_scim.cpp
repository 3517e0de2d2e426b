// SCIM documents: one chunk per schema or resource type (ListResponse `Resources` and top-level
// arrays are split into their members). A schema too large for the budget is split by its
// `attributes`, each part repeating the schema's other fields.
#include <exception>

#include "ingest/chunk_strategies.h"
#include "ingest/chunk_writer.h"
#include "util/strings.h"

namespace cg::ingest::chunking {
namespace {

std::string stringField(const OrderedJson& v, const char* key) {
  if (v.is_object() && v.contains(key) && v[key].is_string()) return v[key].get<std::string>();
  return {};
}

bool hasSchemaUrn(const OrderedJson& v, std::string_view suffix) {
  if (!v.is_object() || !v.contains("schemas") || !v["schemas"].is_array()) return false;
  for (const auto& s : v["schemas"])
    if (s.is_string() && endsWith(s.get<std::string>(), suffix)) return true;
  return false;
}

void describe(Chunk& c, const OrderedJson& resource) {
  std::string id = stringField(resource, "id");
  std::string name = stringField(resource, "name");
  bool resourceType = hasSchemaUrn(resource, ":ResourceType") || resource.contains("endpoint");
  if (!id.empty()) c.scimSchemas.push_back(id);
  if (!name.empty()) addUnique(c.tags, name);
  size_t colon = id.rfind(':');
  if (!id.empty()) addUnique(c.tags, colon == std::string::npos ? id : id.substr(colon + 1));
  std::string endpoint = stringField(resource, "endpoint");
  if (!endpoint.empty()) addUnique(c.tags, trim(endpoint) == "/" ? endpoint : endpoint.substr(endpoint.find_first_not_of('/')));
  std::string schema = stringField(resource, "schema");
  if (!schema.empty()) addUnique(c.scimSchemas, schema);
  for (auto& t : std::vector<std::string>(c.tags)) addUnique(c.tags, toLower(t));
  addUnique(c.tags, "SCIM");
  std::string label = name.empty() ? (id.empty() ? "resource" : id) : name;
  if (resourceType) {
    c.summary = "SCIM resource type " + label;
    if (!endpoint.empty()) c.summary += " (" + endpoint + (schema.empty() ? "" : ", schema " + schema) + ")";
  } else {
    c.summary = "SCIM schema " + label + (id.empty() || id == label ? "" : " (" + id + ")");
    if (resource.is_object() && resource.contains("attributes") && resource["attributes"].is_array())
      c.summary += ": " + std::to_string(resource["attributes"].size()) + " attributes";
  }
}

}  // namespace

bool chunkScim(const StrategyContext& ctx) {
  OrderedJson doc;
  try {
    doc = OrderedJson::parse(ctx.text);
  } catch (const std::exception& e) {
    ctx.out.diagnostics.push_back(std::string("SCIM JSON did not parse (") + e.what() + "); chunked as text");
    return false;
  }
  if (jsonDepth(doc) > 100) {
    ctx.out.diagnostics.push_back("SCIM document nests deeper than 100 levels; chunked as text");
    return false;
  }
  std::vector<const OrderedJson*> resources;
  if (doc.is_object() && doc.contains("Resources") && doc["Resources"].is_array()) {
    for (const auto& r : doc["Resources"]) resources.push_back(&r);
  } else if (doc.is_array()) {
    for (const auto& r : doc) resources.push_back(&r);
  } else if (doc.is_object()) {
    resources.push_back(&doc);
  }
  if (resources.empty()) {
    ctx.out.diagnostics.push_back("SCIM document has no resources; chunked as generic JSON");
    return chunkStructured(ctx, false);
  }
  for (const OrderedJson* r : resources) {
    std::vector<Chunk> chunks;
    if (r->is_object() && r->contains("attributes") && (*r)["attributes"].is_array()) {
      // Attributes are split when needed; every part keeps the schema's other fields.
      OrderedJson shell = OrderedJson::object();
      for (auto it = r->begin(); it != r->end(); ++it)
        if (it.key() != "attributes") shell[it.key()] = it.value();
      std::string whole = writeChunkJson(*r);
      if (ctx.budget.count(whole) <= ctx.budget.maxTokens) {
        Chunk c;
        c.content = std::move(whole);
        measure(c, ctx.budget.count);
        chunks.push_back(std::move(c));
      } else {
        size_t shellTokens = ctx.budget.count(writeChunkJson(shell));
        if (shellTokens <= ctx.budget.maxTokens / 3) {
          // The shell's tokens are taken from the budget of the attribute parts.
          Budget reduced{ctx.budget.count, ctx.budget.maxTokens - shellTokens, ctx.budget.overlapTokens};
          StrategyContext reducedCtx{ctx.text, reduced, ctx.out};
          for (auto& part : splitJsonValue(reducedCtx, false, (*r)["attributes"], {}, "attributes")) {
            Chunk c;
            OrderedJson piece = shell;
            try {
              piece["attributes"] = part.cutMidUnit ? OrderedJson::array() : OrderedJson::parse(part.content);
            } catch (const std::exception&) {
              piece["attributes"] = OrderedJson::array();
            }
            if (part.cutMidUnit) {  // an attribute too large even alone: keep its text
              c.content = part.content;
              c.bodyOffset = part.bodyOffset;
              c.cutMidUnit = true;
            } else {
              c.content = writeChunkJson(piece);
            }
            measure(c, ctx.budget.count);
            if (c.tokenCount > ctx.budget.maxTokens) {
              for (auto& t : textFallbackChunks(ctx, c.content, "")) chunks.push_back(std::move(t));
            } else {
              chunks.push_back(std::move(c));
            }
          }
        } else {
          chunks = textFallbackChunks(ctx, whole, "");
        }
      }
    } else {
      chunks = splitJsonValue(ctx, false, *r, {}, "SCIM resource");
    }
    for (size_t k = 0; k < chunks.size(); ++k) {
      Chunk& c = chunks[k];
      describe(c, *r);
      if (chunks.size() > 1) c.summary += ", part " + std::to_string(k + 1) + " of " + std::to_string(chunks.size());
      c.category = "spec_json";
      c.chunkingStrategy = chunks.size() > 1 ? "scim_resource+split" : "scim_resource";
      ctx.out.chunks.push_back(std::move(c));
    }
  }
  return true;
}

}  // namespace cg::ingest::chunking
