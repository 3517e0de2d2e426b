#include "util/api_error.h"

namespace cg {
OrderedJson validationItem(std::string type, OrderedJson loc, std::string msg, OrderedJson input, OrderedJson ctx) {
  OrderedJson item = OrderedJson::object();
  item["type"] = std::move(type);
  item["loc"] = std::move(loc);
  item["msg"] = std::move(msg);
  item["input"] = std::move(input);
  if (!ctx.is_null()) item["ctx"] = std::move(ctx);
  return item;
}

void throwValidation(std::string type, OrderedJson loc, std::string msg, OrderedJson input, OrderedJson ctx) {
  throw ApiError(422, OrderedJson::array({validationItem(std::move(type), std::move(loc), std::move(msg),
                                                          std::move(input), std::move(ctx))}));
}
}  // namespace cg
