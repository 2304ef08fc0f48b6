// wick::cuda on a machine without a GPU (or a build without wick_cuda): the queries answer "no",
// and asking for CUDA memory throws a clear error instead of crashing. Skipped where a GPU exists.
#include <gtest/gtest.h>

#include "support/expect_error.h"
#include "wick/cuda.h"
#include "wick/wick.h"

namespace {

using namespace wick;

TEST(CudaAvailability, WithoutAGpuEverythingSaysNoAndThrowsClearly) {
  if (cuda::is_available()) GTEST_SKIP() << "a CUDA device is present: this test covers machines without one";
  EXPECT_FALSE(cuda::is_available());
  EXPECT_EQ(cuda::device_count(), 0);
  const char* why = cuda::is_built() ? "CUDA is not available" : "Wick was built without CUDA";
  wick::testing::expect_error([] { (void)randn({2}).to(kCUDA); }, cuda::is_built() ? "CUDA is not available" : "CUDA backend");
  wick::testing::expect_error([] { (void)cuda::memory_allocated(); }, why);
  wick::testing::expect_error([] { cuda::synchronize(); }, why);
  wick::testing::expect_error([] { (void)zeros({3}, {.device = kCUDA}); }, cuda::is_built() ? "CUDA is not available" : "CUDA backend");
  // Seeding touches no device: it must not throw.
  cuda::manual_seed_all(1);
  manual_seed(1);
}

TEST(CudaAvailability, CpuGeneratorIsTheDefaultForCpuDevices) {
  EXPECT_EQ(&default_generator(Device(kCPU)), &default_generator());
}

}  // namespace
