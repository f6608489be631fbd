/* The training-loss curve: one point per loss_every batches (their mean),
 * x = samples seen, y = loss on a linear or log10 axis, with epoch marks
 * labelled by the test accuracy measured after each epoch. */
#ifndef DIGITPAD_APP_LOSS_PLOT_H
#define DIGITPAD_APP_LOSS_PLOT_H

#include <SDL.h>

#include "lab_runs.h"
#include "text.h"
#include "trainer_thread.h"

void loss_plot_draw(SDL_Renderer *r, text *t, SDL_Rect area, const train_view *v, int log_scale,
                    float scale);
/* The same with the past runs of `runs` (if not NULL) drawn behind the
 * current one in their own colours, on a common axis of samples seen in
 * each run, and a legend of every run's settings and test accuracies. */
void loss_plot_draw_runs(SDL_Renderer *r, text *t, SDL_Rect area, const train_view *v,
                         const lab_runs *runs, int log_scale, float scale);

/* "1.2k", "60k", "1.5M": short sample counts for axis labels. */
void loss_plot_format_count(double n, char *out, size_t len);

#endif
