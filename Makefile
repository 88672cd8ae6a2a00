# The one entry point of the project. `make` and `make install` need only a C11 compiler, make and
# coreutils. `make test` installs what its suites need (tools/deps.sh test docs browser), builds
# the library, and runs every suite; the last line it prints is "N passed, N failed".
# Each area (apidoc, docs, bench, fuzz) adds its targets and suites in mk/<area>.mk.

PREFIX     ?= /usr/local
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DESTDIR    ?=
# One VERSION file drives the soname (liballoc.so.MAJOR), alloc.pc, the CMake package and the site.
VERSION       := $(strip $(file <VERSION))
VERSION_MAJOR := $(firstword $(subst ., ,$(VERSION)))
SONAME        := liballoc.so.$(VERSION_MAJOR)
BUILD   := build
CC      := gcc
CLANG   := clang

WARN     := -std=c11 -Wall -Wextra -Werror -pedantic -Wmissing-prototypes -Wstrict-prototypes \
            -Wundef -Wshadow
# The library's own code is held to more: conversions, alignment casts, VLAs, float promotion.
LIB_WARN := $(WARN) -Wconversion -Wsign-conversion -Wcast-align -Wvla -Wdouble-promotion
CPPFLAGS := -Iinclude -Isrc/alloc -D_GNU_SOURCE
CFLAGS   := -O2 -g -fPIC -fvisibility=hidden $(LIB_WARN)
SANFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined

LIB_SRC  := $(sort $(wildcard src/alloc/*.c))
LIB_HDR  := $(wildcard include/alloc/*.h src/alloc/*.h)
LIB_OBJ  := $(LIB_SRC:src/alloc/%.c=$(BUILD)/obj/%.o)
ASAN_OBJ := $(LIB_SRC:src/alloc/%.c=$(BUILD)/asan/obj/%.o)
TEST_SRC := $(sort $(wildcard tests/alloc/*.c tests/support/*.c))
TEST_HDR := $(wildcard tests/alloc/*.h tests/support/*.h)

# Debian packages by need: a target waits (order-only) for the tools/deps.sh groups it uses.
# The library itself (`make`, `make install`) waits for none.
DEPS_TEST    := $(BUILD)/.deps-test    # clang, Criterion, sanitizer runtimes, valgrind, cmake, g++
DEPS_DOCS    := $(BUILD)/.deps-docs    # libclang, jansson, libyaml, Doxygen, MkDocs, Sphinx
DEPS_BROWSER := $(BUILD)/.deps-browser # chromium, node and npm
DEPS_BENCH   := $(BUILD)/.deps-bench   # mimalloc, jemalloc, tcmalloc, the real programs

# Suites run by `make test`; mk/*.mk fragments append theirs and define test-<suite>.
TEST_SUITES := alloc alloc-asan alloc-debug3

.PHONY: all lib test install clean
all: lib $(BUILD)/compile_commands.json

lib: $(BUILD)/liballoc.a $(BUILD)/liballoc.so $(BUILD)/liballoc-debug.so

$(BUILD)/.deps-%: tools/deps.sh
	@mkdir -p $(@D)
	bash tools/deps.sh $*
	@touch $@

$(BUILD)/obj/%.o: src/alloc/%.c $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/liballoc.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

# The real file is liballoc.so.VERSION with soname liballoc.so.MAJOR; build/liballoc.so and
# build/liballoc.so.MAJOR are links to it, as in an installed tree.
$(BUILD)/liballoc.so.$(VERSION): $(LIB_OBJ) VERSION
	$(CC) -shared -Wl,-soname,$(SONAME) -o $@ $(LIB_OBJ)

$(BUILD)/liballoc.so: $(BUILD)/liballoc.so.$(VERSION)
	ln -sf liballoc.so.$(VERSION) $(BUILD)/$(SONAME)
	ln -sf liballoc.so.$(VERSION) $@

# compile_commands.json for every translation unit apidoc reads: library, tests, bench, examples.
CC_SOURCES = $(LIB_SRC) $(TEST_SRC) $(wildcard bench/*.c examples/*.c)
# Written by make itself ($(file)), so `make` needs no shell tool beyond coreutils.
comma := ,
ccdb_entry = {"directory": "$(CURDIR)", "file": "$(1)", "command": "$(2) -c $(1)"}
ccdb_json  = [$(subst } {,}$(comma) {,$(foreach f,$(1),$(call ccdb_entry,$(f),$(2))))]
$(BUILD)/compile_commands.json: Makefile $(wildcard mk/*.mk) $(CC_SOURCES) | $(BUILD)/obj/Allocator.o
	$(file >$@,$(call ccdb_json,$(CC_SOURCES),$(CC) $(CPPFLAGS) $(WARN) -Itests/support))

# --- library tests -------------------------------------------------------------------------
$(BUILD)/tests/test_alloc: $(TEST_SRC) $(TEST_HDR) $(BUILD)/liballoc.a | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/support -O1 -g $(WARN) -Wno-missing-prototypes $(TEST_SRC) \
	    $(BUILD)/liballoc.a -lcriterion -o $@

$(BUILD)/asan/obj/%.o: src/alloc/%.c $(LIB_HDR) | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(CLANG) $(CPPFLAGS) $(LIB_WARN) $(SANFLAGS) -c $< -o $@

$(BUILD)/asan/test_alloc: $(TEST_SRC) $(TEST_HDR) $(ASAN_OBJ)
	@mkdir -p $(@D)
	$(CLANG) $(CPPFLAGS) -Itests/support $(WARN) -Wno-missing-prototypes $(SANFLAGS) \
	    $(TEST_SRC) $(ASAN_OBJ) -lcriterion -o $@

# The whole suite once more with the library and the tests at ALLOC_DEBUG=3 (internal assertions
# and a full self-check after every operation; src/alloc/internal.h).
DEBUG3_OBJ := $(LIB_SRC:src/alloc/%.c=$(BUILD)/debug3/obj/%.o)
$(BUILD)/debug3/obj/%.o: src/alloc/%.c $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DALLOC_DEBUG=3 -O1 -g $(LIB_WARN) -c $< -o $@

$(BUILD)/debug3/test_alloc: $(TEST_SRC) $(TEST_HDR) $(DEBUG3_OBJ) | $(DEPS_TEST)
	$(CC) $(CPPFLAGS) -DALLOC_DEBUG=3 -Itests/support -O1 -g $(WARN) -Wno-missing-prototypes \
	    $(TEST_SRC) $(DEBUG3_OBJ) -lcriterion -o $@
.SECONDARY: $(DEBUG3_OBJ)

.PHONY: test-alloc test-alloc-asan test-alloc-debug3
test-alloc: $(BUILD)/tests/test_alloc
	@tests/run-suite.sh alloc $< --jobs 2

test-alloc-asan: $(BUILD)/asan/test_alloc
	@ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	    tests/run-suite.sh alloc-asan $< --jobs 2

test-alloc-debug3: $(BUILD)/debug3/test_alloc
	@tests/run-suite.sh alloc-debug3 $< --jobs 2

-include $(sort $(wildcard mk/*.mk))

test: | $(DEPS_TEST) $(DEPS_DOCS) $(DEPS_BROWSER)
	@rm -rf $(BUILD)/results
	@$(MAKE) -k --no-print-directory $(TEST_SUITES:%=test-%) || true
	@tests/summarize.sh $(TEST_SUITES)

clean:
	rm -rf $(BUILD) site site-sphinx docs/api docs/tags
