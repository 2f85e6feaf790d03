// Calls: deep recursion (Fibonacci, Ackermann), many small functions that
// must not be inlined, and indirect calls through a table of function
// pointers (wasm `call_indirect`).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define NOINLINE __attribute__((noinline))

NOINLINE static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

NOINLINE static uint32_t ackermann(uint32_t m, uint32_t n) {
    if (m == 0) return n + 1;
    if (n == 0) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

NOINLINE static uint32_t add(uint32_t a, uint32_t b) { return a + b; }
NOINLINE static uint32_t sub(uint32_t a, uint32_t b) { return a - b; }
NOINLINE static uint32_t mul(uint32_t a, uint32_t b) { return a * b + 1; }
NOINLINE static uint32_t mix(uint32_t a, uint32_t b) { return (a ^ b) + (a >> 3); }
NOINLINE static uint64_t widen(uint32_t a, uint64_t b) { return b * 31 + a; }

typedef uint32_t (*binary)(uint32_t, uint32_t);
static binary table[4] = {add, sub, mul, mix};

int main(int argc, char **argv) {
    uint32_t n = argc > 1 ? (uint32_t)atoi(argv[1]) : 28;
    uint64_t checksum = fib(n);
    checksum = widen(ackermann(2, 3000), checksum);
    checksum = widen(ackermann(3, n / 3), checksum);
    uint32_t acc = 1;
    for (uint32_t i = 0; i < (1u << n) / 64; i++) {
        acc = table[(acc ^ i) & 3](acc, i);
        acc = add(acc, mix(i, acc));
        checksum = widen(acc, checksum);
    }
    printf("calls %u: %016llx\n", n, (unsigned long long)checksum);
    return 0;
}
