// A program outside Wick: it includes the umbrella header, makes a tensor and reduces it on the
// CPU backend (which also checks that the backend registers itself from the static library).
// Built by tools/check-consumers.sh against an installed Wick, add_subdirectory and FetchContent.
#include <wick/wick.h>

#include <iostream>

#if defined(WICK_CONSUMER_EXPECT_NO_EIGEN) && __has_include(<Eigen/Core>)
#error "Eigen's headers are visible to a Wick user: Wick leaks Eigen's include directory"
#endif

int main() {
  wick::Tensor t = wick::ones({2, 2});
  float total = t.sum().item<float>();
  std::cout << "wick::ones({2, 2}): " << t.numel() << " elements, sum " << total << "\n";
  return total == 4.0f ? 0 : 1;
}
