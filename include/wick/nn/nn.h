// All of nn: Module and its holder, hooks, containers, init, functional and the layers.
#pragma once

#include "wick/nn/any_module.h"
#include "wick/nn/containers.h"
#include "wick/nn/expanding_array.h"
#include "wick/nn/functional.h"
#include "wick/nn/holder.h"
#include "wick/nn/init.h"
#include "wick/nn/module.h"
#include "wick/nn/module_hooks.h"
#include "wick/nn/modules/activation.h"
#include "wick/nn/modules/conv.h"
#include "wick/nn/modules/flatten.h"
#include "wick/nn/modules/linear.h"
#include "wick/nn/modules/padding.h"
#include "wick/nn/modules/softmax.h"
