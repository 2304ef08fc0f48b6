// All nn containers.
#pragma once

#include "wick/nn/containers/module_list.h"
#include "wick/nn/containers/parameter_list.h"
#include "wick/nn/containers/sequential.h"
