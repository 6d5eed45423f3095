#ifndef LOCUS_CNCURSES_SHIM_H
#define LOCUS_CNCURSES_SHIM_H

// SwiftPM drops pkg-config's -D flags, so the wide-character API has to be
// switched on here, before the first ncurses include.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>
#include <ncursesw/term.h>

// Glibc's Swift module hides wcwidth; the frame measures cells with it.
int wcwidth(wchar_t c);

// Global mutable curses state, reached through functions so that Swift 6
// does not see unsafe globals.
static inline WINDOW *locus_stdscr(void) { return stdscr; }
static inline int locus_lines(void) { return LINES; }
static inline int locus_cols(void) { return COLS; }
static inline int locus_colors(void) { return COLORS; }
static inline int locus_color_pairs(void) { return COLOR_PAIRS; }
static inline void locus_set_escdelay(int ms) { set_escdelay(ms); }

// Attribute macros Swift cannot import.
static inline attr_t locus_a_normal(void) { return A_NORMAL; }
static inline attr_t locus_a_bold(void) { return A_BOLD; }
static inline attr_t locus_a_reverse(void) { return A_REVERSE; }
static inline attr_t locus_a_underline(void) { return A_UNDERLINE; }
static inline attr_t locus_a_dim(void) { return A_DIM; }

static inline int locus_key_f(int n) { return KEY_F(n); }

#endif
