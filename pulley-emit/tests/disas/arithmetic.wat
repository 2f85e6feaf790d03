;; Arithmetic with immediates: constants fold into `_imm` forms; shifts by
;; constants mask the count; a compare-and-select.
(module
  (func $affine (export "affine") (param i32) (result i32)
    (i32.add (i32.mul (local.get 0) (i32.const 7)) (i32.const -3)))
  (func $shifts (export "shifts") (param i64) (result i64)
    (i64.xor (i64.shl (local.get 0) (i64.const 67)) (i64.shr_u (local.get 0) (i64.const 3))))
  (func $clamp (export "clamp") (param i32 i32) (result i32)
    (select (local.get 0) (local.get 1) (i32.lt_s (local.get 0) (local.get 1))))
  (func $float (export "float") (param f64 f64) (result f64)
    (f64.sqrt (f64.add (f64.mul (local.get 0) (local.get 0)) (f64.mul (local.get 1) (local.get 1))))))

;; ---- expected (regenerate with BLESS=1) ----
;; function 0 affine (frame: 2 slots):
;;   0x0000: xmul32_imm r1, r0, 7
;;   0x0007: xadd32_imm r1, r1, -3
;;   0x000e: ret [r1]
;; function 1 shifts (frame: 4 slots):
;;   0x0000: xshl64_imm r1, r0, 3
;;   0x0004: xshr64_u_imm r3, r0, 3
;;   0x0008: xbxor64 r2, r1, r3
;;   0x000c: ret [r2]
;; function 2 clamp (frame: 3 slots):
;;   0x0000: xmin32_s r2, r0, r1
;;   0x0006: ret [r2]
;; function 3 float (frame: 5 slots):
;;   0x0000: fmul64 r2, r0, r0
;;   0x0004: fmul64 r4, r1, r1
;;   0x0008: fadd64 r3, r2, r4
;;   0x000c: fsqrt64 r3, r3
;;   0x000f: ret [r3]
