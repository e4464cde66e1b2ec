// SPDX-License-Identifier: Apache-2.0
// Fixed-precision numbers for the text outputs, shared so every file rounds the same way.
#pragma once

#include <string>

namespace monokin::output::detail {

// `v` rounded to `decimals` places, as the double nearest that decimal (so JSON prints it
// short); -0 becomes 0; NaN and infinities pass through.
double RoundTo(double v, int decimals);

// `v` with exactly `decimals` places ("12.30"), never "-0.00"; "nan"/"inf" when not finite.
std::string FormatFixed(double v, int decimals);

}  // namespace monokin::output::detail
