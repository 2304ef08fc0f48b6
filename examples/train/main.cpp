// wick-train: trains a zoo model on Fashion-MNIST the way d2l's train_ch6 does (SGD on cross
// entropy, Xavier init, test accuracy after every epoch), with a progress bar, metrics.csv,
// plot.svg and a safetensors checkpoint in --out. Ctrl-C saves a checkpoint and exits; --resume
// continues from the start of the interrupted epoch (mid-epoch positions are not restored).
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "wick/models/models.h"
#include "wick/wick.h"

#include "config.h"
#include "progress.h"
#include "report.h"

namespace {

namespace F = wick::nn::functional;
using namespace wick;
using namespace wick_train;

std::atomic<bool> g_interrupted{false};
extern "C" void on_sigint(int) { g_interrupted = true; }

// d2l's init_weights: xavier_uniform_ on every Linear and Conv2d weight (biases keep PyTorch's).
void xavier_init(nn::Module& m) {
  if (auto* linear = m.as<nn::Linear>()) nn::init::xavier_uniform_(linear->weight);
  if (auto* conv = m.as<nn::Conv2d>()) nn::init::xavier_uniform_(conv->weight);
}

std::unique_ptr<optim::Optimizer> make_optimizer(const TrainConfig& c, const std::vector<Tensor>& params) {
  if (c.optimizer == "adam")
    return std::make_unique<optim::Adam>(params, optim::AdamOptions{.lr = c.lr, .weight_decay = c.weight_decay});
  if (c.optimizer == "adamw")
    return std::make_unique<optim::AdamW>(params, optim::AdamWOptions{.lr = c.lr, .weight_decay = c.weight_decay});
  return std::make_unique<optim::SGD>(
      params, optim::SGDOptions{.lr = c.lr, .momentum = c.momentum, .weight_decay = c.weight_decay});
}

// Per-epoch schedulers step after each epoch; onecycle steps after each batch.
std::unique_ptr<optim::LRScheduler> make_scheduler(const TrainConfig& c, optim::Optimizer& opt,
                                                    int64_t steps_per_epoch) {
  if (c.scheduler == "step")
    return std::make_unique<optim::StepLR>(opt, std::max<int64_t>(1, c.epochs / 3), optim::StepLROptions{.gamma = 0.1});
  if (c.scheduler == "cosine") return std::make_unique<optim::CosineAnnealingLR>(opt, c.epochs);
  if (c.scheduler == "onecycle")
    return std::make_unique<optim::OneCycleLR>(
        opt, c.lr, optim::OneCycleLROptions{.epochs = c.epochs, .steps_per_epoch = steps_per_epoch});
  return nullptr;
}

// d2l's load_data_fashion_mnist: Resize (when asked) on the uint8 image, then ToTensor.
data::Transform make_transform(int64_t resize) {
  std::vector<data::Transform> steps;
  if (resize > 0) steps.push_back(data::transforms::Resize(resize));
  steps.push_back(data::transforms::ToTensor());
  return data::transforms::Compose(steps);
}

// Fraction of correct predictions of `model` over `loader`, in eval mode without grad.
double evaluate(nn::AnyModule& model, data::DataLoader& loader, Device device, int64_t limit_batches) {
  NoGradGuard no_grad;
  model->eval();
  int64_t correct = 0, total = 0, batches = 0;
  for (auto& [x, y] : loader) {
    if (g_interrupted || (limit_batches > 0 && batches++ >= limit_batches)) break;
    Tensor logits = model(x.to(device));
    correct += logits.argmax(1).eq(y.to(device)).sum().item<int64_t>();
    total += y.size(0);
  }
  return total > 0 ? static_cast<double>(correct) / static_cast<double>(total) : 0.0;
}

struct Run {
  TrainConfig config;
  nn::AnyModule model;
  std::unique_ptr<optim::Optimizer> optimizer;
  std::unique_ptr<optim::LRScheduler> scheduler;
  std::vector<EpochMetrics> history;
  int64_t epochs_done = 0;

  Checkpoint checkpoint() const {
    Checkpoint ck;
    ck.model = model->state_dict();
    ck.optimizer = optimizer->state_dict().flatten();
    if (scheduler) ck.scheduler = scheduler->state_dict().flatten();
    ck.epoch = epochs_done;
    ck.rng = GeneratorState::of(default_generator());
    ck.metadata["model_name"] = config.model;
    return ck;
  }

