#include "text.h"

#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 384
#define KEY_MAX 160
#define EVICT_AFTER_FRAMES 180

/* Point sizes at scale 1. */
static const int BASE_SIZE[TEXT_NSIZES] = {13, 15, 19, 104};

/* Numbers change every frame in the "look inside" views; rendering each
 * new string with SDL_ttf costs about 0.1 ms, so strings made only of
 * these characters are drawn glyph by glyph from textures made once per
 * size (white, tinted per draw). */
static const char NUMBER_CHARS[] = "0123456789.,+-=:%e ";
#define NUMBER_GLYPHS ((int)sizeof NUMBER_CHARS) /* and the minus sign U+2212 last */

typedef struct glyph {
    SDL_Texture *tex; /* NULL for the space */
    int w, h;         /* w = advance */
} glyph;

typedef struct cache_entry {
    uint32_t hash;
    int size;
    SDL_Color color;
    char key[KEY_MAX];
    SDL_Texture *tex; /* NULL = free slot */
    int w, h;
    uint64_t last_used;
} cache_entry;

struct text {
    SDL_Renderer *ren;
    char path[1024], bold_path[1024];
    TTF_Font *font[TEXT_NSIZES];
    float scale;
    cache_entry cache[CACHE_SLOTS];
    uint64_t frame;
    glyph glyphs[TEXT_NSIZES][NUMBER_GLYPHS];
    int glyphs_ready[TEXT_NSIZES]; /* 1 made, -1 failed (draw strings whole) */
};

static int find_in(FcConfig *config, int bold, char *out, size_t n) {
    static const char *const patterns[2][2] = {{"DejaVu Sans", "sans-serif"},
                                               {"DejaVu Sans:bold", "sans-serif:bold"}};
    int found = -1;
    for (int i = 0; i < 2 && found != 0; i++) {
        FcPattern *pat = FcNameParse((const FcChar8 *)patterns[bold ? 1 : 0][i]);
        if (!pat) continue;
        FcConfigSubstitute(config, pat, FcMatchPattern);
        FcDefaultSubstitute(pat);
        FcResult res;
        FcPattern *match = FcFontMatch(config, pat, &res);
        FcChar8 *file = NULL;
        if (match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch && file &&
            strlen((const char *)file) < n) {
            const char *dot = strrchr((const char *)file, '.');
            if (dot && (!strcmp(dot, ".ttf") || !strcmp(dot, ".otf") || !strcmp(dot, ".ttc"))) {
                snprintf(out, n, "%s", (const char *)file);
                found = 0;
            }
        }
        if (match) FcPatternDestroy(match);
        FcPatternDestroy(pat);
    }
    return found;
}

/* Regular and bold face; bold falls back to regular. 0 if regular was found. */
static int find_fonts(char *regular, char *bold, size_t n) {
    /* A private configuration, destroyed afterwards: no global state left. */
    FcConfig *config = FcInitLoadConfigAndFonts();
    if (!config) return -1;
    int rc = find_in(config, 0, regular, n);
    if (rc == 0 && find_in(config, 1, bold, n) != 0) snprintf(bold, n, "%s", regular);
    FcConfigDestroy(config);
    return rc;
}

static void cache_clear(text *t) {
    for (int i = 0; i < CACHE_SLOTS; i++) {
        if (t->cache[i].tex) SDL_DestroyTexture(t->cache[i].tex);
        t->cache[i].tex = NULL;
    }
}

static void close_fonts(text *t) {
    for (int i = 0; i < TEXT_NSIZES; i++) {
        for (int k = 0; k < NUMBER_GLYPHS; k++)
            if (t->glyphs[i][k].tex) SDL_DestroyTexture(t->glyphs[i][k].tex);
        memset(t->glyphs[i], 0, sizeof t->glyphs[i]);
        t->glyphs_ready[i] = 0;
        if (t->font[i]) TTF_CloseFont(t->font[i]);
        t->font[i] = NULL;
    }
}

int text_set_scale(text *t, float scale) {
    if (scale <= 0) scale = 1;
    if (t->font[0] && scale == t->scale) return 0;
    close_fonts(t);
    cache_clear(t);
    t->scale = scale;
    for (int i = 0; i < TEXT_NSIZES; i++) {
        const char *p = (i == TEXT_HUGE || i == TEXT_TITLE) ? t->bold_path : t->path;
        int pt = (int)(BASE_SIZE[i] * scale + 0.5f);
        t->font[i] = TTF_OpenFont(p, pt);
        if (!t->font[i]) t->font[i] = TTF_OpenFont(t->path, pt);
        if (!t->font[i]) return -1;
    }
    return 0;
}

