# Makefile: build, run, check, asan, fuzz, bench and fmt for ahphub.
#
# Everything is built under $(B) (default build/). Templates, migrations and static assets
# (ours and the pinned nhsuk-frontend) are staged under $(B)/stage and compiled into the
# binary by tools/embed.c, so the program runs from any directory.

PKGS     := libmicrohttpd sqlite3 libpq libsodium jansson libcmark libutf8proc pangocairo libcurl \
            libcrypto libzip icu-uc icu-i18n
B        ?= build
CC       ?= cc
OPT      ?= -O2 -g
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror
SAN      ?=
CFLAGS_ALL = -std=c17 $(OPT) $(WARN) $(SAN) -fno-common -pthread -MMD -MP
CPPFLAGS_ALL = -D_GNU_SOURCE -Isrc $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libstemmer ships no pkg-config file in Debian 12; it is one library in the default path.
# GLPK (Connect's matching) has none either: -lglpk.
LDLIBS_ALL = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lglpk -lpthread -lm
TEST_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

LIB_SRC  := $(filter-out src/main.c,$(shell find src -name '*.c' | sort))
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/obj/%.o)
MAIN_OBJ := $(B)/obj/src/main.o
EMBED_OBJ := $(B)/obj/gen/embed_data.o
UNIT_SRC := $(shell find tests/unit -name '*_test.c' 2>/dev/null | sort)
HTTP_SRC := $(shell find tests/http -name '*_test.c' 2>/dev/null | sort)
TEST_SUPPORT := $(shell find tests/support -name '*.c' 2>/dev/null | sort)
TEST_SUPPORT_OBJ := $(TEST_SUPPORT:%.c=$(B)/obj/%.o)
UNIT_BIN := $(UNIT_SRC:%.c=$(B)/%)
HTTP_BIN := $(HTTP_SRC:%.c=$(B)/%)
FUZZ_SRC := $(shell find tests/fuzz -name '*_fuzz.c' 2>/dev/null | sort)

NHSUK    := node_modules/nhsuk-frontend/dist/nhsuk
# data/ also holds the running database and the demo logins: only seed files are embedded.
DATA_IN  := $(shell find data -type f ! -name '*.db' ! -name '*.db-*' ! -name 'demo-logins.txt' 2>/dev/null | sort)
# The folders too: a file removed (a migration taken back, say) changes its folder's time,
# so the stage is rebuilt without it rather than embedding the copy left there.
STAGE_IN := $(shell find templates migrations static -type f 2>/dev/null | sort) $(DATA_IN) \
            $(shell find templates migrations static -type d 2>/dev/null | sort)

.PHONY: all run check test-bins bench-bins asan fuzz bench fmt clean deps
all: $(B)/ahphub

deps:
	scripts/deps

# ---- the embedded files -------------------------------------------------------------------
$(B)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c17 -O1 $(WARN) -o $@ $<

