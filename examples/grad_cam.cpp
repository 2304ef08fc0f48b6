// grad_cam: Grad-CAM (Selvaraju et al.) on a LeNet or ResNet-18 with module hooks, as the seed
// (shared/seeds/004) describes: a forward hook keeps the target conv layer's feature maps, a full
// backward hook its output gradient; channel weights are the spatially averaged gradients, and the
// ReLU of the weighted sum, upsampled to the image, is drawn over it as a PNG.
//   grad_cam [--model lenet|resnet18] [--checkpoint runs/lenet/checkpoint.safetensors]
//            [--data DIR] [--index 0] [--train-batches 200] [--out grad_cam.png]
// Without --checkpoint the model is first trained for --train-batches batches so the map means something.
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "wick/models/models.h"
#include "wick/wick.h"

using namespace wick;
namespace F = nn::functional;

namespace {

std::map<std::string, std::string> parse(int argc, char** argv) {
  std::map<std::string, std::string> a = {{"model", "lenet"}, {"checkpoint", ""},
                                          {"data", "/usr/share/datasets/fashion-mnist"}, {"index", "0"},
                                          {"train-batches", "200"}, {"out", "grad_cam.png"}};
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string key = argv[i];
    WICK_CHECK(key.rfind("--", 0) == 0 && a.count(key.substr(2)), "grad_cam: unknown option ", key);
    a[key.substr(2)] = argv[i + 1];
  }
  return a;
}

// Jet colour map: v in [0, 1] -> RGB.
void jet(double v, unsigned char* rgb) {
  auto channel = [](double x) { return static_cast<unsigned char>(255.0 * std::clamp(1.5 - std::abs(x), 0.0, 1.0)); };
  rgb[0] = channel(4.0 * v - 3.0);
  rgb[1] = channel(4.0 * v - 2.0);
  rgb[2] = channel(4.0 * v - 1.0);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    auto args = parse(argc, argv);
    manual_seed(0);
    const std::string model_name = args["model"];
    WICK_CHECK(model_name == "lenet" || model_name == "resnet18", "grad_cam: --model must be lenet or resnet18, got ",
               model_name);
    nn::Sequential net = model_name == "lenet" ? models::lenet() : models::resnet18();
    data::FashionMNIST test_set(args["data"], {.train = false, .transform = data::transforms::ToTensor()});

    if (!args["checkpoint"].empty()) {
      net->load_state_dict(load_checkpoint(args["checkpoint"]).model);
    } else {
      data::FashionMNIST train_set(args["data"],
                                   {.train = true, .transform = data::transforms::ToTensor()});
      data::DataLoader loader(train_set, {.batch_size = 64, .shuffle = true});
      optim::SGD opt(net->parameters(), {.lr = model_name == "lenet" ? 0.9 : 0.05});
      const int64_t batches = std::stoll(args["train-batches"]);
      int64_t done = 0;
      for (auto& [x, y] : loader) {
        if (done++ >= batches) break;
        Tensor loss = F::cross_entropy(net(x), y);
        opt.zero_grad();
        loss.backward();
        opt.step();
      }
      std::printf("trained %s for %lld batches\n", model_name.c_str(), static_cast<long long>(batches));
    }
    net->eval();

    // The last convolutional stage: LeNet's second conv (index 3), ResNet's last residual stage (4).
    std::shared_ptr<nn::Module> target = (*net)[model_name == "lenet" ? 3 : 4];
    Tensor activation, gradient;
    auto fwd = nn::register_forward_hook(*target, [&](nn::Module&, const std::vector<Tensor>&,
                                                      const std::vector<Tensor>& out) {
      activation = out[0].detach();
      return std::optional<std::vector<Tensor>>();
    });
    auto bwd = nn::register_full_backward_hook(*target, [&](nn::Module&, const std::vector<Tensor>&,
                                                            const std::vector<Tensor>& grad_out) {
      gradient = grad_out[0].detach();
      return std::optional<std::vector<Tensor>>();
    });

    auto example = test_set.get(std::stoll(args["index"]));
    Tensor image = example.data.unsqueeze(0).requires_grad_(true);  // (1, 1, 28, 28)
    Tensor logits = net(image);
    const int64_t predicted = logits.argmax(1).item<int64_t>();
    logits.select(1, predicted).sum().backward();

    // weights (1, C, 1, 1) = mean of dY/dA over space; cam = relu(sum_c w_c A_c) -> (28, 28)
    Tensor weights = gradient.mean({2, 3}, true);
    Tensor cam = F::relu((weights * activation).sum(1, true));
    cam = F::interpolate(cam, {.size = std::vector<int64_t>{28, 28}, .mode = "bilinear", .align_corners = false});
    cam = cam.squeeze();
    cam = (cam - cam.min()) / (cam.max() - cam.min() + 1e-12);

    constexpr int kScale = 8, kSide = 28 * kScale;
    std::vector<unsigned char> rgb(static_cast<size_t>(kSide * kSide * 3));
    auto cam_v = cam.contiguous().tolist<float>();
    auto img_v = example.data.contiguous().tolist<float>();
    for (int y = 0; y < kSide; ++y)
      for (int x = 0; x < kSide; ++x) {
        const size_t src = static_cast<size_t>((y / kScale) * 28 + x / kScale);
        unsigned char heat[3];
        jet(cam_v[src], heat);
        for (int c = 0; c < 3; ++c)
          rgb[static_cast<size_t>((y * kSide + x) * 3 + c)] =
              static_cast<unsigned char>(0.5 * 255.0 * img_v[src] + 0.5 * heat[c]);
      }
    WICK_CHECK(stbi_write_png(args["out"].c_str(), kSide, kSide, 3, rgb.data(), kSide * 3) != 0,
               "grad_cam: cannot write ", args["out"]);
    const char* classes[] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                             "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    std::printf("image %s: label %s, predicted %s; wrote %s\n", args["index"].c_str(),
                classes[example.target.item<int64_t>()], classes[predicted], args["out"].c_str());
    fwd.remove();
    bwd.remove();
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "grad_cam: %s\n", e.what());
    return 1;
  }
}
