/* datadir.h -- where courtdocs finds the files it ships (templates/, fonts/,
 * schemas/): one lookup for every module. */
#ifndef CD_DATADIR_H
#define CD_DATADIR_H

/* The data directory, decided once per process: $CD_DATA_DIR when set; else
 * the first of these that holds schemas/: the folder above the running
 * executable's (the program lives in build/ inside the source tree); the
 * DATADIR `make install` compiled in (CD_INSTALL_DATADIR); PREFIX/share/
 * courtdocs beside the executable's PREFIX/bin (an installed tree moved or
 * staged under DESTDIR); the current folder; and failing all of them the
 * compiled-in DATADIR, so errors name where the data should be. Never NULL;
 * the string lives for the process. */
const char *cd_data_dir(void);

#endif