# nhsuk-frontend's CSS loads the licensed Frutiger font from the NHS CDN; we serve no CDN
# content, so those @font-face rules are dropped and the design system's own fallback
# (Arial, sans-serif) is used.
$(B)/stage/.stamp: $(STAGE_IN) $(NHSUK)/nhsuk-frontend.min.css Makefile
	@rm -rf $(B)/stage && mkdir -p $(B)/stage/assets/images
	@for d in templates migrations; do [ -d $$d ] && cp -R $$d $(B)/stage/; done; true
	@for f in $(DATA_IN); do mkdir -p $(B)/stage/$$(dirname $$f) && cp $$f $(B)/stage/$$f; done
	@[ -d static ] && cp -R static/. $(B)/stage/assets/; true
	@sed -e 's/@font-face{[^}]*assets\.nhs\.uk[^}]*}//g' $(NHSUK)/nhsuk-frontend.min.css \
		> $(B)/stage/assets/nhsuk-frontend.min.css
	@if grep -q 'https://' $(B)/stage/assets/nhsuk-frontend.min.css; then \
		echo "stage: nhsuk-frontend CSS still loads a remote URL" >&2; exit 1; fi
	@cp $(NHSUK)/nhsuk-frontend.min.js $(B)/stage/assets/
	@cp $(NHSUK)/assets/images/* $(B)/stage/assets/images/
	@touch $@

$(NHSUK)/nhsuk-frontend.min.css:
	scripts/deps --run

$(B)/gen/embed_data.c: $(B)/tools/embed $(B)/stage/.stamp
	@mkdir -p $(dir $@)
	$(B)/tools/embed $(B)/stage $@

$(B)/obj/gen/embed_data.o: $(B)/gen/embed_data.c
	@mkdir -p $(dir $@)
	$(CC) -std=c17 -O1 -c -o $@ $<

# ---- the program ----------------------------------------------------------------------------
$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(CPPFLAGS_ALL) -c -o $@ $<

$(B)/libahphub.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/ahphub: $(MAIN_OBJ) $(B)/libahphub.a $(EMBED_OBJ)
	$(CC) $(SAN) -pthread -o $@ $(MAIN_OBJ) $(B)/libahphub.a $(EMBED_OBJ) $(LDLIBS_ALL)

# ---- tests ----------------------------------------------------------------------------------
$(B)/tests/%: tests/%.c $(B)/libahphub.a $(EMBED_OBJ) $(TEST_SUPPORT_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(CPPFLAGS_ALL) -Itests -o $@ $< $(TEST_SUPPORT_OBJ) $(B)/libahphub.a \
		$(EMBED_OBJ) $(TEST_LIBS) $(LDLIBS_ALL)

test-bins: $(B)/ahphub $(UNIT_BIN) $(HTTP_BIN)

# The whole suite: unit, HTTP (SQLite and PostgreSQL), page validation, browser, then the
# unit and HTTP tests again under ASan+UBSan. Last line: "N passed, N failed".
check:
	@scripts/deps
	@tests/run.sh

# Unit and HTTP tests under AddressSanitizer and UndefinedBehaviorSanitizer.
asan:
	@$(MAKE) --no-print-directory B=build/asan OPT="-O1 -g" \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" test-bins

# Each fuzz target for FUZZ_SECONDS (default 60) with clang's libFuzzer.
FUZZ_SECONDS ?= 60
fuzz:
	@$(MAKE) --no-print-directory B=build/fuzz CC=clang OPT="-O1 -g" \
		SAN="-fsanitize=fuzzer-no-link,address,undefined" build/fuzz/libahphub.a build/fuzz/obj/gen/embed_data.o
	@set -e; for f in $(FUZZ_SRC); do \
		n=$$(basename $$f .c); mkdir -p build/fuzz/bin build/fuzz/corpus/$$n; \
		clang -std=c17 -O1 -g -fsanitize=fuzzer,address,undefined $(CPPFLAGS_ALL) -o build/fuzz/bin/$$n $$f \
			build/fuzz/libahphub.a build/fuzz/obj/gen/embed_data.o $(LDLIBS_ALL); \
		cp tests/fuzz/corpus/$$n/* build/fuzz/corpus/$$n/ 2>/dev/null || true; \
		echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
		if ! build/fuzz/bin/$$n -max_total_time=$(FUZZ_SECONDS) build/fuzz/corpus/$$n \
			>build/fuzz/$$n.log 2>&1; then tail -40 build/fuzz/$$n.log; exit 1; fi; \
		grep -E '^Done' build/fuzz/$$n.log; \
	done

# Every bench/NAME.c is built and run, then every bench/*.sh. Each prints JSON lines.
BENCH_BIN := $(patsubst bench/%.c,$(B)/bench/%,$(wildcard bench/*.c))
bench-bins: $(BENCH_BIN)
bench: all $(BENCH_BIN)
	@for b in $(BENCH_BIN); do $$b; done
	@for b in bench/*.sh; do bash $$b; done

# ---- running it -----------------------------------------------------------------------------
DB ?= sqlite:data/ahphub.db
run:
	@scripts/deps --run
	@$(MAKE) --no-print-directory all
	@mkdir -p data
	@$(B)/ahphub demo --db $(DB)
	@echo "AHP Hub is at http://localhost:8080 - log in with an account above. Ctrl+C stops it."
	@$(B)/ahphub serve --db $(DB) --listen 127.0.0.1:8080 --demo

fmt:
	clang-format -i $$(find src tests tools bench -name '*.[ch]')

clean:
	rm -rf build

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

# In-process benchmarks link like tests.
$(B)/bench/%: bench/%.c bench/timing.h $(B)/libahphub.a $(EMBED_OBJ) $(TEST_SUPPORT_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(CPPFLAGS_ALL) -Itests -o $@ $< $(TEST_SUPPORT_OBJ) $(B)/libahphub.a \
		$(EMBED_OBJ) $(LDLIBS_ALL)
