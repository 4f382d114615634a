/* cli_password.c -- where a document command gets the password to encrypt
 * its PDF with: the first line of a file (--password-file FILE), or typed at
 * the terminal without echo, twice (--ask-password). Never from the command
 * line: a password there can be read by any local user (ps, /proc/PID/cmdline)
 * and stays in shell history, so --password PW is refused with a message
 * that says what to use instead. The password is never printed. */
#include "cli.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

const char cd_cli_password_refused[] =
    "--password on the command line can be read by any user of this computer (ps) and is "
    "kept in shell history: put the password on the first line of a file only you can read "
    "and give --password-file FILE, or give --ask-password to type it";

/* Reads one line from fd into a malloc'd string (no newline); NULL at once
 * on a read error; "" for an empty line or end of input. */
static char *read_line(int fd)
{
    size_t cap = 64, n = 0;
    char *s = malloc(cap);
    if (!s) return NULL;
    for (;;) {
        char ch;
        ssize_t r = read(fd, &ch, 1);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) { explicit_bzero(s, cap); free(s); return NULL; }
        if (r == 0 || ch == '\n') break;
        if (n + 2 > cap) {
            char *ns = malloc(cap * 2);
            if (!ns) { explicit_bzero(s, cap); free(s); return NULL; }
            memcpy(ns, s, n);
            explicit_bzero(s, cap);
            free(s);
            s = ns;
            cap *= 2;
        }
        s[n++] = ch;
    }
    if (n > 0 && s[n - 1] == '\r') n--;
    s[n] = '\0';
    return s;
}

/* Asks on the terminal with echo off; NULL (and a message) when there is
 * no terminal or it cannot be read. */
static char *ask(const char *cmd, const char *prompt)
{
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        cd_cli_usage_error(cmd, "--ask-password needs a terminal to ask on; give --password-file FILE instead");
        return NULL;
    }
    struct termios old, quiet;
    bool restore = tcgetattr(fd, &old) == 0;
    if (restore) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        quiet.c_lflag |= ECHONL;
        tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    if (write(fd, prompt, strlen(prompt)) < 0) { /* nothing to do: the read still works */ }
    char *pw = read_line(fd);
    if (restore) tcsetattr(fd, TCSAFLUSH, &old);
    close(fd);
    if (!pw) fprintf(stderr, "courtdocs %s: cannot read the password from the terminal\n", cmd);
    return pw;
}

void cd_cli_password_free(char *pw)
{
    if (!pw) return;
    explicit_bzero(pw, strlen(pw));
    free(pw);
}

int cd_cli_password(const char *cmd, const char *file, bool ask_tty, char **out)
{
    *out = NULL;
    if (file && ask_tty)
        return cd_cli_usage_error(cmd, "give --password-file FILE or --ask-password, not both");
    char *pw = NULL;
    if (file) {
        int fd = open(file, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            fprintf(stderr, "courtdocs %s: password file %s: cannot open it: %s\n", cmd, file, strerror(errno));
            return CD_EUSAGE;
        }
        struct stat st;
        if (fstat(fd, &st) == 0 && (st.st_mode & 077))
            fprintf(stderr, "courtdocs %s: warning: the password file %s can be read by other users "
                    "(chmod 600 %s)\n", cmd, file, file);
        pw = read_line(fd);
        close(fd);
        if (!pw) {
            fprintf(stderr, "courtdocs %s: password file %s: cannot read it\n", cmd, file);
            return CD_EUSAGE;
        }
        if (!*pw) {
            cd_cli_password_free(pw);
            fprintf(stderr, "courtdocs %s: password file %s: its first line is empty\n", cmd, file);
            return CD_EUSAGE;
        }
    } else if (ask_tty) {
        pw = ask(cmd, "Password for the PDF: ");
        if (!pw) return CD_EUSAGE;
        char *again = *pw ? ask(cmd, "The same password again: ") : NULL;
        bool same = again && strcmp(pw, again) == 0;
        cd_cli_password_free(again);
        if (!*pw || !same) {
            fprintf(stderr, "courtdocs %s: %s\n", cmd, *pw ? "the two passwords differ" : "the password is empty");
            cd_cli_password_free(pw);
            return CD_EUSAGE;
        }
    }
    *out = pw;
    return CD_OK;
}
