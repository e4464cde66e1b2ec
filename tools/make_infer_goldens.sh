#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Regenerates tests/testdata/infer/ (the reference tensors of the infer exactness test) from the
# reference TFLite runtime in ../shared/tools/tflite-ref (Google's TFLite compiled to WASM, run
# by node; see its README). Needs node >= 20, npm registry access, g++, libopencv-dev, opencv-doc.
#
#   bash tools/make_infer_goldens.sh            # uses a fresh copy of the reference tool
#   REF_DIR=/tmp/x/tflite-ref bash tools/...     # reuses an already regenerated copy
#
# What it writes, per run <model>__<input>/ (12 runs: 3 landmark models x 3 inputs, detector x 3):
#   <output>.f32      raw float32 LE of the whole tensor, for every output except the two big
#                     landmark ones;
#   <output>.f32      for landmark Identity_2 (segmentation) and Identity_3 (heatmaps): every
#                     97th element only (flat indices 0, 97, 194, ...), to keep the data small;
#   meta.json         per output: shape, stride (1 or 97), max_abs of the FULL tensor (so the
#                     test's tolerance is the same as on the full tensor) and sha256 of the full
#                     tensor; plus the model and input sha256.
# And inputs/: the four letterboxed u8 RGB PNGs of the real-image inputs (lossless; the test
# turns them into float tensors by the README's step 3) and inputs.json with the sha256 of every
# float input, which the test checks before comparing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/tests/testdata/infer"
if [ -z "${REF_DIR:-}" ]; then
  tmp=$(mktemp -d)
  cp -r "$ROOT/../shared/tools/tflite-ref" "$tmp"/
  REF_DIR="$tmp/tflite-ref"
  bash "$REF_DIR/regen.sh"
fi
GOLDEN="$REF_DIR/golden"
rm -rf "$OUT"
mkdir -p "$OUT/inputs"
cp "$GOLDEN"/inputs/*_u8.png "$OUT/inputs/"
node - "$GOLDEN" "$OUT" <<'JS'
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const [golden, out] = process.argv.slice(2);
const STRIDE = 97;                               // subsample of the big landmark outputs
const BIG = new Set(['Identity_2', 'Identity_3']);
const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');
const manifest = JSON.parse(fs.readFileSync(path.join(golden, 'manifest.json'), 'utf8'));
const inputs = JSON.parse(fs.readFileSync(path.join(golden, 'inputs/inputs.json'), 'utf8'));
fs.writeFileSync(path.join(out, 'inputs/inputs.json'), JSON.stringify(inputs.map((i) => ({
  name: i.name, shape: i.shape,
  sha256: sha(fs.readFileSync(path.join(golden, 'inputs', i.file))) })), null, 2) + '\n');
for (const run of manifest.runs) {
  const dir = path.join(out, run.key);
  fs.mkdirSync(dir, { recursive: true });
  const meta = { model: run.model, input: run.input, outputs: [] };
  for (const o of run.outputs) {
    const buf = fs.readFileSync(path.join(golden, '..', o.file));
    const full = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
    let maxAbs = 0;
    for (const v of full) maxAbs = Math.max(maxAbs, Math.abs(v));
    const stride = run.model.startsWith('pose_landmark') && BIG.has(o.name) ? STRIDE : 1;
    const sub = new Float32Array(Math.ceil(full.length / stride));
    for (let i = 0, j = 0; i < full.length; i += stride, ++j) sub[j] = full[i];
    fs.writeFileSync(path.join(dir, o.name + '.f32'), Buffer.from(sub.buffer));
    meta.outputs.push({ name: o.name, shape: o.shape, stride, max_abs: maxAbs, sha256: sha(buf) });
  }
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
}
JS
echo "wrote $(find "$OUT" -type f | wc -l) files, $(du -sh "$OUT" | cut -f1) to $OUT"
