"""Goldens for wick::optim's LR schedulers: get_last_lr() of two param groups (lr 0.1 and 0.02) after
construction and after each of 30 step() calls, from PyTorch 1.13 (lr_<name>: (31, 2)); OneCycleLR
also records the cycled momentum / beta1 (mom_<name>); ReduceLROnPlateau is fed metrics_plateau."""
import math

import torch
from torch.optim import lr_scheduler as S

FAMILY = "optim_schedulers"
STEPS = 30


def optimizer(kind="sgd"):
    a = torch.zeros(2, requires_grad=True)
    b = torch.zeros(3, requires_grad=True)
    groups = [{"params": [a]}, {"params": [b], "lr": 0.02}]
    if kind == "adam":
        return torch.optim.Adam(groups, lr=0.1)
    return torch.optim.SGD(groups, lr=0.1, momentum=0.9)


CASES = {
    "step": lambda o: S.StepLR(o, step_size=7, gamma=0.5),
    "multistep": lambda o: S.MultiStepLR(o, milestones=[3, 8, 8, 20], gamma=0.3),
    "exponential": lambda o: S.ExponentialLR(o, gamma=0.9),
    "cosine": lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.001),
    "cosine_default": lambda o: S.CosineAnnealingLR(o, T_max=7),
    "warm_restarts": lambda o: S.CosineAnnealingWarmRestarts(o, T_0=4, T_mult=2, eta_min=0.005),
    "warm_restarts_1": lambda o: S.CosineAnnealingWarmRestarts(o, T_0=6),
    "linear": lambda o: S.LinearLR(o, start_factor=0.25, end_factor=0.75, total_iters=8),
    "linear_default": lambda o: S.LinearLR(o),
    "constant": lambda o: S.ConstantLR(o, factor=0.5, total_iters=4),
    "lambda": lambda o: S.LambdaLR(o, lambda e: 1.0 / (1 + e)),
    "lambda_per_group": lambda o: S.LambdaLR(o, [lambda e: 0.95 ** e, lambda e: 1.0 + 0.1 * e]),
    "multiplicative": lambda o: S.MultiplicativeLR(o, lambda e: 0.9),
    "sequential": lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=5),
                                               S.CosineAnnealingLR(o, T_max=12, eta_min=0.001),
                                               S.StepLR(o, step_size=3, gamma=0.5)], milestones=[5, 17]),
}

ONECYCLE = {
    "onecycle": ("sgd", dict(max_lr=1.0, total_steps=STEPS)),
    "onecycle_linear": ("sgd", dict(max_lr=[1.0, 0.5], epochs=5, steps_per_epoch=6, anneal_strategy="linear",
                                    pct_start=0.4, div_factor=10.0, final_div_factor=100.0)),
    "onecycle_three_phase": ("sgd", dict(max_lr=0.8, total_steps=STEPS, three_phase=True, base_momentum=0.8,
                                         max_momentum=0.9)),
    "onecycle_adam": ("adam", dict(max_lr=0.01, total_steps=STEPS + 5)),
    "onecycle_no_momentum": ("sgd", dict(max_lr=0.3, total_steps=STEPS, cycle_momentum=False)),
}

METRICS = [1.0, 0.9, 0.95, 0.95, 0.95, 0.89, 0.9, 0.9, 0.9, 0.9, 0.9, 0.5, 0.6, 0.6, 0.6, 0.6,
           0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6]

PLATEAU = {
    "plateau": dict(patience=2),
    "plateau_max_abs": dict(mode="max", factor=0.5, patience=1, threshold=0.01, threshold_mode="abs",
                            cooldown=2, min_lr=[0.01, 0.005]),
    "plateau_min_lr": dict(factor=0.2, patience=0, cooldown=1, min_lr=0.0009, eps=1e-4),
}


def cases():
    c = {"metrics_plateau": torch.tensor(METRICS, dtype=torch.float64)}
    for name, make in CASES.items():
        o = optimizer()
        s = make(o)
        rows = [s.get_last_lr()]
        for _ in range(STEPS):
            o.step()
            s.step()
            rows.append(s.get_last_lr())
        c["lr_" + name] = torch.tensor(rows, dtype=torch.float64)
    for name, (kind, kw) in ONECYCLE.items():
        o = optimizer(kind)
        s = S.OneCycleLR(o, **kw)
        rows, moms = [s.get_last_lr()], []
        key = "betas" if kind == "adam" else "momentum"

        def mom():
            return [g[key][0] if key == "betas" else g[key] for g in o.param_groups]
        moms.append(mom())
        for _ in range(STEPS - 1):
            o.step()
            s.step()
            rows.append(s.get_last_lr())
            moms.append(mom())
        c["lr_" + name] = torch.tensor(rows, dtype=torch.float64)
        c["mom_" + name] = torch.tensor(moms, dtype=torch.float64)
    for name, kw in PLATEAU.items():
        o = optimizer()
        s = S.ReduceLROnPlateau(o, **kw)
        rows = [[g["lr"] for g in o.param_groups]]
        for m in METRICS:
            o.step()
            s.step(m)
            rows.append(s._last_lr)
        c["lr_" + name] = torch.tensor(rows, dtype=torch.float64)
    return c
