# Sanitizer hooks as wired into the allocators (issue 6). The ASan side lives in
# tests/alloc/test_sanitizer_wiring.c (alloc-asan suite). The valgrind side, suite
# valgrind-wiring: the library built with -DALLOC_VALGRIND (own objects, gcc -O1), a program
# using every wired allocator correctly (memcheck must stay silent) and one doing a use after
# free or an overflow inside a Heap, Slab, Arena, Page, Budget or Debug block (memcheck must
# report it).
WIRING_VG_OBJ := $(LIB_SRC:src/alloc/%.c=$(BUILD)/wiring-vg/obj/%.o)

$(BUILD)/wiring-vg/obj/%.o: src/alloc/%.c $(LIB_HDR) | $(DEPS_TEST)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(WARN) -O1 -g -DALLOC_VALGRIND -c $< -o $@

$(BUILD)/wiring-vg/vg_wiring_%: tests/wiring/vg_wiring_%.c $(WIRING_VG_OBJ)
	$(CC) $(CPPFLAGS) $(WARN) -O1 -g $< $(WIRING_VG_OBJ) -o $@

.SECONDARY: $(WIRING_VG_OBJ)

TEST_SUITES += valgrind-wiring
.PHONY: test-valgrind-wiring
test-valgrind-wiring: $(BUILD)/wiring-vg/vg_wiring_ok $(BUILD)/wiring-vg/vg_wiring_uaf
	@tests/run-suite.sh valgrind-wiring tests/wiring/valgrind.sh $(BUILD)/wiring-vg
