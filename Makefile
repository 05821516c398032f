# spur — build, run and test. `make help` lists the targets.
#
# Flags compose: STD, WARN, OPT, DEBUG are separate; your CFLAGS are appended.
#   make SANITIZER=address    ASan + UBSan build in build-address/
#   make SANITIZER=undefined  UBSan only, in build-undefined/
#   make V=1                  show the commands

CC        ?= cc
PREFIX    ?= /usr/local
DESTDIR   ?=
SANITIZER ?=
PKGS      := libuv liburing libcjson libqrencode cairo fontconfig libsodium libutf8proc sqlite3 libpng zlib \
             zbar libjpeg xlsxwriter libcmark

STD   := -std=c11 -D_GNU_SOURCE -DSPUR_DATADIR=\"$(PREFIX)/share/spur\"
WARN  := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
OPT   ?= -O2
DEBUG ?= -g
DEPS  := -MMD -MP
INCS  := -Iserver -I/usr/share/include/llhttp $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -lpthread
# libvips: the tool reads the pictures a hunt file names; spurd re-encodes the photos
# teams send and the pictures the editor uploads (server/media/, server/api/photos.c
# and pictures.c only). Its glib headers come in as system headers,
# outside -Werror's reach.
VIPS_CFLAGS := $(patsubst -I%,-isystem %,$(shell pkg-config --cflags vips 2>/dev/null))
VIPS_LIBS   := $(shell pkg-config --libs vips 2>/dev/null)

ifeq ($(SANITIZER),address)
  SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else ifeq ($(SANITIZER),undefined)
  SAN := -fsanitize=undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif
BUILD ?= build$(if $(SANITIZER),-$(SANITIZER))

ALL_CFLAGS  = $(STD) $(WARN) $(OPT) $(DEBUG) $(SAN) $(DEPS) $(INCS) $(CFLAGS)
ALL_LDFLAGS = $(SAN) $(LDFLAGS)

ifeq ($(V),1)
  Q :=
else
  Q := @
endif

