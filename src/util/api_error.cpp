#include "util/api_error.h"

namespace cg {
Json validationItem(std::string type, Json loc, std::string msg, Json input, Json ctx) {
  Json item = {{"type", std::move(type)}, {"loc", std::move(loc)}, {"msg", std::move(msg)}, {"input", std::move(input)}};
  if (!ctx.is_null()) item["ctx"] = std::move(ctx);
  return item;
}

void throwValidation(std::string type, Json loc, std::string msg, Json input, Json ctx) {
  throw ApiError(422, Json::array({validationItem(std::move(type), std::move(loc), std::move(msg), std::move(input),
                                                   std::move(ctx))}));
}
}  // namespace cg
