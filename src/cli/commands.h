/* The digitpad-cli commands. Each takes the arguments after the program
 * name (argv[0] is the command name) and returns the process exit code:
 * 0 ok, 1 runtime error, 2 bad arguments, 130 interrupted. */
#ifndef DIGITPAD_CLI_COMMANDS_H
#define DIGITPAD_CLI_COMMANDS_H

int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_predict(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_import(int argc, char **argv);

#endif
