// The trainer's outputs besides the checkpoint: metrics.csv (one row per epoch) and plot.svg
// (loss and accuracies per epoch, as d2l's Animator draws them). Both are rewritten whole through
// a temporary file and a rename after every epoch, so an interrupted run leaves complete files.
#pragma once

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace wick_train {

struct EpochMetrics {
  int64_t epoch = 0;
  double train_loss = 0, train_acc = 0, test_acc = 0, lr = 0, images_per_second = 0, seconds = 0;
};

inline void write_file_atomically(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw std::runtime_error("wick-train: cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, path);
}

inline std::string metrics_csv(const std::vector<EpochMetrics>& rows) {
  std::ostringstream s;
  s << "epoch,train_loss,train_acc,test_acc,lr,images_per_second,seconds\n";
  char buf[256];
  for (const auto& r : rows) {
    std::snprintf(buf, sizeof(buf), "%lld,%.6f,%.6f,%.6f,%.8g,%.1f,%.2f\n", static_cast<long long>(r.epoch),
                  r.train_loss, r.train_acc, r.test_acc, r.lr, r.images_per_second, r.seconds);
    s << buf;
  }
  return s.str();
}

// Reads back what metrics_csv wrote (for --resume); a missing file gives no rows.
inline std::vector<EpochMetrics> read_metrics_csv(const std::filesystem::path& path) {
  std::vector<EpochMetrics> rows;
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return rows;  // header
  while (std::getline(in, line)) {
    EpochMetrics r;
    long long epoch = 0;
    if (std::sscanf(line.c_str(), "%lld,%lf,%lf,%lf,%lf,%lf,%lf", &epoch, &r.train_loss, &r.train_acc, &r.test_acc,
                    &r.lr, &r.images_per_second, &r.seconds) == 7) {
      r.epoch = epoch;
      rows.push_back(r);
    }
  }
  return rows;
}

// An SVG line chart: x = epoch, y in [0, max(1, max loss)]; train loss, train acc, test acc.
inline std::string plot_svg(const std::vector<EpochMetrics>& rows, const std::string& title) {
  constexpr double kW = 640, kH = 400, kLeft = 60, kRight = 150, kTop = 40, kBottom = 50;
  const double pw = kW - kLeft - kRight, ph = kH - kTop - kBottom;
  const double max_epoch = rows.empty() ? 1.0 : std::max<double>(1.0, static_cast<double>(rows.back().epoch));
  double max_y = 1.0;
  for (const auto& r : rows) max_y = std::max(max_y, r.train_loss);
  auto px = [&](double epoch) { return kLeft + pw * epoch / max_epoch; };
  auto py = [&](double v) { return kTop + ph * (1.0 - v / max_y); };
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kW << "\" height=\"" << kH
    << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
    << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    << "<text x=\"" << kLeft << "\" y=\"24\" font-size=\"14\">" << title << "</text>\n";
  // Axes, ticks and grid.
  s << "<rect x=\"" << kLeft << "\" y=\"" << kTop << "\" width=\"" << pw << "\" height=\"" << ph
    << "\" fill=\"none\" stroke=\"black\"/>\n";
  for (int i = 0; i <= 5; ++i) {
    const double v = max_y * i / 5.0;
    s << "<line x1=\"" << kLeft << "\" x2=\"" << kLeft + pw << "\" y1=\"" << py(v) << "\" y2=\"" << py(v)
      << "\" stroke=\"#ddd\"/><text x=\"" << kLeft - 6 << "\" y=\"" << py(v) + 4 << "\" text-anchor=\"end\">" << v
      << "</text>\n";
  }
  const int64_t step = std::max<int64_t>(1, static_cast<int64_t>(max_epoch) / 10);
  for (int64_t e = 0; e <= static_cast<int64_t>(max_epoch); e += step)
    s << "<text x=\"" << px(static_cast<double>(e)) << "\" y=\"" << kTop + ph + 18 << "\" text-anchor=\"middle\">" << e
      << "</text>\n";
  s << "<text x=\"" << kLeft + pw / 2 << "\" y=\"" << kH - 10 << "\" text-anchor=\"middle\">epoch</text>\n";
  struct Series {
    const char* name;
    const char* color;
    double EpochMetrics::*field;
  };
  const Series series[] = {{"train loss", "#1f77b4", &EpochMetrics::train_loss},
                           {"train acc", "#ff7f0e", &EpochMetrics::train_acc},
                           {"test acc", "#2ca02c", &EpochMetrics::test_acc}};
  int legend = 0;
  for (const auto& ser : series) {
    s << "<polyline fill=\"none\" stroke=\"" << ser.color << "\" stroke-width=\"2\" points=\"";
    for (const auto& r : rows) s << px(static_cast<double>(r.epoch)) << "," << py(r.*ser.field) << " ";
    s << "\"/>\n";
    for (const auto& r : rows)
      s << "<circle cx=\"" << px(static_cast<double>(r.epoch)) << "\" cy=\"" << py(r.*ser.field) << "\" r=\"3\" fill=\""
        << ser.color << "\"/>\n";
    const double ly = kTop + 10 + 20 * legend++;
    s << "<line x1=\"" << kLeft + pw + 12 << "\" x2=\"" << kLeft + pw + 36 << "\" y1=\"" << ly << "\" y2=\"" << ly
      << "\" stroke=\"" << ser.color << "\" stroke-width=\"2\"/><text x=\"" << kLeft + pw + 42 << "\" y=\"" << ly + 4
      << "\">" << ser.name << "</text>\n";
  }
  s << "</svg>\n";
  return s.str();
}

}  // namespace wick_train
