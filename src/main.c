/* main.c -- the courtdocs program: hands over to the command dispatcher. */
#include "cli.h"

int main(int argc, char **argv) { return cd_cli_main(argc, argv); }
