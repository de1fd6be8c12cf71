// A lever measured and not taken (docs/web-performance.md, "Fresh memory"): SHA-256 of four
// streams at once in WebAssembly SIMD, one stream per 32-bit lane. WebAssembly SIMD has no
// rotate, so each rotation is two shifts and an or. Built and compared with hash-wasm by
// bench/levers/sha256x4.mjs (needs clang with the wasm32 target: apt-get install -y clang lld).
#include <wasm_simd128.h>
#include <stdint.h>
#include "sha256-k.h"
#define ROTR(x,n) wasm_v128_or(wasm_u32x4_shr(x,n), wasm_i32x4_shl(x,32-(n)))
#define BSWAP(x) wasm_i8x16_swizzle(x, wasm_i8x16_const(3,2,1,0,7,6,5,4,11,10,9,8,15,14,13,12))
/* state: 8 v128 (lane i = stream i); blocks: 4 pointers, each to nblocks*64 bytes */
__attribute__((export_name("compress4")))
void compress4(v128_t *state, const uint8_t *b0, const uint8_t *b1, const uint8_t *b2, const uint8_t *b3, int nblocks) {
  v128_t a=state[0],b=state[1],c=state[2],d=state[3],e=state[4],f=state[5],g=state[6],h=state[7];
  for (int blk = 0; blk < nblocks; blk++) {
    v128_t w[64];
    for (int t = 0; t < 16; t += 4) {
      v128_t r0 = BSWAP(wasm_v128_load(b0 + t*4)), r1 = BSWAP(wasm_v128_load(b1 + t*4)), r2 = BSWAP(wasm_v128_load(b2 + t*4)), r3 = BSWAP(wasm_v128_load(b3 + t*4));
      v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
      v128_t t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
      w[t] = wasm_i64x2_shuffle(t0, t2, 0, 2); w[t+1] = wasm_i64x2_shuffle(t0, t2, 1, 3);
      w[t+2] = wasm_i64x2_shuffle(t1, t3, 0, 2); w[t+3] = wasm_i64x2_shuffle(t1, t3, 1, 3);
    }
    for (int t = 16; t < 64; t++) {
      v128_t s0 = wasm_v128_xor(wasm_v128_xor(ROTR(w[t-15],7), ROTR(w[t-15],18)), wasm_u32x4_shr(w[t-15],3));
      v128_t s1 = wasm_v128_xor(wasm_v128_xor(ROTR(w[t-2],17), ROTR(w[t-2],19)), wasm_u32x4_shr(w[t-2],10));
      w[t] = wasm_i32x4_add(wasm_i32x4_add(w[t-16], s0), wasm_i32x4_add(w[t-7], s1));
    }
    v128_t A=a,B=b,C=c,D=d,E=e,F=f,G=g,H=h;
    for (int t = 0; t < 64; t++) {
      v128_t S1 = wasm_v128_xor(wasm_v128_xor(ROTR(E,6), ROTR(E,11)), ROTR(E,25));
      v128_t ch = wasm_v128_xor(wasm_v128_and(E,F), wasm_v128_andnot(G,E));
      v128_t t1 = wasm_i32x4_add(wasm_i32x4_add(wasm_i32x4_add(H,S1), wasm_i32x4_add(ch, wasm_i32x4_splat(K[t]))), w[t]);
      v128_t S0 = wasm_v128_xor(wasm_v128_xor(ROTR(A,2), ROTR(A,13)), ROTR(A,22));
      v128_t maj = wasm_v128_xor(wasm_v128_xor(wasm_v128_and(A,B), wasm_v128_and(A,C)), wasm_v128_and(B,C));
      v128_t t2 = wasm_i32x4_add(S0, maj);
      H=G; G=F; F=E; E=wasm_i32x4_add(D,t1); D=C; C=B; B=A; A=wasm_i32x4_add(t1,t2);
    }
    a=wasm_i32x4_add(a,A); b=wasm_i32x4_add(b,B); c=wasm_i32x4_add(c,C); d=wasm_i32x4_add(d,D);
    e=wasm_i32x4_add(e,E); f=wasm_i32x4_add(f,F); g=wasm_i32x4_add(g,G); h=wasm_i32x4_add(h,H);
    b0 += 64; b1 += 64; b2 += 64; b3 += 64;
  }
  state[0]=a;state[1]=b;state[2]=c;state[3]=d;state[4]=e;state[5]=f;state[6]=g;state[7]=h;
}
/* Room for four 16 MiB streams and the state. */
static unsigned char heap[72 << 20] __attribute__((aligned(16)));
__attribute__((export_name("heap_base"))) unsigned char *heap_base(void) { return heap; }