int text_create(text **out, SDL_Renderer *ren, const char *font_path, char *err, size_t errlen) {
    *out = NULL;
    if (!TTF_WasInit() && TTF_Init() != 0) {
        snprintf(err, errlen, "cannot initialise SDL_ttf: %s", TTF_GetError());
        return -1;
    }
    text *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    t->ren = ren;
    if (font_path && *font_path) {
        snprintf(t->path, sizeof t->path, "%s", font_path);
        snprintf(t->bold_path, sizeof t->bold_path, "%s", font_path);
    } else {
        if (find_fonts(t->path, t->bold_path, sizeof t->path) != 0) {
            snprintf(err, errlen,
                     "no font found through fontconfig; install fonts-dejavu-core or pass "
                     "--font FILE.ttf");
            free(t);
            return -1;
        }
    }
    if (text_set_scale(t, 1.0f) != 0) {
        snprintf(err, errlen, "cannot open font %s: %s", t->path, TTF_GetError());
        text_destroy(t);
        return -1;
    }
    *out = t;
    return 0;
}

void text_destroy(text *t) {
    if (!t) return;
    cache_clear(t);
    close_fonts(t);
    free(t);
}

const char *text_font_path(const text *t) {
    return t->path;
}

static uint32_t hash_key(const char *s, int size, SDL_Color c) {
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++) h = (h ^ (uint8_t)*s) * 16777619u;
    h = (h ^ (uint32_t)size) * 16777619u;
    h = (h ^ ((uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b)) * 16777619u;
    return h;
}

/* str in font size and colour c as a new texture of w x h pixels, or NULL. */
static SDL_Texture *render(text *t, text_size size, SDL_Color c, const char *str, int *w, int *h) {
    SDL_Surface *s = TTF_RenderUTF8_Blended(t->font[size], str, c);
    if (!s) return NULL;
    SDL_Texture *tex = SDL_CreateTextureFromSurface(t->ren, s);
    *w = s->w;
    *h = s->h;
    SDL_FreeSurface(s);
    return tex;
}

static cache_entry *lookup(text *t, text_size size, SDL_Color c, const char *str) {
    uint32_t h = hash_key(str, size, c);
    cache_entry *victim = NULL;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        cache_entry *e = &t->cache[i];
        if (!e->tex) {
            if (!victim || victim->tex) victim = e;
            continue;
        }
        if (e->hash == h && e->size == (int)size && e->color.r == c.r && e->color.g == c.g &&
            e->color.b == c.b && e->color.a == c.a && !strcmp(e->key, str)) {
            e->last_used = t->frame;
            return e;
        }
        if (!victim || (victim->tex && e->last_used < victim->last_used)) victim = e;
    }
    int w, hgt;
    SDL_Texture *tex = render(t, size, c, str, &w, &hgt);
    if (!tex) return NULL;
    if (victim->tex) SDL_DestroyTexture(victim->tex);
    victim->hash = h;
    victim->size = size;
    victim->color = c;
    snprintf(victim->key, sizeof victim->key, "%s", str);
    victim->tex = tex;
    victim->w = w;
    victim->h = hgt;
    victim->last_used = t->frame;
    return victim;
}

/* The glyph index of the character at *p (advancing p), or -1. */
static int number_glyph(const char **p) {
    const unsigned char *u = (const unsigned char *)*p;
    if (u[0] == 0xe2 && u[1] == 0x88 && u[2] == 0x92) { /* U+2212 */
        *p += 3;
        return NUMBER_GLYPHS - 1;
    }
    const char *at = u[0] ? strchr(NUMBER_CHARS, u[0]) : NULL;
    if (!at) return -1;
    *p += 1;
    return (int)(at - NUMBER_CHARS);
}

static int make_glyphs(text *t, text_size size) {
    if (t->glyphs_ready[size]) return t->glyphs_ready[size] > 0;
    t->glyphs_ready[size] = -1;
    SDL_Color white = {255, 255, 255, 255};
    for (int k = 0; k < NUMBER_GLYPHS; k++) {
        Uint16 ch = k == NUMBER_GLYPHS - 1 ? 0x2212 : (Uint16)(unsigned char)NUMBER_CHARS[k];
        glyph *g = &t->glyphs[size][k];
        if (ch == ' ') {
            int minx, maxx, miny, maxy, adv;
            if (TTF_GlyphMetrics(t->font[size], ch, &minx, &maxx, &miny, &maxy, &adv) != 0)
                return 0;
            g->w = adv;
            g->h = TTF_FontHeight(t->font[size]);
            continue;
        }
        SDL_Surface *s = TTF_RenderGlyph_Blended(t->font[size], ch, white);
        if (!s) return 0;
        g->tex = SDL_CreateTextureFromSurface(t->ren, s);
        g->w = s->w;
        g->h = s->h;
        SDL_FreeSurface(s);
        if (!g->tex) return 0;
    }
    t->glyphs_ready[size] = 1;
    return 1;
}

