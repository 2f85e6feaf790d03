;; A v128 takes two slots: its local, its home on the stack, and the `lo`
;; and `hi` operands of the `v` ops.
(module
  (memory 1)
  (func (export "scale") (param $p i32) (param $k i32)
    (local $v v128)
    (local.set $v (v128.load (local.get $p)))
    (v128.store offset=16 (local.get $p)
      (i32x4.mul (local.get $v) (i32x4.splat (local.get $k)))))
  (func (export "widen") (param $p i32) (result i64)
    (i64x2.extract_lane 1
      (i64x2.extmul_high_i32x4_s (v128.load (local.get $p)) (v128.const i32x4 1 2 3 4)))))

;; ---- expected (regenerate with BLESS=1) ----
;; function 0: 9 slots, 2 for parameters, 0 for results
;; 0x0000: xconst8 r2, 0
;; 0x0003: xconst8 r3, 0
;; 0x0006: vload128 r4, r5, r0, 0
;; 0x0010: mov r2, r4
;; 0x0013: mov r3, r5
;; 0x0016: vsplat_i32x4 r7, r8, r1
;; 0x001c: vmul_i32x4 r5, r6, r2, r3, r7, r8
;; 0x0025: vstore128 r0, 16, r5, r6
;; 0x002f: ret []
;; function 1: 7 slots, 1 for parameters, 1 for results
;; 0x0000: vload128 r1, r2, r0, 0
;; 0x000a: xconst64 r3, 8589934593
;; 0x0014: xconst64 r4, 17179869187
;; 0x001e: vwiden_high_s_i32x4 r5, r6, r3, r4
;; 0x0025: vwiden_high_s_i32x4 r1, r2, r1, r2
;; 0x002c: vmul_i64x2 r1, r2, r1, r2, r5, r6
;; 0x0035: mov r1, r2
;; 0x0038: ret [r1]
