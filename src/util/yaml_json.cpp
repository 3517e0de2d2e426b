// YAML -> OrderedJson on libyaml's event parser. Values are built bottom-up on an explicit stack of
// open collections (no recursion, so hostile nesting cannot overflow the C++ stack); plain scalars are
// resolved with a hand-written YAML 1.2 core-schema classifier.
#include "util/yaml_json.h"

#include <yaml.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <functional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace cg {
namespace {

using Object = OrderedJson::object_t;
using Array = OrderedJson::array_t;
using Entry = std::pair<std::string, OrderedJson>;

// ---------------------------------------------------------------------------------------------
// Scalar resolution (YAML 1.2 core schema)

bool isDecimalDigit(char c) { return c >= '0' && c <= '9'; }
bool isOctalDigit(char c) { return c >= '0' && c <= '7'; }
bool isHexDigit(char c) { return isDecimalDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool allOf(std::string_view s, bool (*pred)(char)) {
  if (s.empty()) return false;
  for (char c : s)
    if (!pred(c)) return false;
  return true;
}

bool isCoreNull(std::string_view v) { return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL"; }
bool isCoreTrue(std::string_view v) { return v == "true" || v == "True" || v == "TRUE"; }
bool isCoreFalse(std::string_view v) { return v == "false" || v == "False" || v == "FALSE"; }

std::string_view withoutSign(std::string_view v) {
  if (!v.empty() && (v.front() == '-' || v.front() == '+')) v.remove_prefix(1);
  return v;
}

// [-+]?[0-9]+
bool isCoreDecimal(std::string_view v) { return allOf(withoutSign(v), isDecimalDigit); }

// [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool isCoreFloat(std::string_view v) {
  v = withoutSign(v);
  size_t i = 0;
  size_t intDigits = 0;
  while (i < v.size() && isDecimalDigit(v[i])) ++i, ++intDigits;
  size_t fracDigits = 0;
  if (i < v.size() && v[i] == '.') {
    ++i;
    while (i < v.size() && isDecimalDigit(v[i])) ++i, ++fracDigits;
  }
  if (intDigits == 0 && fracDigits == 0) return false;
  if (i < v.size() && (v[i] == 'e' || v[i] == 'E')) {
    ++i;
    if (i < v.size() && (v[i] == '-' || v[i] == '+')) ++i;
    size_t expDigits = 0;
    while (i < v.size() && isDecimalDigit(v[i])) ++i, ++expDigits;
    if (expDigits == 0) return false;
  }
  return i == v.size();
}

// Parses an already validated float text; false when it does not fit a finite double.
bool parseDouble(std::string_view v, double& out) {
  if (!v.empty() && v.front() == '+') v.remove_prefix(1);
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  return ec == std::errc() && end == v.data() + v.size();
}

// Decimal / 0o octal / 0x hex integer per the core schema. Decimal integers beyond int64 become
// uint64 or double; octal/hex beyond int64 stay strings (no JSON number can hold them exactly).
bool resolveCoreInt(std::string_view v, OrderedJson& out) {
  if (v.size() > 2 && v[0] == '0' && (v[1] == 'o' || v[1] == 'x')) {
    std::string_view digits = v.substr(2);
    int base = v[1] == 'o' ? 8 : 16;
    if (!allOf(digits, base == 8 ? isOctalDigit : isHexDigit)) return false;
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n, base);
    if (ec != std::errc() || end != digits.data() + digits.size()) return false;
    out = n;
    return true;
  }
  if (!isCoreDecimal(v)) return false;
  std::string_view digits = v.front() == '+' ? v.substr(1) : v;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec == std::errc() && end == digits.data() + digits.size()) {
    out = n;
    return true;
  }
  if (digits.front() != '-') {
    std::uint64_t u = 0;
    auto [uend, uec] = std::from_chars(digits.data(), digits.data() + digits.size(), u);
    if (uec == std::errc() && uend == digits.data() + digits.size()) {
      out = u;
      return true;
    }
  }
  double d = 0;
  if (!parseDouble(v, d)) return false;
  out = d;
  return true;
}

bool resolveCoreFloat(std::string_view v, OrderedJson& out) {
  if (!isCoreFloat(v)) return false;  // .inf/.nan are floats in YAML but JSON cannot hold them: strings
  double d = 0;
  if (!parseDouble(v, d)) return false;
  out = d;
  return true;
}

OrderedJson resolvePlain(std::string_view v) {
  if (v.size() <= 5) {
    if (isCoreNull(v)) return nullptr;
    if (isCoreTrue(v)) return true;
    if (isCoreFalse(v)) return false;
  }
  // Only texts starting like a number can be one; everything else is a string without further work.
  char first = v.front();
  if (isDecimalDigit(first) || first == '-' || first == '+' || first == '.') {
    OrderedJson number;
    if (resolveCoreInt(v, number) || resolveCoreFloat(v, number)) return number;
  }
  return std::string(v);
}

