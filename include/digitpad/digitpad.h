/* Umbrella header for the digitpad core library. */
#ifndef DIGITPAD_DIGITPAD_H
#define DIGITPAD_DIGITPAD_H

#include "digitpad/augment.h"
#include "digitpad/canvas.h"
#include "digitpad/dataset.h"
#include "digitpad/explain.h"
#include "digitpad/fileio.h"
#include "digitpad/image.h"
#include "digitpad/matrix.h"
#include "digitpad/mlp.h"
#include "digitpad/model.h"
#include "digitpad/npz.h"
#include "digitpad/onnx.h"
#include "digitpad/preprocess.h"
#include "digitpad/rng.h"
#include "digitpad/status.h"
#include "digitpad/step.h"
#include "digitpad/train.h"

#endif
