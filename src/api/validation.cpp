#include "api/validation.h"

#include "util/api_error.h"
#include "util/strings.h"
#include "util/uuid.h"

namespace cg::api {
namespace {
std::string uuidProblem(const std::string& v) {
  if (v.size() != 36 && v.size() != 32)
    return "invalid length: expected length 32 for simple format, found " + std::to_string(v.size());
  return "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-]";
}
}  // namespace

std::string uuidParam(const http::Request& req, const std::string& name) {
  const std::string& raw = req.param(name);
  if (auto id = parseUuid(raw)) return *id;
  std::string problem = uuidProblem(raw);
  throwValidation("uuid_parsing", OrderedJson::array({"path", name}), "Input should be a valid UUID, " + problem, raw,
                  OrderedJson{{"error", problem}});
}

std::optional<std::string> uuidQuery(const http::Request& req, const std::string& name) {
  auto raw = req.queryParam(name);
  if (!raw) return std::nullopt;
  if (auto id = parseUuid(*raw)) return *id;
  std::string problem = uuidProblem(*raw);
  throwValidation("uuid_parsing", OrderedJson::array({"query", name}), "Input should be a valid UUID, " + problem, *raw,
                  OrderedJson{{"error", problem}});
}

bool boolQuery(const http::Request& req, const std::string& name, bool defaultValue) {
  auto raw = req.queryParam(name);
  if (!raw) return defaultValue;
  std::string v = toLower(trim(*raw));
  if (v == "true" || v == "1" || v == "yes" || v == "on" || v == "t" || v == "y") return true;
  if (v == "false" || v == "0" || v == "no" || v == "off" || v == "f" || v == "n") return false;
  throwValidation("bool_parsing", OrderedJson::array({"query", name}), "Input should be a valid boolean, unable to interpret input",
                  *raw);
}

OrderedJson jsonBody(const http::Request& req) {
  if (trim(req.body).empty()) throwValidation("missing", OrderedJson::array({"body"}), "Field required", nullptr);
  try {
    return OrderedJson::parse(req.body);
  } catch (const OrderedJson::parse_error& e) {
    throwValidation("json_invalid", OrderedJson::array({"body", static_cast<int64_t>(e.byte)}), "JSON decode error",
                    OrderedJson::object(), OrderedJson{{"error", e.what()}});
  }
}

const OrderedJson& objectField(const OrderedJson& body, const std::string& field) {
  if (!body.is_object()) throwValidation("model_attributes_type", OrderedJson::array({"body"}),
                                         "Input should be a valid dictionary or object to extract fields from", body);
  auto it = body.find(field);
  if (it == body.end()) throwValidation("missing", OrderedJson::array({"body", field}), "Field required", body);
  if (!it->is_object())
    throwValidation("dict_type", OrderedJson::array({"body", field}), "Input should be a valid dictionary", *it);
  return *it;
}
}  // namespace cg::api