/* Draws str from the glyph textures if it is made only of NUMBER_CHARS
 * (and the minus sign); returns the width, or -1 to draw it whole. */
static int draw_number(text *t, text_size size, SDL_Color c, int x, int y, text_align align,
                       const char *str) {
    int idx[64], n = 0, w = 0;
    for (const char *p = str; *p;) {
        if (n == 64) return -1;
        int k = number_glyph(&p);
        if (k < 0) return -1;
        idx[n++] = k;
    }
    if (!make_glyphs(t, size)) return -1;
    for (int i = 0; i < n; i++) w += t->glyphs[size][idx[i]].w;
    if (align == ALIGN_CENTER) x -= w / 2;
    if (align == ALIGN_RIGHT) x -= w;
    int width = w;
    for (int i = 0; i < n; i++) {
        const glyph *g = &t->glyphs[size][idx[i]];
        if (g->tex) {
            SDL_SetTextureColorMod(g->tex, c.r, c.g, c.b);
            SDL_SetTextureAlphaMod(g->tex, c.a);
            SDL_RenderCopy(t->ren, g->tex, NULL, &(SDL_Rect){x, y, g->w, g->h});
        }
        x += g->w;
    }
    return width;
}

int text_draw(text *t, text_size size, SDL_Color c, int x, int y, text_align align,
              const char *str) {
    if (!str || !*str) return 0;
    int nw = draw_number(t, size, c, x, y, align, str);
    if (nw >= 0) return nw;
    cache_entry *e = NULL;
    SDL_Texture *once = NULL;
    int w, h;
    if (strlen(str) < KEY_MAX) e = lookup(t, size, c, str);
    if (e) {
        w = e->w;
        h = e->h;
    } else { /* too long to cache, or the cache failed: render once */
        once = render(t, size, c, str, &w, &h);
        if (!once) return 0;
    }
    if (align == ALIGN_CENTER) x -= w / 2;
    if (align == ALIGN_RIGHT) x -= w;
    SDL_Rect dst = {x, y, w, h};
    SDL_RenderCopy(t->ren, e ? e->tex : once, NULL, &dst);
    if (once) SDL_DestroyTexture(once);
    return w;
}

int text_drawf(text *t, text_size size, SDL_Color c, int x, int y, text_align align,
               const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return text_draw(t, size, c, x, y, align, buf);
}

int text_draw_wrapped(text *t, text_size size, SDL_Color c, int x, int y, int max_w, int max_h,
                      const char *str) {
    int line_h = TTF_FontLineSkip(t->font[size]);
    int y0 = y;
    char line[512], trial[512];
    size_t len = 0;
    const char *p = str;
    while (*p) {
        const char *w = p; /* next word, with its leading spaces */
        while (*p == ' ') p++;
        while (*p && *p != ' ') p++;
        size_t wl = (size_t)(p - w);
        if (len + wl > sizeof line - 4) wl = sizeof line - 4 - len; /* room for "..." */
        memcpy(trial, line, len);
        memcpy(trial + len, w, wl);
        trial[len + wl] = '\0';
        if (len > 0 && text_width(t, size, trial) > max_w) {
            int last = y + 2 * line_h - y0 > max_h; /* no room for another line */
            memcpy(line + len, last ? "..." : "", last ? 4 : 1);
            text_draw(t, size, c, x, y, ALIGN_LEFT, line);
            y += line_h;
            len = 0;
            if (last) break;
            while (wl > 0 && *w == ' ') w++, wl--;
        }
        memcpy(line + len, w, wl);
        len += wl;
    }
    if (len > 0) {
        line[len] = '\0';
        text_draw(t, size, c, x, y, ALIGN_LEFT, line);
        y += line_h;
    }
    return y - y0;
}

int text_width(text *t, text_size size, const char *str) {
    int w = 0, h = 0;
    if (TTF_SizeUTF8(t->font[size], str, &w, &h) != 0) return 0;
    return w;
}

int text_height(text *t, text_size size) {
    return TTF_FontHeight(t->font[size]);
}

void text_end_frame(text *t) {
    t->frame++;
    if (t->frame % 60 != 0) return;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        cache_entry *e = &t->cache[i];
        if (e->tex && t->frame - e->last_used > EVICT_AFTER_FRAMES) {
            SDL_DestroyTexture(e->tex);
            e->tex = NULL;
        }
    }
}
