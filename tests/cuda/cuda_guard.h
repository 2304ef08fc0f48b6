#pragma once
#include <gtest/gtest.h>
#include "wick/cuda.h"
#define WICK_REQUIRE_CUDA() do { if (!::wick::cuda::is_available()) GTEST_SKIP() << "no CUDA device (wick_cuda built: " << ::wick::cuda::is_built() << ")"; } while (0)
