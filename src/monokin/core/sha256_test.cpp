// SPDX-License-Identifier: Apache-2.0
#include "monokin/core/sha256.h"

#include <string>

#include <gtest/gtest.h>

namespace monokin {
namespace {

std::string Hash(const std::string& s) {
  return Sha256Hex({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
}

// Test vectors from FIPS 180-4 examples.
TEST(Sha256Test, MatchesStandardVectors) {
  EXPECT_EQ(Hash(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Test, MillionAs) {
  EXPECT_EQ(Hash(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, MissingFileIsNotFound) {
  EXPECT_EQ(Sha256File("/nonexistent/x").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace monokin
