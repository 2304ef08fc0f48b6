// ExpandingArray: one int expands to every dimension, a tuple must have exactly D entries.
#include <gtest/gtest.h>

#include <optional>

#include "support/expect_error.h"
#include "wick/wick.h"

namespace wick {
namespace {

struct PoolLikeOptions {
  nn::ExpandingArray<2> padding = 0;
  std::optional<nn::ExpandingArray<2>> stride = std::nullopt;
};

TEST(ExpandingArray, SingleIntExpands) {
  nn::ExpandingArray<3> a = 5;
  EXPECT_EQ(a[0], 5);
  EXPECT_EQ(a[1], 5);
  EXPECT_EQ(a[2], 5);
  IntArrayRef ref = a;
  EXPECT_EQ(ref.size(), 3u);
}

TEST(ExpandingArray, TupleKeepsOrder) {
  nn::ExpandingArray<2> a = {5, 3};
  EXPECT_EQ(a[0], 5);
  EXPECT_EQ(a[1], 3);
  EXPECT_EQ(a, (nn::ExpandingArray<2>{5, 3}));
}

TEST(ExpandingArray, DesignatedInitialisersReadLikeKeywords) {
  PoolLikeOptions o{.padding = 1, .stride = 2};
  EXPECT_EQ(o.padding[1], 1);
  ASSERT_TRUE(o.stride.has_value());
  EXPECT_EQ((*o.stride)[1], 2);
  PoolLikeOptions p{.padding = {1, 2}, .stride = {{3, 4}}};
  EXPECT_EQ(p.padding[1], 2);
  EXPECT_EQ((*p.stride)[0], 3);
  PoolLikeOptions d;
  EXPECT_FALSE(d.stride.has_value());
}

TEST(ExpandingArray, BracedSingleIntExpands) {
  nn::ExpandingArray<3> a{4};
  EXPECT_EQ(a, (nn::ExpandingArray<3>{4, 4, 4}));
}

TEST(ExpandingArray, WrongTupleLengthThrows) {
  testing::expect_error([] { nn::ExpandingArray<2>{1, 2, 3}; }, "tuple of 2 ints, got a tuple of 3");
}

}  // namespace
}  // namespace wick