LLHTTP_DIR := /usr/share/llhttp
CORE_SRC  := $(wildcard server/core/*.c)
GAME_SRC  := $(wildcard server/game/*.c)
STORE_SRC := $(wildcard server/store/*.c)
OFFICE_SRC := $(wildcard server/office/*.c)
MEDIA_SRC := $(wildcard server/media/*.c)
HTTP_SRC  := $(wildcard server/http/*.c)
API_SRC   := $(wildcard server/api/*.c)
TOOL_SRC  := $(wildcard tools/*.c)
UNIT_SRC  := $(wildcard tests/unit/test_*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
LIB_OBJ    := $(call obj,$(CORE_SRC) $(GAME_SRC) $(STORE_SRC) $(OFFICE_SRC))
MEDIA_OBJ  := $(call obj,$(MEDIA_SRC)) # libvips: spurd and spur only, not the unit tests
UNIT_OBJ   := $(LIB_OBJ) $(call obj,server/http/proxy.c) # the socket-free HTTP pieces tested alone
LLHTTP_OBJ := $(BUILD)/obj/llhttp/llhttp.o $(BUILD)/obj/llhttp/api.o $(BUILD)/obj/llhttp/http.o
SPURD_OBJ  := $(call obj,$(HTTP_SRC) $(API_SRC) server/main.c) $(LLHTTP_OBJ)
TOOL_OBJ   := $(call obj,$(TOOL_SRC))
UNIT_BIN   := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

.PHONY: all help deps deps-build run test test-unit test-api test-browser test-sanitize test-fuzz bench fuzz \
        install uninstall clean format

all: $(BUILD)/spurd $(BUILD)/spur ## build spurd and spur into build/ (the default)

help: ## this list
	@grep -hE '^[a-z-]+:.*## ' Makefile | sed -E 's/:.*## /\t/' | expand -t 16

deps: ## install the Debian packages needed to build, run and test (sudo when not root)
	@sh tools/deps.sh

deps-build: ## only the packages `make` and a running spurd need (for a server)
	@sh tools/deps.sh build

$(BUILD)/spurd: $(SPURD_OBJ) $(LIB_OBJ) $(MEDIA_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) $(VIPS_LIBS)

$(BUILD)/spur: $(TOOL_OBJ) $(LIB_OBJ) $(MEDIA_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) $(VIPS_LIBS)

$(TOOL_OBJ) $(MEDIA_OBJ) $(call obj,server/api/photos.c server/api/pictures.c): ALL_CFLAGS += $(VIPS_CFLAGS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# llhttp is compiled from Debian's node-llhttp sources; its own code is not ours to
# warn about, so only -w here.
$(BUILD)/obj/llhttp/%.o: $(LLHTTP_DIR)/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(STD) $(OPT) $(DEBUG) $(SAN) -w -I/usr/share/include/llhttp -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(UNIT_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(UNIT_OBJ) $(LIBS) -lcmocka

# make bench's database builder: fills a database through the store code (writer thread)
# as the live handlers do, so the scale runs measure rows spurd itself would write.
$(BUILD)/bench/mkdb: tests/bench/mkdb.c $(UNIT_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(UNIT_OBJ) $(LIBS)

# make bench's reference for photo uploads: spurd's libvips pipeline without the server
$(BUILD)/bench/vipsref: tests/bench/vipsref.c
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(STD) $(OPT) $(SAN) $(VIPS_CFLAGS) -Wall -Wextra -Werror $(ALL_LDFLAGS) -o $@ $< $(VIPS_LIBS)

run: deps all ## build and start the demo hunt on http://127.0.0.1:8080
	@sh tools/run-demo.sh $(BUILD)

test: deps ## run every test: unit, API (plain and ASan+UBSan builds), browser, fuzz smoke
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/bench/mkdb
	$(Q)$(MAKE) --no-print-directory test-unit
	$(Q)$(MAKE) --no-print-directory test-api
	$(Q)$(MAKE) --no-print-directory test-sanitize
	$(Q)$(MAKE) --no-print-directory test-browser
	$(Q)$(MAKE) --no-print-directory test-fuzz
	@echo "make test: all test layers passed"

test-unit: $(UNIT_BIN) ## C unit tests of the game rules and helpers
	$(Q)set -e; for t in $(UNIT_BIN); do echo "  UNIT    $$t"; $$t; done

test-api: all ## black-box tests over real HTTP against a real spurd
	$(Q)SPUR_BUILD=$(BUILD) python3 tests/api/run.py
	@echo "  the HTTP layer again, writing without io_uring (as where a kernel refuses it)"
	$(Q)SPUR_BUILD=$(BUILD) SPUR_IO_URING=0 python3 tests/api/run.py test_http.

test-sanitize: ## unit and API tests against an ASan+UBSan build
	$(Q)$(MAKE) --no-print-directory SANITIZER=address all test-unit test-api

test-browser: all ## the web app in headless Chromium (playwright-core)
	$(Q)if [ -f tests/browser/run.sh ]; then SPUR_BUILD=$(BUILD) sh tests/browser/run.sh; fi

bench: deps all $(BUILD)/bench/mkdb $(BUILD)/bench/vipsref ## load vs nginx and raw SQLite, event streams, growth; city scale: 100k teams, 10k streams (SCALE=small: quick)
	$(Q)SPUR_BUILD=$(BUILD) sh tests/bench/bench.sh

test-fuzz: ## a short fuzz run of every target (10 s each) from its seed corpus
	$(Q)sh tests/fuzz/run.sh 10

fuzz: ## build the libFuzzer targets and run each for FUZZ_SECONDS (default 60)
	$(Q)sh tests/fuzz/run.sh $(or $(FUZZ_SECONDS),60)

install: all ## install the programs, web app, man pages, systemd units and proxy examples under PREFIX
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/spur/assets
	install -m 755 $(BUILD)/spurd $(BUILD)/spur $(DESTDIR)$(PREFIX)/bin/
	cp -R assets/. $(DESTDIR)$(PREFIX)/share/spur/assets/
	if [ -f tools/spur.1 ]; then install -d $(DESTDIR)$(PREFIX)/share/man/man1 && \
	  install -m 644 tools/spur.1 $(DESTDIR)$(PREFIX)/share/man/man1/; fi
	install -d $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 644 tools/spurd.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	@# The units name /usr/local/...: the installed ones name PREFIX's binaries.
	install -d $(DESTDIR)$(PREFIX)/lib/systemd/system $(DESTDIR)$(PREFIX)/lib/sysusers.d
	for u in spurd.service spur-backup.service spur-backup.timer; do \
	  sed 's|/usr/local/|$(PREFIX)/|g' deploy/systemd/$$u > $(DESTDIR)$(PREFIX)/lib/systemd/system/$$u && \
	  chmod 644 $(DESTDIR)$(PREFIX)/lib/systemd/system/$$u || exit 1; done
	sed 's|/usr/local/|$(PREFIX)/|g' deploy/systemd/spur.sysusers > $(DESTDIR)$(PREFIX)/lib/sysusers.d/spur.conf
	chmod 644 $(DESTDIR)$(PREFIX)/lib/sysusers.d/spur.conf
	install -d $(DESTDIR)$(PREFIX)/share/spur/deploy/nginx
	install -m 644 deploy/nginx/spur.conf $(DESTDIR)$(PREFIX)/share/spur/deploy/nginx/
	install -m 644 deploy/Caddyfile $(DESTDIR)$(PREFIX)/share/spur/deploy/
	sed 's|/usr/local/|$(PREFIX)/|g' deploy/spurd.env > $(DESTDIR)$(PREFIX)/share/spur/deploy/spurd.env
	chmod 644 $(DESTDIR)$(PREFIX)/share/spur/deploy/spurd.env

uninstall: ## remove what install put there
	rm -f $(DESTDIR)$(PREFIX)/bin/spurd $(DESTDIR)$(PREFIX)/bin/spur \
	  $(DESTDIR)$(PREFIX)/share/man/man1/spur.1 $(DESTDIR)$(PREFIX)/share/man/man8/spurd.8 \
	  $(DESTDIR)$(PREFIX)/lib/systemd/system/spurd.service \
	  $(DESTDIR)$(PREFIX)/lib/systemd/system/spur-backup.service \
	  $(DESTDIR)$(PREFIX)/lib/systemd/system/spur-backup.timer \
	  $(DESTDIR)$(PREFIX)/lib/sysusers.d/spur.conf
	rm -rf $(DESTDIR)$(PREFIX)/share/spur

format: ## clang-format every C file in place
	clang-format -i $(shell git ls-files '*.c' '*.h')

clean: ## remove build outputs
	rm -rf build build-address build-undefined

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
