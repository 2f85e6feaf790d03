;; A loop over two arrays addressed by `i32.add`: the addresses are fused
;; into indexed accesses (`load32_u_indexed`, `store32_indexed`), and the
;; constants and the loop-invariant `n & ~3` the optimizer rematerializes in
;; the body are computed once, before the loop.
(module
  (memory 1)
  (func (export "clamp") (param $n i32)
    (local $i i32)
    (loop $next
      (i32.store
        (i32.add (local.get $i) (i32.const 0x2000))
        (select (i32.const 4) (i32.const 0)
          (i32.gt_s
            (i32.load (i32.add (local.get $i) (i32.const 0x1000)))
            (i32.const 4))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $next (i32.ne (local.get $i)
        (i32.and (local.get $n) (i32.const 0x7ffffffc)))))))

;; ---- expected (regenerate with BLESS=1) ----
;; function 0 (frame: 10 slots):
;;   0x0000: xconst8 r1, 0
;;   0x0003: xconst32 r5, 4096
;;   0x0009: xconst32 r2, 8192
;;   0x000f: xconst8 r4, 4
;;   0x0012: xconst8 r6, 0
;;   0x0015: xband32_imm r3, r0, 2147483644
;;   0x001c: load32_u_indexed r9, r1, r5, 0  ; wasm 0x3d
;;   0x0024: xsgt32_imm r8, r9, 4
;;   0x002b: xselect32 r7, r8, r4, r6
;;   0x0030: store32_indexed r1, r2, 0, r7  ; wasm 0x44
;;   0x0038: xadd32_imm r1, r1, 4
;;   0x003f: br_if_xne32 r1, r3, 0x001c
;;   0x0046: ret []
