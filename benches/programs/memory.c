// Memory: loads and stores of every width over arrays larger than the
// caches' fast paths: fills, byte and word copies, prefix sums, strided
// gathers and a matrix transpose.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define N (1 << 20)

static uint32_t words[N];
static uint32_t other[N];
static uint8_t bytes[4 * N];

__attribute__((noinline)) static void copy_bytes(uint8_t *dst, const uint8_t *src, size_t len) {
    for (size_t i = 0; i < len; i++) dst[i] = src[i];
}

__attribute__((noinline)) static void copy_words(uint64_t *dst, const uint64_t *src, size_t len) {
    for (size_t i = 0; i < len; i++) dst[i] = src[i];
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 12;
    uint64_t checksum = 0;
    uint32_t seed = 12345;
    for (int i = 0; i < N; i++) {
        seed = seed * 1103515245u + 12345u;
        words[i] = seed >> 8;
    }
    for (int r = 0; r < rounds; r++) {
        // Prefix sum (load, add, store, a loop-carried dependence).
        uint32_t sum = 0;
        for (int i = 0; i < N; i++) { sum += words[i]; other[i] = sum; }
        // Strided gather: every 17th element, wrapping around.
        uint32_t index = (uint32_t)r;
        for (int i = 0; i < N; i++) { checksum += other[index]; index = (index + 17) & (N - 1); }
        // Byte copy one way, 64-bit copy back, 16-bit sums.
        copy_bytes(bytes, (const uint8_t *)other, sizeof other);
        copy_words((uint64_t *)words, (const uint64_t *)bytes, sizeof words / 8);
        const uint16_t *halves = (const uint16_t *)bytes;
        for (int i = 0; i < 2 * N; i += 7) checksum += halves[i];
        // Transpose a 1024 x 1024 matrix of words.
        for (int y = 0; y < 1024; y++)
            for (int x = 0; x < 1024; x++) other[x * 1024 + y] = words[y * 1024 + x] ^ (uint32_t)r;
        for (int i = 0; i < N; i += 4096) checksum = checksum * 31 + other[i];
        // Signed byte loads.
        const int8_t *signed_bytes = (const int8_t *)bytes;
        int64_t signed_sum = 0;
        for (int i = 0; i < 4 * N; i += 3) signed_sum += signed_bytes[i];
        checksum ^= (uint64_t)signed_sum;
        for (int i = 0; i < N; i++) words[i] = other[i] + (uint32_t)i;
    }
    printf("memory %d rounds: %016llx\n", rounds, (unsigned long long)checksum);
    return 0;
}
