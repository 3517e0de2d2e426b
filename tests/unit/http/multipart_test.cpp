#include <gtest/gtest.h>

#include "http/multipart.h"

using namespace cg::http;

TEST(Multipart, ParsesFilePartsWithBinaryData) {
  std::string data("a\r\nb\0c--x", 9);
  std::string body = "--XyZ\r\nContent-Disposition: form-data; name=\"documentation\"; filename=\"spec one.yaml\"\r\n"
                     "Content-Type: application/yaml\r\n\r\n" + data + "\r\n--XyZ\r\n"
                     "Content-Disposition: form-data; name=\"other\"\r\n\r\nvalue\r\n--XyZ--\r\n";
  auto r = parseMultipart("multipart/form-data; boundary=XyZ", body);
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.parts.size(), 2u);
  EXPECT_EQ(r.parts[0].name, "documentation");
  EXPECT_EQ(r.parts[0].filename.value(), "spec one.yaml");
  EXPECT_EQ(r.parts[0].contentType, "application/yaml");
  EXPECT_EQ(std::string(r.parts[0].data), data);
  EXPECT_EQ(r.parts[1].name, "other");
  EXPECT_FALSE(r.parts[1].filename);
  EXPECT_EQ(r.parts[1].data, "value");
}

TEST(Multipart, QuotedBoundaryAndEmptyFile) {
  std::string body = "--a b\r\nContent-Disposition: form-data; name=\"documentation\"; filename=\"e.txt\"\r\n\r\n\r\n--a b--";
  auto r = parseMultipart("multipart/form-data; boundary=\"a b\"", body);
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.parts.size(), 1u);
  EXPECT_TRUE(r.parts[0].data.empty());
}

TEST(Multipart, RejectsMalformedBodies) {
  EXPECT_NE(parseMultipart("application/json", "{}").error, "");
  EXPECT_NE(parseMultipart("multipart/form-data", "x").error, "");
  EXPECT_NE(parseMultipart("multipart/form-data; boundary=b", "no delimiter").error, "");
  EXPECT_NE(parseMultipart("multipart/form-data; boundary=b",
                           "--b\r\nContent-Disposition: form-data; name=\"d\"\r\n\r\ntruncated").error, "");
  EXPECT_NE(parseMultipart("multipart/form-data; boundary=b", "--b\r\nno header end").error, "");
}
