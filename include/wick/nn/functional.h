// nn::functional: every torch.nn.functional function Wick has (one header per family).
#pragma once

#include "wick/nn/functional/activation.h"
#include "wick/nn/functional/conv.h"
#include "wick/nn/functional/linear.h"
#include "wick/nn/functional/padding.h"
