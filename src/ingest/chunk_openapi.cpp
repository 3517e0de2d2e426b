// OpenAPI 2.0 / 3.x chunking: an overview chunk (info, servers, tags, security, extensions),
// path chunks grouped by tag (else by first distinguishing path segment) with the components
// they reference, schema chunks, and chunks for components no path chunk carried.
#include <algorithm>
#include <array>
#include <exception>
#include <map>
#include <set>
#include <unordered_map>

#include "ingest/chunk_packer.h"
#include "ingest/chunk_strategies.h"
#include "ingest/chunk_writer.h"
#include "util/strings.h"
#include "util/yaml_json.h"

namespace cg::ingest::chunking {
namespace {

constexpr std::array<std::string_view, 8> kMethods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};

bool isMethod(std::string_view key) { return std::find(kMethods.begin(), kMethods.end(), key) != kMethods.end(); }

std::string unescapePointer(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '~' && i + 1 < s.size() && (s[i + 1] == '0' || s[i + 1] == '1')) {
      out += s[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

struct Component {
  std::vector<std::string> location;  // e.g. {"components","schemas"} or {"definitions"}
  std::string name;
  const OrderedJson* value = nullptr;
  bool isSchema = false;
  size_t tokens = 0;
  std::vector<size_t> directRefs;
  bool refsResolved = false;
};

struct PathUnit {
  std::string path;
  const OrderedJson* item = nullptr;
  std::vector<std::string> methods;  // empty = the whole path item
  size_t group = 0;
  size_t operations = 0;
  std::vector<std::string> tags;
  std::vector<size_t> deps;  // component closure
};

class OpenApiChunker {
 public:
  OpenApiChunker(const StrategyContext& ctx, bool yaml, OrderedJson doc)
      : ctx_(ctx), yaml_(yaml), doc_(std::move(doc)), count_(ctx.budget.count), maxTokens_(ctx.budget.maxTokens) {}

  void run() {
    v2_ = doc_.contains("swagger");
    collectComponents();
    buildBase();
    emitOverview();
    emitPaths();
    emitSchemas();
    emitLeftoverComponents();
  }

 private:
  const StrategyContext& ctx_;
  bool yaml_;
  OrderedJson doc_;
  const TokenCounter& count_;
  size_t maxTokens_;
  bool v2_ = false;
  std::vector<Component> comps_;
  std::unordered_map<std::string, size_t> compByRef_;
  std::vector<bool> compEmitted_;
  OrderedJson base_;
  size_t baseTokens_ = 0;
  std::map<std::string, const OrderedJson*> tagObjects_;
  std::vector<std::string> securitySchemeNames_;

  std::string serialize(const OrderedJson& v) const { return serializeDoc(v, yaml_); }

  void collectComponents() {
    auto addSection = [&](const std::vector<std::string>& location, const OrderedJson& section, bool isSchema) {
      if (!section.is_object()) return;
      std::string prefix = "#";
      for (const auto& l : location) prefix += "/" + l;
      for (auto it = section.begin(); it != section.end(); ++it) {
        Component c;
        c.location = location;
        c.name = it.key();
        c.value = &it.value();
        c.isSchema = isSchema;
        compByRef_.emplace(prefix + "/" + it.key(), comps_.size());
        comps_.push_back(std::move(c));
      }
    };
    if (v2_) {
      for (const char* key : {"definitions", "parameters", "responses"})
        if (doc_.contains(key)) addSection({key}, doc_[key], std::string_view(key) == "definitions");
    } else if (doc_.contains("components") && doc_["components"].is_object()) {
      for (auto it = doc_["components"].begin(); it != doc_["components"].end(); ++it) {
        if (it.key() == "securitySchemes") continue;  // part of every chunk's base
        addSection({"components", it.key()}, it.value(), it.key() == "schemas");
      }
    }
    compEmitted_.assign(comps_.size(), false);
    for (auto& c : comps_) {
      OrderedJson one = OrderedJson::object();
      one[c.name] = *c.value;
      c.tokens = count_(serialize(one));
    }
  }

  // Component index of a local $ref, or npos.
  size_t resolveRef(std::string_view ref) const {
    if (!ref.starts_with("#/")) return std::string::npos;
    size_t segments = v2_ ? 2 : 3;
    size_t pos = 1;
    for (size_t k = 0; k < segments && pos != std::string_view::npos; ++k) pos = ref.find('/', pos + 1);
    std::string key(pos == std::string_view::npos ? ref : ref.substr(0, pos));
    auto it = compByRef_.find(key);
    if (it == compByRef_.end()) {
      it = compByRef_.find(unescapePointer(key));
      if (it == compByRef_.end()) return std::string::npos;
    }
    return it->second;
  }

  std::vector<size_t> refsIn(const OrderedJson& value) const {
    std::vector<size_t> out;
    std::vector<const OrderedJson*> stack{&value};
    while (!stack.empty()) {
      const OrderedJson* node = stack.back();
      stack.pop_back();
      if (node->is_object()) {
        for (auto it = node->begin(); it != node->end(); ++it) {
          if (it.key() == "$ref" && it.value().is_string()) {
            size_t c = resolveRef(it.value().get_ref<const std::string&>());
            if (c != std::string::npos && std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
          } else if (it.value().is_structured()) {
            stack.push_back(&it.value());
          }
        }
      } else if (node->is_array()) {
        for (const auto& child : *node)
          if (child.is_structured()) stack.push_back(&child);
      }
    }
    return out;
  }

  const std::vector<size_t>& directRefs(size_t c) {
    if (!comps_[c].refsResolved) {
      comps_[c].directRefs = refsIn(*comps_[c].value);
      comps_[c].refsResolved = true;
    }
    return comps_[c].directRefs;
  }

  // Components a path needs: everything it references, following non-schema components
  // (parameters, responses, …) transitively; schemas are included but not expanded.
  std::vector<size_t> closure(const std::vector<size_t>& roots) {
    std::vector<size_t> out;
    std::set<size_t> seen;
    std::vector<size_t> stack(roots.rbegin(), roots.rend());
    while (!stack.empty()) {
      size_t c = stack.back();
      stack.pop_back();
      if (!seen.insert(c).second) continue;
      out.push_back(c);
      if (comps_[c].isSchema) continue;
      const auto& refs = directRefs(c);
      for (auto it = refs.rbegin(); it != refs.rend(); ++it) stack.push_back(*it);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  void buildBase() {
    base_ = OrderedJson::object();
    static const std::array<std::string_view, 11> kBaseKeys = {
        "openapi", "swagger", "info", "servers", "host", "basePath", "schemes", "consumes", "produces",
        "securityDefinitions", "security"};
    for (auto it = doc_.begin(); it != doc_.end(); ++it) {
      if (std::find(kBaseKeys.begin(), kBaseKeys.end(), it.key()) == kBaseKeys.end()) continue;
      if (it.key() == "info" && it.value().is_object()) {
        OrderedJson info = OrderedJson::object();
        for (const char* k : {"title", "version"})
          if (it.value().contains(k)) info[k] = it.value()[k];
        base_["info"] = std::move(info);
      } else {
        base_[it.key()] = it.value();
      }
    }
    if (!v2_ && doc_.contains("components") && doc_["components"].is_object() &&
        doc_["components"].contains("securitySchemes"))
      base_["components"]["securitySchemes"] = doc_["components"]["securitySchemes"];
    const OrderedJson* schemes = nullptr;
    if (base_.contains("securityDefinitions")) schemes = &base_["securityDefinitions"];
    if (base_.contains("components")) schemes = &base_["components"]["securitySchemes"];
    if (schemes && schemes->is_object())
      for (auto it = schemes->begin(); it != schemes->end(); ++it) securitySchemeNames_.push_back(it.key());
    // A base that would crowd out the content is reduced to the essentials.
    baseTokens_ = count_(serialize(base_));
    if (baseTokens_ > maxTokens_ / 4) {
      OrderedJson minimal = OrderedJson::object();
      for (const char* k : {"openapi", "swagger", "info"})
        if (base_.contains(k)) minimal[k] = base_[k];
      base_ = std::move(minimal);
      baseTokens_ = count_(serialize(base_));
      if (baseTokens_ > maxTokens_ / 4) {
        base_ = OrderedJson::object();
        baseTokens_ = 0;
      }
    }
    if (doc_.contains("tags") && doc_["tags"].is_array())
      for (const auto& t : doc_["tags"])
        if (t.is_object() && t.contains("name") && t["name"].is_string())
          tagObjects_.emplace(t["name"].get<std::string>(), &t);
  }

  std::string title() const {
    std::string t;
    if (doc_.contains("info") && doc_["info"].is_object()) {
      const auto& info = doc_["info"];
      if (info.contains("title") && info["title"].is_string()) t = info["title"].get<std::string>();
      if (info.contains("version") && info["version"].is_string()) t += " " + info["version"].get<std::string>();
    }
    return trim(t);
  }

  void finish(Chunk& c, std::string strategy) {
    if (c.tokenCount == 0 && c.characterCount == 0) measure(c, count_);
    c.category = yaml_ ? "spec_yaml" : "spec_json";
    c.chunkingStrategy = std::move(strategy) + (c.cutMidUnit ? "+text_split" : "");
    addUnique(c.tags, "REST");
    ctx_.out.chunks.push_back(std::move(c));
  }

  // Overview: the document without paths and reusable components. When it does not fit, its
  // top-level entries are packed into chunks that each start with the compact base.
  void emitOverview() {
    OrderedJson overview = OrderedJson::object();
    for (auto it = doc_.begin(); it != doc_.end(); ++it) {
      const std::string& k = it.key();
      if (k == "paths" || (v2_ && (k == "definitions" || k == "parameters" || k == "responses"))) continue;
      if (k == "components") {
        if (!v2_ && it.value().is_object() && it.value().contains("securitySchemes"))
          overview["components"]["securitySchemes"] = it.value()["securitySchemes"];
        continue;
      }
      overview[k] = it.value();
    }
    if (overview.empty()) return;
    size_t pathCount = doc_.contains("paths") && doc_["paths"].is_object() ? doc_["paths"].size() : 0;
    size_t schemaCount = 0;
    for (const auto& c : comps_) schemaCount += c.isSchema ? 1 : 0;
    std::string summary = "OpenAPI overview" + (title().empty() ? "" : " of " + title()) + ": " +
                          std::to_string(pathCount) + " paths, " + std::to_string(schemaCount) + " schemas";
    if (!securitySchemeNames_.empty()) summary += ", security schemes " + shortList(securitySchemeNames_, 4);
    auto decorate = [&](Chunk& c) {
      for (const auto& [name, obj] : tagObjects_) addUnique(c.tags, name, 40);
      if (!securitySchemeNames_.empty()) addUnique(c.tags, "authentication");
      finish(c, "openapi_overview");
    };
    {
      Chunk c;
      c.content = serialize(overview);
      measure(c, count_);
      if (c.tokenCount <= maxTokens_) {
        c.summary = summary;
        decorate(c);
        return;
      }
    }
    std::vector<std::string> keys;
    for (auto it = overview.begin(); it != overview.end(); ++it)
      if (!base_.contains(it.key()) || base_[it.key()] != it.value()) keys.push_back(it.key());
    PackPlan plan;
    plan.baseTokens = baseTokens_;
    plan.limit = maxTokens_ * 9 / 10;
    std::vector<PackUnit> units;
    for (const auto& k : keys) {
      OrderedJson one = OrderedJson::object();
      one[k] = overview[k];
      units.push_back(PackUnit{count_(serialize(one)), 0, {}});
    }
    packUnits(
        units, plan,
        [&](size_t i, size_t j) {
          OrderedJson d = base_;
          std::vector<std::string> shown;
          for (size_t k = i; k < j; ++k) {
            d[keys[k]] = overview[keys[k]];
            shown.push_back(keys[k]);
          }
          Chunk c;
          c.content = serialize(d);
          measure(c, count_);
          if (c.tokenCount > maxTokens_) return false;
          c.summary = summary + ": " + shortList(shown, 4);
          decorate(c);
          return true;
        },
        [&](size_t i) {
          for (auto& c :
               splitJsonValue(ctx_, yaml_, overview[keys[i]], {WrapStep{false, keys[i]}}, summary + ": " + keys[i], &base_))
            decorate(c);
        });
  }

  // Group key: the first tag of the path's operations, else its first path segment after the
  // prefix all paths share (and not a parameter).
  std::string groupKey(const std::string& path, const OrderedJson& item, size_t sharedSegments) const {
    if (item.is_object())
      for (auto it = item.begin(); it != item.end(); ++it)
        if (isMethod(it.key()) && it.value().is_object() && it.value().contains("tags") &&
            it.value()["tags"].is_array() && !it.value()["tags"].empty() && it.value()["tags"][0].is_string())
          return "tag " + it.value()["tags"][0].get<std::string>();
    auto segs = split(path, '/', true);
    for (size_t k = sharedSegments; k < segs.size(); ++k)
      if (!segs[k].empty() && segs[k][0] != '{') return "segment " + segs[k];
    return "segment /";
  }

  void emitPaths() {
    if (!doc_.contains("paths") || !doc_["paths"].is_object()) return;
    const OrderedJson& paths = doc_["paths"];
    // Path segments shared by every path (e.g. /api/v1) do not distinguish groups.
    size_t shared = 0;
    {
      std::vector<std::vector<std::string>> all;
      for (auto it = paths.begin(); it != paths.end(); ++it) all.push_back(split(it.key(), '/', true));
      if (all.size() > 1) {
        while (true) {
          bool same = !all[0].empty() && shared < all[0].size() - 1;
          for (const auto& s : all) same = same && shared < s.size() - 1 && s[shared] == all[0][shared];
          if (!same) break;
          ++shared;
        }
      }
    }
    std::vector<std::string> groupNames;
    std::vector<PathUnit> units;
    for (auto it = paths.begin(); it != paths.end(); ++it) {
      std::string key = groupKey(it.key(), it.value(), shared);
      size_t group = std::find(groupNames.begin(), groupNames.end(), key) - groupNames.begin();
      if (group == groupNames.size()) groupNames.push_back(key);
      PathUnit whole;
      whole.path = it.key();
      whole.item = &it.value();
      whole.group = group;
      std::vector<std::string> methods;
      if (it.value().is_object())
        for (auto m = it.value().begin(); m != it.value().end(); ++m)
          if (isMethod(m.key())) methods.push_back(m.key());
      whole.operations = methods.size();
      // Path items that are large on their own are split per operation up front.
      bool splitOps = false;
      if (methods.size() > 1) {
        OrderedJson one = OrderedJson::object();
        one[whole.path] = *whole.item;
        splitOps = count_(serialize(one)) > maxTokens_ / 2;
      }
      if (splitOps) {
        for (const auto& m : methods) {
          PathUnit op = whole;
          op.methods = {m};
          op.operations = 1;
          units.push_back(std::move(op));
        }
      } else {
        units.push_back(std::move(whole));
      }
    }
    std::stable_sort(units.begin(), units.end(), [](const PathUnit& a, const PathUnit& b) { return a.group < b.group; });

    PackPlan plan;
    plan.baseTokens = baseTokens_;
    plan.limit = maxTokens_ * 9 / 10;
    for (const auto& c : comps_) plan.depTokens.push_back(c.tokens);
    std::vector<PackUnit> packUnitsList;
    for (auto& u : units) {
      OrderedJson item = unitItem(u);
      for (auto m = item.begin(); item.is_object() && m != item.end(); ++m)
        if (isMethod(m.key()) && m.value().is_object() && m.value().contains("tags") && m.value()["tags"].is_array())
          for (const auto& t : m.value()["tags"])
            if (t.is_string()) addUnique(u.tags, t.get<std::string>());
      u.deps = closure(refsIn(item));
      OrderedJson one = OrderedJson::object();
      one[u.path] = std::move(item);
      PackUnit pu;
      pu.tokens = count_(serialize(one));
      pu.group = u.group;
      pu.deps = u.deps;
      packUnitsList.push_back(std::move(pu));
    }
    packUnits(
        packUnitsList, plan,
        [&](size_t i, size_t j) {
          for (int level = 0; level <= (j - i == 1 ? 2 : 0); ++level)
            if (tryEmitPaths(units, i, j, level)) return true;
          return false;
        },
        [&](size_t i) { emitOversizedPath(units[i]); });
  }

  OrderedJson unitItem(const PathUnit& u) const {
    if (u.methods.empty() || !u.item->is_object()) return *u.item;
    OrderedJson item = OrderedJson::object();
    for (auto it = u.item->begin(); it != u.item->end(); ++it)
      if (!isMethod(it.key()) || std::find(u.methods.begin(), u.methods.end(), it.key()) != u.methods.end())
        item[it.key()] = it.value();
    return item;
  }

  void addComponents(OrderedJson& docOut, const std::vector<size_t>& ids) {
    for (size_t c : ids) {
      OrderedJson* target = &docOut;
      for (const auto& l : comps_[c].location) target = &(*target)[l];
      (*target)[comps_[c].name] = *comps_[c].value;
    }
  }

  OrderedJson docWithTags(const std::vector<std::string>& tags) const {
    OrderedJson d = base_;
    if (!tags.empty() && doc_.contains("tags") && doc_["tags"].is_array()) {
      OrderedJson t = OrderedJson::array();
      for (const auto& obj : doc_["tags"])
        if (obj.is_object() && obj.contains("name") && obj["name"].is_string() &&
            std::find(tags.begin(), tags.end(), obj["name"].get<std::string>()) != tags.end())
          t.push_back(obj);
      if (!t.empty()) d["tags"] = std::move(t);
    }
    return d;
  }

  // Builds the chunk for path units [i, j). Level 0 carries all referenced components,
  // level 1 leaves out schemas (still listed in metadata), level 2 carries none.
  bool tryEmitPaths(const std::vector<PathUnit>& units, size_t i, size_t j, int level) {
    std::vector<std::string> tags;
    std::vector<size_t> deps;
    for (size_t k = i; k < j; ++k) {
      for (const auto& t : units[k].tags) addUnique(tags, t, 1000);
      deps.insert(deps.end(), units[k].deps.begin(), units[k].deps.end());
    }
    std::sort(deps.begin(), deps.end());
    deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
    std::vector<size_t> included;
    for (size_t c : deps)
      if (level == 0 || (level == 1 && !comps_[c].isSchema)) included.push_back(c);
    OrderedJson d = docWithTags(tags);
    OrderedJson& pathsOut = d["paths"];
    pathsOut = OrderedJson::object();
    Chunk c;
    for (size_t k = i; k < j; ++k) {
      const PathUnit& u = units[k];
      OrderedJson item = unitItem(u);
      if (pathsOut.contains(u.path) && pathsOut[u.path].is_object() && item.is_object())
        for (auto it = item.begin(); it != item.end(); ++it) pathsOut[u.path][it.key()] = it.value();
      else
        pathsOut[u.path] = std::move(item);
      addUnique(c.paths, u.path, 100000);
      c.numEndpoints += u.operations;
    }
    addComponents(d, included);
    c.content = serialize(d);
    measure(c, count_);
    if (c.tokenCount > maxTokens_) return false;
    for (size_t id : included) {
      compEmitted_[id] = true;
      if (comps_[id].isSchema) c.schemas.push_back(comps_[id].name);
    }
    for (size_t id : deps)
      if (comps_[id].isSchema) c.referencedSchemas.push_back(comps_[id].name);
    fillPathMetadata(c, tags);
    finish(c, "openapi_paths");
    return true;
  }

  void fillPathMetadata(Chunk& c, const std::vector<std::string>& tags) {
    for (const auto& t : tags) addUnique(c.tags, t, 40);
    for (const auto& s : c.referencedSchemas) addUnique(c.tags, s, 40);
    std::string pathText;
    for (const auto& p : c.paths) pathText += "GET " + p + "\n";
    for (const auto& r : findEndpointMentions(pathText).resources) addUnique(c.tags, r, 40);
    if (c.numEndpoints > 0) addUnique(c.tags, "endpoints");
    c.summary = "OpenAPI paths " + shortList(c.paths, 3);
    if (!tags.empty()) c.summary += std::string(" (tag") + (tags.size() > 1 ? "s " : " ") + shortList(tags, 3) + ")";
    c.summary += ": " + std::to_string(c.numEndpoints) + (c.numEndpoints == 1 ? " operation" : " operations");
  }

  void emitOversizedPath(const PathUnit& u) {
    OrderedJson d = docWithTags(u.tags);
    d["paths"][u.path] = unitItem(u);
    std::string text = serialize(d);
    auto pieces = textFallbackChunks(ctx_, text, yaml_ ? "# (continued) path " + u.path + "\n" : "");
    for (size_t k = 0; k < pieces.size(); ++k) {
      Chunk& c = pieces[k];
      c.paths = {u.path};
      c.numEndpoints = k == 0 ? u.operations : 0;
      for (size_t id : u.deps)
        if (comps_[id].isSchema) c.referencedSchemas.push_back(comps_[id].name);
      fillPathMetadata(c, u.tags);
      c.numEndpoints = k == 0 ? u.operations : 0;
      c.summary += ", part " + std::to_string(k + 1) + " of " + std::to_string(pieces.size());
      finish(c, "openapi_paths");
    }
  }

  void emitComponentGroup(const std::vector<size_t>& ids, const std::string& strategy) {
    if (ids.empty()) return;
    PackPlan plan;
    plan.baseTokens = baseTokens_;
    plan.limit = maxTokens_ * 9 / 10;
    std::vector<PackUnit> units;
    std::map<std::vector<std::string>, size_t> groups;
    for (size_t id : ids) {
      PackUnit u;
      u.tokens = comps_[id].tokens;
      u.group = groups.emplace(comps_[id].location, groups.size()).first->second;
      units.push_back(std::move(u));
    }
    auto describe = [&](Chunk& c, size_t i, size_t j) {
      std::vector<std::string> names;
      for (size_t k = i; k < j; ++k) {
        const Component& comp = comps_[ids[k]];
        names.push_back(comp.name);
        if (comp.isSchema) {
          c.schemas.push_back(comp.name);
          addUnique(c.tags, comp.name, 40);
          for (size_t r : directRefs(ids[k]))
            if (comps_[r].isSchema && r != ids[k]) addUnique(c.referencedSchemas, comps_[r].name, 100000);
        }
      }
      const auto& loc = comps_[ids[i]].location;
      c.summary = std::string("OpenAPI ") + (comps_[ids[i]].isSchema ? "schemas " : loc.back() + " ") + shortList(names, 4);
    };
    packUnits(
        units, plan,
        [&](size_t i, size_t j) {
          OrderedJson d = base_;
          std::vector<size_t> part(ids.begin() + static_cast<std::ptrdiff_t>(i), ids.begin() + static_cast<std::ptrdiff_t>(j));
          addComponents(d, part);
          Chunk c;
          c.content = serialize(d);
          measure(c, count_);
          if (c.tokenCount > maxTokens_) return false;
          describe(c, i, j);
          finish(c, strategy);
          return true;
        },
        [&](size_t i) {
          OrderedJson d = base_;
          addComponents(d, {ids[i]});
          auto pieces = textFallbackChunks(ctx_, serialize(d), yaml_ ? "# (continued) " + comps_[ids[i]].name + "\n" : "");
          for (size_t k = 0; k < pieces.size(); ++k) {
            describe(pieces[k], i, i + 1);
            pieces[k].summary += ", part " + std::to_string(k + 1) + " of " + std::to_string(pieces.size());
            finish(pieces[k], strategy);
          }
        });
  }

  void emitSchemas() {
    std::vector<size_t> ids;
    for (size_t k = 0; k < comps_.size(); ++k)
      if (comps_[k].isSchema) ids.push_back(k);
    emitComponentGroup(ids, "openapi_schemas");
  }

  void emitLeftoverComponents() {
    std::vector<size_t> ids;
    for (size_t k = 0; k < comps_.size(); ++k)
      if (!comps_[k].isSchema && !compEmitted_[k]) ids.push_back(k);
    emitComponentGroup(ids, "openapi_components");
  }
};

}  // namespace

bool chunkOpenApi(const StrategyContext& ctx, bool yaml) {
  OrderedJson doc;
  try {
    doc = yaml ? yamlToJson(std::string(ctx.text)) : OrderedJson::parse(ctx.text);
  } catch (const std::exception& e) {
    ctx.out.diagnostics.push_back(std::string("OpenAPI ") + (yaml ? "YAML" : "JSON") + " did not parse (" + e.what() +
                                  "); chunked as text");
    return false;
  }
  if (!doc.is_object() || !(doc.contains("openapi") || doc.contains("swagger") || doc.contains("paths"))) {
    ctx.out.diagnostics.push_back("document has no openapi/swagger/paths key; chunked as generic structured data");
    return chunkStructured(ctx, yaml);
  }
  if (jsonDepth(doc) > 100) {
    ctx.out.diagnostics.push_back("OpenAPI document nests deeper than 100 levels; chunked as text");
    return false;
  }
  OpenApiChunker(ctx, yaml, std::move(doc)).run();
  return true;
}

}  // namespace cg::ingest::chunking
