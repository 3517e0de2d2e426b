// Standard base64 (RFC 4648) encoding and decoding, used to keep binary payloads in text columns.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace cg {
std::string base64Encode(std::string_view bytes);
// nullopt when `text` is not valid base64 (padding optional, whitespace not allowed).
std::optional<std::string> base64Decode(std::string_view text);
}  // namespace cg
