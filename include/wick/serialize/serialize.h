// All of serialization: safetensors files and training checkpoints.
#pragma once

#include "wick/serialize/checkpoint.h"
#include "wick/serialize/safetensors.h"
