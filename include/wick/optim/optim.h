// wick::optim: torch.optim's optimizers and learning-rate schedulers.
#pragma once

#include "wick/optim/optimizer.h"
#include "wick/optim/sgd.h"
#include "wick/optim/adam.h"
#include "wick/optim/adamax.h"
#include "wick/optim/rmsprop.h"

#include "wick/optim/lr_scheduler.h"
