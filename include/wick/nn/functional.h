// nn::functional: every torch.nn.functional function Wick has (one header per family).
#pragma once

#include "wick/nn/functional/activation.h"
#include "wick/nn/functional/linear.h"
#include "wick/nn/functional/pixelshuffle.h"
#include "wick/nn/functional/pooling.h"
#include "wick/nn/functional/upsampling.h"
