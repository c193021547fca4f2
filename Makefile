# A thin wrapper around CMake so that a fresh Debian 12 machine needs one
# command. `make run` ingests the bundled sample and answers a question;
# `make test` runs the whole suite. Both install what is missing first.

BUILD    ?= build
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
STORE    ?= ekg.db
CMAKE_FLAGS ?=

# Debian packages: build tools, the Redland stack, the text libraries, and
# the peers the tests compare with (rapper, serdi, roqet) and tmux for the
# REPL test. OPT_DEBS are installed when the archive has them; the tests that
# need them (Virtuoso round trip, sqlite storage, fuzzing) say when they are
# missing.
DEBS = build-essential cmake pkg-config python3 \
       librdf0-dev libraptor2-dev librasqal3-dev libxml2-dev \
       libicu-dev libstemmer-dev libedit-dev libserd-dev libcld2-dev \
       libxxhash-dev libcurl4-gnutls-dev libdb5.3-dev iso-codes \
       raptor2-utils rasqal-utils redland-utils serdi graphviz tmux
OPT_DEBS = librdf-storage-sqlite virtuoso-opensource clang libclang-rt-14-dev

missing = $(shell for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done)
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: all deps build run test test-asan fuzz clean

all: build

deps:
	@m="$(call missing,$(DEBS))"; o="$(call missing,$(OPT_DEBS))"; \
	if [ -n "$$m$$o" ]; then \
	  echo "installing:" $$m $$o; \
	  $(SUDO) apt-get update -qq; \
	fi; \
	if [ -n "$$m" ]; then \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$m >/dev/null || exit 1; \
	fi; \
	for p in $$o; do \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$p >/dev/null 2>&1 || echo "note: $$p not installed"; \
	done

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/ekg --store $(STORE) ingest examples/
	$(BUILD)/ekg --store $(STORE) query 'who met whom when'

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The suite under ASan+UBSan, but for the tests that measure time and memory
# bounds of a release build (hostile documents, kill -9), the live server, and
# valgrind (which cannot run a sanitizer build).
ASAN_SKIP = bad/hostile_documents|crash/kill9|virtuoso/roundtrip|valgrind/
test-asan: deps
	cmake -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=Debug -DEKG_SANITIZE=ON >/dev/null
	cmake --build $(BUILD)-asan -j $(JOBS)
	cd $(BUILD)-asan && ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:suppressions=$(CURDIR)/tests/asan.supp \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS) -E '$(ASAN_SKIP)'

# libFuzzer harnesses (clang), each for FUZZ_SECONDS.
FUZZ_SECONDS ?= 60
fuzz: deps
	tests/fuzz/run.sh $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(BUILD)-asan build-fuzz
