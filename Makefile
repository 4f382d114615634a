# courtdocs build.
#   make            build build/courtdocs
#   make demo       build, then render sample documents from the synthetic caseload
#   make check      build and run the whole test suite (Check)
#   make check SAN=1   the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make check-valgrind  the test suite under valgrind memcheck
#   make bench      optimised build, benchmarks, results in bench/RESULTS.md
# Missing Debian packages are installed when run as root (scripts/deps.sh).

CC      ?= cc
PKGS    := libxml-2.0 sqlite3
DEPS_OK := $(shell sh scripts/deps.sh >&2 && echo yes)

ifeq ($(SAN),1)
BUILD   ?= build-san
OPT     ?= -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SANLD   := -fsanitize=address,undefined
else ifeq ($(BENCH),1)
BUILD   ?= build-bench
OPT     ?= -O2 -DNDEBUG
else
BUILD   ?= build
OPT     ?= -O2 -g
endif

CFLAGS_ALL := -std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE $(OPT) \
              -Iinclude -Isrc $(shell pkg-config --cflags $(PKGS)) $(CFLAGS)
LIBS    := -lhpdf -lpng -lz $(shell pkg-config --libs $(PKGS)) -lm
TESTLIBS := $(shell pkg-config --libs check 2>/dev/null)

LIB_SRC  := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(wildcard tests/*.c)
TEST_OBJ := $(TEST_SRC:tests/%.c=$(BUILD)/tobj/%.o)
SUITES   := $(patsubst tests/test_%.c,%,$(wildcard tests/test_*.c))

.PHONY: all deps demo check check-valgrind bench fuzz clean

all: deps $(BUILD)/courtdocs

deps:
	@test "$(DEPS_OK)" = yes || { echo "courtdocs: install the packages above, then run make again" >&2; exit 1; }

$(BUILD)/obj/%.o: src/%.c $(wildcard src/*.h include/*.h) | $(BUILD)/obj
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/libcourtdocs.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/courtdocs: $(BUILD)/obj/main.o $(BUILD)/libcourtdocs.a
	$(CC) $(SANLD) -o $@ $^ $(LIBS)

$(BUILD)/suites.inc: $(TEST_SRC) | $(BUILD)/obj
	@printf '%s\n' $(foreach s,$(SUITES),'SUITE($(s))') > $@.tmp && mv $@.tmp $@

$(BUILD)/tobj/%.o: tests/%.c $(BUILD)/suites.inc $(wildcard src/*.h include/*.h tests/*.h) | $(BUILD)/tobj
	$(CC) $(CFLAGS_ALL) -I$(BUILD) $(shell pkg-config --cflags check) -c $< -o $@

$(BUILD)/run_tests: $(TEST_OBJ) $(BUILD)/libcourtdocs.a
	$(CC) $(SANLD) -o $@ $^ $(LIBS) $(TESTLIBS)

$(BUILD)/obj $(BUILD)/tobj:
	mkdir -p $@

demo: all
	./$(BUILD)/courtdocs demo --force --db demo-out/demo.db --out demo-out
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

clean:
	rm -rf build build-san build-bench
