#include "http/multipart.h"

#include "util/strings.h"

namespace cg::http {
namespace {
// Value of a `key=value` parameter in a header value (quoted or token), case-insensitive key.
std::optional<std::string> headerParam(std::string_view value, std::string_view key) {
  size_t i = 0;
  while (i < value.size()) {
    size_t semi = value.find(';', i);
    if (semi == std::string_view::npos) break;
    i = semi + 1;
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
    size_t eq = value.find('=', i);
    if (eq == std::string_view::npos) break;
    std::string k = toLower(trim(value.substr(i, eq - i)));
    size_t v = eq + 1;
    std::string out;
    if (v < value.size() && value[v] == '"') {
      ++v;
      while (v < value.size() && value[v] != '"') {
        if (value[v] == '\\' && v + 1 < value.size()) ++v;
        out.push_back(value[v++]);
      }
      i = v + 1;
    } else {
      size_t end = value.find(';', v);
      out = trim(value.substr(v, end == std::string_view::npos ? std::string_view::npos : end - v));
      i = end == std::string_view::npos ? value.size() : end;
    }
    if (k == key) return out;
  }
  return std::nullopt;
}
}  // namespace

MultipartResult parseMultipart(std::string_view contentType, std::string_view body, size_t maxParts) {
  MultipartResult r;
  std::string ct = toLower(trim(contentType.substr(0, contentType.find(';'))));
  if (ct != "multipart/form-data") {
    r.error = "expected a multipart/form-data body";
    return r;
  }
  auto boundary = headerParam(contentType, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 200) {
    r.error = "multipart/form-data without a valid boundary";
    return r;
  }
  const std::string delim = "--" + *boundary;
  size_t pos = body.find(delim);
  if (pos == std::string_view::npos) {
    r.error = "multipart boundary not found in the body";
    return r;
  }
  pos += delim.size();
  while (true) {
    if (body.substr(pos, 2) == "--") return r;  // closing delimiter
    // Skip transport padding and the CRLF after the delimiter.
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) == "\r\n")
      pos += 2;
    else if (body.substr(pos, 1) == "\n")
      pos += 1;
    else {
      r.error = "malformed multipart delimiter line";
      return r;
    }
    size_t headersEnd = body.find("\r\n\r\n", pos);
    size_t sepLen = 4;
    size_t lfEnd = body.find("\n\n", pos);
    if (lfEnd != std::string_view::npos && (headersEnd == std::string_view::npos || lfEnd < headersEnd)) {
      headersEnd = lfEnd;
      sepLen = 2;
    }
    if (headersEnd == std::string_view::npos) {
      r.error = "multipart part without a header block";
      return r;
    }
    MultipartPart part;
    bool hasDisposition = false;
    for (const auto& rawLine : split(body.substr(pos, headersEnd - pos), '\n')) {
      std::string line = trim(rawLine);
      auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = toLower(trim(line.substr(0, colon)));
      std::string value = trim(line.substr(colon + 1));
      if (name == "content-disposition") {
        hasDisposition = true;
        if (auto n = headerParam(value, "name")) part.name = *n;
        if (auto f = headerParam(value, "filename")) part.filename = *f;
      } else if (name == "content-type") {
        part.contentType = value;
      }
    }
    size_t dataStart = headersEnd + sepLen;
    size_t next = body.find("\r\n" + delim, dataStart);
    size_t trail = 2;
    if (next == std::string_view::npos) {
      next = body.find("\n" + delim, dataStart);
      trail = 1;
    }
    if (next == std::string_view::npos) {
      r.error = "multipart body is truncated (closing boundary missing)";
      return r;
    }
    part.data = body.substr(dataStart, next - dataStart);
    if (hasDisposition) r.parts.push_back(std::move(part));
    if (r.parts.size() > maxParts) {
      r.error = "too many multipart parts";
      return r;
    }
    pos = next + trail + delim.size();
  }
}
}  // namespace cg::http
