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

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>
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
static inline FILE *locus_stdout(void) { return stdout; }
static inline FILE *locus_stdin(void) { return stdin; }

// Attribute macros Swift cannot import.
static inline attr_t locus_a_normal(void) { return A_NORMAL; }
static inline attr_t locus_a_bold(void) { return A_BOLD; }
static inline attr_t locus_a_reverse(void) { return A_REVERSE; }
static inline attr_t locus_a_underline(void) { return A_UNDERLINE; }
static inline attr_t locus_a_dim(void) { return A_DIM; }
static inline attr_t locus_a_italic(void) { return A_ITALIC; }

static inline int locus_key_f(int n) { return KEY_F(n); }

// CODESET is an enum constant inside an nl_item expression; reaching it from
// Swift is brittle, so the shim answers the question directly.
static inline const char *locus_codeset(void) { return nl_langinfo(CODESET); }

// The terminal size as the kernel sees it, for re-laying out after SIGWINCH
// (ioctl is variadic and cannot be called from Swift).
static inline int locus_window_size(int fd, int *rows, int *cols) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0) {
        return -1;
    }
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return 0;
}

// setupterm writes its own complaints to stderr unless it is given an error
// pointer; this wrapper always gives one and reports the terminfo verdict.
// Returns 1 when the terminal exists and has cursor addressing, 0 when
// terminfo knows no such terminal, -1 when the database cannot be read,
// 2 when the terminal lacks cursor addressing.
static inline int locus_probe_terminal(const char *term, int fd) {
    int status = 0;
    if (setupterm((char *)term, fd, &status) != OK) {
        return status == 0 ? 0 : -1;
    }
    const char *cup = tigetstr("cup");
    int usable = (cup != NULL && cup != (char *)-1) ? 1 : 2;
    del_curterm(cur_term);
    return usable;
}

#endif
