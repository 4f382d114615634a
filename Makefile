# courtdocs build.
#   make            build build/courtdocs
#   make demo       build, then render sample documents from the synthetic caseload
#   make check      build and run the whole test suite (Check)
#   make check SAN=1   the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make check-valgrind  the test suite under valgrind memcheck
#   make bench      optimised build, benchmarks, results in bench/RESULTS.md
#   make tagging-ab build-ab/tagging_ab, what tagging costs in one process
#                   (bench/tagging.sh runs it)
#   make install    install the program, its data, man page and bash completion
#                   (PREFIX=/usr/local, DESTDIR, BINDIR, DATADIR, MANDIR, DOCDIR, BASHCOMPDIR)
#   make uninstall  remove exactly what make install put there
#   make help       this text
# Missing Debian packages are installed when run as root (scripts/deps.sh),
# only by the targets that build (not clean, help or uninstall); NO_DEPS=1
# skips the check (package builds, where the build-dependencies say it).

CC      ?= cc
PKGS    := libxml-2.0 sqlite3

# Installation directories (GNU-style names; DATADIR is courtdocs's own
# folder of templates, schemas and fonts, compiled into the program).
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
DATAROOTDIR ?= $(PREFIX)/share
DATADIR     ?= $(DATAROOTDIR)/courtdocs
MANDIR      ?= $(DATAROOTDIR)/man
DOCDIR      ?= $(DATAROOTDIR)/doc/courtdocs
BASHCOMPDIR ?= $(DATAROOTDIR)/bash-completion/completions
INSTALL     ?= install

