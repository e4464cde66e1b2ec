// SPDX-License-Identifier: Apache-2.0
#include "monokin/output/number_format.h"

#include <fmt/format.h>

#include <cmath>

namespace monokin::output::detail {

double RoundTo(double v, int decimals) {
  if (!std::isfinite(v)) return v;
  const double scale = std::pow(10.0, decimals);
  const double r = std::round(v * scale) / scale;
  return r == 0.0 ? 0.0 : r;  // a tiny negative would otherwise print as "-0.00"
}

std::string FormatFixed(double v, int decimals) {
  return fmt::format("{:.{}f}", RoundTo(v, decimals), decimals);
}

}  // namespace monokin::output::detail