OrderedJson resolveTagged(std::string_view tag, std::string_view v) {
  constexpr std::string_view kPrefix = "tag:yaml.org,2002:";
  if (tag.substr(0, kPrefix.size()) != kPrefix) return std::string(v);  // "!" and custom tags: strings
  std::string_view kind = tag.substr(kPrefix.size());
  OrderedJson resolved;
  if (kind == "null") return nullptr;
  if (kind == "bool") {
    if (isCoreTrue(v)) return true;
    if (isCoreFalse(v)) return false;
  } else if (kind == "int") {
    if (resolveCoreInt(v, resolved)) return resolved;
  } else if (kind == "float") {
    double d = 0;
    if ((isCoreFloat(v) || isCoreDecimal(v)) && parseDouble(v, d)) return d;
  }
  return std::string(v);
}

// ---------------------------------------------------------------------------------------------
// Builder

// Key -> position lookup for one mapping: linear scan while small, open-addressing table of entry
// positions once the mapping grows (OpenAPI `paths`/`schemas` hold thousands of keys).
class KeyIndex {
 public:
  static constexpr size_t kNotFound = static_cast<size_t>(-1);

  void clear() {
    slots_.clear();
    used_ = 0;
  }

  // Position of `key` among entries[0..entries.size()), or kNotFound.
  size_t find(const std::vector<Entry>& entries, std::string_view key) const {
    if (slots_.empty()) {
      for (size_t i = 0; i < entries.size(); ++i)
        if (entries[i].first == key) return i;
      return kNotFound;
    }
    size_t mask = slots_.size() - 1;
    for (size_t s = hash(key) & mask;; s = (s + 1) & mask) {
      uint32_t slot = slots_[s];
      if (slot == 0) return kNotFound;
      if (entries[slot - 1].first == key) return slot - 1;
    }
  }

  // Registers the entry just appended at entries.back().
  void added(const std::vector<Entry>& entries) {
    constexpr size_t kLinearLimit = 12;
    if (slots_.empty()) {
      if (entries.size() <= kLinearLimit) return;
      rebuild(entries, 64);
      return;
    }
    if ((used_ + 1) * 2 > slots_.size()) {
      rebuild(entries, slots_.size() * 2);
      return;
    }
    insert(entries.back().first, entries.size() - 1);
  }

 private:
  static size_t hash(std::string_view key) { return std::hash<std::string_view>{}(key); }

  void insert(std::string_view key, size_t position) {
    size_t mask = slots_.size() - 1;
    size_t s = hash(key) & mask;
    while (slots_[s] != 0) s = (s + 1) & mask;
    slots_[s] = static_cast<uint32_t>(position + 1);
    ++used_;
  }

  void rebuild(const std::vector<Entry>& entries, size_t size) {
    while (size < entries.size() * 2) size *= 2;
    slots_.assign(size, 0);
    used_ = 0;
    for (size_t i = 0; i < entries.size(); ++i) insert(entries[i].first, i);
  }

  std::vector<uint32_t> slots_;
  size_t used_ = 0;
};

// An open sequence or mapping.
struct Frame {
  bool isMapping = false;
  size_t height = 0;        // levels below this collection seen so far
  size_t nodesAtStart = 0;  // node counter before this collection (anchored subtree sizes)
  std::string anchor;       // empty when the collection is not anchored
  Array items;
  std::vector<Entry> entries;
  KeyIndex index;
  bool hasKey = false;  // a key is waiting for its value
  std::string key;
  bool keyIsMerge = false;  // the waiting key is the plain `<<` merge key
  std::vector<OrderedJson> mergeSources;
  size_t mergePosition = 0;  // explicit entries before the first `<<`; merged keys are placed there

  void reset(bool mapping, size_t nodes, const char* anchorName) {
    isMapping = mapping;
    height = 0;
    nodesAtStart = nodes;
    if (anchorName)
      anchor.assign(anchorName);
    else
      anchor.clear();
    items.clear();
    entries.clear();
    index.clear();
    hasKey = false;
    keyIsMerge = false;
    mergeSources.clear();
    mergePosition = 0;
  }
};

struct Anchored {
  OrderedJson value;
  std::string scalarText;  // raw text of an anchored scalar (used when the alias is a mapping key)
  bool isScalar = false;
  size_t nodeCount = 1;
  size_t height = 0;
};

std::string markText(const yaml_mark_t& mark) {
  return "line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1);
}

