#!/usr/bin/env bash
# build_example.sh MCCIG_BUILD EXAMPLE_DIR WORK — an integrator's path, as a
# test: install the SDK component alone, then build the example plugin from a
# copy of its folder (so nothing but the installed SDK is in reach) with
# find_package(MccigSdk 2). Also checks that the package refuses another ABI.
set -euo pipefail
build=$1 example=$2 work=$3
fail() { echo "build_example: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
cmake --install "$build" --component sdk --prefix "$work/sdk"

test -f "$work/sdk/include/mccig/sdk/export.h" || fail "the SDK headers were not installed"
[ -n "$(find "$work/sdk" -name libmccig_sdk.a)" ] || fail "libmccig_sdk.a was not installed"
[ -n "$(find "$work/sdk" -name MccigSdkConfigVersion.cmake)" ] || fail "no CMake package"
if find "$work/sdk" -name 'mccig' -type f -o -name 'libmccig_sms.so' | grep -q .; then
  fail "the sdk component installed the host or a bundled plugin"
fi

cp -r "$example" "$work/src"
rm -rf "$work/src/build"
cmake -S "$work/src" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/sdk" -DCMAKE_BUILD_TYPE=Release
cmake --build "$work/build"
test -f "$work/build/libmccig_vonage_sms.so" || fail "the example plugin was not built"

# The package version is the ABI version: asking for another one must fail.
mkdir -p "$work/other_abi"
cat >"$work/other_abi/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(other_abi LANGUAGES CXX)
find_package(MccigSdk 1 REQUIRED)
CMAKE
if cmake -S "$work/other_abi" -B "$work/other_abi/build" -DCMAKE_PREFIX_PATH="$work/sdk" \
  >"$work/other_abi.log" 2>&1; then
  fail "find_package(MccigSdk 1) accepted an SDK of another ABI version"
fi
grep -q "MccigSdk" "$work/other_abi.log" || fail "the ABI refusal does not name the package"
echo "build_example: SDK installed to $work/sdk; $work/build/libmccig_vonage_sms.so built"
