/* S writes the canvas and the network input as 28x28 PNGs that decode with
 * ink where it was drawn; an unwritable directory shows an error and loses
 * nothing. */
#include <dirent.h>
#include <math.h>

#include "app_test_common.h"
#include "digitpad/image.h"

/* Number of files in dir ending in suffix; the last one's path in out. */
static int find_files(const char *dir, const char *suffix, char *out, size_t n) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    int count = 0;
    struct dirent *e;
    size_t sl = strlen(suffix);
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l > sl && !strcmp(e->d_name + l - sl, suffix) && !strncmp(e->d_name, "digitpad-", 9)) {
            count++;
            snprintf(out, n, "%s/%s", dir, e->d_name);
        }
    }
    closedir(d);
    return count;
}

int main(void) {
    char dir[1024], path[2048], canvas_png[2048], input_png[2048];
    snprintf(dir, sizeof dir, "%s", dpt_tmpdir());
    app_config cfg;
    test_config(&cfg);
    cfg.export_dir = dir;
    app *a = test_app(&cfg);

    /* Empty canvas: nothing is written. */
    push_key(a, SDLK_s, 0);
    CHECK(run_frames(a, 1));
    CHECK(find_files(dir, ".png", path, sizeof path) == 0);
    CHECK(!a->ui.status_error);

    /* An "L" shape in the upper left. */
    push_stroke(a, SDL_BUTTON_LEFT, 6.5f, 4.5f, 6.5f, 14.5f, 4);
    push_stroke(a, SDL_BUTTON_LEFT, 6.5f, 14.5f, 12.5f, 14.5f, 3);
    push_key(a, SDLK_s, 0);
    CHECK(run_frames(a, 1));
    CHECKF(!a->ui.status_error, "status: %s", a->ui.status);
    CHECK(find_files(dir, "-canvas.png", canvas_png, sizeof canvas_png) == 1);
    CHECK(find_files(dir, "-input.png", input_png, sizeof input_png) == 1);
    CHECKF(strstr(a->ui.status, canvas_png) != NULL, "status does not say where: %s", a->ui.status);

    uint8_t *pix = NULL;
    int w = 0, h = 0;
    CHECK(dp_image_load_gray(canvas_png, &pix, &w, &h, NULL) == DP_OK);
    CHECK(w == 28 && h == 28);
    if (pix && w == 28 && h == 28) {
        CHECK(pix[9 * 28 + 6] > 200);   /* on the vertical bar */
        CHECK(pix[14 * 28 + 10] > 200); /* on the foot */
        CHECK(pix[2 * 28 + 25] == 0 && pix[25 * 28 + 25] == 0);
        int same = 1; /* exactly the canvas, white on black */
        for (int i = 0; i < 784; i++)
            same &= abs((int)pix[i] - (int)lroundf(a->canvas->cells[i] * 255.0f)) <= 1;
        CHECK(same);
    }
    free(pix);
    pix = NULL;
    CHECK(dp_image_load_gray(input_png, &pix, &w, &h, NULL) == DP_OK);
    CHECK(w == 28 && h == 28);
    if (pix && w == 28 && h == 28) {
        /* The preprocessed input: what the network got, centred by mass. */
        double m = 0, cx = 0, cy = 0;
        int same = 1;
        for (int i = 0; i < 784; i++) {
            m += pix[i];
            cx += (i % 28) * (double)pix[i];
            cy += (i / 28) * (double)pix[i];
            same &= abs((int)pix[i] - (int)lroundf(a->input[i] * 255.0f)) <= 1;
        }
        CHECK(same);
        CHECK(m > 0);
        CHECK_NEAR(cx / m, 13.5, 1.5);
        CHECK_NEAR(cy / m, 13.5, 1.5);
    }
    free(pix);

    /* A second export in the same second gets its own names. */
    push_key(a, SDLK_s, 0);
    CHECK(run_frames(a, 1));
    CHECK(find_files(dir, "-canvas.png", path, sizeof path) == 2);
    CHECK(find_files(dir, "-input.png", path, sizeof path) == 2);

    /* Unwritable: the directory is a regular file. An error in the window,
     * the drawing is still there, the app goes on. */
    char blocker[1100], bad_dir[1200];
    snprintf(blocker, sizeof blocker, "%s/not-a-dir", dir);
    CHECK(dpt_write_file(blocker, "x", 1) == 0);
    snprintf(bad_dir, sizeof bad_dir, "%s/sub", blocker);
    a->cfg.export_dir = bad_dir;
    push_key(a, SDLK_s, 0);
    CHECK(run_frames(a, 1));
    CHECK(a->ui.status_error);
    CHECKF(strstr(a->ui.status, "export failed") != NULL, "status: %s", a->ui.status);
    CHECK(dp_canvas_has_ink(a->canvas, 0.5f) && a->pred.valid);
    CHECK(find_files(dir, ".png", path, sizeof path) == 4);
    CHECK(run_frames(a, 2));

    /* A fixed directory works again afterwards. */
    a->cfg.export_dir = dir;
    push_key(a, SDLK_s, 0);
    CHECK(run_frames(a, 1));
    CHECK(!a->ui.status_error);
    CHECK(find_files(dir, "-canvas.png", path, sizeof path) == 3);

    app_destroy(a);
    SDL_Quit();
    return dpt_finish();
}
