/* Text from files shown on a terminal: control characters escaped. */
#ifndef DIGITPAD_CLI_ESCAPE_H
#define DIGITPAD_CLI_ESCAPE_H

#include <stddef.h>

/* Copy the first len bytes of in (or up to its NUL) to out as printable
 * text: valid UTF-8 stays as it is except the C0 and C1 control characters
 * and DEL, which become \xNN (C1: \u00NN); bytes that are not valid UTF-8
 * become \xNN and a backslash becomes \\, so what a file holds can be told
 * from the output and no escape sequence reaches the terminal. out always
 * ends in a NUL; text that does not fit is cut at a character boundary.
 * Returns out. */
char *cli_escape_text(const char *in, size_t len, char *out, size_t out_size);

#endif
