/* datadir.h -- where courtdocs finds the files it ships (templates/, fonts/,
 * schemas/): one lookup for every module. */
#ifndef CD_DATADIR_H
#define CD_DATADIR_H

/* The data directory, decided once per process: $CD_DATA_DIR when set; else
 * the folder above the running executable when it holds schemas/ (the
 * program lives in build/ inside the source tree); else
 * /usr/share/courtdocs. Never NULL; the string lives for the process. */
const char *cd_data_dir(void);

#endif
