// SPDX-License-Identifier: Apache-2.0
#include "monokin/core/status.h"

#include <gtest/gtest.h>

namespace monokin {
namespace {

Result<int> Half(int x) {
  if (x % 2) return InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  MK_ASSIGN_OR_RETURN(int h, Half(x));
  MK_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(StatusTest, DefaultIsOk) {
  EXPECT_TRUE(Status().ok());
  EXPECT_EQ(ExitCodeFor(StatusCode::kOk), 0);
}

TEST(StatusTest, ContextPrefixesMessageAndKeepsCode) {
  Status s = NotFound("no such file").WithContext("opening video");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "opening video: no such file");
}

TEST(StatusTest, ExitCodesFollowTheTable) {
  EXPECT_EQ(ExitCodeFor(StatusCode::kInvalidArgument), 2);
  EXPECT_EQ(ExitCodeFor(StatusCode::kNotFound), 3);
  EXPECT_EQ(ExitCodeFor(StatusCode::kUnsupported), 3);
  EXPECT_EQ(ExitCodeFor(StatusCode::kDataLoss), 4);
  EXPECT_EQ(ExitCodeFor(StatusCode::kCancelled), 130);
}

TEST(ResultTest, PropagatesFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "odd");
}

TEST(ResultTest, OkStatusWithoutValueBecomesInternal) {
  Result<int> r = OkStatus();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace monokin
