// br_table: a bytecode interpreter for a small stack machine whose
// dispatch is one dense `switch` (wasm `br_table`), running a program that
// counts primes by trial division and sums a Collatz-like sequence.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum op {
    PUSH, LOAD, STORE, ADD, SUB, MUL, DIV, REM, LT, EQ, NOT, DUP, DROP, SWAP,
    JMP, JZ, JNZ, INC, DEC, AND, OR, XOR, SHL, SHR, HALT,
};

// Registers are numbered 0..7; jumps are absolute indices into the code.
static const int32_t program[] = {
    // r0 = limit (pushed by the host), r1 = candidate, r2 = primes found,
    // r3 = divisor, r4 = hash
    STORE, 0,
    PUSH, 2, STORE, 1,
    PUSH, 0, STORE, 2,
    PUSH, 1, STORE, 4,
    // outer: while candidate < limit
    /* 14 */ LOAD, 1, LOAD, 0, LT, JZ, 80,
    PUSH, 2, STORE, 3,
    // inner: while divisor * divisor <= candidate
    /* 25 */ LOAD, 3, DUP, MUL, LOAD, 1, SWAP, LT, JNZ, 49,
    LOAD, 1, LOAD, 3, REM, JZ, 64,
    LOAD, 3, INC, STORE, 3, JMP, 25,
    // prime: count it and mix it into the hash
    /* 49 */ LOAD, 2, INC, STORE, 2,
    LOAD, 4, PUSH, 31, MUL, LOAD, 1, XOR, STORE, 4,
    // next candidate (composites jump here)
    /* 64 */ LOAD, 1, INC, STORE, 1, JMP, 14,
    0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* 80 */ LOAD, 4, PUSH, 16, SHL, LOAD, 2, OR, HALT,
};

static int32_t run(const int32_t *code, int32_t argument) {
    int32_t stack[64], regs[8] = {0};
    int sp = 0, pc = 0;
    stack[sp++] = argument;
    for (;;) {
        int32_t a, b;
        switch ((enum op)code[pc++]) {
        case PUSH: stack[sp++] = code[pc++]; break;
        case LOAD: stack[sp++] = regs[code[pc++]]; break;
        case STORE: regs[code[pc++]] = stack[--sp]; break;
        case ADD: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a + b; break;
        case SUB: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a - b; break;
        case MUL: b = stack[--sp]; a = stack[--sp]; stack[sp++] = (int32_t)((uint32_t)a * (uint32_t)b); break;
        case DIV: b = stack[--sp]; a = stack[--sp]; stack[sp++] = b ? a / b : 0; break;
        case REM: b = stack[--sp]; a = stack[--sp]; stack[sp++] = b ? a % b : 0; break;
        case LT: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a < b; break;
        case EQ: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a == b; break;
        case NOT: stack[sp - 1] = !stack[sp - 1]; break;
        case DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case DROP: sp--; break;
        case SWAP: a = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = a; break;
        case JMP: pc = code[pc]; break;
        case JZ: pc = stack[--sp] ? pc + 1 : code[pc]; break;
        case JNZ: pc = stack[--sp] ? code[pc] : pc + 1; break;
        case INC: stack[sp - 1]++; break;
        case DEC: stack[sp - 1]--; break;
        case AND: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a & b; break;
        case OR: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a | b; break;
        case XOR: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a ^ b; break;
        case SHL: b = stack[--sp]; a = stack[--sp]; stack[sp++] = (int32_t)((uint32_t)a << (b & 31)); break;
        case SHR: b = stack[--sp]; a = stack[--sp]; stack[sp++] = (int32_t)((uint32_t)a >> (b & 31)); break;
        case HALT: return stack[--sp];
        default: return -1;
        }
    }
}

int main(int argc, char **argv) {
    int32_t limit = argc > 1 ? atoi(argv[1]) : 40000;
    uint32_t checksum = 0;
    for (int32_t i = 0; i < 4; i++) checksum = checksum * 33 + (uint32_t)run(program, limit + i);
    printf("interp %d: %08x\n", (int)limit, checksum);
    return 0;
}
