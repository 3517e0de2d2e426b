// Fuzz target: the multipart parser must never crash, and every part lies inside the body.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "http/multipart.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto r = cg::http::parseMultipart("multipart/form-data; boundary=frontier", body);
  for (const auto& p : r.parts)
    if (p.data.data() < body.data() || p.data.data() + p.data.size() > body.data() + body.size()) std::abort();
  return 0;
}
