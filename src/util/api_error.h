// ApiError: the typed error services throw; the HTTP layer maps it once to the contract's JSON
// error shapes (api-contract.md A.3): E1 `{"detail": "<message>"}` or E2 `{"detail": [items…]}`.
#pragma once
#include <stdexcept>
#include <string>

#include "util/json.h"

namespace cg {
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string detail) : std::runtime_error(detail), status_(status), detail_(std::move(detail)) {}
  ApiError(int status, const char* detail) : ApiError(status, std::string(detail)) {}
  ApiError(int status, OrderedJson detail)
      : std::runtime_error(detail.is_string() ? detail.get<std::string>() : detail.dump()),
        status_(status),
        detail_(std::move(detail)) {}
  int status() const { return status_; }
  const OrderedJson& detail() const { return detail_; }

 private:
  int status_;
  OrderedJson detail_;
};

// One E2 (request validation) item: {"type","loc","msg","input"[, "ctx"]}.
OrderedJson validationItem(std::string type, OrderedJson loc, std::string msg, OrderedJson input, OrderedJson ctx = nullptr);
// Throws 422 with a single validation item.
[[noreturn]] void throwValidation(std::string type, OrderedJson loc, std::string msg, OrderedJson input, OrderedJson ctx = nullptr);
}  // namespace cg