  void restore(const std::string& path) {
    Checkpoint ck = load_checkpoint(path);
    if (auto it = ck.metadata.find("model_name"); it != ck.metadata.end() && it->second != config.model)
      throw std::runtime_error("--resume: " + path + " holds a " + it->second + ", not a " + config.model);
    model->load_state_dict(ck.model);
    optimizer->load_state_dict(optim::OptimizerStateDict::unflatten(ck.optimizer));
    if (scheduler && !ck.scheduler.empty())
      scheduler->load_state_dict(optim::SchedulerStateDict::unflatten(ck.scheduler));
    epochs_done = ck.epoch;
    if (ck.rng) ck.rng->restore(default_generator());
  }
};

int train(const TrainConfig& c) {
  if (c.threads > 0) set_num_threads(static_cast<int>(c.threads));
  manual_seed(c.seed);
  const Device device(c.device);
  std::filesystem::create_directories(c.out);
  const std::filesystem::path out(c.out);

  data::FashionMNIST train_set(c.data, {.train = true, .transform = make_transform(c.resize)});
  data::FashionMNIST test_set(c.data, {.train = false, .transform = make_transform(c.resize)});
  data::DataLoader train_loader(train_set, {.batch_size = c.batch_size, .shuffle = true, .num_workers = c.num_workers});
  data::DataLoader test_loader(test_set, {.batch_size = c.batch_size, .shuffle = false, .num_workers = c.num_workers});
  const auto full_batches = static_cast<int64_t>(train_loader.size());
  const int64_t batches = c.limit_batches > 0 ? std::min(c.limit_batches, full_batches) : full_batches;

  Run run{c, models::make_model(c.model), nullptr, nullptr, {}, 0};
  if (c.init == "xavier") run.model->apply(xavier_init);
  run.model->to(device);
  run.optimizer = make_optimizer(c, run.model->parameters());
  run.scheduler = make_scheduler(c, *run.optimizer, batches);
  if (!c.resume.empty()) {
    run.restore(c.resume);
    run.history = read_metrics_csv(out / "metrics.csv");
    run.history.resize(std::min<size_t>(run.history.size(), static_cast<size_t>(run.epochs_done)));
    std::printf("resumed from %s after epoch %lld\n", c.resume.c_str(), static_cast<long long>(run.epochs_done));
  }
  std::printf("training %s on %s: %lld epochs, batch %lld, lr %g, %s, input %lldx%lld, %lld batches/epoch\n",
              c.model.c_str(), c.device.c_str(), static_cast<long long>(c.epochs),
              static_cast<long long>(c.batch_size), c.lr, c.optimizer.c_str(),
              static_cast<long long>(c.resize > 0 ? c.resize : 28), static_cast<long long>(c.resize > 0 ? c.resize : 28),
              static_cast<long long>(batches));
  std::fflush(stdout);

  const std::string checkpoint_path = (out / "checkpoint.safetensors").string();
  for (int64_t epoch = run.epochs_done + 1; epoch <= c.epochs; ++epoch) {
    run.model->train();
    ProgressBar bar(epoch, c.epochs, batches);
    double loss_sum = 0;
    int64_t correct = 0, seen = 0, done = 0;
    const double lr = run.optimizer->param_groups()[0].lr();
    for (auto& [x, y] : train_loader) {
      if (done >= batches) break;
      if (g_interrupted) {
        bar.finish();
        save_checkpoint(checkpoint_path, run.checkpoint());
        std::printf("interrupted in epoch %lld: saved %s (resume with --resume %s)\n", static_cast<long long>(epoch),
                    checkpoint_path.c_str(), checkpoint_path.c_str());
        return 130;
      }
      Tensor xd = x.to(device), yd = y.to(device);
      Tensor logits = run.model(xd);
      Tensor loss = F::cross_entropy(logits, yd);
      run.optimizer->zero_grad();
      loss.backward();
      run.optimizer->step();
      if (run.scheduler && c.scheduler == "onecycle") run.scheduler->step();
      const int64_t n = y.size(0);
      loss_sum += loss.item<double>() * static_cast<double>(n);
      correct += logits.argmax(1).eq(yd).sum().item<int64_t>();
      seen += n;
      ++done;
      bar.update(done, loss_sum / static_cast<double>(seen), static_cast<double>(correct) / static_cast<double>(seen),
                 seen);
    }
    bar.finish();
    const double train_seconds = bar.seconds();
    if (run.scheduler && c.scheduler != "onecycle") run.scheduler->step();
    const double test_acc = evaluate(run.model, test_loader, device, c.limit_batches);
    if (g_interrupted) {
      save_checkpoint(checkpoint_path, run.checkpoint());
      std::printf("interrupted in epoch %lld: saved %s\n", static_cast<long long>(epoch), checkpoint_path.c_str());
      return 130;
    }
    EpochMetrics m{epoch, loss_sum / static_cast<double>(seen), static_cast<double>(correct) / static_cast<double>(seen),
                   test_acc, lr, static_cast<double>(seen) / train_seconds, train_seconds};
    run.history.push_back(m);
    run.epochs_done = epoch;
    std::printf("epoch %lld: loss %.3f, train acc %.3f, test acc %.3f, %.0f img/s\n", static_cast<long long>(epoch),
                m.train_loss, m.train_acc, m.test_acc, m.images_per_second);
    std::fflush(stdout);
    write_file_atomically(out / "metrics.csv", metrics_csv(run.history));
    write_file_atomically(out / "plot.svg", plot_svg(run.history, "wick-train " + c.model + " on Fashion-MNIST"));
    save_checkpoint(checkpoint_path, run.checkpoint());
  }
  const double final_acc = run.history.empty() ? 0.0 : run.history.back().test_acc;
  char line[64];
  std::snprintf(line, sizeof(line), "%.4f\n", final_acc);
  write_file_atomically(out / "test_accuracy.txt", line);
  std::printf("final test accuracy %.4f; wrote %s/{metrics.csv,plot.svg,checkpoint.safetensors,test_accuracy.txt}\n",
              final_acc, c.out.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  TrainConfig config;
  try {
    config = parse_args(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::invalid_argument& e) {
    const bool help = std::string(e.what()).empty();
    if (!help) std::fprintf(stderr, "%s\n", e.what());
    std::fputs(usage(), help ? stdout : stderr);
    return help ? 0 : 2;
  }
  std::signal(SIGINT, on_sigint);
  try {
    return train(config);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "wick-train: %s\n", e.what());
    return 1;
  }
}
