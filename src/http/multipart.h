// multipart/form-data parsing (RFC 7578) of an in-memory request body. Pure: returns the parts or
// an error message; never throws on malformed input. Part data are views into the body.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cg::http {
struct MultipartPart {
  std::string name;
  std::optional<std::string> filename;
  std::string contentType;  // as declared by the part ("" if none)
  std::string_view data;
};

struct MultipartResult {
  std::vector<MultipartPart> parts;
  std::string error;  // non-empty when the body is not valid multipart/form-data
};

// `contentTypeHeader` is the request's Content-Type (must be multipart/form-data with a boundary).
MultipartResult parseMultipart(std::string_view contentTypeHeader, std::string_view body, size_t maxParts = 64);
}  // namespace cg::http
