#!/usr/bin/env bash
# Models in and out (docs/model-format.md, "Interchange"):
#   - ONNX: `export --format onnx` of the shipped model passes Debian's
#     python3-onnx checker, and OpenCV's DNN module (cv2.dnn.readNetFromONNX)
#     gives the same predictions as digitpad on 1,000 MNIST test images, every
#     probability within 1e-5;
#   - NumPy: the exported .npz holds exactly the .dpm's parameters (read from
#     the .dpm by Python straight from the format spec), numpy's savez and
#     savez_compressed files import to the same network, and export then
#     import is bit-exact;
#   - PyTorch: bench/torch_peer.py trains one epoch and saves an .npz;
#     digitpad imports it and gets the test accuracy PyTorch reported;
#   - bad files (wrong shape, NaN, truncated zip, missing array, float64)
#     are refused with a clear message and change nothing.
#
#   bash tests/interchange.sh <path-to-digitpad-cli> <build-dir>   (from the repo root)
#
# Needs MNIST in $DIGITPAD_DATA and Debian's python3 with numpy, onnx, cv2
# and torch (scripts/run-tests installs them); fails, does not skip, without.
set -u

CLI=${1:?usage: bash tests/interchange.sh <path-to-digitpad-cli> <build-dir>}
BUILD=${2:?usage: bash tests/interchange.sh <path-to-digitpad-cli> <build-dir>}
DATA=${DIGITPAD_DATA:-data/mnist}
export DIGITPAD_DATA=$DATA
# Debian's interpreter: the python3-* packages are installed for it, not for
# whatever python3 comes first on PATH.
PY=${DIGITPAD_PYTHON:-/usr/bin/python3}
MODEL=models/mnist-800.dpm
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dpinterchange-XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() {
    failed=$((failed + 1))
    echo "FAILED: $*" >&2
    [ -f "$TMP/out" ] && sed 's/^/    stdout: /' "$TMP/out" | tail -n 5 >&2
    [ -f "$TMP/err" ] && sed 's/^/    stderr: /' "$TMP/err" | tail -n 5 >&2
}
# check WHAT CMD...: the command must succeed.
check() {
    local what=$1
    shift
    if "$@" >"$TMP/out" 2>"$TMP/err"; then pass; else fail "$what"; fi
}

if ! "$PY" -c 'import numpy, onnx, cv2, torch' 2>"$TMP/err"; then
    fail "$PY cannot import numpy, onnx, cv2 and torch (apt-get install python3-numpy python3-onnx python3-opencv python3-torch)"
    exit 1
fi
if [ ! -f "$DATA/t10k-images-idx3-ubyte.gz" ] && [ ! -f "$DATA/t10k-images-idx3-ubyte" ]; then
    fail "no MNIST in $DATA (set DIGITPAD_DATA or run scripts/get-mnist)"
    exit 1
fi

# --- ONNX ----------------------------------------------------------------------
check "export --format onnx" "$CLI" export "$MODEL" --format onnx "$TMP/m.onnx"
check "onnx.checker accepts the export" "$PY" -c '
import sys, onnx
m = onnx.load(sys.argv[1])
onnx.checker.check_model(m, full_check=True)
ops = [n.op_type for n in m.graph.node]
assert ops == ["Gemm", "Relu", "Gemm", "Softmax"], ops
assert max(o.version for o in m.opset_import if o.domain in ("", "ai.onnx")) >= 13
(x,), (y,) = m.graph.input, m.graph.output
dims = lambda v: [d.dim_value or d.dim_param for d in v.type.tensor_type.shape.dim]
assert (x.name, dims(x), x.type.tensor_type.elem_type) == ("x", ["N", 784], 1), x
assert (y.name, dims(y)) == ("probabilities", ["N", 10]), y
assert len(m.graph.initializer) == 4
' "$TMP/m.onnx"

check "digitpad's probabilities on 1000 test images" \
    "$BUILD/tests/mnist_probs" "$MODEL" 1000 "$TMP/X.f32" "$TMP/P.f32"
