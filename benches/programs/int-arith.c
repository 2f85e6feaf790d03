// Integer arithmetic: 32- and 64-bit multiply, add, shift, rotate, divide and
// remainder, with data-dependent branches (Collatz sequences) and no memory
// traffic beyond the stack.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint32_t rotl32(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

int main(int argc, char **argv) {
    uint32_t rounds = argc > 1 ? (uint32_t)strtoul(argv[1], 0, 10) : 600000;
    uint64_t checksum = 0x9e3779b97f4a7c15ull;
    uint32_t h = 2166136261u;
    for (uint32_t n = 1; n <= rounds; n++) {
        // Collatz: branches on parity, divides by two, multiplies by three.
        uint64_t x = n;
        uint32_t steps = 0;
        while (x != 1) {
            x = (x & 1) ? 3 * x + 1 : x >> 1;
            steps++;
        }
        // Mix with 32-bit rotates and multiplies (murmur-like).
        uint32_t k = steps * 0xcc9e2d51u;
        k = rotl32(k, 15) * 0x1b873593u;
        h = rotl32(h ^ k, 13) * 5 + 0xe6546b64u;
        // Division and remainder by values the compiler cannot fold.
        uint32_t d = (h & 0xff) + 1;
        checksum += (uint64_t)(h / d) + (h % d);
        checksum ^= checksum << 13;
        checksum ^= checksum >> 7;
        checksum ^= checksum << 17;
        checksum += (uint64_t)(int64_t)(int32_t)h * (int64_t)steps;
    }
    printf("int-arith %u: %016llx\n", rounds, (unsigned long long)checksum);
    return 0;
}
