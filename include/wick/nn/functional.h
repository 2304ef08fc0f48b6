// nn::functional: every torch.nn.functional function Wick has (one header per family).
#pragma once

#include "wick/nn/functional/activation.h"
#include "wick/nn/functional/attention.h"
#include "wick/nn/functional/conv.h"
#include "wick/nn/functional/distance.h"
#include "wick/nn/functional/dropout.h"
#include "wick/nn/functional/embedding.h"
#include "wick/nn/functional/fold.h"
#include "wick/nn/functional/linear.h"
#include "wick/nn/functional/loss.h"
#include "wick/nn/functional/normalization.h"
#include "wick/nn/functional/padding.h"
#include "wick/nn/functional/pixelshuffle.h"
#include "wick/nn/functional/pooling.h"
#include "wick/nn/functional/rnn.h"
#include "wick/nn/functional/upsampling.h"
