// SPDX-License-Identifier: Apache-2.0
// Signal cleaning for regularly sampled series with NaN for missing values: unwrapping, gap
// filling, Hampel outlier rejection, Butterworth low-pass (zero-phase offline), One-Euro
// (causal, live) and Savitzky-Golay derivatives. Every function that has an offline and a live
// form takes `causal`: when true, output sample i depends only on input samples 0..i.
#pragma once

#include <span>
#include <vector>

namespace monokin::kinematics {

// Removes jumps larger than `period`/2 between consecutive finite samples (degrees: 360), so an
// angle going 179 -> -179 continues to 181. NaN samples are skipped and kept NaN.
void Unwrap(std::span<double> x, double period = 360.0);

// Fills interior runs of NaN that are at most `max_gap` samples long. Offline: cubic Hermite
// interpolation between the finite ends, slopes from 4 samples further out (linear when one
// neighbour is missing). Causal: holds the last finite value for at most
// `max_gap` samples (the end of a gap is not known yet). Leading NaNs stay NaN.
void FillGaps(std::span<double> x, int max_gap, bool causal);

// Hampel filter: a sample further than `n_sigmas` * 1.4826 * MAD from the median of its window
// is replaced by that median. Offline the window is centred (i-half..i+half); causal it ends at
// i (i-2*half..i). NaN samples are ignored in the window and left NaN. Returns the number of
// samples replaced.
int Hampel(std::span<double> x, int half_window, double n_sigmas, bool causal);

// One second-order section, transposed direct form II: a0 = 1.
struct Biquad {
  double b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;
};

// Low-pass Butterworth of `order` (1..8) with -3 dB at `cutoff_hz` for ONE pass, designed with
// the bilinear transform and frequency prewarping (so the digital -3 dB point is exactly at
// cutoff_hz). Second-order sections (a first-order one last for odd orders), DC gain 1.
// Requires 0 < cutoff_hz < fs_hz / 2.
std::vector<Biquad> DesignButterworthLowPass(int order, double cutoff_hz, double fs_hz);

// The single-pass cutoff that makes the zero-phase (forward-backward) response -3 dB at
// `cutoff_hz`: the forward-backward magnitude is the single-pass magnitude squared, so the
// single pass must be at -3/2 dB there. Exact for the prewarped bilinear design.
double ZeroPhaseDesignCutoffHz(int order, double cutoff_hz, double fs_hz);

// Runs the sections forward over `x` in place, starting from the steady state of x[0] (so a
// constant passes unchanged).
void FilterForward(std::span<const Biquad> sections, std::span<double> x);

// Zero-phase low-pass: each finite run of `x` (NaNs split runs) is padded at both ends by odd
// reflection, filtered forward and backward. `cutoff_hz` is where the ZERO-PHASE result is
// -3 dB (see ZeroPhaseDesignCutoffHz). Runs shorter than 4 samples are left as they are. Does
// nothing when cutoff_hz >= 0.49 * fs_hz (nothing to remove); returns false then.
bool ZeroPhaseLowPass(std::span<double> x, int order, double cutoff_hz, double fs_hz);

// ZeroPhaseLowPass of several signals; the same result, faster when they are missing at the
// same samples (e.g. x and y of a keypoint: filtered together, their recurrences overlap).
bool ZeroPhaseLowPassMany(std::span<const std::span<double>> xs, int order, double cutoff_hz,
                          double fs_hz);

// One-Euro filter (Casiez, Roussel, Vogel, CHI 2012): an exponential smoother whose cutoff
// rises with the speed of the signal: cutoff = min_cutoff + beta * |speed| / speed_scale.
// `speed_scale` makes beta unit-free (e.g. the athlete height in the signal's unit, so beta is
// per body-height per second). Causal by construction; restarts after a NaN.
struct OneEuroParams {
  double min_cutoff_hz = 1.0;
  double beta = 0.5;
  double d_cutoff_hz = 1.0;
  double speed_scale = 1.0;
};
void OneEuro(std::span<double> x, double fs_hz, const OneEuroParams& p);
// OneEuro on each of several series; the same results, faster for several at once (their
// recurrences overlap).
void OneEuroMany(std::span<const std::span<double>> xs, double fs_hz, const OneEuroParams& p);

// Low-pass by the filter the mode calls for: ZeroPhaseLowPass offline, OneEuro when causal.
void Smooth(std::span<double> x, double fs_hz, bool causal, int order, double cutoff_hz,
            const OneEuroParams& one_euro);

// Savitzky-Golay derivative of order `deriv` (0 = smoothed value, 1, 2) by a least-squares
// polynomial of degree `poly` over a window of `window` samples (odd, > poly). Offline: centred
// window, shifted inwards at the ends (asymmetric fits, still exact for polynomials of degree
// <= poly). Causal: the window ends at the sample. Each finite run is handled on its own; runs
// shorter than poly + 2 give NaN. Result in units per second^deriv.
std::vector<double> SavGolDerivative(std::span<const double> x, double fs_hz, int deriv, int window,
                                     int poly, bool causal);

namespace detail {
// Plain reference implementations of the optimised Hampel and FilterForward, kept to test the
// fast ones against (same results on random inputs, filters_test.cpp).
int HampelReference(std::span<double> x, int half_window, double n_sigmas, bool causal);
void FilterForwardReference(std::span<const Biquad> sections, std::span<double> x);
}  // namespace detail

}  // namespace monokin::kinematics