check "OpenCV DNN gives digitpad's predictions (probabilities within 1e-5)" "$PY" -c '
import sys, numpy as np, cv2
X = np.fromfile(sys.argv[2], np.float32).reshape(-1, 784)
P = np.fromfile(sys.argv[3], np.float32).reshape(-1, 10)
assert len(X) == 1000
net = cv2.dnn.readNetFromONNX(sys.argv[1])
net.setInput(X)
Q = net.forward()
assert Q.shape == (1000, 10), Q.shape
diff = float(np.abs(Q - P).max())
same = int((Q.argmax(1) == P.argmax(1)).sum())
print(f"opencv: {same}/1000 predictions equal, max |p_opencv - p_digitpad| = {diff:.2e}")
assert same == 1000 and diff <= 1e-5
' "$TMP/m.onnx" "$TMP/X.f32" "$TMP/P.f32"
cat "$TMP/out"

# --- NumPy ---------------------------------------------------------------------
check "export --format npz" "$CLI" export "$MODEL" --format npz "$TMP/m.npz"
# The .dpm read by Python from docs/model-format.md, independently of the C code.
check "the .npz holds the .dpm's parameters; numpy's own files" "$PY" -c '
import sys, struct, zlib, numpy as np
b = open(sys.argv[1], "rb").read()
assert b[:8] == b"DPM1\r\n\x1a\n" and struct.unpack_from("<I", b, len(b) - 4)[0] == zlib.crc32(b[:-4])
I, H, _, _, O, _ = struct.unpack_from("<6I", b, 20)
hdr = struct.unpack_from("<I", b, 12)[0]  # header size: 204 (version 1) or 268 (version 2)
p = np.frombuffer(b, "<f4", offset=hdr, count=(len(b) - hdr - 4) // 4)
ref = {"W1": p[:I * H].reshape(I, H), "b1": p[I * H:I * H + H],
       "W2": p[I * H + H:I * H + H + H * O].reshape(H, O), "b2": p[I * H + H + H * O:]}
z = np.load(sys.argv[2])
assert sorted(z.files) == ["W1", "W2", "b1", "b2"], z.files
for k, v in ref.items():
    assert z[k].dtype == np.float32 and z[k].shape == v.shape, (k, z[k].dtype, z[k].shape)
    assert z[k].tobytes() == v.astype("<f4").tobytes(), k
d = sys.argv[3]
np.savez(d + "/np-stored.npz", **ref)
np.savez_compressed(d + "/np-deflated.npz", **ref)
np.savez(d + "/np-fortran.npz", W1=np.asfortranarray(ref["W1"]), b1=ref["b1"].reshape(1, -1),
         W2=ref["W2"].astype(">f4"), b2=ref["b2"])
bad = dict(ref)
bad["W2"] = ref["W2"].T
np.savez(d + "/bad-shape.npz", **bad)
bad = dict(ref)
bad["W1"] = ref["W1"].copy()
bad["W1"][100, 7] = np.nan
np.savez(d + "/bad-nan.npz", **bad)
np.savez(d + "/bad-missing.npz", W1=ref["W1"], b1=ref["b1"], W2=ref["W2"])
np.savez(d + "/bad-float64.npz", **{k: v.astype(np.float64) for k, v in ref.items()})
c = open(d + "/np-deflated.npz", "rb").read()
open(d + "/bad-truncated.npz", "wb").write(c[:len(c) * 2 // 3])
' "$MODEL" "$TMP/m.npz" "$TMP"

# dpm_params FILE: the parameter bytes of a .dpm (no header, no CRC).
dpm_params() {
    local hdr; hdr=$(od -An -tu4 -j12 -N4 "$1" | tr -d ' ') # header size: 204 or 268
    tail -c +"$((hdr + 1))" "$1" | head -c -4
}
for f in m np-stored np-deflated np-fortran; do
    check "import $f.npz" "$CLI" import "$TMP/$f.npz" "$TMP/$f.dpm"
    if cmp -s <(dpm_params "$TMP/$f.dpm") <(dpm_params "$MODEL"); then
        pass
    else
        fail "$f.npz: imported parameters differ from the shipped model's (not bit-exact)"
    fi
done
# The imported model is a complete .dpm: it classifies MNIST as the original does.
check "eval of the shipped model" "$CLI" eval --model "$MODEL"
want=$(grep '^accuracy ' "$TMP/out")
check "eval of the re-imported model" "$CLI" eval --model "$TMP/m.dpm"
got=$(grep '^accuracy ' "$TMP/out")
[ -n "$want" ] && [ "$got" = "$want" ] && pass || fail "re-imported model: '$got', the shipped one: '$want'"

# Bad files: exit 1, one clear line, the existing OUT unchanged, no temp file left.
cp "$MODEL" "$TMP/keep.dpm"
refuse() {
    local f=$1 regex=$2
    "$CLI" import "$TMP/$f.npz" "$TMP/keep.dpm" >"$TMP/out" 2>"$TMP/err"
    local rc=$?
    if [ $rc -ne 1 ]; then
        fail "import $f.npz: exit status $rc, expected 1"
    elif ! grep -Eq -- "^digitpad-cli: cannot import: .*$regex" "$TMP/err"; then
        fail "import $f.npz: stderr does not match /$regex/"
    elif ! cmp -s "$TMP/keep.dpm" "$MODEL"; then
        fail "import $f.npz: the existing output file was changed"
    elif ls "$TMP" | grep -q '\.tmp-'; then
        fail "import $f.npz: a temporary file was left behind"
    else
        pass
    fi
}
refuse bad-shape 'W2 needs 800 rows, not 10 .*weight\.T'
refuse bad-nan 'W1\[100\]\[7\] is NaN'
refuse bad-missing 'no array b2'
refuse bad-float64 "dtype '<f8'"
refuse bad-truncated 'truncated'
# A .dpm is not an .npz; an unwritable output.
"$CLI" import "$MODEL" "$TMP/x.dpm" >"$TMP/out" 2>"$TMP/err"
[ $? -eq 1 ] && grep -q 'not a zip archive' "$TMP/err" && pass || fail "import of a .dpm: no clear error"
"$CLI" import "$TMP/m.npz" /nonexistent-dir/x.dpm >"$TMP/out" 2>"$TMP/err"
[ $? -eq 1 ] && grep -q '^digitpad-cli: cannot save model: /nonexistent-dir/x.dpm' "$TMP/err" &&
    pass || fail "import to an unwritable path: no clear error"
"$CLI" export "$MODEL" --format tflite "$TMP/x" >"$TMP/out" 2>"$TMP/err"
[ $? -eq 2 ] && grep -q "unknown --format 'tflite'" "$TMP/err" && pass || fail "export --format tflite"

# --- PyTorch -------------------------------------------------------------------
# One thread: deterministic, and fastest for torch on a shared machine.
check "torch_peer.py trains one epoch and saves an .npz" env OPENBLAS_NUM_THREADS=1 \
    OMP_NUM_THREADS=1 "$PY" bench/torch_peer.py "$DATA" --epochs 1 --threads 1 \
    --save-npz "$TMP/torch.npz"
cat "$TMP/out"
torch_correct=$(sed -n 's/^saved .* test_correct \([0-9]*\) of 10000$/\1/p' "$TMP/out")
check "import the PyTorch .npz" "$CLI" import "$TMP/torch.npz" "$TMP/torch.dpm"
check "eval of the PyTorch model" "$CLI" eval --model "$TMP/torch.dpm"
ours=$(sed -n 's/^accuracy .*(\([0-9]*\)\/10000 correct)$/\1/p' "$TMP/out")
# Every command that takes a model takes the .npz itself.
check "eval --model torch.npz" "$CLI" eval --model "$TMP/torch.npz"
grep -q "($ours/10000 correct)" "$TMP/out" && pass || fail "eval of the .npz differs from the imported .dpm"
echo "pytorch: $torch_correct/10000 correct, digitpad on the imported weights: $ours/10000"
if [ -n "$torch_correct" ] && [ "$torch_correct" = "$ours" ]; then
    pass
else
    fail "PyTorch reported ${torch_correct:-nothing} correct, digitpad ${ours:-nothing}"
fi

echo "interchange: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
