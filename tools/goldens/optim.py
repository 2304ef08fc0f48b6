"""Goldens for wick::optim: parameter trajectories of every optimizer and option combination over 20
steps on a small fixed float64 problem, loss = sum((tanh(x @ w + b) - y)^2), from PyTorch 1.13.
Each case stores traj_<name> (20, 8): w (3, 2) and b (2,) flattened after each step, and long_<name>:
one 37-value parameter after LONG_STEPS steps with the given gradients long_grads (longer than a
vector register, so the fused kernels' vector loops run, not only their scalar tails)."""
import torch

FAMILY = "optim"
STEPS = 20
LONG_SIZE, LONG_STEPS = 37, 3

# name -> (class, kwargs); the C++ test builds the same optimizer from the same name.
CASES = {
    "sgd": (torch.optim.SGD, dict(lr=0.1)),
    "sgd_momentum": (torch.optim.SGD, dict(lr=0.1, momentum=0.9)),
    "sgd_dampening_wd": (torch.optim.SGD, dict(lr=0.1, momentum=0.9, dampening=0.3, weight_decay=0.01)),
    "sgd_nesterov_wd": (torch.optim.SGD, dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.1)),
    "sgd_maximize": (torch.optim.SGD, dict(lr=0.1, momentum=0.5, maximize=True)),
    "adam": (torch.optim.Adam, dict(lr=0.05)),
    "adam_wd_amsgrad": (torch.optim.Adam, dict(lr=0.05, weight_decay=0.1, amsgrad=True)),
    "adam_maximize": (torch.optim.Adam, dict(lr=0.05, betas=(0.8, 0.99), eps=1e-6, maximize=True)),
    "adamw": (torch.optim.AdamW, dict(lr=0.05)),
    "adamw_amsgrad": (torch.optim.AdamW, dict(lr=0.05, weight_decay=0.1, amsgrad=True)),
    "adamw_maximize": (torch.optim.AdamW, dict(lr=0.05, maximize=True)),
    "rmsprop": (torch.optim.RMSprop, dict(lr=0.01)),
    "rmsprop_centered_momentum_wd": (torch.optim.RMSprop, dict(lr=0.01, momentum=0.9, centered=True, weight_decay=0.1)),
    "rmsprop_momentum_maximize": (torch.optim.RMSprop, dict(lr=0.01, alpha=0.9, momentum=0.5, maximize=True)),
    "rmsprop_centered": (torch.optim.RMSprop, dict(lr=0.01, centered=True, eps=1e-4)),
    "adagrad": (torch.optim.Adagrad, dict(lr=0.1)),
    "adagrad_decay_wd": (torch.optim.Adagrad, dict(lr=0.1, lr_decay=0.01, weight_decay=0.1,
                                                    initial_accumulator_value=0.5, eps=1e-6)),
    "adagrad_maximize": (torch.optim.Adagrad, dict(lr=0.1, maximize=True)),
    "adadelta": (torch.optim.Adadelta, dict()),
    "adadelta_wd_maximize": (torch.optim.Adadelta, dict(lr=0.5, rho=0.8, weight_decay=0.1, maximize=True)),
    "adamax": (torch.optim.Adamax, dict(lr=0.05)),
    "adamax_wd_maximize": (torch.optim.Adamax, dict(lr=0.05, betas=(0.8, 0.99), weight_decay=0.1, maximize=True)),
    "nadam": (torch.optim.NAdam, dict(lr=0.05)),
    "nadam_wd": (torch.optim.NAdam, dict(lr=0.05, momentum_decay=0.01, weight_decay=0.1)),
    "radam": (torch.optim.RAdam, dict(lr=0.05)),
    "radam_wd": (torch.optim.RAdam, dict(lr=0.05, betas=(0.9, 0.99), weight_decay=0.1)),
}


def problem():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(5, 3, generator=g, dtype=torch.float64)
    y = torch.rand(5, 2, generator=g, dtype=torch.float64) * 2 - 1
    w = torch.randn(3, 2, generator=g, dtype=torch.float64)
    b = torch.randn(2, generator=g, dtype=torch.float64)
    return x, y, w, b


def trajectory(make):
    x, y, w0, b0 = problem()
    w, b = w0.clone().requires_grad_(), b0.clone().requires_grad_()
    opt = make(w, b)
    rows = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = ((torch.tanh(x @ w + b) - y) ** 2).sum()
        loss.backward()
        opt.step()
        rows.append(torch.cat([w.detach().flatten(), b.detach().flatten()]))
    return torch.stack(rows)


def cases():
    x, y, w, b = problem()
    c = {"x": x, "y": y, "w": w, "b": b}
    for name, (cls, kw) in CASES.items():
        c["traj_" + name] = trajectory(lambda w, b: cls([w, b], **kw))
    g = torch.Generator().manual_seed(1)
    c["long_init"] = torch.randn(LONG_SIZE, generator=g, dtype=torch.float64)
    c["long_grads"] = torch.randn(LONG_STEPS, LONG_SIZE, generator=g, dtype=torch.float64)
    for name, (cls, kw) in CASES.items():
        p = c["long_init"].clone().requires_grad_()
        opt = cls([p], **kw)
        for step in range(LONG_STEPS):
            p.grad = c["long_grads"][step].clone()
            opt.step()
        c["long_" + name] = p.detach().clone()
    # Two groups: b overrides lr and momentum, w takes the defaults.
    c["traj_sgd_groups"] = trajectory(lambda w, b: torch.optim.SGD(
        [{"params": [w]}, {"params": [b], "lr": 0.05, "momentum": 0.5}], lr=0.1, momentum=0.9))
    return c
