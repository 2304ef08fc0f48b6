"""Goldens for tests/core/ and tests/ops/creation, conversion tests: torch.promote_types, float16 /
bfloat16 rounding, arange/linspace values and casts. Inputs are literals stored beside the outputs."""
import torch

FAMILY = "core"

# Wick's DType order (dtype.h): the promotion table is indexed by it.
DTYPES = [torch.bool, torch.uint8, torch.int32, torch.int64, torch.float16, torch.bfloat16,
          torch.float32, torch.float64]


def cases():
    c = {}
    table = [[DTYPES.index(torch.promote_types(a, b)) for b in DTYPES] for a in DTYPES]
    c["promote_table"] = torch.tensor(table)
    c["itemsize"] = torch.tensor([torch.empty(0, dtype=d).element_size() for d in DTYPES])

    # float16 / bfloat16 rounding: halfway cases, subnormals, overflow, and values near 1.
    x = torch.tensor([0.0, -0.0, 1.0, -1.0, 0.1, 1.0 / 3, 65504.0, 65520.0, 70000.0, -1e6,
                      6.1035156e-05, 5.9604645e-08, 2.9802322e-08, 4.4703484e-08, 1e-10,
                      1.00048828125, 1.00146484375, 1.0009765625, 2049.0, 2051.0,
                      1.00390625, 1.01171875, 1.005859375, 3.14159265, -2.71828, 3.0e38,
                      1e-39, 255.5, 12345.678],
                     dtype=torch.float32)
    c["round_in"] = x
    c["half_out"] = x.half().float()
    c["bfloat16_out"] = x.bfloat16().float()

    c["arange_float_step"] = torch.arange(0, 1, 0.1)
    c["arange_negative_step"] = torch.arange(10, 0, -3)
    c["arange_float_negative"] = torch.arange(1, -1, -0.25)
    c["arange_float64_third"] = torch.arange(0, 2, 1 / 3, dtype=torch.float64)
    c["linspace_7"] = torch.linspace(-1, 1, 7)
    c["linspace_11"] = torch.linspace(0, 1, 11)
    c["linspace_0"] = torch.linspace(0, 1, 0)
    c["linspace_1"] = torch.linspace(3, 5, 1)
    c["linspace_float64"] = torch.linspace(0.1, 0.7, 5, dtype=torch.float64)

    f = torch.tensor([-2.7, -0.5, 0.0, 0.5, 1.99, 2.7, 300.25])
    c["cast_in"] = f
    c["cast_int64"] = f.to(torch.int64)
    c["cast_int32"] = f.to(torch.int32)
    c["cast_bool"] = torch.tensor([0.0, -0.0, 0.1, float("nan"), -3.0]).to(torch.bool)
    c["cast_uint8"] = torch.tensor([0.0, 1.5, 254.9, 255.0]).to(torch.uint8)
    return c