class EventScope {
 public:
  explicit EventScope(yaml_event_t& event) : event_(event) {}
  ~EventScope() { yaml_event_delete(&event_); }
  EventScope(const EventScope&) = delete;
  EventScope& operator=(const EventScope&) = delete;

 private:
  yaml_event_t& event_;
};

class Builder {
 public:
  explicit Builder(const YamlLimits& limits) : limits_(limits) {}

  OrderedJson run(const std::string& text) {
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) throw YamlError("invalid YAML: cannot initialize the parser");
    struct ParserScope {
      yaml_parser_t& p;
      ~ParserScope() { yaml_parser_delete(&p); }
    } parserScope{parser};
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());

    bool documentSeen = false;
    while (true) {
      yaml_event_t event;
      if (!yaml_parser_parse(&parser, &event)) throw syntaxError(parser);
      EventScope eventScope(event);
      switch (event.type) {
        case YAML_STREAM_END_EVENT:
          return std::move(root_);
        case YAML_DOCUMENT_START_EVENT:
          documentSeen = true;
          break;
        case YAML_DOCUMENT_END_EVENT:
          if (documentSeen) return std::move(root_);  // only the first document counts
          break;
        case YAML_SCALAR_EVENT:
          onScalar(event);
          break;
        case YAML_ALIAS_EVENT:
          onAlias(event);
          break;
        case YAML_SEQUENCE_START_EVENT:
          openCollection(false, event.data.sequence_start.anchor, event);
          break;
        case YAML_MAPPING_START_EVENT:
          openCollection(true, event.data.mapping_start.anchor, event);
          break;
        case YAML_SEQUENCE_END_EVENT:
          closeSequence();
          break;
        case YAML_MAPPING_END_EVENT:
          closeMapping();
          break;
        default:
          break;
      }
    }
  }

 private:
  static YamlError syntaxError(const yaml_parser_t& parser) {
    std::string message = "invalid YAML: ";
    message += parser.problem ? parser.problem : "syntax error";
    if (parser.error == YAML_READER_ERROR)
      message += " at byte offset " + std::to_string(parser.problem_offset);
    else
      message += " at " + markText(parser.problem_mark);
    if (parser.context) message += " (" + std::string(parser.context) + " at " + markText(parser.context_mark) + ")";
    return YamlError(message);
  }

  void countNodes(size_t count, size_t height, const yaml_mark_t& mark) {
    nodes_ += count;
    if (nodes_ > limits_.maxNodes)
      throw YamlError("YAML document expands to too many nodes (alias bomb?) at " + markText(mark));
    if (depth_ + height > limits_.maxDepth)
      throw YamlError("YAML document is nested too deeply at " + markText(mark));
  }

  bool expectingKey() const {
    if (depth_ == 0) return false;
    const Frame& top = frames_[depth_ - 1];
    return top.isMapping && !top.hasKey;
  }

  void setKey(std::string key, bool isMerge) {
    Frame& top = frames_[depth_ - 1];
    top.key = std::move(key);
    top.keyIsMerge = isMerge;
    top.hasKey = true;
  }

  void onScalar(const yaml_event_t& event) {
    const auto& s = event.data.scalar;
    std::string_view text(reinterpret_cast<const char*>(s.value), s.length);
    const char* tag = reinterpret_cast<const char*>(s.tag);
    const char* anchor = reinterpret_cast<const char*>(s.anchor);
    bool plainUntagged = s.style == YAML_PLAIN_SCALAR_STYLE && tag == nullptr;
    if (expectingKey() && anchor == nullptr) {
      setKey(std::string(text), plainUntagged && text == "<<");
      return;
    }
    OrderedJson value;
    if (plainUntagged)
      value = resolvePlain(text);
    else if (tag != nullptr)
      value = resolveTagged(tag, text);
    else
      value = std::string(text);
    if (anchor != nullptr) {
      Anchored& stored = anchors_[anchor];
      stored.value = value;
      stored.scalarText.assign(text);
      stored.isScalar = true;
      stored.nodeCount = 1;
      stored.height = 0;
      if (expectingKey()) {
        setKey(std::string(text), false);
        return;
      }
    }
    countNodes(1, 0, event.start_mark);
    deliver(std::move(value), 0);
  }

  void onAlias(const yaml_event_t& event) {
    const char* name = reinterpret_cast<const char*>(event.data.alias.anchor);
    auto found = anchors_.find(name);
    if (found == anchors_.end())
      throw YamlError("invalid YAML: unknown alias *" + std::string(name) + " at " + markText(event.start_mark));
    const Anchored& target = found->second;
    if (expectingKey()) {
      setKey(target.isScalar ? target.scalarText : dumpJson(target.value), false);
      return;
    }
    countNodes(target.nodeCount, target.height, event.start_mark);
    deliver(OrderedJson(target.value), target.height);
  }

  void openCollection(bool mapping, const yaml_char_t* anchor, const yaml_event_t& event) {
    countNodes(1, 0, event.start_mark);
    if (depth_ == frames_.size()) frames_.emplace_back();
    frames_[depth_].reset(mapping, nodes_ - 1, reinterpret_cast<const char*>(anchor));
    ++depth_;
  }

  void closeSequence() {
    Frame& frame = frames_[depth_ - 1];
    OrderedJson value(std::move(frame.items));
    frame.items = Array();
    finishCollection(std::move(value));
  }

  void closeMapping() {
    Frame& frame = frames_[depth_ - 1];
    OrderedJson value(OrderedJson::value_t::object);
    Object& object = value.get_ref<Object&>();
    if (frame.mergeSources.empty()) {
      object.reserve(frame.entries.size());
      for (Entry& entry : frame.entries) object.emplace_back(std::move(entry.first), std::move(entry.second));
    } else {
      // Keys written in the mapping win over merged ones; among merged mappings the earlier one wins.
      std::vector<Entry> merged;
      std::unordered_set<std::string> mergedKeys;
      for (OrderedJson& source : frame.mergeSources) {
        for (auto& [key, item] : source.get_ref<Object&>()) {
          if (frame.index.find(frame.entries, key) != KeyIndex::kNotFound) continue;
          if (!mergedKeys.insert(key).second) continue;
          merged.emplace_back(key, std::move(item));
        }
      }
      object.reserve(frame.entries.size() + merged.size());
      size_t split = std::min(frame.mergePosition, frame.entries.size());
      for (size_t i = 0; i < split; ++i)
        object.emplace_back(std::move(frame.entries[i].first), std::move(frame.entries[i].second));
      for (Entry& entry : merged) object.emplace_back(std::move(entry.first), std::move(entry.second));
      for (size_t i = split; i < frame.entries.size(); ++i)
        object.emplace_back(std::move(frame.entries[i].first), std::move(frame.entries[i].second));
    }
    finishCollection(std::move(value));
  }

  void finishCollection(OrderedJson value) {
    Frame& frame = frames_[depth_ - 1];
    size_t height = frame.height;
    if (!frame.anchor.empty()) {
      Anchored& stored = anchors_[frame.anchor];
      stored.value = value;
      stored.scalarText.clear();
      stored.isScalar = false;
      stored.nodeCount = nodes_ - frame.nodesAtStart;
      stored.height = height;
    }
    --depth_;
    if (expectingKey()) {
      setKey(dumpJson(value), false);  // complex keys have no JSON form: use their compact JSON text
      return;
    }
    deliver(std::move(value), height);
  }

  void deliver(OrderedJson value, size_t height) {
    if (depth_ == 0) {
      root_ = std::move(value);
      return;
    }
    Frame& parent = frames_[depth_ - 1];
    parent.height = std::max(parent.height, height + 1);
    if (!parent.isMapping) {
      parent.items.push_back(std::move(value));
      return;
    }
    parent.hasKey = false;
    if (parent.keyIsMerge && addMergeSource(parent, value)) return;
    size_t existing = parent.index.find(parent.entries, parent.key);
    if (existing != KeyIndex::kNotFound) {
      parent.entries[existing].second = std::move(value);  // duplicate key: last value, first position
      return;
    }
    parent.entries.emplace_back(std::move(parent.key), std::move(value));
    parent.index.added(parent.entries);
  }

  // `<<: *base` or `<<: [*a, *b]`; anything else under `<<` is kept as an ordinary key.
  static bool addMergeSource(Frame& frame, OrderedJson& value) {
    if (value.is_array()) {
      if (value.empty()) return false;
      for (const auto& item : value)
        if (!item.is_object()) return false;
    } else if (!value.is_object()) {
      return false;
    }
    if (frame.mergeSources.empty()) frame.mergePosition = frame.entries.size();
    if (value.is_object()) {
      frame.mergeSources.push_back(std::move(value));
    } else {
      for (auto& item : value) frame.mergeSources.push_back(std::move(item));
    }
    return true;
  }

  const YamlLimits& limits_;
  size_t nodes_ = 0;
  size_t depth_ = 0;  // open collections
  std::vector<Frame> frames_;
  std::unordered_map<std::string, Anchored> anchors_;
  OrderedJson root_;
};

}  // namespace

OrderedJson yamlToJson(const std::string& text, const YamlLimits& limits) {
  Builder builder(limits);
  return builder.run(text);
}
}  // namespace cg
