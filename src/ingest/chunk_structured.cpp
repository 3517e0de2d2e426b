// Generic JSON/YAML chunking and the helpers shared by the structured strategies.
#include <exception>

#include "ingest/chunk_packer.h"
#include "ingest/chunk_strategies.h"
#include "ingest/chunk_writer.h"
#include "util/yaml_json.h"

namespace cg::ingest::chunking {

void measure(Chunk& chunk, const TokenCounter& count) {
  chunk.tokenCount = count(chunk.content);
  chunk.characterCount = codePointCount(chunk.content);
}

std::string serializeDoc(const OrderedJson& doc, bool yaml) { return yaml ? writeChunkYaml(doc) : writeChunkJson(doc); }

OrderedJson wrapValue(const std::vector<WrapStep>& path, OrderedJson inner) {
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    OrderedJson outer = it->array ? OrderedJson::array() : OrderedJson::object();
    if (it->array)
      outer.push_back(std::move(inner));
    else
      outer[it->key] = std::move(inner);
    inner = std::move(outer);
  }
  return inner;
}

std::vector<Chunk> textFallbackChunks(const StrategyContext& ctx, std::string_view serialized,
                                      std::string_view laterPrefix) {
  std::vector<Chunk> chunks;
  for (auto& piece : splitTextRange(serialized, 0, serialized.size(), "", laterPrefix, ctx.budget)) {
    Chunk c;
    c.content = std::move(piece.content);
    c.bodyOffset = piece.bodyOffset;
    c.tokenCount = piece.tokenCount;
    c.characterCount = codePointCount(c.content);
    c.cutMidUnit = true;
    chunks.push_back(std::move(c));
  }
  if (chunks.size() == 1) chunks[0].cutMidUnit = false;
  return chunks;
}

namespace {
constexpr size_t kMaxSplitDepth = 6;

std::string memberLabel(const OrderedJson& value, size_t i, size_t j, const std::vector<std::string>& keys) {
  if (value.is_array())
    return "items " + std::to_string(i + 1) + "-" + std::to_string(j) + " of " + std::to_string(value.size());
  std::vector<std::string> shown(keys.begin() + static_cast<std::ptrdiff_t>(i),
                                 keys.begin() + static_cast<std::ptrdiff_t>(j));
  return "keys " + shortList(shown, 4);
}
}  // namespace

std::vector<Chunk> splitJsonValue(const StrategyContext& ctx, bool yaml, const OrderedJson& value,
                                  const std::vector<WrapStep>& path, std::string_view label, const OrderedJson* base,
                                  size_t depth) {
  std::vector<Chunk> chunks;
  auto makeDoc = [&](OrderedJson inner) {
    OrderedJson wrapped = wrapValue(path, std::move(inner));
    if (!base || !base->is_object() || !wrapped.is_object()) return wrapped;
    OrderedJson d = *base;
    for (auto it = wrapped.begin(); it != wrapped.end(); ++it) d[it.key()] = std::move(it.value());
    return d;
  };
  const auto& count = ctx.budget.count;
  const size_t maxTokens = ctx.budget.maxTokens;
  {
    std::string whole = serializeDoc(makeDoc(value), yaml);
    size_t t = count(whole);
    if (t <= maxTokens) {
      Chunk c;
      c.content = std::move(whole);
      c.tokenCount = t;
      c.characterCount = codePointCount(c.content);
      c.summary = std::string(label);
      chunks.push_back(std::move(c));
      return chunks;
    }
    if (!value.is_structured() || value.empty() || depth >= kMaxSplitDepth) {
      auto pieces = textFallbackChunks(ctx, whole, yaml ? "# (continued)\n" : "");
      for (size_t k = 0; k < pieces.size(); ++k) {
        pieces[k].summary = std::string(label) + (pieces.size() > 1 ? ", part " + std::to_string(k + 1) + " of " +
                                                                          std::to_string(pieces.size())
                                                                    : "");
      }
      return pieces;
    }
  }
  std::vector<const OrderedJson*> members;
  std::vector<std::string> keys;
  for (auto it = value.begin(); it != value.end(); ++it) {
    members.push_back(&it.value());
    keys.push_back(value.is_object() ? it.key() : std::string());
  }
  auto subset = [&](size_t i, size_t j) {
    OrderedJson part = value.is_object() ? OrderedJson::object() : OrderedJson::array();
    for (size_t k = i; k < j; ++k) {
      if (value.is_object())
        part[keys[k]] = *members[k];
      else
        part.push_back(*members[k]);
    }
    return part;
  };
  PackPlan plan;
  plan.baseTokens = count(serializeDoc(makeDoc(value.is_object() ? OrderedJson::object() : OrderedJson::array()), yaml));
  plan.limit = maxTokens * 9 / 10;
  std::vector<PackUnit> units(members.size());
  for (size_t k = 0; k < members.size(); ++k) units[k].tokens = count(serializeDoc(subset(k, k + 1), yaml));
  packUnits(
      units, plan,
      [&](size_t i, size_t j) {
        Chunk c;
        c.content = serializeDoc(makeDoc(subset(i, j)), yaml);
        measure(c, count);
        if (c.tokenCount > maxTokens) return false;
        c.summary = std::string(label) + ": " + memberLabel(value, i, j, keys);
        chunks.push_back(std::move(c));
        return true;
      },
      [&](size_t i) {
        std::vector<WrapStep> inner = path;
        inner.push_back(WrapStep{value.is_array(), keys[i]});
        std::string innerLabel = std::string(label) + ": " + memberLabel(value, i, i + 1, keys);
        for (auto& c : splitJsonValue(ctx, yaml, *members[i], inner, innerLabel, base, depth + 1))
          chunks.push_back(std::move(c));
      });
  return chunks;
}

bool chunkStructured(const StrategyContext& ctx, bool yaml) {
  OrderedJson doc;
  try {
    doc = yaml ? yamlToJson(std::string(ctx.text)) : OrderedJson::parse(ctx.text);
  } catch (const std::exception& e) {
    ctx.out.diagnostics.push_back(std::string(yaml ? "YAML" : "JSON") + " did not parse (" + e.what() +
                                  "); chunked as text");
    return false;
  }
  if (jsonDepth(doc) > 100) {
    ctx.out.diagnostics.push_back("document nests deeper than 100 levels; chunked as text");
    return false;
  }
  std::string label = yaml ? "YAML document" : "JSON document";
  auto chunks = splitJsonValue(ctx, yaml, doc, {}, label);
  for (auto& c : chunks) {
    c.category = "reference_other";
    c.chunkingStrategy = c.cutMidUnit ? "structured+text_split" : "structured";
    ctx.out.chunks.push_back(std::move(c));
  }
  return true;
}

}  // namespace cg::ingest::chunking
