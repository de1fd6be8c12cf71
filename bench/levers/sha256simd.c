// A lever measured and not taken (docs/web-performance.md, "SHA-256 with a SIMD schedule"):
// SHA-256 of one stream with its message schedule computed four words at a time in
// WebAssembly SIMD, as Intel's SSE/AVX SHA-256 does, and the rounds in scalar code. Built
// and compared with hash-wasm by bench/levers/sha256simd.mjs (needs clang with the wasm32
// target: apt-get install -y clang lld).
#include <wasm_simd128.h>
#include <stdint.h>
#include "sha256-k.h"
#define VROTR(x,n) wasm_v128_or(wasm_u32x4_shr(x,n), wasm_i32x4_shl(x,32-(n)))
#define BSWAP(x) wasm_i8x16_swizzle(x, wasm_i8x16_const(3,2,1,0,7,6,5,4,11,10,9,8,15,14,13,12))
#define ROTR(x,n) (((x)>>(n))|((x)<<(32-(n))))
#define S0(x) (ROTR(x,2)^ROTR(x,13)^ROTR(x,22))
#define S1(x) (ROTR(x,6)^ROTR(x,11)^ROTR(x,25))
#define CH(x,y,z) (((x)&(y))^(~(x)&(z)))
#define MAJ(x,y,z) (((x)&(y))^((x)&(z))^((y)&(z)))
#define ROUND(a,b,c,d,e,f,g,h,wk) do { uint32_t t1 = (h) + S1(e) + CH(e,f,g) + (wk); uint32_t t2 = S0(a) + MAJ(a,b,c); (d) += t1; (h) = t1 + t2; } while (0)
static inline v128_t sig0(v128_t x) { return wasm_v128_xor(wasm_v128_xor(VROTR(x,7), VROTR(x,18)), wasm_u32x4_shr(x,3)); }
static inline v128_t sig1(v128_t x) { return wasm_v128_xor(wasm_v128_xor(VROTR(x,17), VROTR(x,19)), wasm_u32x4_shr(x,10)); }
/* The next four schedule words after x0..x3 (W[t-16..t-1]). */
static inline v128_t next4(v128_t x0, v128_t x1, v128_t x2, v128_t x3) {
  v128_t w15 = wasm_i32x4_shuffle(x0, x1, 1, 2, 3, 4);   /* W[t-15..t-12] */
  v128_t w7 = wasm_i32x4_shuffle(x2, x3, 1, 2, 3, 4);    /* W[t-7..t-4] */
  v128_t part = wasm_i32x4_add(wasm_i32x4_add(x0, w7), sig0(w15));
  v128_t lo = wasm_i32x4_add(part, sig1(wasm_i32x4_shuffle(x3, x3, 2, 3, 2, 3))); /* lanes 0,1 right */
  v128_t hi = wasm_i32x4_add(part, sig1(wasm_i32x4_shuffle(lo, lo, 0, 1, 0, 1))); /* lanes 2,3 right */
  return wasm_i32x4_shuffle(lo, hi, 0, 1, 6, 7);
}
__attribute__((export_name("compress")))
void compress(uint32_t *state, const uint8_t *p, int nblocks) {
  uint32_t a=state[0],b=state[1],c=state[2],d=state[3],e=state[4],f=state[5],g=state[6],h=state[7];
  uint32_t wk[4] __attribute__((aligned(16)));
  for (int blk = 0; blk < nblocks; blk++, p += 64) {
    v128_t x0 = BSWAP(wasm_v128_load(p)), x1 = BSWAP(wasm_v128_load(p+16)), x2 = BSWAP(wasm_v128_load(p+32)), x3 = BSWAP(wasm_v128_load(p+48));
    uint32_t A=a,B=b,C=c,D=d,E=e,F=f,G=g,H=h;
    for (int t = 0; t < 64; t += 16) {
#define QUAD(x, k) wasm_v128_store(wk, wasm_i32x4_add(x, wasm_v128_load(&K[k]))); \
      ROUND(A,B,C,D,E,F,G,H,wk[0]); ROUND(H,A,B,C,D,E,F,G,wk[1]); ROUND(G,H,A,B,C,D,E,F,wk[2]); ROUND(F,G,H,A,B,C,D,E,wk[3]);
      QUAD(x0, t) if (t < 48) x0 = next4(x0, x1, x2, x3);
#undef QUAD
#define QUAD(x, k) wasm_v128_store(wk, wasm_i32x4_add(x, wasm_v128_load(&K[k]))); \
      ROUND(E,F,G,H,A,B,C,D,wk[0]); ROUND(D,E,F,G,H,A,B,C,wk[1]); ROUND(C,D,E,F,G,H,A,B,wk[2]); ROUND(B,C,D,E,F,G,H,A,wk[3]);
      QUAD(x1, t+4) if (t < 48) x1 = next4(x1, x2, x3, x0);
#undef QUAD
#define QUAD(x, k) wasm_v128_store(wk, wasm_i32x4_add(x, wasm_v128_load(&K[k]))); \
      ROUND(A,B,C,D,E,F,G,H,wk[0]); ROUND(H,A,B,C,D,E,F,G,wk[1]); ROUND(G,H,A,B,C,D,E,F,wk[2]); ROUND(F,G,H,A,B,C,D,E,wk[3]);
      QUAD(x2, t+8) if (t < 48) x2 = next4(x2, x3, x0, x1);
#undef QUAD
#define QUAD(x, k) wasm_v128_store(wk, wasm_i32x4_add(x, wasm_v128_load(&K[k]))); \
      ROUND(E,F,G,H,A,B,C,D,wk[0]); ROUND(D,E,F,G,H,A,B,C,wk[1]); ROUND(C,D,E,F,G,H,A,B,wk[2]); ROUND(B,C,D,E,F,G,H,A,wk[3]);
      QUAD(x3, t+12) if (t < 48) x3 = next4(x3, x0, x1, x2);
#undef QUAD
    }
    a+=A; b+=B; c+=C; d+=D; e+=E; f+=F; g+=G; h+=H;
  }
  state[0]=a; state[1]=b; state[2]=c; state[3]=d; state[4]=e; state[5]=f; state[6]=g; state[7]=h;
}
extern unsigned char __heap_base;
__attribute__((export_name("heap_base"))) uintptr_t heap_base(void) { return (uintptr_t)&__heap_base; }
