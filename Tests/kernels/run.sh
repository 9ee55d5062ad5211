#!/usr/bin/env bash
# Checks the C kernels of every path against the reference kernels (Tests/kernels/kernel_check.c):
#   1. natively, on every path this CPU has (portable, AVX2, AVX-512 on x86-64);
#   2. the run-time dispatch under ThreadSanitizer (gcc or clang -fsanitize=thread), when it links;
#   3. cross-compiled for arm64 and run under qemu-user: the NEON path.
# Installs the arm64 cross compiler and qemu with apt-get when missing and possible (root,
# Debian); otherwise skips step 3 with the reason. Exits non-zero only on a real failure.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
src="$root/Sources/CKernels"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
flags=(-O2 -std=gnu11 -I"$src/include" -I"$src")

cc=""
for c in "${CC:-}" clang gcc cc; do
    if [ -n "$c" ] && command -v "$c" >/dev/null 2>&1; then cc="$c"; break; fi
done
if [ -z "$cc" ]; then
    echo "kernels: SKIP native check: no C compiler (clang, gcc or cc) on PATH"
else
    echo "kernels: native check with $cc"
    "$cc" "${flags[@]}" "$root/Tests/kernels/kernel_check.c" "$src"/*.c -lpthread -lm -o "$out/native"
    "$out/native"
    tsan_built=""
    for c in gcc clang; do
        if command -v "$c" >/dev/null 2>&1 && "$c" "${flags[@]}" -g -fsanitize=thread "$root/Tests/kernels/dispatch_race.c" \
                "$src"/*.c -lpthread -lm -o "$out/tsan" 2>/dev/null; then tsan_built="$c"; break; fi
    done
    if [ -n "$tsan_built" ]; then
        echo "kernels: dispatch under ThreadSanitizer ($tsan_built)"
        "$out/tsan"
    else
        echo "kernels: SKIP ThreadSanitizer check: no compiler here links -fsanitize=thread"
    fi
fi

cross=aarch64-linux-gnu-gcc
sysroot=/usr/aarch64-linux-gnu
if ! command -v "$cross" >/dev/null 2>&1 || ! command -v qemu-aarch64 >/dev/null 2>&1 || [ ! -d "$sysroot/lib" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "kernels: installing gcc-aarch64-linux-gnu, libc6-dev-arm64-cross, qemu-user"
        if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
                gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user >/dev/null; }; then
            echo "kernels: SKIP NEON check: apt-get could not install the arm64 cross tools"
            exit 0
        fi
    else
        echo "kernels: SKIP NEON check: needs $cross, libc6-dev-arm64-cross and qemu-aarch64 (not root, cannot install)"
        exit 0
    fi
fi
echo "kernels: NEON check, cross-compiled with $cross, run under qemu-aarch64"
"$cross" "${flags[@]}" "$root/Tests/kernels/kernel_check.c" "$src"/*.c -lpthread -lm -o "$out/arm64"
qemu-aarch64 -L "$sysroot" "$out/arm64"
