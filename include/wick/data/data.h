// All of wick::data: datasets, samplers, DataLoader, the MNIST-family datasets and transforms.
#pragma once

#include "wick/data/dataloader.h"
#include "wick/data/dataset.h"
#include "wick/data/mnist.h"
#include "wick/data/sampler.h"
#include "wick/data/transforms.h"
