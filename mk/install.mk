# `make install`: a Debian-style tree under $(DESTDIR)$(PREFIX) with nothing but coreutils:
#   $(INCLUDEDIR)/alloc/*.h                      the public headers
#   $(LIBDIR)/liballoc.a                         static library
#   $(LIBDIR)/liballoc.so.VERSION                shared library (soname liballoc.so.MAJOR)
#   $(LIBDIR)/liballoc.so.MAJOR -> …VERSION      the runtime link
#   $(LIBDIR)/liballoc.so -> liballoc.so.MAJOR   the link-time (dev) link
#   $(LIBDIR)/pkgconfig/alloc.pc                 pkg-config
#   $(LIBDIR)/cmake/alloc/alloc-config.cmake     find_package(alloc CONFIG): alloc::alloc,
#   $(LIBDIR)/cmake/alloc/alloc-config-version.cmake  alloc::alloc_static
# The CMake package finds its prefix from its own location, so a DESTDIR stage is usable as is.
# Debian's layout: make install PREFIX=/usr LIBDIR=/usr/lib/$$(gcc -print-multiarch)

CMAKE_DIR := $(LIBDIR)/cmake/alloc
# From $(CMAKE_DIR) up to $(PREFIX): one ".." per directory below the prefix.
cmake_up  := $(if $(filter $(PREFIX)/%,$(CMAKE_DIR)),$(subst $(eval) ,/,$(foreach d,$(subst /, ,$(patsubst $(PREFIX)/%,%,$(CMAKE_DIR))),..)))
# $(call under_prefix,DIR,VAR): DIR spelled from the variable VAR that holds the prefix, when below it.
under_prefix  = $(if $(filter $(PREFIX)/%,$(1)),$${$(2)}/$(patsubst $(PREFIX)/%,%,$(1)),$(1))
rel_to_prefix = $(call under_prefix,$(1),_alloc_prefix)

define ALLOC_PC
prefix=$(PREFIX)
libdir=$(call under_prefix,$(LIBDIR),prefix)
includedir=$(call under_prefix,$(INCLUDEDIR),prefix)

Name: alloc
Description: Checked, fast C11 allocators (Heap, Page, Arena, Slab, Budget, Debug)
Version: $(VERSION)
Cflags: -I$${includedir}
Libs: -L$${libdir} -lalloc
endef

define ALLOC_CMAKE_CONFIG
# alloc $(VERSION): imported targets alloc::alloc (shared) and alloc::alloc_static.
get_filename_component(_alloc_prefix "$${CMAKE_CURRENT_LIST_DIR}/$(cmake_up)" ABSOLUTE)
if(NOT TARGET alloc::alloc)
  add_library(alloc::alloc SHARED IMPORTED)
  set_target_properties(alloc::alloc PROPERTIES
    IMPORTED_LOCATION "$(call rel_to_prefix,$(LIBDIR))/liballoc.so.$(VERSION)"
    IMPORTED_SONAME "$(SONAME)"
    INTERFACE_INCLUDE_DIRECTORIES "$(call rel_to_prefix,$(INCLUDEDIR))")
  add_library(alloc::alloc_static STATIC IMPORTED)
  set_target_properties(alloc::alloc_static PROPERTIES
    IMPORTED_LOCATION "$(call rel_to_prefix,$(LIBDIR))/liballoc.a"
    INTERFACE_INCLUDE_DIRECTORIES "$(call rel_to_prefix,$(INCLUDEDIR))")
endif()
set(alloc_VERSION "$(VERSION)")
unset(_alloc_prefix)
endef

# Same major version is compatible (the soname changes with it), a newer minor or patch is too.
define ALLOC_CMAKE_VERSION
set(PACKAGE_VERSION "$(VERSION)")
if(PACKAGE_FIND_VERSION_MAJOR STREQUAL "$(VERSION_MAJOR)" AND
   NOT PACKAGE_FIND_VERSION VERSION_GREATER PACKAGE_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
  if(PACKAGE_FIND_VERSION VERSION_EQUAL PACKAGE_VERSION)
    set(PACKAGE_VERSION_EXACT TRUE)
  endif()
else()
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
endif()
endef

.PHONY: install
$(BUILD)/pkg:
	mkdir -p $@

# The three package files are written into $(BUILD)/pkg at install time ($(file), no shell tool),
# so PREFIX/LIBDIR given to `make install` are the ones they name.
install: lib | $(BUILD)/pkg
	$(file >$(BUILD)/pkg/alloc.pc,$(ALLOC_PC))
	$(file >$(BUILD)/pkg/alloc-config.cmake,$(ALLOC_CMAKE_CONFIG))
	$(file >$(BUILD)/pkg/alloc-config-version.cmake,$(ALLOC_CMAKE_VERSION))
	install -d $(DESTDIR)$(INCLUDEDIR)/alloc $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(CMAKE_DIR)
	install -m 644 include/alloc/*.h $(DESTDIR)$(INCLUDEDIR)/alloc/
	install -m 644 $(BUILD)/liballoc.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(BUILD)/liballoc.so.$(VERSION) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(BUILD)/liballoc-debug.so $(DESTDIR)$(LIBDIR)/
	ln -sf liballoc.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/liballoc.so
	install -m 644 $(BUILD)/pkg/alloc.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 644 $(BUILD)/pkg/alloc-config.cmake $(BUILD)/pkg/alloc-config-version.cmake $(DESTDIR)$(CMAKE_DIR)/
