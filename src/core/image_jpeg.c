/* JPEG through libjpeg-turbo, from memory, decoded straight to grayscale
 * (the luma channel). A file that ends before its last scan is an error,
 * not an image padded with grey; progressive files with absurd numbers of
 * scans and decoders needing more than JPEG_MAX_MEMORY are refused. */
#include "image_codec.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jerror.h>
#include <jpeglib.h>

#define JPEG_MAX_MEMORY (512L << 20)
#define JPEG_MAX_SCANS 500 /* libjpeg-turbo's own suggested limit (TJPARAM_SCANLIMIT) */

typedef struct jpeg_ctx {
    struct jpeg_error_mgr pub; /* first: libjpeg casts cinfo->err to this */
    struct jpeg_progress_mgr progress;
    jmp_buf jb;
    char msg[JMSG_LENGTH_MAX];
    uint8_t *volatile pix;
} jpeg_ctx;

static void error_exit(j_common_ptr cinfo) {
    jpeg_ctx *c = (jpeg_ctx *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, c->msg);
    longjmp(c->jb, 1);
}

/* Warnings: a premature end of the data is an error; others (extraneous
 * bytes before a marker, ...) are tolerated silently. */
static void emit_message(j_common_ptr cinfo, int level) {
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) error_exit(cinfo);
}

static void output_message(j_common_ptr cinfo) {
    (void)cinfo; /* the core library never prints */
}

static void progress(j_common_ptr cinfo) {
    if (!cinfo->is_decompressor) return;
    const struct jpeg_decompress_struct *d = (const struct jpeg_decompress_struct *)cinfo;
    if (d->inputctl && d->input_scan_number > JPEG_MAX_SCANS) {
        jpeg_ctx *c = (jpeg_ctx *)cinfo->err;
        snprintf(c->msg, sizeof c->msg, "more than %d scans in a progressive JPEG", JPEG_MAX_SCANS);
        longjmp(c->jb, 1);
    }
}

dp_status dp__jpeg_decode(const dp_image_src *src, uint8_t **pix, int *w, int *h, dp_error *err) {
    struct jpeg_decompress_struct d;
    jpeg_ctx c;
    memset(&c, 0, sizeof c);
    memset(&d, 0, sizeof d);
    d.err = jpeg_std_error(&c.pub);
    c.pub.error_exit = error_exit;
    c.pub.emit_message = emit_message;
    c.pub.output_message = output_message;
    c.progress.progress_monitor = progress;
    if (setjmp(c.jb)) {
        jpeg_destroy_decompress(&d);
        free(c.pix);
        return dp_error_set(err, DP_ERR_FORMAT, "%s: not a valid JPEG: %s", src->name, c.msg);
    }
    jpeg_create_decompress(&d);
    d.progress = &c.progress;
    d.mem->max_memory_to_use = JPEG_MAX_MEMORY;
    jpeg_mem_src(&d, src->buf, (unsigned long)src->len);
    (void)jpeg_read_header(&d, TRUE);
    dp_status st = dp__image_check_size(src, d.image_width, d.image_height, err);
    if (st == DP_OK && (d.jpeg_color_space == JCS_CMYK || d.jpeg_color_space == JCS_YCCK))
        st =
            dp_error_set(err, DP_ERR_FORMAT,
                         "%s: not supported: a CMYK JPEG (save it as RGB or grayscale)", src->name);
    if (st != DP_OK) {
        jpeg_destroy_decompress(&d);
        return st;
    }
    d.out_color_space = JCS_GRAYSCALE;
    (void)jpeg_start_decompress(&d);
    if (d.output_components != 1 || d.output_width != d.image_width ||
        d.output_height != d.image_height)
        ERREXIT(&d, JERR_CONVERSION_NOTIMPL);
    const size_t W = d.output_width, H = d.output_height;
    c.pix = malloc(W * H);
    if (!c.pix) {
        jpeg_destroy_decompress(&d);
        return dp_error_set(err, DP_ERR_NOMEM, "%s: out of memory for a %zux%zu image", src->name,
                            W, H);
    }
    while (d.output_scanline < d.output_height) {
        JSAMPROW row = c.pix + (size_t)d.output_scanline * W;
        if (jpeg_read_scanlines(&d, &row, 1) != 1) ERREXIT(&d, JERR_INPUT_EMPTY);
    }
    (void)jpeg_finish_decompress(&d);
    jpeg_destroy_decompress(&d);
    *pix = c.pix;
    *w = (int)W;
    *h = (int)H;
    return DP_OK;
}
