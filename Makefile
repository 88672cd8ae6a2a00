# The one entry point of the project. `make` and `make install` need only a C11 compiler, make and
# coreutils. `make test` installs what its suites need (tools/deps.sh test docs browser), builds
# the library, and runs every suite; the last line it prints is "N passed, N failed".
# Each area (apidoc, docs, bench, fuzz) adds its targets and suites in mk/<area>.mk.

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   := build
CC      := gcc
CLANG   := clang

WARN     := -std=c11 -Wall -Wextra -Werror -pedantic -Wmissing-prototypes -Wstrict-prototypes \
            -Wundef -Wshadow
CPPFLAGS := -Iinclude -Isrc/alloc -D_GNU_SOURCE
CFLAGS   := -O2 -g -fPIC -fvisibility=hidden $(WARN)
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
TEST_SUITES := alloc alloc-asan

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

$(BUILD)/liballoc.so: $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,liballoc.so.0 -o $@ $^

# compile_commands.json for every translation unit apidoc reads: library, tests, bench, examples.
CC_SOURCES = $(LIB_SRC) $(TEST_SRC) $(wildcard bench/*.c examples/*.c)
$(BUILD)/compile_commands.json: tools/compile_commands.sh Makefile $(wildcard mk/*.mk) $(CC_SOURCES)
	@mkdir -p $(@D)
	tools/compile_commands.sh "$(CC) $(CPPFLAGS) $(WARN) -Itests/support" $(CC_SOURCES) > $@

# --- library tests -------------------------------------------------------------------------
$(BUILD)/tests/test_alloc: $(TEST_SRC) $(TEST_HDR) $(BUILD)/liballoc.a | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/support -O1 -g $(WARN) -Wno-missing-prototypes $(TEST_SRC) \
	    $(BUILD)/liballoc.a -lcriterion -o $@

$(BUILD)/asan/obj/%.o: src/alloc/%.c $(LIB_HDR) | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(CLANG) $(CPPFLAGS) $(WARN) $(SANFLAGS) -c $< -o $@

$(BUILD)/asan/test_alloc: $(TEST_SRC) $(TEST_HDR) $(ASAN_OBJ)
	@mkdir -p $(@D)
	$(CLANG) $(CPPFLAGS) -Itests/support $(WARN) -Wno-missing-prototypes $(SANFLAGS) \
	    $(TEST_SRC) $(ASAN_OBJ) -lcriterion -o $@

.PHONY: test-alloc test-alloc-asan
test-alloc: $(BUILD)/tests/test_alloc
	@tests/run-suite.sh alloc $< --jobs 2

test-alloc-asan: $(BUILD)/asan/test_alloc
	@ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	    tests/run-suite.sh alloc-asan $< --jobs 2

-include $(sort $(wildcard mk/*.mk))

test: | $(DEPS_TEST) $(DEPS_DOCS) $(DEPS_BROWSER)
	@rm -rf $(BUILD)/results
	@$(MAKE) -k --no-print-directory $(TEST_SUITES:%=test-%) || true
	@tests/summarize.sh $(TEST_SUITES)

# --- install -------------------------------------------------------------------------------
install: lib
	install -d $(DESTDIR)$(PREFIX)/include/alloc $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 include/alloc/*.h $(DESTDIR)$(PREFIX)/include/alloc/
	install -m 644 $(BUILD)/liballoc.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/liballoc.so $(DESTDIR)$(PREFIX)/lib/liballoc.so.0
	install -m 755 $(BUILD)/liballoc-debug.so $(DESTDIR)$(PREFIX)/lib/liballoc-debug.so
	ln -sf liballoc.so.0 $(DESTDIR)$(PREFIX)/lib/liballoc.so
	sed -e 's|@PREFIX@|$(PREFIX)|g' tools/alloc.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/alloc.pc

clean:
	rm -rf $(BUILD) site site-sphinx docs/api docs/tags