NODEPS_GOALS := clean help uninstall print-libs
ifeq ($(NO_DEPS),1)
DEPS_OK := yes
else ifeq ($(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
DEPS_OK := yes
else
DEPS_OK := $(shell sh scripts/deps.sh >&2 && echo yes)
endif

ifeq ($(SAN),1)
BUILD   ?= build-san
OPT     ?= -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# libqpdf is linked up front as well as opened with dlopen (which then finds
# it loaded): LeakSanitizer (GCC 12) crashed at exit scanning the dynamic TLS
# of libraries dlopen had loaded (libqpdf's GnuTLS) -- "Tracer caught signal
# 11", "DTLS ... at 0x...559" -- depending on what memory held. Loaded at
# start, their TLS is static and the leak check runs.
SANLD   := -fsanitize=address,undefined -Wl,--no-as-needed -lqpdf -Wl,--as-needed
else ifeq ($(BENCH),1)
BUILD   ?= build-bench
OPT     ?= -O2 -DNDEBUG
else
BUILD   ?= build
OPT     ?= -O2 -g
endif

CFLAGS_ALL := -std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE $(OPT) \
              -Iinclude -Isrc $(shell pkg-config --cflags $(PKGS)) $(CPPFLAGS) $(CFLAGS)
LIBS    := -lhpdf -ldeflate -lpng -lz $(shell pkg-config --libs $(PKGS)) -lm -ldl
TESTLIBS := $(shell pkg-config --libs check 2>/dev/null)

LIB_SRC  := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(wildcard tests/*.c)
TEST_OBJ := $(TEST_SRC:tests/%.c=$(BUILD)/tobj/%.o)
SUITES   := $(patsubst tests/test_%.c,%,$(wildcard tests/test_*.c))

.PHONY: all deps demo check check-valgrind bench tagging-ab fuzz fuzz-replay fuzz-deps clean help print-libs \
        install uninstall FORCE

all: deps $(BUILD)/courtdocs

deps:
	@test "$(DEPS_OK)" = yes || { echo "courtdocs: install the packages above, then run make again" >&2; exit 1; }

$(BUILD)/obj/%.o: src/%.c $(wildcard src/*.h include/*.h) | $(BUILD)/obj
	$(CC) $(CFLAGS_ALL) -c $< -o $@

# The installed data folder is compiled into datadir.o; the stamp changes
# (and datadir.o is rebuilt) only when DATADIR does.
$(BUILD)/datadir.stamp: FORCE | $(BUILD)/obj
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@
$(BUILD)/obj/datadir.o: $(BUILD)/datadir.stamp
$(BUILD)/obj/datadir.o: CFLAGS_ALL += -DCD_INSTALL_DATADIR='"$(DATADIR)"'

# libqpdf is opened only when a document is encrypted (src/pdf_encrypt.c),
# by the soname of the libqpdf.so this build finds.
QPDF_SONAME := $(shell objdump -p "$$($(CC) -print-file-name=libqpdf.so)" 2>/dev/null | awk '$$1 == "SONAME" { print $$2 }')
$(BUILD)/obj/pdf_encrypt.o: CFLAGS_ALL += $(if $(QPDF_SONAME),-DCD_QPDF_SONAME='"$(QPDF_SONAME)"')

$(BUILD)/libcourtdocs.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/courtdocs: $(BUILD)/obj/main.o $(BUILD)/libcourtdocs.a
	$(CC) $(SANLD) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/suites.inc: $(TEST_SRC) | $(BUILD)/obj
	@printf '%s\n' $(foreach s,$(SUITES),'SUITE($(s))') > $@.tmp && mv $@.tmp $@

$(BUILD)/tobj/%.o: tests/%.c $(BUILD)/suites.inc $(wildcard src/*.h include/*.h tests/*.h) | $(BUILD)/tobj
	$(CC) $(CFLAGS_ALL) -I$(BUILD) $(shell pkg-config --cflags check) -c $< -o $@

$(BUILD)/run_tests: $(TEST_OBJ) $(BUILD)/libcourtdocs.a
	$(CC) $(SANLD) $(LDFLAGS) -o $@ $^ $(LIBS) $(TESTLIBS)

$(BUILD)/obj $(BUILD)/tobj:
	mkdir -p $@

demo: all
	./$(BUILD)/courtdocs demo --force --out demo-out
	@echo "Sample documents are in demo-out/"

# Tests run from the top of the tree; they find the program in CD_BIN.
check: all $(BUILD)/run_tests
	CD_BIN=$(BUILD)/courtdocs ./$(BUILD)/run_tests

check-valgrind: all $(BUILD)/run_tests
	CK_FORK=no CD_BIN=$(BUILD)/courtdocs CD_VALGRIND=1 valgrind --quiet --leak-check=full \
	  --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
	  --error-exitcode=99 ./$(BUILD)/run_tests

bench:
	$(MAKE) BENCH=1 all
	sh bench/run.sh build-bench/courtdocs

# The in-process A/B benchmark of tagging (bench/tagging_ab.c, run by
# bench/tagging.sh): linked with a library built -O2 -DNDEBUG
# -DCD_TAGGING_SWITCH in build-ab/, where tagging is a variable, not the
# constant of every other build.
tagging-ab: deps
	$(MAKE) BENCH=1 BUILD=build-ab CPPFLAGS='$(CPPFLAGS) -DCD_TAGGING_SWITCH' build-ab/tagging_ab

$(BUILD)/tagging_ab: bench/tagging_ab.c $(BUILD)/libcourtdocs.a
	$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $^ $(LIBS)

clean:
	rm -rf build build-san build-bench build-fuzz build-ab build-untagged

# The libraries a program linked with libcourtdocs.a needs (bench/run.sh).
print-libs:
	@echo '$(LIBS)'

help:
	@sed -n '1,/^$$/s/^# \{0,1\}//p' Makefile

# ---- installing ------------------------------------------------------------------
# The program, its data (templates, schemas, fonts with their licence), the
# man page courtdocs(1), bash completion and the reference docs. PROGRAM is
# the binary to install (tests install the one they test).
PROGRAM    ?= $(BUILD)/courtdocs
DATA_FILES := $(wildcard templates/*.xml templates/*.png) $(wildcard schemas/*.rng) \
              $(wildcard fonts/*.ttf) fonts/LICENSE fonts/README.md
DOC_FILES  := README.md $(wildcard docs/*.md)

install: $(PROGRAM)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/templates $(DESTDIR)$(DATADIR)/schemas \
	  $(DESTDIR)$(DATADIR)/fonts $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(DOCDIR)
	$(INSTALL) -m 0755 $(PROGRAM) $(DESTDIR)$(BINDIR)/courtdocs
	for f in $(DATA_FILES); do $(INSTALL) -m 0644 $$f $(DESTDIR)$(DATADIR)/$$f || exit 1; done
	sed -e 's|/usr/local/share/doc/courtdocs|$(DOCDIR)|g' -e 's|/usr/local/share/courtdocs|$(DATADIR)|g' \
	  man/courtdocs.1 > $(DESTDIR)$(MANDIR)/man1/courtdocs.1 && chmod 0644 $(DESTDIR)$(MANDIR)/man1/courtdocs.1
	$(INSTALL) -m 0644 completion/courtdocs.bash $(DESTDIR)$(BASHCOMPDIR)/courtdocs
	$(INSTALL) -m 0644 $(DOC_FILES) $(DESTDIR)$(DOCDIR)/
	@# The installed templates, checked now by the installed program against the
	@# installed schema, are listed by validity key in templates/checked, so that
	@# no user's process checks them again (docs/templates.md). Not fatal: without
	@# the list (a program that cannot run here) each user checks them once.
	@d=$$(mktemp -d) && \
	  if CD_DATA_DIR='$(DESTDIR)$(DATADIR)' CD_CACHE_DIR="$$d" $(PROGRAM) check-template \
	       $(DESTDIR)$(DATADIR)/templates/*.xml >/dev/null; then \
	    ls "$$d" | sed -n 's/^template-valid-//p' > $(DESTDIR)$(DATADIR)/templates/checked && \
	    chmod 0644 $(DESTDIR)$(DATADIR)/templates/checked; \
	  else echo "courtdocs: the installed templates could not be checked; each user checks them on first use" >&2; fi; \
	  rm -rf "$$d"

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/courtdocs $(DESTDIR)$(MANDIR)/man1/courtdocs.1 \
	  $(DESTDIR)$(BASHCOMPDIR)/courtdocs $(DESTDIR)$(DATADIR)/templates/checked
	rm -f $(DATA_FILES:%=$(DESTDIR)$(DATADIR)/%) $(addprefix $(DESTDIR)$(DOCDIR)/,$(notdir $(DOC_FILES)))
	-rmdir $(DESTDIR)$(DATADIR)/templates $(DESTDIR)$(DATADIR)/schemas $(DESTDIR)$(DATADIR)/fonts \
	  $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR) 2>/dev/null

# ---- fuzzing (clang libFuzzer; tests/fuzz/README.md) ----------------------------
# make fuzz          build the targets and run each for FUZZ_SECONDS (default 600)
#                    on a working corpus seeded from tests/fuzz/corpus/TARGET
# make fuzz-replay   build them and run each once over its kept corpus (CI)
FUZZ_CC      ?= clang
FUZZ_BUILD   := build-fuzz
FUZZ_SECONDS ?= 600
FUZZ_TARGETS := import template layout
FUZZ_FLAGS   := -std=c11 -g -O1 -D_DEFAULT_SOURCE -fno-omit-frame-pointer -Iinclude -Isrc \
                $(shell pkg-config --cflags $(PKGS))
FUZZ_OBJ     := $(LIB_SRC:src/%.c=$(FUZZ_BUILD)/obj/%.o)

.SECONDARY: $(FUZZ_OBJ)

fuzz-deps:
	@EXTRA_PACKAGES="clang libclang-rt-14-dev" sh scripts/deps.sh

$(FUZZ_BUILD)/obj/%.o: src/%.c $(wildcard src/*.h include/*.h) | $(FUZZ_BUILD)/obj fuzz-deps
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link,address,undefined -c $< -o $@

$(FUZZ_BUILD)/obj/pdf_encrypt.o: FUZZ_FLAGS += $(if $(QPDF_SONAME),-DCD_QPDF_SONAME='"$(QPDF_SONAME)"')

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ) | fuzz-deps
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer,address,undefined $< $(FUZZ_OBJ) $(LIBS) -o $@

$(FUZZ_BUILD)/obj:
	mkdir -p $@

fuzz: deps $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus-$$t && cp -n tests/fuzz/corpus/$$t/* $(FUZZ_BUILD)/corpus-$$t/ 2>/dev/null; \
	  echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
	  ./$(FUZZ_BUILD)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -max_len=65536 \
	    -timeout=20 -artifact_prefix=$(FUZZ_BUILD)/crash-$$t- \
	    $$( [ -f tests/fuzz/$$t.dict ] && echo -dict=tests/fuzz/$$t.dict ) \
	    $(FUZZ_BUILD)/corpus-$$t tests/fuzz/corpus/$$t || exit 1; \
	done

fuzz-replay: deps $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
	@for t in $(FUZZ_TARGETS); do \
	  echo "== replay fuzz_$$t over tests/fuzz/corpus/$$t"; \
	  ./$(FUZZ_BUILD)/fuzz_$$t -runs=0 -rss_limit_mb=2048 -timeout=20 tests/fuzz/corpus/$$t || exit 1; \
	done
